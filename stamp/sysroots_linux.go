package stamp

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// The files and folders Go reads the system's root certificates from on
// Linux (crypto/x509, root_linux.go and root_unix.go), and the variables
// that replace them.
var (
	rootFiles = []string{
		"/etc/ssl/certs/ca-certificates.crt",
		"/etc/pki/tls/certs/ca-bundle.crt",
		"/etc/ssl/ca-bundle.pem",
		"/etc/pki/tls/cacert.pem",
		"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
		"/etc/ssl/cert.pem",
	}
	rootDirs = []string{"/etc/ssl/certs", "/etc/pki/tls/certs"}
)

// SystemRootsID names the system's root certificates as they are now, by
// the files Go reads them from: the variables SSL_CERT_FILE and
// SSL_CERT_DIR, and each file's and folder's identity, size and times of
// change (the change time is the kernel's, which no program sets back).
// Installing or removing a root (update-ca-certificates rewrites the
// bundle and the folder) changes it. It reads no certificate: a few stat
// calls, for a reader that must know whether a token checked earlier was
// checked against the same roots. A file changed in place inside one of
// the folders without its bundle or folder changing is not seen.
func SystemRootsID() string {
	h := sha256.New()
	fmt.Fprintf(h, "journal system roots v1\x00%s\x00%s\x00", os.Getenv("SSL_CERT_FILE"), os.Getenv("SSL_CERT_DIR"))
	paths := append([]string{os.Getenv("SSL_CERT_FILE")}, rootFiles...)
	paths = append(paths, filepath.SplitList(os.Getenv("SSL_CERT_DIR"))...)
	for _, p := range append(paths, rootDirs...) {
		if p == "" {
			continue
		}
		var st syscall.Stat_t
		if err := syscall.Stat(p, &st); err != nil {
			fmt.Fprintf(h, "%s:-;", p)
			continue
		}
		fmt.Fprintf(h, "%s:%d:%d:%d:%d.%d:%d.%d;", p, st.Dev, st.Ino, st.Size,
			st.Mtim.Sec, st.Mtim.Nsec, st.Ctim.Sec, st.Ctim.Nsec)
	}
	return hex.EncodeToString(h.Sum(nil))
}

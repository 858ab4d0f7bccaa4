// Package stamptest runs a real RFC 3161 timestamp authority on 127.0.0.1
// for tests: a test root, a signing certificate with the critical
// timeStamping extended key usage, and replies signed by it. Its faults
// (a wrong digest, a wrong nonce, an untrusted root, a rejection, garbage,
// a hang) are the attacks the client must refuse.
package stamptest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"github.com/digitorus/timestamp"
)

// Fault makes the authority answer wrongly.
type Fault string

// The faults.
const (
	Good         Fault = ""
	WrongDigest  Fault = "wrong-digest"
	WrongNonce   Fault = "wrong-nonce"
	NoUsage      Fault = "no-usage"  // signing certificate without timeStamping usage
	Untrusted    Fault = "untrusted" // signed by a certificate of another root
	Rejection    Fault = "rejection" // status: rejection
	Garbage      Fault = "garbage"   // bytes that are no reply
	Hang         Fault = "hang"      // never answers
	OpenSSLReply Fault = "openssl"   // the reply is made by `openssl ts -reply`
)

// CA is a certificate authority with a timestamp signing certificate.
type CA struct {
	Root, Signer *x509.Certificate
	RootKey      *ecdsa.PrivateKey
	SignerKey    *ecdsa.PrivateKey
}

// NewCA makes a root named name and a timestamp signing certificate under
// it; with usage false the signing certificate lacks timeStamping.
func NewCA(name string, usage bool) (*CA, error) {
	rootKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	rootTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name + " Root", Organization: []string{name}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(10 * 365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	rootDER, err := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, &rootKey.PublicKey, rootKey)
	if err != nil {
		return nil, err
	}
	root, _ := x509.ParseCertificate(rootDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: name + " TSA", Organization: []string{name}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(5 * 365 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	if usage {
		eku, _ := asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 8}})
		tmpl.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Critical: true, Value: eku}}
	} else {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, root, &key.PublicKey, rootKey)
	if err != nil {
		return nil, err
	}
	signer, _ := x509.ParseCertificate(der)
	return &CA{Root: root, Signer: signer, RootKey: rootKey, SignerKey: key}, nil
}

// RootPEM is the root certificate in PEM.
func (ca *CA) RootPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Root.Raw})
}

// Reply answers a DER request as the authority would.
func (ca *CA) Reply(reqDER []byte, fault Fault) ([]byte, error) {
	req, err := timestamp.ParseRequest(reqDER)
	if err != nil {
		return timestamp.CreateErrorResponse(timestamp.Rejection, timestamp.BadDataFormat)
	}
	switch fault {
	case Rejection:
		return timestamp.CreateErrorResponse(timestamp.Rejection, timestamp.BadRequest)
	case Garbage:
		return []byte("<html>this is not a timestamp</html>"), nil
	}
	ts := &timestamp.Timestamp{
		HashAlgorithm: req.HashAlgorithm, HashedMessage: req.HashedMessage,
		Time: time.Now().UTC().Truncate(time.Second), Accuracy: time.Second, Nonce: req.Nonce,
		Policy: asn1.ObjectIdentifier{1, 2, 3, 4, 1}, Certificates: []*x509.Certificate{ca.Root},
		AddTSACertificate: true,
	}
	switch fault {
	case WrongDigest:
		ts.HashedMessage = make([]byte, len(req.HashedMessage))
	case WrongNonce:
		ts.Nonce = new(big.Int).Add(req.Nonce, big.NewInt(1))
	}
	return ts.CreateResponseWithOpts(ca.Signer, ca.SignerKey, crypto.SHA256)
}

// Server is a timestamp authority listening on 127.0.0.1.
type Server struct {
	*httptest.Server
	CA       *CA
	mu       sync.Mutex
	fault    Fault
	requests int
	dir      string
	stop     chan struct{}
	once     sync.Once
}

// NewServer starts an authority with a fresh CA named name.
func NewServer(name string) (*Server, error) {
	ca, err := NewCA(name, true)
	if err != nil {
		return nil, err
	}
	s := &Server{CA: ca, stop: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s, nil
}

// SetFault changes how the next requests are answered. NoUsage and
// Untrusted swap the signing certificate (so keep the original roots).
func (s *Server) SetFault(f Fault) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
	return nil
}

// Count is how many requests the authority has had.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Close stops the server, releasing hanging requests first.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.stop)
		s.Server.Close()
	})
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil || r.Method != http.MethodPost {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	fault := s.fault
	s.requests++
	s.mu.Unlock()
	var reply []byte
	switch fault {
	case Hang:
		select {
		case <-r.Context().Done():
		case <-s.stop:
		}
		return
	case NoUsage, Untrusted:
		var other *CA
		other, err = NewCA("Other", fault == Untrusted)
		if err == nil && fault == NoUsage {
			// Same root as the good authority, a signer without the usage.
			other, err = s.CA.sibling()
		}
		if err == nil {
			reply, err = other.Reply(body, Good)
		}
	case OpenSSLReply:
		reply, err = s.opensslReply(body)
	default:
		reply, err = s.CA.Reply(body, fault)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/timestamp-reply")
	w.Write(reply)
}

// sibling is a signing certificate under the same root without the
// timeStamping usage.
func (ca *CA) sibling() (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "Code Signer"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Root, &key.PublicKey, ca.RootKey)
	if err != nil {
		return nil, err
	}
	c, _ := x509.ParseCertificate(der)
	return &CA{Root: ca.Root, Signer: c, RootKey: ca.RootKey, SignerKey: key}, nil
}

// opensslReply has `openssl ts -reply` answer the request, with a
// configuration written here, signing with this CA's certificate.
func (s *Server) opensslReply(req []byte) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir == "" {
		dir, err := os.MkdirTemp("", "tsa")
		if err != nil {
			return nil, err
		}
		s.dir = dir
		keyDER, _ := x509.MarshalECPrivateKey(s.CA.SignerKey)
		files := map[string][]byte{
			"signer.pem": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.CA.Signer.Raw}),
			"key.pem":    pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}),
			"root.pem":   s.CA.RootPEM(),
			"serial":     []byte("01\n"),
			"tsa.cnf": []byte(`[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = .
serial = ./serial
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`),
		}
		for name, data := range files {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
				return nil, err
			}
		}
	}
	q := filepath.Join(s.dir, "request.tsq")
	out := filepath.Join(s.dir, "reply.tsr")
	if err := os.WriteFile(q, req, 0o600); err != nil {
		return nil, err
	}
	cmd := exec.Command("openssl", "ts", "-reply", "-config", "tsa.cnf", "-queryfile", "request.tsq",
		"-signer", "signer.pem", "-inkey", "key.pem", "-chain", "root.pem", "-out", "reply.tsr")
	cmd.Dir = s.dir
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, &opensslError{string(msg)}
	}
	return os.ReadFile(out)
}

type opensslError struct{ msg string }

func (e *opensslError) Error() string { return "openssl ts -reply failed: " + e.msg }

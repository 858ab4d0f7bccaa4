package stamp_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/journal-dev/journal/internal/testwait"
	"github.com/journal-dev/journal/stamp"
	"github.com/journal-dev/journal/stamp/stamptest"
)

// TestMain bounds the fuzzing engine's minimization when the command line
// does not. The engine shrinks every input that reaches new code, for up
// to 60 s by default, reporting nothing meanwhile, so FuzzCheck seemed to
// stall after a few seconds at "0 execs/s". A reply that still parses
// costs two ECDSA verifications (~0.5 ms), and shrinking a 1.4 KB reply
// tries up to a million shorter ones, so each shrink used the whole 60 s.
// 2 s a shrink keeps the engine fuzzing (its inputs still minimal enough
// to read); -fuzzminimizetime given on the command line wins.
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.fuzzminimizetime" })
	if !given {
		if err := flag.Set("test.fuzzminimizetime", "2s"); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}

func authority(t *testing.T) (*stamptest.Server, *stamp.Trust) {
	t.Helper()
	srv, err := stamptest.NewServer("Test Authority")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv, stamp.Only(srv.CA.Root)
}

func TestStampGood(t *testing.T) {
	srv, roots := authority(t)
	digest := sha256.Sum256([]byte("head"))
	tok, err := (&stamp.Client{}).Stamp(context.Background(), srv.URL, digest, roots)
	if err != nil {
		t.Fatalf("Stamp = %v, want a token", err)
	}
	if tok.Authority != "Test Authority TSA" || tok.Root != "Test Authority Root" {
		t.Errorf("authority, root = %q, %q", tok.Authority, tok.Root)
	}
	if d := time.Since(tok.Time); d < -time.Minute || d > time.Minute {
		t.Errorf("time = %v, want about now", tok.Time)
	}
	// Offline, later: the stored reply still checks.
	if _, err := stamp.Check(tok.Reply, digest, roots); err != nil {
		t.Errorf("Check(stored reply) = %v", err)
	}
	// Against another digest it does not.
	other := sha256.Sum256([]byte("other head"))
	var be *stamp.BadReplyError
	if _, err := stamp.Check(tok.Reply, other, roots); !errors.As(err, &be) {
		t.Errorf("Check(other digest) = %v, want a BadReplyError", err)
	}
	// Without the test root, the system's roots do not trust it.
	sys, _ := stamp.Roots(nil)
	if _, err := stamp.Check(tok.Reply, digest, sys); !errors.As(err, &be) || !strings.Contains(err.Error(), "not trusted") {
		t.Errorf("Check(system roots) = %v, want not trusted", err)
	}
}

// TestBadReplies is the attacker: every reply a wrong or hostile authority
// could give is refused, with a message that says what is wrong.
func TestBadReplies(t *testing.T) {
	srv, roots := authority(t)
	digest := sha256.Sum256([]byte("head"))
	for _, tc := range []struct {
		fault stamptest.Fault
		want  string
	}{
		{stamptest.WrongDigest, "stamps another digest"},
		{stamptest.WrongNonce, "nonce is not the one sent"},
		{stamptest.NoUsage, "not for timestamping"},
		{stamptest.Untrusted, "is not trusted"},
		{stamptest.Rejection, "the authority declined: the request is rejected"},
		{stamptest.Garbage, "not a valid timestamp reply"},
	} {
		t.Run(string(tc.fault), func(t *testing.T) {
			srv.SetFault(tc.fault)
			tok, err := (&stamp.Client{}).Stamp(context.Background(), srv.URL, digest, roots)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Stamp with %s = %v, %v; want an error saying %q", tc.fault, tok, err, tc.want)
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	srv, roots := authority(t)
	digest := sha256.Sum256([]byte("head"))
	srv.SetFault(stamptest.Hang)
	// The authority answers only once it is closed, below: a client that
	// does not give up never returns.
	result := make(chan error, 1)
	go func() {
		_, err := (&stamp.Client{Timeout: 300 * time.Millisecond}).Stamp(context.Background(), srv.URL, digest, roots)
		result <- err
	}()
	err := testwait.Recv(t, result, "the client to give up on an authority that does not answer")
	var ue *stamp.UnreachableError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "no answer within 300ms") {
		t.Errorf("hanging authority: %v, want no answer within 300ms", err)
	}
	url := srv.URL
	srv.Close()
	_, err = (&stamp.Client{}).Stamp(context.Background(), url, digest, roots)
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "refused or the network is down") {
		t.Errorf("authority down: %v", err)
	}
}

func needOpenSSL(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("openssl is needed for the interoperability tests")
		}
		t.Skip("openssl is not installed: the interoperability tests need it")
	}
}

// TestOpenSSLVerifiesOurs: a third party with only openssl and the root
// checks a token the journal keeps.
func TestOpenSSLVerifiesOurs(t *testing.T) {
	needOpenSSL(t)
	srv, roots := authority(t)
	digest := sha256.Sum256([]byte("head"))
	tok, err := (&stamp.Client{}).Stamp(context.Background(), srv.URL, digest, roots)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "stamp.tsr"), tok.Reply, 0o600)
	os.WriteFile(filepath.Join(dir, "root.pem"), srv.CA.RootPEM(), 0o600)
	hex := strings.ToLower(strings.TrimSpace(hexOf(digest[:])))
	out, err := exec.Command("openssl", "ts", "-verify", "-digest", hex, "-in", filepath.Join(dir, "stamp.tsr"),
		"-CAfile", filepath.Join(dir, "root.pem")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Verification: OK") {
		t.Fatalf("openssl ts -verify: %v\n%s", err, out)
	}
	// And openssl refuses it for another digest.
	other := sha256.Sum256([]byte("other"))
	out, _ = exec.Command("openssl", "ts", "-verify", "-digest", hexOf(other[:]), "-in", filepath.Join(dir, "stamp.tsr"),
		"-CAfile", filepath.Join(dir, "root.pem")).CombinedOutput()
	if strings.Contains(string(out), "Verification: OK") {
		t.Fatalf("openssl accepted the token for another digest:\n%s", out)
	}
}

// TestOursAcceptsOpenSSL: a reply made by `openssl ts -reply` passes every
// check, nonce included.
func TestOursAcceptsOpenSSL(t *testing.T) {
	needOpenSSL(t)
	srv, roots := authority(t)
	srv.SetFault(stamptest.OpenSSLReply)
	digest := sha256.Sum256([]byte("head"))
	tok, err := (&stamp.Client{}).Stamp(context.Background(), srv.URL, digest, roots)
	if err != nil {
		t.Fatalf("Stamp from openssl ts -reply = %v", err)
	}
	if tok.Authority != "Test Authority TSA" {
		t.Errorf("authority = %q", tok.Authority)
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	s := make([]byte, 0, 2*len(b))
	for _, c := range b {
		s = append(s, digits[c>>4], digits[c&15])
	}
	return string(s)
}

// FuzzCheck: no reply, however crafted, crashes the checks or passes them.
func FuzzCheck(f *testing.F) {
	ca, err := stamptest.NewCA("Fuzz", true)
	if err != nil {
		f.Fatal(err)
	}
	digest := sha256.Sum256([]byte("head"))
	req, _ := stamp.NewRequest(digest)
	good, _ := ca.Reply(req.DER, stamptest.Good)
	f.Add(good)
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x02})
	roots := stamp.Only()
	f.Fuzz(func(t *testing.T, reply []byte) {
		if _, err := stamp.Check(reply, digest, roots); err == nil {
			t.Fatal("a reply checked against no trusted root passed")
		}
	})
}

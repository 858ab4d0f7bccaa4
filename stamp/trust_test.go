package stamp

import (
	"crypto/sha256"
	"crypto/x509"
	"strings"
	"testing"

	"github.com/journal-dev/journal/stamp/stamptest"
)

// TestGivenRootsSpareTheSystems: a token whose root was given with the
// authority (--tsa-roots) checks without loading the system's roots (20
// to 50 ms a command); a token the given roots do not make a chain for is
// still tried against the system's, as "beside the system's" promises.
func TestGivenRootsSpareTheSystems(t *testing.T) {
	loads := 0
	systemRoots = func() (*x509.CertPool, error) {
		loads++
		return x509.SystemCertPool()
	}
	t.Cleanup(func() { systemRoots = x509.SystemCertPool })

	ca, err := stamptest.NewCA("Given", true)
	if err != nil {
		t.Fatal(err)
	}
	other, err := stamptest.NewCA("Other", true)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("head"))
	req, err := NewRequest(digest)
	if err != nil {
		t.Fatal(err)
	}
	reply, err := ca.Reply(req.DER, stamptest.Good)
	if err != nil {
		t.Fatal(err)
	}

	trust, err := Roots(ca.RootPEM())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Check(reply, digest, trust); err != nil {
		t.Fatalf("Check with its root given = %v", err)
	}
	if loads != 0 {
		t.Errorf("the system's roots were loaded %d times for a token its given root checks", loads)
	}

	trust, err = Roots(other.RootPEM())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Check(reply, digest, trust); err == nil || !strings.Contains(err.Error(), "not trusted") {
		t.Errorf("Check with another root given = %v, want not trusted", err)
	}
	if loads != 1 {
		t.Errorf("the system's roots were loaded %d times, want 1 (tried after the given root failed)", loads)
	}

	if _, err := Check(reply, digest, Only(other.Root)); err == nil {
		t.Error("Check trusting only another root passed")
	}
	if loads != 1 {
		t.Errorf("Only loaded the system's roots (%d loads)", loads)
	}
}

package stamp

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSystemRootsIDFollowsTheFile checks that the name of the system's
// roots changes when the file of roots is rewritten in place (a root
// removed, as update-ca-certificates does), and not when nothing changed.
func TestSystemRootsIDFollowsTheFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "roots.pem")
	if err := os.WriteFile(file, []byte("first roots\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SSL_CERT_FILE", file)
	before := SystemRootsID()
	if again := SystemRootsID(); again != before {
		t.Fatalf("SystemRootsID changed with nothing changed: %s, then %s", before, again)
	}
	// One root fewer: a shorter file. (The same size written within the
	// same tick of the kernel's clock would not be seen.)
	if err := os.WriteFile(file, []byte("roots\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if after := SystemRootsID(); after == before {
		t.Errorf("SystemRootsID did not change when the file of roots was rewritten")
	}
}

// BenchmarkSystemRootsID measures what a read of the cache adds, once a
// process, to know whether the system's roots changed.
func BenchmarkSystemRootsID(b *testing.B) {
	for b.Loop() {
		SystemRootsID()
	}
}

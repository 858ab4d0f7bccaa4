package journal

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/journal-dev/journal/stamp/stamptest"
)

func TestCarriedRootFingerprint(t *testing.T) {
	sum := sha256.Sum256([]byte("root"))
	r := &CarriedRoot{Name: "Acme Root", SHA256: hex.EncodeToString(sum[:])}
	got := r.Fingerprint()
	first := strings.ToUpper(hex.EncodeToString(sum[:2]))
	if len(got) != 32*3-1 || got[:5] != first[:2]+":"+first[2:] {
		t.Errorf("Fingerprint = %q, want 32 bytes from %s, as openssl prints them", got, first)
	}
	for i, c := range got {
		if (i%3 == 2) != (c == ':') || c >= 'a' && c <= 'f' {
			t.Fatalf("Fingerprint = %q: want upper-case hex bytes joined by colons", got)
		}
	}
}

// BenchmarkTokenHolds is what applying a stamp adds, once per stamp: the
// check of its token (a CMS signature and a certificate chain).
func BenchmarkTokenHolds(b *testing.B) {
	head := HeadHex(sha256.Sum256([]byte("head")))
	s := signedStamp(&testing.T{}, "Acme", head, nil, stamptest.Good)
	if ok, carried := tokenHolds(s); !ok || carried == nil {
		b.Fatal("the token does not hold")
	}
	for b.Loop() {
		tokenHolds(s)
	}
}

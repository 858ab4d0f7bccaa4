package journal

import (
	"crypto/ed25519"
	"crypto/rand"
	"testing"
)

// A statement whose signature was checked once is not checked again, but
// nothing else rides on that: the same statement with another signature,
// another body or under another key is checked, and refused, every time.
func TestStatementSignedOnlyRemembersWhatVerified(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	other, _, _ := ed25519.GenerateKey(rand.Reader)
	stored := func(body []byte, sig []byte) []byte {
		return append(append([]byte{statementVersion}, sig...), body...)
	}
	body := []byte(`{"n":1}`)
	sig := ed25519.Sign(priv, append([]byte(manifestSigDomain), body...))
	v := stored(body, sig)
	for range 2 {
		if !statementSigned(pub, v, body, sig) {
			t.Fatal("a statement signed by its owner was refused")
		}
	}
	forged := append([]byte(nil), sig...)
	forged[0] ^= 1
	changed := []byte(`{"n":2}`)
	for _, tc := range []struct {
		name            string
		owner           ed25519.PublicKey
		v, body, sigarg []byte
	}{
		{"another key", other, v, body, sig},
		{"a changed signature", pub, stored(body, forged), body, forged},
		{"a changed body", pub, stored(changed, sig), changed, sig},
	} {
		for range 2 {
			if statementSigned(tc.owner, tc.v, tc.body, tc.sigarg) {
				t.Errorf("%s: accepted after the genuine statement was", tc.name)
			}
		}
	}
}

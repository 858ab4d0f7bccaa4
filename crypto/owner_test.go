package crypto

import (
	"bytes"
	"crypto/ed25519"
	"testing"
)

// The owner's public key worked out without the signing table is the one
// the owner key signs with, for every identity.
func TestOwnerPublicKeyIsOwnerKeys(t *testing.T) {
	for _, classic := range []bool{true, false} {
		for range 20 {
			id, err := Generate(classic)
			if err != nil {
				t.Fatal(err)
			}
			want := id.OwnerKey().Public().(ed25519.PublicKey)
			if got := id.OwnerPublicKey(); !bytes.Equal(got, want) {
				t.Fatalf("OwnerPublicKey() = %x, want %x", got, want)
			}
		}
	}
}

// FuzzOwnerPublicKey holds the derivation to crypto/ed25519's for any
// secret (none is an identity held by the unlock agent).
func FuzzOwnerPublicKey(f *testing.F) {
	f.Add("AGE-SECRET-KEY-1")
	f.Add("")
	f.Fuzz(func(t *testing.T, secret string) {
		id := &Identity{secret: secret}
		if secret == "" { // an identity held by the unlock agent
			if got := id.OwnerPublicKey(); got != nil {
				t.Fatalf("OwnerPublicKey of an agent's identity = %x, want none", got)
			}
			return
		}
		want := ownerKey(secret).Public().(ed25519.PublicKey)
		if got := id.OwnerPublicKey(); !bytes.Equal(got, want) {
			t.Fatalf("OwnerPublicKey(%q) = %x, want %x", secret, got, want)
		}
	})
}

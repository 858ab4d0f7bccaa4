package crypto

import (
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/sha256"
)

// OwnerKey returns the journal's owner key: the Ed25519 key that signs
// the journal's manifest (whom records are sealed to, which devices may
// add them). It is derived from the identity, so it is exactly as secret
// as the identity, it cannot be swapped in the journal file, and anyone
// who recovers the identity (with the passphrase or a recovery key)
// recovers it too.
func (i *Identity) OwnerKey() ed25519.PrivateKey {
	seed, err := hkdf.Key(sha256.New, []byte(i.secret), nil, "journal owner key v2", ed25519.SeedSize)
	if err != nil {
		panic("crypto: deriving the owner key: " + err.Error()) // cannot happen: the length is fixed
	}
	return ed25519.NewKeyFromSeed(seed)
}

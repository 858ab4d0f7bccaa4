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
//
// An identity held by the unlock agent has none here: the agent never
// gives out the identity, and the owner key is derived from it.
func (i *Identity) OwnerKey() ed25519.PrivateKey {
	if i.Remote() {
		return nil
	}
	return ownerKey(i.secret)
}

// OwnerKey returns the owner key of the Sealer's first identity, or nil
// when it holds none (see [Identity.OwnerKey]).
func (s *Sealer) OwnerKey() ed25519.PrivateKey {
	// The first identity is the journal's current key; the others are
	// its earlier keys, whose owner keys sign nothing any more.
	if s.first == nil {
		return nil
	}
	return s.first.OwnerKey()
}

func ownerKey(secret string) ed25519.PrivateKey {
	seed, err := hkdf.Key(sha256.New, []byte(secret), nil, "journal owner key v2", ed25519.SeedSize)
	if err != nil {
		panic("crypto: deriving the owner key: " + err.Error()) // cannot happen: the length is fixed
	}
	return ed25519.NewKeyFromSeed(seed)
}

package crypto

import (
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/sha256"

	"github.com/journal-dev/journal/internal/edkey"
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

// OwnerPublicKey returns the public half of [Identity.OwnerKey], nil for
// an identity held by the unlock agent. It is what checking the journal's
// owner needs.
func (i *Identity) OwnerPublicKey() ed25519.PublicKey {
	if i.Remote() {
		return nil
	}
	return edkey.PublicKey(ownerSeed(i.secret))
}

// ownerKey is made without crypto/ed25519's signing table (see package
// edkey): a command signs one or two statements with it.
func ownerKey(secret string) ed25519.PrivateKey {
	return edkey.NewKeyFromSeed(ownerSeed(secret))
}

// ownerSeed is the seed of the owner key of the identity whose secret is
// secret.
func ownerSeed(secret string) []byte {
	seed, err := hkdf.Key(sha256.New, []byte(secret), nil, "journal owner key v2", ed25519.SeedSize)
	if err != nil {
		panic("crypto: deriving the owner key: " + err.Error()) // cannot happen: the length is fixed
	}
	return seed
}

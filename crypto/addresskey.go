package crypto

import (
	"crypto/hkdf"
	"crypto/sha256"
)

// AddressKey returns the 32-byte key that names the journal's evidence
// files by their content (see journal.BlobAddress), derived from the
// Sealer's first identity, or nil when it holds none.
//
// It is derived from the cache secret, so an identity held by the unlock
// agent gives the same key as the identity itself. It reveals nothing of
// the identity: a computer that only adds is given it, so that the same
// file attached on two computers is stored once.
func (s *Sealer) AddressKey() []byte {
	if s.first == nil {
		return nil
	}
	return s.first.AddressKey()
}

// AddressKey returns the evidence address key of the identity (see
// [Sealer.AddressKey]).
func (i *Identity) AddressKey() []byte {
	secret := i.CacheSecret()
	if secret == nil {
		return nil
	}
	key, err := hkdf.Key(sha256.New, secret, nil, "journal evidence address key v1", 32)
	if err != nil {
		return nil
	}
	return key
}

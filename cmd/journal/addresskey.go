package main

import (
	"encoding/base64"
	"errors"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

// Evidence is named by a keyed address of its content (journal.BlobAddress),
// so that the same file attached on two computers is stored once in the
// sync folder. Every computer keeps the address key beside its device key:
// one that reads the journal writes it whenever it unlocks; one that only
// adds is given it, sealed to it, when it is approved.

// keepAddressKey saves the evidence address key of the unlocked identity
// for this computer, so that it names evidence without the passphrase. A
// failure to save it costs only a second copy of some evidence: it is not
// an error.
func keepAddressKey(m *journal.Meta, key []byte) {
	if m.Version >= journal.FormatVersion && key != nil {
		journal.SaveAddressKey(m.ID, key)
	}
}

// addressKey is this computer's evidence address key for the journal, or
// nil if it has none yet. A computer that only adds opens the key sealed
// to it in its manifest entry once it was approved, and keeps it.
func addressKey(s *journal.Store) []byte {
	k, err := journal.LoadAddressKeys(s.ID())
	if err != nil {
		return nil
	}
	if k.Key != nil || k.GrantIdentity == "" {
		return k.Key
	}
	dev, err := journal.LoadDevice(s.ID())
	if err != nil {
		return nil
	}
	m, err := s.Manifest()
	if err != nil || m == nil {
		return nil
	}
	e := m.Head().Device(dev.Public())
	if e == nil || e.AddressKey == "" {
		return nil
	}
	key, err := openGrant(k.GrantIdentity, e.AddressKey)
	if err != nil {
		return nil
	}
	journal.SaveAddressKey(s.ID(), key)
	return key
}

// sealGrant seals the address key to the age recipient a computer that
// joined to add only asked with.
func sealGrant(key []byte, recipient string) (string, error) {
	sealer, err := crypto.NewSealer([]string{recipient})
	if err != nil {
		return "", err
	}
	ct, err := sealer.Seal(key)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(ct), nil
}

// openGrant opens what sealGrant sealed, with the identity made at join.
func openGrant(identity, sealed string) ([]byte, error) {
	id, err := crypto.ParseIdentity(identity)
	if err != nil {
		return nil, err
	}
	ct, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return nil, err
	}
	sealer, err := crypto.NewSealer([]string{id.Recipient()}, id)
	if err != nil {
		return nil, err
	}
	key, err := sealer.Open(ct)
	if err == nil && len(key) != 32 {
		return nil, errors.New("the evidence address key given to this computer is not 32 bytes")
	}
	return key, err
}

package journal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Evidence is named by its content, so that the same file attached on two
// computers is stored once in the sync folder: its blob's key is its
// address, an HMAC-SHA256 of the file's SHA-256 under the journal's
// address key. The key is secret (derived from the journal's identity, see
// crypto.Sealer.AddressKey), so whoever holds the folder without it
// cannot tell whether a file they know is in the journal: the plain
// SHA-256 is in no name.
//
// Every device keeps the address key beside its device key, so that it
// can name evidence without the passphrase; a computer that only adds is
// given it, sealed to it, when it is approved ([DeviceEntry.AddressKey]).
// A computer without it yet stores evidence under a random key, as
// journals did before.

const addressDomain = "journal evidence address v1\x00"

// BlobAddress is the address of a file whose SHA-256 is sum, under the
// address key: 64 lower-case hex digits.
func BlobAddress(addressKey, sum []byte) string {
	m := hmac.New(sha256.New, addressKey)
	m.Write([]byte(addressDomain))
	m.Write(sum)
	return hex.EncodeToString(m.Sum(nil))
}

// AddressKeys is what this computer keeps, for one journal, to name
// evidence: the address key once it has it, and, on a computer that only
// adds, the age identity that the address key is sealed to when the
// computer is approved.
type AddressKeys struct {
	// Key is the address key, or nil if this computer has none yet.
	Key []byte
	// GrantIdentity is an age identity (text form) made when the computer
	// joined to add only; empty on other computers.
	GrantIdentity string
}

type addressFile struct {
	Journal       string `json:"journal"`
	Key           string `json:"key,omitempty"`
	GrantIdentity string `json:"grant_identity,omitempty"`
}

const addressFileName = "address.key"

// LoadAddressKeys reads this computer's address keys for the journal; a
// computer that has none gives an empty [AddressKeys].
func LoadAddressKeys(journalID []byte) (*AddressKeys, error) {
	dir, err := ConfigDir(journalID)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, addressFileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &AddressKeys{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the evidence address key: %w", err)
	}
	var af addressFile
	key, derr := []byte(nil), json.Unmarshal(data, &af)
	if derr == nil && af.Key != "" {
		key, derr = base64.StdEncoding.DecodeString(af.Key)
	}
	if derr != nil || af.Journal != hex.EncodeToString(journalID) || (key != nil && len(key) != 32) {
		return nil, fmt.Errorf("the evidence address key %s is damaged: remove it, and unlock the journal once to write it again", path)
	}
	return &AddressKeys{Key: key, GrantIdentity: af.GrantIdentity}, nil
}

// SaveAddressKeys writes k as this computer's address keys for the
// journal, 0600, replacing the file whole, unless it holds them already,
// 0600.
func SaveAddressKeys(journalID []byte, k *AddressKeys) error {
	dir, err := ConfigDir(journalID)
	if err != nil {
		return err
	}
	af := addressFile{Journal: hex.EncodeToString(journalID), GrantIdentity: k.GrantIdentity}
	if k.Key != nil {
		af.Key = base64.StdEncoding.EncodeToString(k.Key)
	}
	data, _ := json.Marshal(af)
	data = append(data, '\n')
	if unchanged(filepath.Join(dir, addressFileName), data) {
		return nil
	}
	if err := writeConfigFile(dir, addressFileName, data); err != nil {
		return fmt.Errorf("saving the evidence address key: %w", err)
	}
	return nil
}

// SaveAddressKey keeps key as this computer's address key for the journal,
// keeping any grant identity it has.
func SaveAddressKey(journalID, key []byte) error {
	k, err := LoadAddressKeys(journalID)
	if err != nil {
		k = &AddressKeys{}
	}
	k.Key = key
	return SaveAddressKeys(journalID, k)
}

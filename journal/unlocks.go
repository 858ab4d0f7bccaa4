package journal

import (
	"bytes"
	"errors"

	bolt "go.etcd.io/bbolt"
)

// bucketUnlock holds the journal identity wrapped to each recovery or
// hardware-key recipient: recipient (text) -> age file of the identity.
// The passphrase's wrap stays in meta.
var bucketUnlock = []byte("unlock")

// Unlock is one way, besides the passphrase, to unwrap the journal's
// identity.
type Unlock struct {
	Recipient string
	Wrapped   []byte
}

func readUnlocks(tx *bolt.Tx) []Unlock {
	var out []Unlock
	if b := tx.Bucket(bucketUnlock); b != nil {
		b.ForEach(func(k, v []byte) error {
			out = append(out, Unlock{Recipient: string(k), Wrapped: bytes.Clone(v)})
			return nil
		})
	}
	return out
}

// AddUnlock keeps the identity wrapped to a recipient.
func (s *Store) AddUnlock(u Unlock) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketUnlock)
		if err != nil {
			return err
		}
		return b.Put([]byte(u.Recipient), u.Wrapped)
	})
}

// ErrNoSuchUnlock is a recipient the identity is not wrapped to.
var ErrNoSuchUnlock = errors.New("the journal key is not wrapped to this recipient")

// RemoveUnlock removes the identity wrapped to a recipient.
func (s *Store) RemoveUnlock(recipient string) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUnlock)
		if b == nil || b.Get([]byte(recipient)) == nil {
			return ErrNoSuchUnlock
		}
		return b.Delete([]byte(recipient))
	})
}

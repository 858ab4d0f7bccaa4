package journal

import (
	"crypto/ed25519"

	bolt "go.etcd.io/bbolt"
)

// bucketSeenSegments remembers, for each device, the newest sync folder
// segment this computer has merged or compared whole. Files there are
// never changed (a changed one no longer matches its name), so a pull
// need not read that one again to look for a fork.
var bucketSeenSegments = []byte("seen_segments")

// SeenSegment returns the sync folder path of device's newest segment
// that this computer has merged or compared whole, or "".
func (s *Store) SeenSegment(device ed25519.PublicKey) (path string, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketSeenSegments); b != nil {
			path = string(b.Get([]byte(DeviceName(device))))
		}
		return nil
	})
	return path, err
}

// SetSeenSegment remembers path as device's newest segment merged or
// compared whole. A journal opened read-only remembers nothing.
func (s *Store) SetSeenSegment(device ed25519.PublicKey, path string) error {
	if s.ReadOnly() {
		return nil
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketSeenSegments)
		if err != nil {
			return err
		}
		return b.Put([]byte(DeviceName(device)), []byte(path))
	})
}

package journal

import (
	"errors"

	bolt "go.etcd.io/bbolt"
)

// AdoptKey makes this journal file use the journal's key made on another
// computer ('journal rekey' there, which the manifest names): wrapped is
// that key wrapped with the passphrase, as the sync folder holds it, and
// oldKeys are this file's earlier keys sealed to it, so that every record
// stays readable. The cache, sealed to the old key, is dropped, and the
// free pages are cleared, so that the old wrap cannot be read from the
// file. The caller checks, by unwrapping it, that wrapped is the key the
// manifest names.
func (s *Store) AdoptKey(wrapped []byte, oldKeys [][]byte) error {
	if len(wrapped) == 0 {
		return errors.New("no key to adopt")
	}
	err := s.update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Put(keyIdentity, wrapped); err != nil {
			return err
		}
		for _, name := range [][]byte{bucketOldKeys, bucketCache} {
			if tx.Bucket(name) != nil {
				if err := tx.DeleteBucket(name); err != nil {
					return err
				}
			}
		}
		if _, err := tx.CreateBucket(bucketCache); err != nil {
			return err
		}
		old, err := tx.CreateBucket(bucketOldKeys)
		if err != nil {
			return err
		}
		for i, sealed := range oldKeys {
			if err := old.Put(u64(uint64(i+1)), sealed); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.ForgetCache()
	return s.ClearFreePages()
}

package journal

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// SealCacheForTest seals st as a cache of this format, written up to the
// log's newest record, with the journal's secret: what only the holder of
// its key can make, whatever st says.
func SealCacheForTest(s *Store, keys CacheKeys, st *State) ([]byte, error) {
	var last [32]byte
	s.view(func(tx *bolt.Tx) error {
		_, last, _ = head(tx)
		return nil
	})
	id, _ := s.Meta()
	pieces, err := sealCache(keys, id.ID, st, last, &fileKeys{})
	return bytes.Join(pieces, nil), err
}

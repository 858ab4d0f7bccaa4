package journal

import bolt "go.etcd.io/bbolt"

// PrepareCacheForTest makes st, which may differ from what the log gives,
// the cache written when s is closed.
func PrepareCacheForTest(s *Store, keys CacheKeys, st *State) {
	var last [32]byte
	s.view(func(tx *bolt.Tx) error {
		_, last, _ = head(tx)
		return nil
	})
	id, _ := s.Meta()
	if err := s.prepareCache(keys, id.ID, st, last); err != nil {
		panic(err)
	}
}

package journal

import (
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"
)

// ClearFreePages overwrites with zeros every page of the file that holds
// nothing now: what a change replaced (an identity wrapped with an old
// passphrase) stays in the page it was in until that page is used again,
// and whoever copies the file could read it there. It needs the journal
// open for writing, so that no other process reads it meanwhile.
func (s *Store) ClearFreePages() error {
	if s.db.IsReadOnly() {
		return ErrReadOnly
	}
	// A write transaction releases the pages the last one freed.
	if err := s.update(func(*bolt.Tx) error { return nil }); err != nil {
		return err
	}
	var free []int
	err := s.view(func(tx *bolt.Tx) error {
		n := int(tx.Size() / int64(s.db.Info().PageSize))
		for id := 2; id < n; id++ {
			info, err := tx.Page(id)
			if err != nil {
				return err
			}
			if info != nil && info.Type == "free" {
				free = append(free, id)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("clearing free pages: %w", err)
	}
	f, err := os.OpenFile(s.path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("clearing free pages: %w", err)
	}
	defer f.Close()
	size := s.db.Info().PageSize
	zero := make([]byte, size)
	for _, id := range free {
		if _, err := f.WriteAt(zero, int64(id)*int64(size)); err != nil {
			return fmt.Errorf("clearing free pages: %w", err)
		}
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("clearing free pages: %w", err)
	}
	return nil
}

package journal

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// VerifyReport is what [Store.Verify] found in a sound journal.
type VerifyReport struct {
	Records   uint64
	Incidents int
	State     *State
}

// Verify checks the whole journal: bbolt's own consistency check of the
// file, then every record in order (the chain, the ciphertext, the record
// and how it fits what came before). The first problem is returned as an
// [IntegrityError] naming the record.
func (s *Store) Verify(opener Opener) (*VerifyReport, error) {
	err := s.view(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		if len(errs) > 0 {
			return &IntegrityError{Reason: fmt.Sprintf("bbolt's check failed: %v", errors.Join(errs...))}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	st, err := s.Load(opener)
	if err != nil {
		return nil, err
	}
	if err := s.VerifyBlobs(opener, st); err != nil {
		return nil, err
	}
	return &VerifyReport{Records: st.Seq, Incidents: len(st.Incidents), State: st}, nil
}

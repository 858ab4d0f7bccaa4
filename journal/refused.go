package journal

import (
	"strings"

	bolt "go.etcd.io/bbolt"
)

// bucketRefused remembers the sync folder files this computer refused
// (damaged, forked, written after a retirement), by path, so that each is
// reported as an error once and as a reminder after that.
var bucketRefused = []byte("refused")

// Refused says which of paths this computer has refused before.
func (s *Store) Refused(paths []string) (known map[string]bool, err error) {
	known = map[string]bool{}
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRefused)
		for _, p := range paths {
			if b != nil && b.Get([]byte(p)) != nil {
				known[p] = true
			}
		}
		return nil
	})
	return known, err
}

// Refusal is why this computer refused a sync folder file.
type Refusal struct {
	// Why is the message said when it was refused.
	Why string
	// Fork is set when the file holds another record at a place of a
	// device's chain that this journal holds (a restored backup, a copied
	// device key), not damage.
	Fork bool
}

// forkMark begins the stored reason of a fork; a damaged file's reason is
// stored as its text alone, as before there were kinds.
const forkMark = "\x01fork\n"

// AddRefused remembers that this computer refused the file path, and why.
func (s *Store) AddRefused(path string, r Refusal) error {
	v := r.Why
	if r.Fork {
		v = forkMark + v
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketRefused)
		if err != nil {
			return err
		}
		return b.Put([]byte(path), []byte(v))
	})
}

// AllRefused returns every file this computer refused, with why.
func (s *Store) AllRefused() (out map[string]Refusal, err error) {
	out = map[string]Refusal{}
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRefused)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			why, fork := strings.CutPrefix(string(v), forkMark)
			out[string(k)] = Refusal{Why: why, Fork: fork}
			return nil
		})
	})
	return out, err
}

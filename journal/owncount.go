package journal

import (
	"crypto/ed25519"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// This computer numbers its own incidents from a counter in meta
// (keyIncidents), which only Append moves. When records of this
// computer's own device come in from a sync folder (a backup put back on
// a computer whose later records are in the folder), the counter is
// behind them, and the records are sealed: how many of them are
// incidents is known only once they are read. The counter is then marked
// unknown; Append numbers no incident until a read with the key has
// counted them again ([Store.Load], [Store.Verify]), so that no number
// is ever given twice.

// keyIncidentsUnknown is set in meta while the counter is behind records
// of this computer's own device that came in from a sync folder.
var keyIncidentsUnknown = []byte("incidents_unknown")

// ErrIncidentsUnknown is Append's error for a new incident while this
// computer's own records came in from a sync folder and were not read
// yet: the next number is not known. Reading the journal once with its
// key counts them.
var ErrIncidentsUnknown = errors.New("this computer's own earlier records came back from the sync folder (was an older copy of the journal put back?), so the number of its next incident is not known yet")

// ErrAddOnlyCannotCount is [ErrIncidentsUnknown] on a computer that adds
// only: it never holds the key, so no read here can count them.
var ErrAddOnlyCannotCount = fmt.Errorf("%w: this computer adds only, so it cannot read them to count", ErrIncidentsUnknown)

// addOnly reports whether the journal is of a computer that adds only.
func addOnly(tx *bolt.Tx) bool { return len(tx.Bucket(bucketMeta).Get(keyAddOnly)) > 0 }

// markOwnMerged marks the counter unknown when pub, whose records were
// merged, is this computer's own device: the device the store signs with,
// or the one whose key is kept for this journal on this computer.
func (s *Store) markOwnMerged(tx *bolt.Tx, pub ed25519.PublicKey) error {
	own := s.opts.Device
	if own == nil {
		var err error
		if own, err = LoadDevice(s.id); err != nil {
			return nil // no device key here: nothing of this computer's own
		}
	}
	if !own.Public().Equal(pub) {
		return nil
	}
	return tx.Bucket(bucketMeta).Put(keyIncidentsUnknown, []byte{1})
}

// incidentsUnknown reports whether the counter is marked unknown.
func incidentsUnknown(tx *bolt.Tx) bool {
	return tx.Bucket(bucketMeta).Get(keyIncidentsUnknown) != nil
}

// countUnknown reports whether the counter is marked unknown.
func (s *Store) countUnknown() bool {
	unknown := false
	_ = s.view(func(tx *bolt.Tx) error {
		unknown = incidentsUnknown(tx)
		return nil
	})
	return unknown
}

// pendingCount is a counter counted again by a read, to be written on
// Close if the log still ends where the read ended.
type pendingCount struct {
	seq   uint64
	hash  [32]byte
	count uint64
}

// recount prepares the counter from st, read with the key, when the
// counter is marked unknown: written on Close if the log still ends with
// the record st was read up to.
func (s *Store) recount(st *State) {
	var unknown bool
	var own uint16
	var last [32]byte
	err := s.view(func(tx *bolt.Tx) error {
		if unknown = incidentsUnknown(tx); !unknown {
			return nil
		}
		var err error
		if own, err = ownTag(tx); err != nil {
			return err
		}
		last, err = journalHeadAt(tx, st.Seq)
		return err
	})
	if err != nil || !unknown {
		return
	}
	s.counted = &pendingCount{seq: st.Seq, hash: last, count: st.Count(own)}
}

// putCount writes a counter counted again, if no record came since.
func putCount(tx *bolt.Tx, p *pendingCount) error {
	if seq, _, err := head(tx); err != nil || seq != p.seq {
		return errors.New("the log changed since the incidents were counted")
	}
	if h, err := journalHeadAt(tx, p.seq); err != nil || h != p.hash {
		return errors.New("the log changed since the incidents were counted")
	}
	meta := tx.Bucket(bucketMeta)
	if err := meta.Put(keyIncidents, u64(p.count)); err != nil {
		return err
	}
	return meta.Delete(keyIncidentsUnknown)
}

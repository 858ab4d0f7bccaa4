package journal

import (
	"maps"

	bolt "go.etcd.io/bbolt"
)

// Without the key, this computer cannot tell which records received from
// another computer are stamps, nor what they cover (stamplast.go): two
// computers that each run 'journal stamp' after every sync would each add
// one stamp per sync, each stamping the other's last stamp record. With
// the key, the state says: NoteReceivedStamps counts as covered what the
// stamps other computers recorded prove here, and their stamp records
// themselves, which need no stamp (as this computer's own do not).

// NoteReceivedStamps adds to what counts as covered, for [Store.Waiting],
// the records that stamps recorded by other computers prove here, and
// those stamp records. st is the journal's state, read with its key. Only
// a stamp whose list of records and token held when the state applied it
// (StampEntry.Holds), by one of this computer's root certificates (not
// one the journal carries), counts: a record it covers is proven by a
// token in the journal, as strongly as this computer's own stamp would
// prove it. A stamp record counts once every record of its computer
// before it does. Nothing is written when nothing changes.
func (s *Store) NoteReceivedStamps(st *State) error {
	own := s.ownDevice()
	var l, was lastStamped
	if err := s.view(func(tx *bolt.Tx) error {
		l = readLastStamped(tx)
		was = maps.Clone(l)
		for _, se := range st.Stamps {
			if !se.Holds || se.CarriedRoot != nil || se.By == "" || se.By == own || se.Covers == nil {
				continue
			}
			if se.Covers.V1 > 0 {
				l[""] = max(l[""], se.Covers.V1)
			}
			for _, d := range se.Covers.Devices {
				l[d.Device] = max(l[d.Device], d.Place)
			}
		}
		log := tx.Bucket(bucketLog)
		for _, se := range st.Stamps {
			if se.By == "" || se.By == own {
				continue
			}
			if _, place, ok := peekSigned(log.Get(u64(se.At))); ok && place > 0 && l[se.By] == place-1 {
				l[se.By] = place
			}
		}
		return nil
	}); err != nil || maps.Equal(l, was) {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		now := readLastStamped(tx)
		for dev, place := range l {
			now[dev] = max(now[dev], place)
		}
		return now.put(tx)
	})
}

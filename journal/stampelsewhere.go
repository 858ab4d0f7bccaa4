package journal

import (
	"encoding/binary"
	"encoding/hex"

	bolt "go.etcd.io/bbolt"
)

// A stamp signs the journal head as its computer held it: the newest
// record of each device there, just after one of its own records
// ([Store.Append] queues that head). Another computer that holds the same
// records may hold them in another order (each merges what the sync folder
// brings when it comes), so its head at the same position can be another
// one, and [VerifyReport.StampHead] does not find the stamped head there.
// The stamped head is still the head just after that record: the record
// names, in its envelope, the newest record of every other device its
// computer held. FindStampedHead looks for it that way.

// FindStampedHead returns the position of the signed record just after
// which the journal head was head, as its own computer held it (the
// records it names as seen, itself, and the last version 1 record), or
// ok false when no record of this log has that head. Only the records'
// clear headers are read.
func (s *Store) FindStampedHead(head [32]byte) (seq uint64, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		seq, _, ok = stampedVector(tx, head)
		return nil
	})
	return seq, ok, err
}

func stampedVector(tx *bolt.Tx, head [32]byte) (uint64, *headVector, bool) {
	id := tx.Bucket(bucketMeta).Get(keyID)
	v1 := newHeadVector(id)
	c := tx.Bucket(bucketLog).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) != 8 {
			continue
		}
		n := binary.BigEndian.Uint64(k)
		if len(v) == 0 || v[0] != envelopeV2 {
			v1.v1Seq, v1.v1Hash = n, Hash(n, v)
			continue
		}
		e, err := decodeEnvelopeV2(v)
		if err != nil {
			continue // verify names a record that cannot be read
		}
		h := &headVector{v1Seq: v1.v1Seq, v1Hash: v1.v1Hash, devs: map[string]deviceHead{}}
		for _, sh := range e.Seen {
			h.devs[string(sh.Device)] = deviceHead{place: sh.Place, hash: sh.Hash}
		}
		h.devs[string(e.Device)] = deviceHead{place: e.Place, hash: hashV2(v)}
		if h.sum(id) == head {
			return n, h, true
		}
	}
	return 0, nil, false
}

// fillCovers spells out the head of a stamp made before stamps named
// their records: the head after its position here, if that is the head
// it stamped, or else the head just after one of its computer's records
// (as FindStampedHead finds it). A head found nowhere leaves Covers nil,
// and the stamp marks nothing proven.
func (s *Store) fillCovers(st *Stamp) {
	want, err := hex.DecodeString(st.Head)
	if err != nil || len(want) != 32 {
		return
	}
	_ = s.view(func(tx *bolt.Tx) error {
		if last, _ := tx.Bucket(bucketLog).Cursor().Last(); len(last) == 8 && binary.BigEndian.Uint64(last) >= st.Seq {
			if h, err := vectorAt(tx, st.Seq); err == nil && h.sum(tx.Bucket(bucketMeta).Get(keyID)) == [32]byte(want) {
				st.Covers = coversOf(h)
				return nil
			}
		}
		if _, h, ok := stampedVector(tx, [32]byte(want)); ok {
			st.Covers = coversOf(h)
		}
		return nil
	})
}

// heldHere reports whether each record c names is, in this log before
// position at (the stamp record's), the record with that hash: the
// version 1 record by its position, each device's by its place. A
// device's newest record is found from the index of device heads; an
// older one by reading headers back from at, which for a true stamp stops
// soon (the records it covers come just before it). A list naming
// another record proves nothing here (verify names it): a token taken for
// a made-up head, recorded after records were written in its places.
func (s *Store) heldHere(c *Covers, at uint64) bool {
	held := false
	_ = s.view(func(tx *bolt.Tx) error {
		log := tx.Bucket(bucketLog)
		if c.V1 > 0 {
			v := log.Get(u64(c.V1))
			if c.V1 >= at || len(v) == 0 || v[0] == envelopeV2 || HeadHex(Hash(c.V1, v)) != c.V1Hash {
				return nil
			}
		}
		want := map[string]CoveredDevice{}
		idx := tx.Bucket(bucketHeads)
		for _, d := range c.Devices {
			if pos := headPos(idx, d.Device); pos != nil && binary.BigEndian.Uint64(pos) < at {
				if v := log.Get(pos); placeOf(v) == d.Place {
					if HeadHex(hashV2(v)) != d.Hash {
						return nil
					}
					continue
				}
			}
			want[d.Device] = d
		}
		cur := log.Cursor()
		cur.Seek(u64(at))
		for k, v := cur.Prev(); k != nil && len(want) > 0; k, v = cur.Prev() {
			dev, place, ok := peekSigned(v)
			if !ok {
				break // version 1 records come first
			}
			d, named := want[DeviceName(dev)]
			switch {
			case !named || place > d.Place:
				continue
			case place < d.Place || HeadHex(hashV2(v)) != d.Hash:
				return nil
			}
			delete(want, d.Device)
		}
		held = len(want) == 0
		return nil
	})
	return held
}

// headPos is the position of device's newest record, from the index of
// device heads, or nil.
func headPos(idx *bolt.Bucket, device string) []byte {
	if idx == nil {
		return nil
	}
	if pos := idx.Get([]byte(device)); len(pos) == 8 {
		return pos
	}
	return nil
}

// placeOf is a signed record's place in its device's chain, 0 for any
// other.
func placeOf(v []byte) uint64 {
	_, place, _ := peekSigned(v)
	return place
}

package journal

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// The journal's head, which a fingerprint shortens, stands for a set of
// records, not for an order: the newest record of each device's chain
// (and the last record of a version 1 log, if the journal was upgraded).
// Two computers that hold the same records give the same fingerprint,
// whatever order they merged them in.
//
//	head = SHA-256("journal head v2\0" || journal id || v1 place u64 || v1 hash
//	               || count u16 || for each device, by key: key || place u64 || hash)
//
// A journal with no signed record keeps the version 1 head (the hash of
// its last record, or its genesis), so that fingerprints given before an
// upgrade keep their meaning.
const journalHeadDomain = "journal head v2\x00"

// headVector is the newest record of each device, and of the version 1
// log, in a set of records.
type headVector struct {
	v1Seq  uint64
	v1Hash [32]byte
	devs   map[string]deviceHead // by device key, as bytes
}

func newHeadVector(journalID []byte) *headVector {
	return &headVector{v1Hash: genesis(journalID), devs: map[string]deviceHead{}}
}

// add takes a record into the vector; hash is its chain hash.
func (h *headVector) add(seq uint64, e *Envelope, hash [32]byte) {
	if !e.Signed() {
		h.v1Seq, h.v1Hash = seq, hash
		return
	}
	k := string(e.Device)
	if old, ok := h.devs[k]; !ok || old.place < e.Place {
		h.devs[k] = deviceHead{place: e.Place, hash: hash}
	}
}

// sum is the journal head of the vector.
func (h *headVector) sum(journalID []byte) [32]byte {
	if len(h.devs) == 0 {
		return h.v1Hash
	}
	keys := make([]string, 0, len(h.devs))
	for k := range h.devs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w := sha256.New()
	w.Write([]byte(journalHeadDomain))
	w.Write(journalID)
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], h.v1Seq)
	w.Write(n[:])
	if h.v1Seq == 0 {
		w.Write(make([]byte, 32))
	} else {
		w.Write(h.v1Hash[:])
	}
	w.Write(binary.BigEndian.AppendUint16(nil, uint16(len(keys))))
	for _, k := range keys {
		d := h.devs[k]
		w.Write([]byte(k))
		binary.BigEndian.PutUint64(n[:], d.place)
		w.Write(n[:])
		w.Write(d.hash[:])
	}
	var sum [32]byte
	w.Sum(sum[:0])
	return sum
}

// causalVector is the head vector of what a signed record's device held
// when it signed it: the records it names as seen, and its own previous
// record. A checkpoint's fingerprint is checked against its head on every
// computer.
func causalVector(v1 *headVector, e *Envelope) *headVector {
	h := &headVector{v1Seq: v1.v1Seq, v1Hash: v1.v1Hash, devs: map[string]deviceHead{}}
	for _, s := range e.Seen {
		h.devs[string(s.Device)] = deviceHead{place: s.Place, hash: s.Hash}
	}
	if e.Place > 1 {
		h.devs[string(e.Device)] = deviceHead{place: e.Place - 1, hash: e.Prev}
	}
	return h
}

// vectorAt returns the head vector of the records at positions 1 to seq:
// the newest record of each device, and the last version 1 record. The
// index of device heads gives the devices that added nothing after seq;
// for the others it looks back from seq, reading only records' headers.
func vectorAt(tx *bolt.Tx, seq uint64) (*headVector, error) {
	id := tx.Bucket(bucketMeta).Get(keyID)
	h := newHeadVector(id)
	if seq == 0 {
		return h, nil
	}
	log := tx.Bucket(bucketLog)
	if err := v1HeadAt(log, seq, h); err != nil {
		return nil, err
	}
	missing := map[string]bool{}
	if idx := tx.Bucket(bucketHeads); idx != nil {
		err := idx.ForEach(func(name, pos []byte) error {
			// The index is a convenience: an entry that does not name
			// its device's record (a file cut by hand) is looked for.
			var v []byte
			if len(pos) == 8 {
				v = log.Get(pos)
			}
			dev, place, ok := peekSigned(v)
			if !ok || DeviceName(dev) != string(name) {
				if pub, err := ParseDeviceName(string(name)); err == nil {
					missing[string(pub)] = true
				}
				return nil
			}
			if binary.BigEndian.Uint64(pos) <= seq {
				h.devs[string(dev)] = deviceHead{place: place, hash: hashV2(v)}
			} else {
				missing[string(dev)] = true
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(missing) == 0 {
		return h, nil
	}
	c := log.Cursor()
	k, v := c.Seek(u64(seq))
	if k == nil || !bytes.Equal(k, u64(seq)) {
		return nil, &IntegrityError{Seq: seq, Reason: "cannot be found in the log: the journal file is damaged"}
	}
	for ; k != nil && len(missing) > 0; k, v = c.Prev() {
		dev, place, ok := peekSigned(v)
		if !ok {
			break // version 1 records all come first
		}
		if missing[string(dev)] {
			delete(missing, string(dev))
			h.devs[string(dev)] = deviceHead{place: place, hash: hashV2(v)}
		}
	}
	return h, nil
}

// v1HeadAt finds the last version 1 record at or before seq: they all
// come before the first signed one.
func v1HeadAt(log *bolt.Bucket, seq uint64, h *headVector) error {
	signed := func(n uint64) bool {
		v := log.Get(u64(n))
		return len(v) > 0 && v[0] == envelopeV2
	}
	// The last unsigned position in 1..seq: binary search.
	lo, hi := uint64(0), seq // lo unsigned (or 0), hi+1 signed (or past seq)
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if signed(mid) {
			hi = mid - 1
		} else {
			lo = mid
		}
	}
	if lo > 0 {
		v := log.Get(u64(lo))
		if v == nil {
			return &IntegrityError{Seq: lo, Reason: "cannot be found in the log: the journal file is damaged"}
		}
		h.v1Seq, h.v1Hash = lo, Hash(lo, v)
	}
	return nil
}

// peekSigned reads the device and place of a signed record's header
// without decoding the rest.
func peekSigned(v []byte) ([]byte, uint64, bool) {
	const at = 1 + journalIDLen
	if len(v) < v2HeaderLen || v[0] != envelopeV2 {
		return nil, 0, false
	}
	return v[at : at+32], binary.BigEndian.Uint64(v[at+32:]), true
}

// HeadAt is the journal head of the records at positions 1 to seq of
// this computer's log: what a checkpoint taken then stands for.
func (s *Store) HeadAt(seq uint64) (head [32]byte, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		head, err = journalHeadAt(tx, seq)
		return err
	})
	return head, err
}

// CoversAt is HeadAt with the head spelled out per device, as a
// checkpoint file names it for its witness, and the name of this
// computer's device ("" on a journal not yet signed by devices).
func (s *Store) CoversAt(seq uint64) (head [32]byte, covers *Covers, device string, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		h, err := vectorAt(tx, seq)
		if err != nil {
			return err
		}
		head, covers = h.sum(tx.Bucket(bucketMeta).Get(keyID)), coversOf(h)
		return nil
	})
	if d := s.opts.Device; d != nil && len(covers.Devices) > 0 {
		device = DeviceName(d.Public())
	}
	return head, covers, device, err
}

// journalHeadAt is the journal head of the records at positions 1 to seq.
func journalHeadAt(tx *bolt.Tx, seq uint64) ([32]byte, error) {
	h, err := vectorAt(tx, seq)
	if err != nil {
		return [32]byte{}, err
	}
	return h.sum(tx.Bucket(bucketMeta).Get(keyID)), nil
}

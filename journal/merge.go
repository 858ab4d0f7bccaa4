package journal

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Merging: the records of other devices, brought by a sync folder, are
// added to the local log after its end, each device's in the order of its
// chain. A record is merged only when everything it depends on is here:
// the record before it in its device's chain, the manifest statement it
// cites, and the newest record of every other device that it had seen
// (its causal past). Local positions therefore differ between devices;
// the chain of each device, and the journal's head (see [Store.Head]),
// do not.

// ErrWaiting is a record that cannot be merged yet: something it depends
// on has not arrived.
var ErrWaiting = errors.New("waits for records that have not arrived yet")

// deviceHeadPos returns the log position of device pub's newest record,
// and that record's envelope, from the heads index; 0 and nil if the
// journal holds none.
func deviceHeadPos(tx *bolt.Tx, pub ed25519.PublicKey) (uint64, *Envelope, []byte, error) {
	idx := tx.Bucket(bucketHeads)
	if idx == nil {
		return 0, nil, nil, nil
	}
	pos := idx.Get([]byte(DeviceName(pub)))
	if pos == nil {
		return 0, nil, nil, nil
	}
	v := tx.Bucket(bucketLog).Get(pos)
	e, err := DecodeEnvelope(v)
	if len(pos) != 8 || err != nil || !e.Signed() || !e.Device.Equal(pub) {
		return 0, nil, nil, &IntegrityError{Reason: "its index of device chains is damaged"}
	}
	return binary.BigEndian.Uint64(pos), e, v, nil
}

// deviceChainBack walks device pub's records back from its newest, at
// log position pos, to place from: fn gets each one's log position,
// envelope and stored bytes, newest first. The walk stops early at a
// record of the first format, which no device chain goes back past.
func deviceChainBack(tx *bolt.Tx, pub ed25519.PublicKey, pos, from uint64, fn func(seq uint64, d *Envelope, v []byte)) error {
	c := tx.Bucket(bucketLog).Cursor()
	for k, v := c.Seek(u64(pos)); k != nil; k, v = c.Prev() {
		if len(v) == 0 || v[0] != envelopeV2 {
			return nil
		}
		d, err := decodeEnvelopeV2(v)
		if err != nil {
			return &IntegrityError{Seq: binary.BigEndian.Uint64(k), Reason: err.Error()}
		}
		if !d.Device.Equal(pub) {
			continue
		}
		if d.Place >= from {
			fn(binary.BigEndian.Uint64(k), d, v)
		}
		if d.Place <= from {
			return nil
		}
	}
	return nil
}

// DeviceHead returns the place of the newest record of device pub's
// chain that the journal holds, 0 if none.
func (s *Store) DeviceHead(pub ed25519.PublicKey) (place uint64, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		_, e, _, err := deviceHeadPos(tx, pub)
		if e != nil {
			place = e.Place
		}
		return err
	})
	return place, err
}

// DeviceRecords returns the stored records of device pub's chain from
// place from to place to, both included, as the log holds them.
func (s *Store) DeviceRecords(pub ed25519.PublicKey, from, to uint64) (out [][]byte, err error) {
	if from == 0 || to < from {
		return nil, nil
	}
	err = s.view(func(tx *bolt.Tx) error {
		pos, e, _, err := deviceHeadPos(tx, pub)
		if err != nil {
			return err
		}
		if e == nil || e.Place < to {
			return fmt.Errorf("the journal does not hold record %d of that device", to)
		}
		out = make([][]byte, to-from+1)
		err = deviceChainBack(tx, pub, pos, from, func(_ uint64, d *Envelope, v []byte) {
			if d.Place <= to {
				out[d.Place-from] = bytes.Clone(v)
			}
		})
		if err != nil {
			return err
		}
		for i, r := range out {
			if r == nil {
				return fmt.Errorf("the journal does not hold record %d of that device", from+uint64(i))
			}
		}
		return nil
	})
	return out, err
}

// Statements returns the manifest's statements as they are stored, for a
// sync folder: the main line in order, then those made at the same time
// on other computers.
func (s *Store) Statements() (out [][]byte, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketManifest)
		if b == nil {
			return ErrOldFormat
		}
		add := func(_, v []byte) error {
			out = append(out, bytes.Clone(v))
			return nil
		}
		if err := b.ForEach(add); err != nil {
			return err
		}
		if o := tx.Bucket(bucketManifestOthers); o != nil {
			return o.ForEach(add)
		}
		return nil
	})
	return out, err
}

// ManifestForkError reports owner-signed statements made at the same time
// that contradict each other, so that they cannot be merged.
type ManifestForkError struct {
	N      uint64
	Reason string
}

func (e *ManifestForkError) Error() string {
	msg := fmt.Sprintf("fork in the journal's manifest: two different statements %d", e.N)
	if e.Reason != "" {
		msg += " that cannot be merged: " + e.Reason
	}
	return msg
}

// ImportStatements adds the stored statements the journal does not hold,
// each signed by the owner of the statement it follows, in any order: a
// statement that follows the main line's newest continues it, one made at
// the same time as another is kept beside it (manifestmerge.go), and one
// whose statement before it has not arrived is left for later. It returns
// how many it added. Nothing of a statement that does not check, or that
// contradicts another, is added.
func (s *Store) ImportStatements(stored [][]byte) (added int, err error) {
	err = s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketManifest)
		if b == nil {
			return ErrOldFormat
		}
		m, err := readManifest(tx)
		if err != nil {
			return err
		}
		type cand struct {
			v    []byte
			st   *Statement
			hash [32]byte
		}
		var todo []*cand
		for _, v := range stored {
			st, _, err := DecodeStatement(v)
			if err != nil {
				return &ManifestError{Reason: err.Error()}
			}
			if h := statementHash(v); !m.has(h) {
				todo = append(todo, &cand{v, st, h})
			}
		}
		sort.SliceStable(todo, func(i, j int) bool { return todo[i].st.N < todo[j].st.N })
		for progress := true; progress; {
			progress = false
			for _, c := range todo {
				if c.v == nil || m.has(c.hash) {
					continue
				}
				if c.st.N == 1 {
					return &ManifestForkError{N: 1, Reason: "two different first statements"}
				}
				if _, ok := m.byHash(c.st.Prev); !ok || !m.holdsAll(c.st.Merges) {
					continue // what it follows has not arrived yet
				}
				main := m.HeadRef()
				if c.st.N == main.N+1 && c.st.Prev == hex.EncodeToString(main.Hash[:]) {
					err = b.Put(u64(c.st.N), c.v)
				} else {
					var others *bolt.Bucket
					if others, err = tx.CreateBucketIfNotExists(bucketManifestOthers); err == nil {
						err = others.Put(c.hash[:], c.v)
					}
				}
				if err != nil {
					return err
				}
				// readManifest checks it all again: signatures, numbers,
				// hashes, the journal, and that the leaves agree.
				if m, err = readManifest(tx); err != nil {
					return err
				}
				c.v, progress = nil, true
				added++
			}
		}
		return nil
	})
	return added, err
}

// tagClashReason says why a device that drew the same letter as another
// enrolled at the same time cannot add.
func tagClashReason(other *DeviceEntry) string {
	return fmt.Sprintf("was given the same letter as the device %q, enrolled at the same time on another computer: retire this device and join it again", other.Name)
}

// holdsAll reports whether the manifest holds every statement hashes names.
func (m *Manifest) holdsAll(hashes []string) bool {
	for _, h := range hashes {
		if _, ok := m.byHash(h); !ok {
			return false
		}
	}
	return true
}

// MergeRecords adds records of device pub's chain, from place first on,
// after the end of the log, in one transaction: all or none. Each must be
// signed by pub, follow the record before it, cite a manifest statement
// the journal holds that enrols pub, and depend only on records the
// journal holds; a record whose dependencies have not arrived fails with
// [ErrWaiting] (the records before it are merged).
func (s *Store) MergeRecords(pub ed25519.PublicKey, first uint64, records [][]byte) (merged int, err error) {
	signed := signaturesValid(records)
	err = s.update(func(tx *bolt.Tx) error {
		m, err := readManifest(tx)
		if err != nil {
			return err
		}
		if m == nil {
			return ErrOldFormat
		}
		log := tx.Bucket(bucketLog)
		log.FillPercent = 1.0
		seq, _, err := head(tx)
		if err != nil {
			return err
		}
		_, he, hv, err := deviceHeadPos(tx, pub)
		if err != nil {
			return err
		}
		place, prev := uint64(0), DeviceGenesis(s.id, pub)
		if he != nil {
			place, prev = he.Place, hashV2(hv)
		}
		if first != place+1 {
			return fmt.Errorf("merging: the journal holds record %d of that device, not %d", place, first-1)
		}
		idx, err := tx.CreateBucketIfNotExists(bucketHeads)
		if err != nil {
			return err
		}
		for i, v := range records {
			e, err := decodeEnvelopeV2(v)
			bad := func(reason string) error {
				return fmt.Errorf("record %d of %s %s", first+uint64(i), deviceLabel(m, DeviceName(pub)), reason)
			}
			switch {
			case err != nil || len(v) == 0 || v[0] != envelopeV2:
				return bad("cannot be read")
			case !bytes.Equal(e.Journal, s.id):
				return bad("belongs to another journal")
			case !e.Device.Equal(pub):
				return bad("was written by another device")
			case e.Place != place+1 || e.Prev != prev:
				return bad("does not follow the record before it in its device's chain")
			case !signed[i]:
				return bad("is not signed by its device")
			}
			// A statement it names that is not here yet (made at the
			// same time as another) is waited for.
			cited, ok := m.Find(e.Manifest)
			if !ok {
				return ErrWaiting
			}
			if d := cited.Device(pub); d == nil {
				return bad("was written by a device the manifest did not enrol")
			}
			if other := m.TagClash(pub); other != nil {
				return bad(tagClashReason(other))
			}
			if d := m.Head().Device(pub); d != nil && d.RetiredAt != nil && (d.RetiredAfter == nil || e.Place > d.RetiredAfter.N) {
				return bad("was written after its device was retired")
			}
			for _, h := range e.Seen {
				_, se, _, err := deviceHeadPos(tx, h.Device)
				if err != nil {
					return err
				}
				if se == nil || se.Place < h.Place {
					return ErrWaiting
				}
			}
			seq++
			if err := log.Put(u64(seq), bytes.Clone(v)); err != nil {
				return err
			}
			if err := idx.Put([]byte(DeviceName(pub)), u64(seq)); err != nil {
				return err
			}
			place, prev = e.Place, hashV2(v)
			merged++
		}
		if merged > 0 {
			return s.markOwnMerged(tx, pub)
		}
		return nil
	})
	if errors.Is(err, ErrWaiting) && merged > 0 {
		// Merge what came before the record that waits.
		n, err2 := s.MergeRecords(pub, first, records[:merged])
		return n, errors.Join(ErrWaiting, err2)
	}
	if err != nil {
		merged = 0
	}
	return merged, err
}

// signaturesValid checks the signature of each stored record, on every
// processor: it is most of the work of a merge, and needs nothing of the
// journal. Every record's is checked, not only the newest's (which covers
// the chain before it, see signedTips): a merge refuses a record its
// device did not sign even if a later one names it, so that what merges
// is what verify accepts. A record that does not decode is not valid.
func signaturesValid(records [][]byte) []bool {
	valid := make([]bool, len(records))
	workers := min(runtime.GOMAXPROCS(0), len(records)/16+1)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(records); i += workers {
				e, err := decodeEnvelopeV2(records[i])
				valid[i] = err == nil && len(records[i]) > 0 && records[i][0] == envelopeV2 && e.SignatureValid()
			}
		}()
	}
	wg.Wait()
	return valid
}

// seenHeads returns the newest record of every device the journal holds
// but except, which a device's next record names as its causal past.
func seenHeads(tx *bolt.Tx, except ed25519.PublicKey) ([]SeenHead, error) {
	idx := tx.Bucket(bucketHeads)
	if idx == nil {
		return nil, nil
	}
	var out []SeenHead
	err := idx.ForEach(func(dev, pos []byte) error {
		if string(dev) == DeviceName(except) {
			return nil
		}
		v := tx.Bucket(bucketLog).Get(pos)
		e, err := DecodeEnvelope(v)
		if err != nil || !e.Signed() {
			return &IntegrityError{Reason: "its index of device chains is damaged"}
		}
		out = append(out, SeenHead{Device: e.Device, Place: e.Place, Hash: hashV2(v)})
		return nil
	})
	return out, err
}

// JournalIDHex is the journal's identifier in hex, as the sync folder's
// marker and the manifest write it.
func (s *Store) JournalIDHex() string { return hex.EncodeToString(s.id) }

// putStatements stores a manifest's statements as a sync folder holds
// them, and checks the whole chain.
func putStatements(tx *bolt.Tx, stored [][]byte) error {
	b, err := tx.CreateBucketIfNotExists(bucketManifest)
	if err != nil {
		return err
	}
	for i, v := range stored {
		if err := b.Put(u64(uint64(i+1)), v); err != nil {
			return err
		}
	}
	_, err = readManifest(tx)
	return err
}

// ownTag is the tag of this computer's device, which numbers the
// incidents it adds. It is kept in meta by [Store.SetOwnTag] when a
// computer joins; a journal without one was made here (tag 0).
func ownTag(tx *bolt.Tx) (uint16, error) {
	v := tx.Bucket(bucketMeta).Get(keyOwnTag)
	if v == nil {
		return 0, nil
	}
	if len(v) != 2 {
		return 0, &IntegrityError{Reason: "its device tag is malformed"}
	}
	return binary.BigEndian.Uint16(v), nil
}

// keyOwnTag is the meta key of this computer's device tag.
var keyOwnTag = []byte("own_tag")

// SetOwnTag keeps this computer's device tag, when it joins a journal.
func (s *Store) SetOwnTag(tag uint16) error {
	return s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyOwnTag, binary.BigEndian.AppendUint16(nil, tag))
	})
}

// keyAddOnly marks the journal of a computer that joined to add only.
var keyAddOnly = []byte("add_only")

// RecordHash is the chain hash of a signed record in its stored form.
func RecordHash(stored []byte) [32]byte { return hashV2(stored) }

// ReadOnly says whether the store was opened read-only.
func (s *Store) ReadOnly() bool { return s.db.IsReadOnly() }

// The records of a journal made before signing (format version 1, then
// upgraded) travel through a sync folder as the chain of a device of their
// own, whose key is all zeros: they are checked on arrival against the
// last old record that the owner signed in the manifest when the journal
// was upgraded, and come first in the log, as they do where they were
// made.

// V1Records returns the records made before signing, as stored, in order.
func (s *Store) V1Records() (out [][]byte, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketLog).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if len(v) > 0 && v[0] == envelopeV2 {
				break
			}
			out = append(out, bytes.Clone(v))
		}
		return nil
	})
	return out, err
}

// MergeV1Records puts the records made before signing at the start of a
// journal that holds no record yet, after checking their chain against the
// last old record the manifest names.
func (s *Store) MergeV1Records(records [][]byte) error {
	return s.update(func(tx *bolt.Tx) error {
		m, err := readManifest(tx)
		if err != nil {
			return err
		}
		var want *HeadJSON
		for _, st := range m.Statements {
			if st.V1Head != nil {
				want = st.V1Head
			}
		}
		if want == nil {
			return errors.New("the manifest names no records made before signing")
		}
		log := tx.Bucket(bucketLog)
		if k, _ := log.Cursor().First(); k != nil {
			return errors.New("the records made before signing can only be brought into a journal that holds none yet")
		}
		prev := genesis(s.id)
		for i, v := range records {
			e, err := DecodeEnvelope(v)
			if err != nil || e.Signed() || e.Prev != prev {
				return fmt.Errorf("record %d made before signing does not follow the one before it", i+1)
			}
			prev = Hash(uint64(i+1), v)
		}
		if uint64(len(records)) != want.N || hex.EncodeToString(prev[:]) != want.Hash {
			return &ManifestError{Reason: "the records made before signing are not the ones the owner signed at the upgrade"}
		}
		for i, v := range records {
			if err := log.Put(u64(uint64(i+1)), v); err != nil {
				return err
			}
		}
		return nil
	})
}

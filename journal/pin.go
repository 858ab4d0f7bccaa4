package journal

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// RollbackError is a journal that holds less than this computer has seen
// of it (an older copy put back), or other records in places it has seen
// (a copy replaced).
type RollbackError struct {
	Reason   string
	Replaced bool
	// AddOnly is set on a computer that adds only: it cannot read the
	// journal, so it cannot check an older copy and accept it.
	AddOnly bool
}

func (e *RollbackError) Error() string {
	if e.Replaced {
		return "the journal was replaced: " + e.Reason
	}
	return "the journal was rolled back: " + e.Reason
}

// CheckPin compares the journal with what this computer has seen of it.
// A nil pin (a journal never seen here) passes.
func (s *Store) CheckPin(p *Pin) error {
	return s.view(func(tx *bolt.Tx) error {
		m, err := readManifest(tx)
		if err != nil {
			return err
		}
		err = checkPin(tx, m, p, s.isPinned(p))
		var re *RollbackError
		if errors.As(err, &re) {
			re.AddOnly = addOnly(tx)
		}
		return err
	})
}

// isPinned reports whether the store is the file the pin was last written
// at. Another file (a backup, a copy) may hold fewer records than the
// pin, but none other than it.
func (s *Store) isPinned(p *Pin) bool {
	return p == nil || p.Path == "" || p.Path == absPath(s.path)
}

func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// checkPin compares the journal in tx with the pin. At the pinned path
// (same), holding less than the pin is a rollback; elsewhere only a
// different record where the pin has seen one is an error.
func checkPin(tx *bolt.Tx, m *Manifest, p *Pin, same bool) error {
	if p == nil {
		return nil
	}
	if p.Owner != "" && m == nil && same {
		return &RollbackError{Reason: "this computer has seen it signed, but the file is of the version before signing"}
	}
	if p.Owner != "" && m != nil && m.Genesis().Owner != p.Owner {
		return &ManifestError{Reason: "its owner key is not the one this computer knows: the manifest was replaced"}
	}
	if p.Manifest.N > 0 && m != nil {
		want, err := p.Manifest.Ref()
		if err != nil {
			return fmt.Errorf("what this computer knows of the journal is damaged: %w", err)
		}
		got, ok := m.Ref(want.N)
		if _, beside := m.Find(want); beside {
			// Seen beside the main line (made at the same time as
			// another statement): it is here.
			got, ok = want, true
		}
		if !ok && !same {
			// An older copy: nothing to compare.
		} else if !ok {
			return &RollbackError{Reason: "this computer has seen " + counted(want.N, "statement") + " of its manifest, the file holds " + strconv.Itoa(len(m.Statements))}
		}
		if ok && got != want {
			return &RollbackError{Replaced: true, Reason: fmt.Sprintf("statement %d of its manifest is not the one this computer saw", want.N)}
		}
	}
	log := tx.Bucket(bucketLog)
	n, _, err := head(tx)
	if err != nil {
		return err
	}
	if same && n < p.Records {
		return &RollbackError{Reason: "this computer has seen " + counted(p.Records, "record") + ", the file holds " + strconv.FormatUint(n, 10)}
	}
	if p.V1 != nil {
		want, err := p.V1.Ref()
		if err != nil {
			return fmt.Errorf("what this computer knows of the journal is damaged: %w", err)
		}
		v := log.Get(u64(want.N))
		if v == nil && !same {
			return nil
		}
		if v == nil {
			return &RollbackError{Reason: fmt.Sprintf("this computer has seen record %d, the file ends before it", want.N)}
		}
		if Hash(want.N, v) != want.Hash {
			return &RollbackError{Replaced: true, Reason: fmt.Sprintf("record %d is not the one this computer saw", want.N)}
		}
	}
	for dev, h := range p.Heads {
		want, err := h.Ref()
		if err != nil {
			return fmt.Errorf("what this computer knows of the journal is damaged: %w", err)
		}
		seq, got, found := findPlace(log, dev, want.N)
		if !found && !same {
			continue
		}
		if !found {
			return &RollbackError{Reason: "this computer has seen " + counted(want.N, "record") + " of " + deviceLabel(m, dev) + ", the file holds fewer"}
		}
		if got != want.Hash {
			if e, err := DecodeEnvelope(log.Get(u64(seq))); err != nil || !e.SignatureValid() {
				return &IntegrityError{Seq: seq, Reason: "its signature does not verify: it was changed after its device signed it, or forged"}
			}
			return &RollbackError{Replaced: true, Reason: fmt.Sprintf("record %d is not the one this computer saw there", seq)}
		}
	}
	return nil
}

// deviceLabel names a device for a message: its enrolled name.
func deviceLabel(m *Manifest, dev string) string {
	if m != nil {
		for _, d := range m.Head().Devices {
			if d.Key == dev {
				return fmt.Sprintf("the device %q", d.Name)
			}
		}
	}
	return "a device"
}

// counted says n things in words: "1 record", "2 records".
func counted(n uint64, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.FormatUint(n, 10) + " " + thing + "s"
}

// findPlace looks back from the end of the log for the record of device
// dev at place, and returns its position and hash.
func findPlace(log *bolt.Bucket, dev string, place uint64) (uint64, [32]byte, bool) {
	c := log.Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		if len(v) == 0 || v[0] != envelopeV2 {
			break
		}
		e, err := decodeEnvelopeV2(v)
		if err != nil || DeviceName(e.Device) != dev {
			continue
		}
		if e.Place == place {
			return binary.BigEndian.Uint64(k), hashV2(v), true
		}
		if e.Place < place {
			break
		}
	}
	return 0, [32]byte{}, false
}

// UpdatePin brings the pin forward to the journal as it is now: the
// caller has checked it (it matched the pin, and its records are sound).
// A new pin is made if p is nil. It is saved.
func (s *Store) UpdatePin(p *Pin) (*Pin, error) {
	if p == nil {
		p = &Pin{Journal: hex.EncodeToString(s.id), Heads: map[string]HeadJSON{}}
	}
	if p.Path == "" {
		p.Path = absPath(s.path)
	}
	if !s.isPinned(p) {
		// Another copy than the one this computer writes: the pin is
		// not brought forward by reading it.
		return p, nil
	}
	err := s.view(func(tx *bolt.Tx) error {
		m, err := readManifest(tx)
		if err != nil {
			return err
		}
		n, _, err := head(tx)
		if err != nil {
			return err
		}
		p.Records = max(p.Records, n)
		if m != nil {
			p.Owner = m.Genesis().Owner
			p.Manifest = *JSONRef(m.HeadRef())
		}
		if m == nil {
			if n > 0 {
				p.V1 = JSONRef(ChainRef{N: n, Hash: Hash(n, tx.Bucket(bucketLog).Get(u64(n)))})
			}
			return nil
		}
		for _, st := range m.Statements {
			if st.V1Head != nil {
				p.V1 = st.V1Head
			}
		}
		// The newest record of each device, as the index says; each is
		// checked to be that device's.
		idx := tx.Bucket(bucketHeads)
		if idx == nil {
			return nil
		}
		log := tx.Bucket(bucketLog)
		return idx.ForEach(func(dev, pos []byte) error {
			if len(pos) != 8 {
				return nil
			}
			v := log.Get(pos)
			e, err := DecodeEnvelope(v)
			if err != nil || !e.Signed() || DeviceName(e.Device) != string(dev) {
				return nil
			}
			if old, ok := p.Heads[string(dev)]; !ok || old.N < e.Place {
				h := hashV2(v)
				p.Heads[string(dev)] = HeadJSON{N: e.Place, Hash: hex.EncodeToString(h[:])}
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return p, p.Save()
}

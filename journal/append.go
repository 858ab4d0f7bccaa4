package journal

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ClockError is a record whose recorded-at time is earlier than one this
// device already gave: its clock was set back.
type ClockError struct {
	Now, Last time.Time
}

func (e *ClockError) Error() string {
	return fmt.Sprintf("this computer's clock says %s, but it already recorded an entry at %s: its clock was set back",
		e.Now.Local().Format("2 Jan 2006 15:04"), e.Last.Local().Format("2 Jan 2006 15:04"))
}

// bucketHeads indexes the newest record of each device: device name ->
// position in the log. It is a convenience for finding where a device's
// chain ends; nothing trusts it without checking the record it names.
var bucketHeads = []byte("heads")

// ClockSlack is how much earlier than the device's last record a new
// record may say it was recorded (two adds at once, a form left open)
// before the device's clock is taken to have been set back. Such a record
// is given the last record's time, so that recorded-at times never go back
// within a device's chain.
const ClockSlack = 15 * time.Minute

// recipientLister is a sealer that says whom it seals to.
type recipientLister interface{ Recipients() []string }

// Append seals the records and adds them to the end of the log in one
// transaction: all of them are committed, or none. Each incident record
// without a number is given the next one, which the caller can read back
// from the record; an amendment, void or attachment record without a number
// that follows it in the same call is about that new incident.
//
// In format version 2 each record is signed by the device the store was
// opened with, and nothing is written unless the journal matches this
// computer's pin, it is not a copy of the file that syncs ([CopyError]), the device is enrolled in the owner-signed manifest, and
// the sealer seals to exactly the recipient that manifest names.
func (s *Store) Append(sealer Sealer, recs ...*Record) error {
	return s.append(sealer, recs, nil)
}

// append is Append with more to do in the same transaction: also, if not
// nil, runs after the records are in the log.
func (s *Store) append(sealer Sealer, recs []*Record, also func(tx *bolt.Tx) error) error {
	if s.version < FormatVersion {
		return ErrOldFormat
	}
	dev := s.opts.Device
	if dev == nil {
		return ErrNotEnrolled
	}
	if err := s.refuseCopy(); err != nil {
		return err
	}
	pin := s.opts.Pin
	if pin != nil {
		// Read again now that this process holds the journal: another
		// one may have added since the caller read it.
		if fresh, err := LoadPin(s.id); err == nil && fresh != nil {
			pin, s.opts.Pin = fresh, fresh
		}
	}
	moved := !s.isPinned(pin)
	var last *deviceHead
	var lastAt time.Time
	var seq uint64
	var man, manHead ChainRef
	err := s.update(func(tx *bolt.Tx) error {
		m, err := readManifest(tx)
		if err != nil {
			return err
		}
		if err := checkPin(tx, m, pin, s.isPinned(pin)); err != nil {
			return err
		}
		stmt := m.Head()
		entry := stmt.Device(dev.Public())
		if entry == nil || entry.RetiredAt != nil {
			return ErrNotEnrolled
		}
		if other := m.TagClash(dev.Public()); other != nil {
			return errors.New("this computer " + tagClashReason(other))
		}
		if rl, ok := sealer.(recipientLister); ok && !slices.Equal(rl.Recipients(), []string{stmt.Recipient}) {
			return &ManifestError{Reason: "records would be sealed to recipients the owner did not sign"}
		}
		meta, log := tx.Bucket(bucketMeta), tx.Bucket(bucketLog)
		// Keys only ever grow: pack pages full rather than half.
		log.FillPercent = 1.0
		seq, _, err = head(tx)
		if err != nil {
			return err
		}
		chk := &chainChecker{log: log, id: s.id, manifest: m, heads: map[string]deviceHead{}}
		h, err := chk.headOf(DeviceName(dev.Public()), seq+1)
		if err != nil {
			return err
		}
		prev := DeviceGenesis(s.id, dev.Public())
		if h.place > 0 {
			prev = h.hash
		}
		if pin != nil {
			lastAt = pin.LastRecordedAt
		}
		incidents := binary.BigEndian.Uint64(meta.Get(keyIncidents))
		// Every record names the newest record it has of every other
		// device: its causal past, for merging (merge.go).
		seen, err := seenHeads(tx, dev.Public())
		if err != nil {
			return err
		}
		var added uint64
		man, manHead = m.RefFor(dev.Public()), m.HeadRef()
		// A large Append keeps the file keys of what it seals, for the
		// first read after it (filekeys.go).
		keyed, _ := sealer.(KeyedSealer)
		if len(recs) < provisionalMin {
			keyed = nil
		}
		var keys [][]byte
		first, firstPlace := seq+1, h.place+1
		for _, r := range recs {
			// A record a little older than the last one (two adds at
			// once, a form left open) is written now: it takes the last
			// time. Much older means the clock was set back.
			if r.RecordedAt.Before(lastAt.Add(-ClockSlack)) {
				return &ClockError{Now: r.RecordedAt, Last: lastAt}
			}
			if r.RecordedAt.Before(lastAt) {
				r.RecordedAt = lastAt
			}
			lastAt = r.RecordedAt
			if r.Type == TypeIncident && r.Incident == 0 {
				if incidentsUnknown(tx) {
					if addOnly(tx) {
						return ErrAddOnlyCannotCount
					}
					return ErrIncidentsUnknown
				}
				// Each device numbers its own incidents (incidentref.go).
				incidents++
				r.Incident = IncidentNumber(entry.Tag, incidents)
				added = r.Incident
			}
			if r.Type != TypeIncident && r.Incident == 0 && !r.Type.general() {
				if r.Incident = added; added == 0 {
					return fmt.Errorf("appending record: %s record names no incident", r.Type)
				}
			}
			h.place++
			r.Journal, r.Device, r.Place, r.Prev = hex.EncodeToString(s.id), DeviceName(dev.Public()), h.place, hex.EncodeToString(prev[:])
			plain, err := EncodeRecord(r)
			if err != nil {
				return fmt.Errorf("encoding record: %w", err)
			}
			var ct []byte
			if keyed != nil {
				var key []byte
				ct, key, err = keyed.SealKeyed(plain)
				keys = append(keys, key)
			} else {
				ct, err = sealer.Seal(plain)
			}
			if err != nil {
				return err
			}
			e := &Envelope{Journal: s.id, Place: h.place, Prev: prev, Manifest: man, Seen: seen, Ciphertext: ct}
			e.Sign(dev.Key)
			stored := e.Encode()
			seq++
			if err := log.Put(u64(seq), stored); err != nil {
				return fmt.Errorf("appending record: %w", err)
			}
			prev = hashV2(stored)
			h.hash = prev
		}
		last = &h
		idx, err := tx.CreateBucketIfNotExists(bucketHeads)
		if err != nil {
			return err
		}
		if err := idx.Put([]byte(DeviceName(dev.Public())), u64(seq)); err != nil {
			return err
		}
		if keyed != nil {
			if err := putProvisional(tx, keyed, first, keys); err != nil {
				return err
			}
			// And for the computers that will pull them from the sync
			// folder (carriedkeys.go).
			if len(meta.Get(keySyncFolder)) > 0 {
				if err := putSendKeys(tx, keyed, dev.Public(), firstPlace, keys); err != nil {
					return err
				}
			}
		}
		if leavesHead(recs) {
			// What a timestamp covers is the journal's head (head.go).
			jh, err := journalHeadAt(tx, seq)
			if err != nil {
				return err
			}
			if err := enqueueHead(tx, seq, jh); err != nil {
				return err
			}
		}
		if also != nil {
			if err := also(tx); err != nil {
				return err
			}
		}
		return meta.Put(keyIncidents, u64(incidents))
	})
	if err != nil {
		return err
	}
	// The records are committed: the pin follows them. If it cannot be
	// saved, the next command brings it forward from the file.
	if pin != nil {
		pin.Heads[DeviceName(dev.Public())] = HeadJSON{N: last.place, Hash: hex.EncodeToString(last.hash[:])}
		pin.Records = max(pin.Records, seq)
		if moved {
			// The journal is written at another path now: this file
			// is the one to compare with from now on.
			pin.Records = seq
		}
		pin.Manifest = *JSONRef(manHead)
		pin.LastRecordedAt = lastAt
		pin.Path = absPath(s.path)
		pin.Save()
	}
	return nil
}

package journal

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Proof of time. A timestamp authority signs that the chain head (a
// SHA-256, nothing else of the journal) existed at a time; its reply is
// kept in a stamp record. A person (a defence adviser) can countersign a
// checkpoint; their signed note is kept in a witness record. Every append
// of any other record leaves its head waiting in the stamp queue, so a
// journal written offline is stamped later: one stamp covers every record
// up to the head it stamps.

// Stamp is a timestamp authority's reply for the journal head after record
// Seq of the computer that took it: it proves that the records it covers
// (Covers) existed by Time.
type Stamp struct {
	Seq uint64 `json:"seq"`
	// Head is the chain hash at Seq in hex: the digest the authority
	// signed, and what `openssl ts -verify -digest` is given.
	Head      string    `json:"head"`
	URL       string    `json:"url"`
	Authority string    `json:"authority"`
	Time      time.Time `json:"time"`
	// Reply is the authority's DER reply, the token file.
	Reply []byte `json:"reply"`
	// Roots are the PEM root certificates trusted beside the system's
	// when the stamp was taken, or empty.
	Roots []byte `json:"roots,omitempty"`
	// Covers spells out the head stamped (stampcover.go): what the stamp
	// proves, the same on every computer. Stamps made before it was kept
	// have none; a journal read fills it in when it finds their head.
	Covers *Covers `json:"covers,omitempty"`
}

// StampEntry is a stamp with where and when it was recorded.
type StampEntry struct {
	RecordedAt time.Time `json:"recorded_at"`
	// At is the position of the stamp's own record, and By the device
	// that recorded it (DeviceName; "" before signing).
	At uint64 `json:"record"`
	By string `json:"-"`
	Stamp
	// Holds is set when the stamp proves what it covers here: its list
	// of records and its token held when it was applied. CarriedRoot
	// names the root the journal carries that its token holds only by.
	Holds       bool         `json:"-"`
	CarriedRoot *CarriedRoot `json:"-"`
}

// Cosigned is a checkpoint countersigned by a witness: a person who holds
// it and signed, with the time, that they saw it.
type Cosigned struct {
	Seq  uint64 `json:"seq"`
	Head string `json:"head"`
	// Name and Key are the witness's name and public key (signed-note
	// verifier key form); Time is when they signed.
	Name string    `json:"name"`
	Key  string    `json:"key"`
	Time time.Time `json:"time"`
	// Note is the whole witnessed checkpoint file.
	Note []byte `json:"note"`
}

// CosignedEntry is a witnessed checkpoint with where and when it was
// recorded.
type CosignedEntry struct {
	RecordedAt time.Time `json:"recorded_at"`
	At         uint64    `json:"record"`
	Cosigned
}

// HeadHex is the hex form of a chain hash, as stamps record it.
func HeadHex(h [32]byte) string { return hex.EncodeToString(h[:]) }

// StampSettings are the authorities a user chose and whether every
// command stamps quietly. They are kept in the journal file beside the log.
type StampSettings struct {
	Authorities []Authority `json:"authorities"`
	Auto        bool        `json:"auto"`
	// QuietPauseUntil is when quiet stamping may ask again after an
	// authority did not answer in time (zero: now). 'journal stamp'
	// always asks.
	QuietPauseUntil time.Time `json:"quiet_pause_until,omitzero"`
}

// Authority is a timestamp authority a user chose, with the PEM roots
// given for it (empty: the system's roots).
type Authority struct {
	URL   string `json:"url"`
	Roots []byte `json:"roots,omitempty"`
}

var (
	bucketStampQueue = []byte("stampqueue")
	keyStamping      = []byte("stamping")
)

// stampHead is what a stamp of the log up to seq signs: the chain hash at
// seq. It is the one place that says so.
func stampHead(seq uint64, hash [32]byte) (key, value []byte) {
	return u64(seq), hash[:]
}

// leavesHead reports whether appending recs leaves a head to be stamped:
// anything but stamps and witnesses does.
func leavesHead(recs []*Record) bool {
	for _, r := range recs {
		if r.Type != TypeStamp && r.Type != TypeWitness {
			return true
		}
	}
	return false
}

// enqueueHead puts the head after an append into the stamp queue.
func enqueueHead(tx *bolt.Tx, seq uint64, hash [32]byte) error {
	q, err := tx.CreateBucketIfNotExists(bucketStampQueue)
	if err != nil {
		return fmt.Errorf("stamp queue: %w", err)
	}
	k, v := stampHead(seq, hash)
	return q.Put(k, v)
}

// WaitingHead is a journal head waiting to be stamped.
type WaitingHead struct {
	// Seq is the last record this computer holds, Hash the journal head
	// after it, and Covers that head spelled out: what a stamp of it
	// proves, the same on every computer.
	Seq    uint64
	Hash   [32]byte
	Covers *Covers
	// Count is how many heads of this computer's own records are waiting;
	// stamping the head of every record held covers them all, and the
	// records merged from other computers as well. Merged counts the
	// records from other computers that no stamp this computer took
	// covers yet.
	Count  int
	Merged uint64
}

// Waiting returns the head to stamp when records wait for a stamp, or
// nil when every one is covered. The head is that of every record this
// computer holds, merged ones too: a stamp taken after a record from
// another computer has arrived covers it. Records of this computer wait
// while their heads are in the queue; records merged from others wait
// until a stamp this computer took covers them (see lastStamped). It
// needs no key.
func (s *Store) Waiting() (*WaitingHead, error) {
	var w *WaitingHead
	err := s.view(func(tx *bolt.Tx) error {
		last, _ := tx.Bucket(bucketLog).Cursor().Last()
		if last == nil {
			return nil
		}
		if len(last) != 8 {
			return &IntegrityError{Reason: "its log is malformed"}
		}
		seq := binary.BigEndian.Uint64(last)
		own := 0
		if q := tx.Bucket(bucketStampQueue); q != nil {
			if k, v := q.Cursor().Last(); k != nil {
				if len(k) != 8 || len(v) != 32 {
					return &IntegrityError{Reason: "its stamp queue is malformed"}
				}
				if seq < binary.BigEndian.Uint64(k) {
					return &IntegrityError{Reason: "its stamp queue names a record the log does not hold"}
				}
				own = q.Stats().KeyN
			}
		}
		h, err := vectorAt(tx, seq)
		if err != nil {
			return err
		}
		merged := mergedWaiting(h, readLastStamped(tx), s.ownDevice())
		if own == 0 && merged == 0 {
			return nil
		}
		w = &WaitingHead{Seq: seq, Count: own, Merged: merged}
		w.Hash, w.Covers = h.sum(tx.Bucket(bucketMeta).Get(keyID)), coversOf(h)
		return nil
	})
	return w, err
}

// AppendStamps appends stamp records and takes every head they cover out
// of the queue, in one transaction: a stamp is recorded and its heads
// leave the queue together, or neither.
func (s *Store) AppendStamps(sealer Sealer, recs ...*Record) error {
	return s.append(sealer, recs, func(tx *bolt.Tx) error {
		var upTo uint64
		for _, r := range recs {
			if r.Stamp != nil {
				upTo = max(upTo, r.Stamp.Seq)
				if err := noteStamped(tx, r.Stamp.Covers); err != nil {
					return err
				}
			}
		}
		// The stamp records themselves need no stamp.
		if err := noteOwnStamps(tx, s.opts.Device); err != nil {
			return err
		}
		q := tx.Bucket(bucketStampQueue)
		if q == nil {
			return nil // this computer has recorded nothing of its own
		}
		c := q.Cursor()
		for k, _ := c.First(); k != nil && binary.BigEndian.Uint64(k) <= upTo; k, _ = c.First() {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
}

// StampSettings returns the remembered authorities and the auto setting.
func (s *Store) StampSettings() (*StampSettings, error) {
	set := &StampSettings{}
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(keyStamping)
		if v == nil {
			return nil
		}
		if err := json.Unmarshal(v, set); err != nil {
			return &IntegrityError{Reason: "its stamp settings cannot be read: " + err.Error()}
		}
		return nil
	})
	return set, err
}

// SetStampSettings replaces the remembered authorities and auto setting.
func (s *Store) SetStampSettings(set *StampSettings) error {
	b, err := json.Marshal(set)
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyStamping, b)
	})
}

// StampHead returns the digest a stamp of records 1 to seq signed: the
// chain hash at seq, as [Store.Waiting] gave it. ok is false when the log
// has no record seq.
func (rep *VerifyReport) StampHead(seq uint64) (h [32]byte, ok bool) {
	if seq >= uint64(len(rep.chain)) {
		return h, false
	}
	return rep.chain[seq], true
}

// SyncName is the name a stamp's token file goes by in a sync folder's
// stamps/ directory: the SHA-256 of the reply, so the same token written
// by two devices is one file.
func (s *Stamp) SyncName() string {
	sum := sha256.Sum256(s.Reply)
	return hex.EncodeToString(sum[:]) + ".tsr"
}

// SyncName is the name a witnessed checkpoint goes by in a sync folder's
// stamps/ directory.
func (c *Cosigned) SyncName() string {
	sum := sha256.Sum256(c.Note)
	return hex.EncodeToString(sum[:]) + ".witnessed"
}

// Package journal holds the domain of an incident journal and its store.
//
// # The log
//
// A journal is one bbolt file. Its log is append-only: each entry is a
// [Record] (an incident, an amendment, a void, an attachment, a checkpoint or
// a disclosure) sealed as one age ciphertext and kept in an [Envelope] with
// the [Hash] of the entry before it. Removing, reordering or changing any
// entry breaks the chain from there on, and [Store.Verify] names where. The
// head of the chain, shortened by [Fingerprint], is what a user gives to
// others so that they can later check that nothing before it changed.
//
// Replaying the log ([State.Apply]) gives each [Incident] as it stands now,
// with its history.
//
// # Sealing
//
// This package does not encrypt: it takes a [Sealer] to append and an
// [Opener] to read, which the crypto package provides. Appending needs only
// the journal's public recipients, so a record can be added without the
// passphrase.
package journal

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Sealer encrypts a record's plaintext to the journal's recipients.
type Sealer interface {
	Seal(plaintext []byte) ([]byte, error)
}

// Opener decrypts and authenticates a record's ciphertext.
type Opener interface {
	Open(ciphertext []byte) ([]byte, error)
}

// Errors of the store. Each is wrapped with the path or the record where it
// happened.
var (
	ErrInUse      = errors.New("in use by another process")
	ErrNoJournal  = errors.New("no journal")
	ErrExists     = errors.New("journal already exists")
	ErrNotJournal = errors.New("not a journal file")
	ErrReadOnly   = errors.New("journal is open read-only")
)

// IntegrityError reports a journal that is damaged or was altered: a file
// bbolt cannot read, a record that does not authenticate, a broken chain.
type IntegrityError struct {
	// Seq is the position of the first bad record in the log, or 0 when
	// the file as a whole is damaged.
	Seq    uint64
	Reason string
	// Err is the underlying error, if any: for a record that does not
	// decrypt, the opener's error.
	Err error
}

// Unwrap returns the underlying error.
func (e *IntegrityError) Unwrap() error { return e.Err }

func (e *IntegrityError) Error() string {
	if e.Seq == 0 {
		return "journal file is damaged: " + e.Reason
	}
	return fmt.Sprintf("record %d: %s", e.Seq, e.Reason)
}

var (
	bucketMeta  = []byte("meta")
	bucketLog   = []byte("log")
	bucketBlobs = []byte("blobs")
	bucketCache = []byte("cache")

	keyFormat     = []byte("format")
	keyID         = []byte("id")
	keyIdentity   = []byte("identity")
	keyRecipients = []byte("recipients")
	keyIncidents  = []byte("incidents")
)

// formatName marks a bbolt file as a journal of this layout.
const formatName = "journal 1"

// LockTimeout is how long opening waits for another process to release the
// journal before giving up with [ErrInUse].
var LockTimeout = 3 * time.Second

// Meta is what the journal keeps beside the log: its random identifier, the
// identity wrapped with the passphrase, and the public recipients that new
// records are sealed to.
type Meta struct {
	ID              []byte
	WrappedIdentity []byte
	Recipients      []string
}

// Store is an open journal file.
type Store struct {
	db      *bolt.DB
	path    string
	pending *pendingCache // a cache to write on Close (cache.go)
	// damaged is set once a read or write found the file damaged.
	damaged bool
}

// Options says how to open a journal.
type Options struct {
	// ReadOnly opens with a shared lock, for commands that only read.
	ReadOnly bool
}

// guard turns a panic of bbolt on a damaged file, or a memory fault while
// reading its map, into an [IntegrityError]. Call it deferred, first thing.
// What bbolt or the runtime said is no use to a person ("index out of
// range", a page number), so the message says only that the file is
// damaged.
func guard(err *error) {
	if r := recover(); r != nil {
		*err = &IntegrityError{Reason: "part of it cannot be read"}
	}
}

// Create makes a new journal at path with the given meta, refusing if any
// file is there. The folder is made 0700 if missing and the file is 0600.
func Create(path string, m *Meta) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("creating folder: %w", err)
	}
	// O_EXCL: never touch a file that is already there.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s: %w", path, ErrExists)
		}
		return fmt.Errorf("creating journal: %w", err)
	}
	f.Close()
	defer func() {
		if err != nil {
			os.Remove(path)
		}
	}()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: LockTimeout})
	if err != nil {
		return fmt.Errorf("creating journal: %w", err)
	}
	defer db.Close()
	id := make([]byte, 16)
	rand.Read(id)
	return db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		for _, b := range [][]byte{bucketLog, bucketBlobs, bucketCache} {
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		puts := []struct{ k, v []byte }{
			{keyFormat, []byte(formatName)},
			{keyID, id},
			{keyIdentity, m.WrappedIdentity},
			{keyRecipients, []byte(strings.Join(m.Recipients, "\n"))},
			{keyIncidents, u64(0)},
		}
		for _, p := range puts {
			if err := meta.Put(p.k, p.v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Open opens the journal at path. It waits up to [LockTimeout] for another
// process holding it, then fails with [ErrInUse].
func Open(path string, opts Options) (s *Store, err error) {
	defer guard(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", path, ErrNoJournal)
	}
	if err != nil {
		return nil, fmt.Errorf("opening journal: %w", err)
	}
	if info.Size() == 0 {
		// bbolt would initialise an empty file; it is not ours to change.
		return nil, fmt.Errorf("%s: %w (it is empty)", path, ErrNotJournal)
	}
	// bbolt would read the older header page if the newer is damaged,
	// and trust the page numbers of a truncated file: check first.
	if _, err := checkHeader(path); err != nil {
		if errors.Is(err, ErrNotJournal) {
			return nil, fmt.Errorf("%s: %w", path, ErrNotJournal)
		}
		return nil, err
	}
	return openChecked(path, opts)
}

// openChecked opens a file whose header pages were checked: bbolt reads
// the current one.
func openChecked(path string, opts Options) (s *Store, err error) {
	defer guard(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: LockTimeout, ReadOnly: opts.ReadOnly})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("%s: %w", path, ErrInUse)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch):
		return nil, fmt.Errorf("%s: %w", path, ErrNotJournal)
	case errors.Is(err, berrors.ErrChecksum):
		return nil, &IntegrityError{Reason: "its header does not match its checksum"}
	case err != nil && strings.Contains(err.Error(), "file size too small"):
		return nil, &IntegrityError{Reason: "it is truncated (" + err.Error() + ")"}
	case err != nil:
		return nil, fmt.Errorf("opening journal: %w", err)
	}
	s = &Store{db: db, path: path}
	err = db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil || string(meta.Get(keyFormat)) != formatName || tx.Bucket(bucketLog) == nil {
			return fmt.Errorf("%s: %w", path, ErrNotJournal)
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close releases the journal. A cache that a read prepared is written
// first, or, on a read-only store, just after (see cache.go).
func (s *Store) Close() error {
	if !s.db.IsReadOnly() {
		s.flushCache()
	}
	err := s.db.Close()
	s.flushCache()
	return err
}

// Path is the file the journal is in.
func (s *Store) Path() string { return s.path }

// view runs fn in a read transaction, turning bbolt panics into errors.
func (s *Store) view(fn func(tx *bolt.Tx) error) (err error) {
	defer s.noteDamage(&err)
	defer guard(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return s.db.View(fn)
}

// update runs fn in a write transaction, turning bbolt panics into errors.
func (s *Store) update(fn func(tx *bolt.Tx) error) (err error) {
	defer s.noteDamage(&err)
	defer guard(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	if s.db.IsReadOnly() {
		return ErrReadOnly
	}
	return s.db.Update(fn)
}

// noteDamage remembers that a transaction found the file damaged.
func (s *Store) noteDamage(err *error) {
	var ie *IntegrityError
	if errors.As(*err, &ie) {
		s.damaged = true
	}
}

// Meta returns the journal's meta.
func (s *Store) Meta() (*Meta, error) {
	m := &Meta{}
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMeta)
		m.ID = bytes.Clone(b.Get(keyID))
		m.WrappedIdentity = bytes.Clone(b.Get(keyIdentity))
		for r := range strings.SplitSeq(string(b.Get(keyRecipients)), "\n") {
			if r != "" {
				m.Recipients = append(m.Recipients, r)
			}
		}
		if len(m.ID) == 0 || len(m.WrappedIdentity) == 0 || len(m.Recipients) == 0 {
			return &IntegrityError{Reason: "its keys are missing"}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// SetWrappedIdentity replaces the wrapped identity, for a passphrase change.
func (s *Store) SetWrappedIdentity(wrapped []byte) error {
	return s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyIdentity, wrapped)
	})
}

// SetRecipients replaces the recipients new records are sealed to.
func (s *Store) SetRecipients(recipients []string) error {
	return s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyRecipients, []byte(strings.Join(recipients, "\n")))
	})
}

// Append seals the records and adds them to the end of the log in one
// transaction: all of them are committed, or none. Each incident record
// without a number is given the next one, which the caller can read back
// from the record; an amendment, void or attachment record without a number
// that follows it in the same call is about that new incident.
func (s *Store) Append(sealer Sealer, recs ...*Record) error {
	return s.append(sealer, recs, nil)
}

// append is Append with more to do in the same transaction: also, if not
// nil, runs after the records are in the log.
func (s *Store) append(sealer Sealer, recs []*Record, also func(tx *bolt.Tx) error) error {
	return s.update(func(tx *bolt.Tx) error {
		meta, log := tx.Bucket(bucketMeta), tx.Bucket(bucketLog)
		// Keys only ever grow: pack pages full rather than half.
		log.FillPercent = 1.0
		seq, prev, err := head(tx)
		if err != nil {
			return err
		}
		incidents := binary.BigEndian.Uint64(meta.Get(keyIncidents))
		var added uint64
		for _, r := range recs {
			if r.Type == TypeIncident && r.Incident == 0 {
				incidents++
				r.Incident, added = incidents, incidents
			}
			if r.Type != TypeIncident && r.Incident == 0 && !r.Type.general() {
				if r.Incident = added; added == 0 {
					return fmt.Errorf("appending record: %s record names no incident", r.Type)
				}
			}
			plain, err := EncodeRecord(r)
			if err != nil {
				return fmt.Errorf("encoding record: %w", err)
			}
			ct, err := sealer.Seal(plain)
			if err != nil {
				return err
			}
			seq++
			stored := (&Envelope{Prev: prev, Ciphertext: ct}).Encode()
			if err := log.Put(u64(seq), stored); err != nil {
				return fmt.Errorf("appending record: %w", err)
			}
			prev = Hash(seq, stored)
		}
		if leavesHead(recs) {
			if err := enqueueHead(tx, seq, prev); err != nil {
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
}

// head returns the position and hash of the last record, or 0 and the
// genesis hash of an empty log.
func head(tx *bolt.Tx) (uint64, [32]byte, error) {
	k, v := tx.Bucket(bucketLog).Cursor().Last()
	if k == nil {
		return 0, genesis(tx.Bucket(bucketMeta).Get(keyID)), nil
	}
	if len(k) != 8 {
		return 0, [32]byte{}, &IntegrityError{Reason: "the log has a malformed key"}
	}
	seq := binary.BigEndian.Uint64(k)
	return seq, Hash(seq, v), nil
}

// Head returns the position of the last record and the fingerprint of the
// chain up to it. It needs no key.
func (s *Store) Head() (seq uint64, fingerprint string, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		var h [32]byte
		seq, h, err = head(tx)
		fingerprint = Fingerprint(h)
		return err
	})
	return seq, fingerprint, err
}

// Scan calls fn for every record after position from, in order, with the
// chain checked: fn sees only records whose previous hash is right. The
// envelope is a copy fn may keep.
func (s *Store) Scan(from uint64, fn func(seq uint64, e *Envelope, hash [32]byte) error) error {
	return s.view(func(tx *bolt.Tx) error {
		var prev [32]byte
		c := tx.Bucket(bucketLog).Cursor()
		var k, v []byte
		if from == 0 {
			prev = genesis(tx.Bucket(bucketMeta).Get(keyID))
			k, v = c.First()
		} else {
			k, v = c.Seek(u64(from))
			if k == nil || binary.BigEndian.Uint64(k) != from {
				return &IntegrityError{Seq: from, Reason: "is missing"}
			}
			prev = Hash(from, v)
			k, v = c.Next()
		}
		want := from + 1
		for ; k != nil; k, v = c.Next() {
			if len(k) != 8 {
				return &IntegrityError{Seq: want, Reason: "has a malformed key"}
			}
			seq := binary.BigEndian.Uint64(k)
			if seq != want {
				return &IntegrityError{Seq: want, Reason: "is missing: the log jumps to record " + fmt.Sprint(seq)}
			}
			e, err := DecodeEnvelope(v)
			if err != nil {
				return &IntegrityError{Seq: seq, Reason: err.Error()}
			}
			if e.Prev != prev {
				return &IntegrityError{Seq: seq, Reason: "the chain is broken: it does not follow the record before it"}
			}
			prev = Hash(seq, v)
			if err := fn(seq, e, prev); err != nil {
				return err
			}
			want++
		}
		return nil
	})
}

// OpenRecord decrypts and decodes one record. Any failure is reported as an
// [IntegrityError] naming the record.
func OpenRecord(opener Opener, seq uint64, e *Envelope) (*Record, error) {
	plain, err := opener.Open(e.Ciphertext)
	if keyUnavailable(err) {
		return nil, err
	}
	if err != nil {
		return nil, &IntegrityError{Seq: seq, Reason: "does not decrypt: " + err.Error(), Err: err}
	}
	r, err := DecodeRecord(plain)
	if err != nil {
		return nil, &IntegrityError{Seq: seq, Reason: err.Error()}
	}
	return r, nil
}

func u64(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

package journal

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
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

// FormatVersion is the version of the file's layout this program writes.
// Version 1 (no manifest, unsigned records) is read, and upgraded by
// [Store.Upgrade]; a higher version is refused with [ErrNewerFormat].
const FormatVersion = 2

// formatPrefix, followed by the version, marks a bbolt file as a journal.
const formatPrefix = "journal "

// ErrNewerFormat is a journal written by a newer release of this program.
var ErrNewerFormat = errors.New("made by a newer journal; update")

// ErrOldFormat is a journal of format version 1 asked to change.
var ErrOldFormat = errors.New("this journal was made by an earlier version and must be upgraded first")

// LockTimeout is how long opening waits for another process to release the
// journal before giving up with [ErrInUse].
var LockTimeout = 3 * time.Second

// Meta is what the journal keeps beside the log: its random identifier, the
// identity wrapped with the passphrase, and the public recipients that new
// records are sealed to.
//
// In format version 2 the recipient is the one the owner-signed manifest
// names (checked by [Store.Manifest], not by Meta).
type Meta struct {
	ID              []byte
	WrappedIdentity []byte
	Recipients      []string
	// Version is the file's format version.
	Version int
	// Unlocks are the identity wrapped to recovery or hardware keys.
	Unlocks []Unlock
	// OldKeys are the journal's earlier identities, each an age file
	// sealed to the current one (see [Store.Rekey]).
	OldKeys [][]byte
	// Owner is the public key ([DeviceName] form) of the owner that
	// signed the newest statement of the manifest (format version 2).
	Owner string

	// OwnerKey and Devices are for [Create]: the owner key signs the
	// first statement of the manifest, which enrols Devices.
	OwnerKey ed25519.PrivateKey
	Devices  []DeviceEntry
	// AddOnly is set on a computer that joined to add only: its journal
	// holds no wrapped identity, so it cannot read.
	AddOnly bool
	// SyncFolder is the folder the journal file names to sync through
	// ([Store.SyncFolder]), "" for none.
	SyncFolder string
	// SyncHere says that this file is the one that syncs through
	// SyncFolder on this computer; SyncFile is the one that does, ""
	// when none was set up here (syncfile.go).
	SyncHere bool
	SyncFile string
	// Statements, for [Create] on a computer that joins a journal, are
	// its manifest as stored in its sync folder, in order: they are
	// checked and kept instead of a new first statement.
	Statements [][]byte
}

// Store is an open journal file.
type Store struct {
	db      *bolt.DB
	path    string
	version int
	id      []byte
	opts    Options
	pending *pendingCache // a cache to write on Close (cache.go)
	// legacyCache is set when the cache bucket holds a cache an earlier
	// version wrote (cachefile.go).
	legacyCache bool
	opened      os.FileInfo   // the file opened, to tell it from one put in its place
	counted     *pendingCount // a counter counted again, to write on Close (owncount.go)
	carry       *pendingCarry // file keys for the sync folder, to keep on Close (carrysend.go)
	copies      BlobCopies    // other copies of evidence, in a sync folder (blobread.go)
	mends       []Mend        // good copies used in place of damaged held ones (blobread.go)
	// damaged is set once a read or write found the file damaged.
	damaged bool
	// unchanged is set for a check that never writes to the file
	// ([Store.KeepUnchanged]).
	unchanged bool
	// replaced is set once [Store.Compact] put a new file in the place of
	// the one the store opened, which it must no longer write to.
	replaced bool
	// newFileID is the identifier a cache written by this store was
	// bound to, for a file that had none (cachebind.go).
	newFileID []byte
}

// Options says how to open a journal.
type Options struct {
	// ReadOnly opens with a shared lock, for commands that only read.
	ReadOnly bool
	// LockWait is how long to wait for another process to release the
	// file; zero means [LockTimeout]. A quick look that can do without
	// the journal (is a sync folder set?) waits briefly, so that a
	// journal in use is not waited for twice.
	LockWait time.Duration
	// Device signs what [Store.Append] adds, and Pin is what this
	// computer has seen of the journal: Append refuses a journal that
	// does not match it, and brings it forward.
	Device *Device
	Pin    *Pin
	// AddressKey names the evidence that [Store.PutBlob] stores by its
	// content; without it evidence gets a random key.
	AddressKey []byte
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
	// A cache left beside it belongs to a journal file that is gone (a
	// journal joined again after its file was deleted).
	os.Remove(CachePath(path))
	if (m.OwnerKey == nil || len(m.Recipients) != 1) && len(m.Statements) == 0 {
		return errors.New("creating journal: it needs an owner key and one recipient")
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: LockTimeout})
	if err != nil {
		return fmt.Errorf("creating journal: %w", err)
	}
	defer db.Close()
	id := m.ID
	if len(id) == 0 {
		id = NewID()
	}
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
			{keyFormat, []byte(formatPrefix + fmt.Sprint(FormatVersion))},
			{keyID, id},
			{keyIdentity, m.WrappedIdentity},
			{keyIncidents, u64(0)},
			{keyFileID, newFileID()},
		}
		for _, p := range puts {
			if err := meta.Put(p.k, p.v); err != nil {
				return err
			}
		}
		if m.AddOnly {
			if err := meta.Put(keyAddOnly, []byte{1}); err != nil {
				return err
			}
		}
		if len(m.OldKeys) > 0 {
			old, err := tx.CreateBucket(bucketOldKeys)
			if err != nil {
				return err
			}
			for i, sealed := range m.OldKeys {
				if err := old.Put(u64(uint64(i+1)), sealed); err != nil {
					return err
				}
			}
		}
		if len(m.Statements) > 0 {
			return putStatements(tx, m.Statements)
		}
		return putStatement(tx, m.OwnerKey, ChainRef{}, &Statement{
			At: time.Now().UTC().Truncate(time.Second), Recipient: m.Recipients[0], Devices: m.Devices, Change: "created"})
	})
}

// NewID returns a new random journal identifier.
func NewID() []byte {
	id := make([]byte, journalIDLen)
	rand.Read(id)
	return id
}

// formatVersion reads the version from the format mark, or 0 if it is not
// a journal's.
func formatVersion(mark []byte) int {
	v, ok := strings.CutPrefix(string(mark), formatPrefix)
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0
	}
	return n
}

// Open opens the journal at path. It waits up to [LockTimeout] for another
// process holding it, then fails with [ErrInUse].
//
// Opened for writing, it checks once it holds the lock that path still
// names the file it opened, and opens path again if not: a process that
// waited while [Store.Compact] renamed a new file over the journal writes
// to the new file, not to the old one that no name leads to any more.
// Compact also leaves that old file unreadable, so that a process of an
// earlier version fails there; a process of this one, reading or writing,
// that fails on a file its path no longer names opens the path again.
func Open(path string, opts Options) (s *Store, err error) {
	for tries := 0; ; tries++ {
		var opened os.FileInfo
		s, opened, err = openOnce(path, opts)
		switch {
		case err == nil && (opts.ReadOnly || s.samePath()):
			return s, nil
		case err != nil && !replaced(path, opened):
			return nil, err
		case err == nil:
			closeQuietly(s.db)
		}
		if tries == 3 {
			return nil, fmt.Errorf("%s: the file was replaced while it was being opened, again and again: run the command again", path)
		}
	}
}

// openedHook, when a test sets it, runs once Open has opened the file and
// before it waits for its lock.
var openedHook func()

// replaced reports whether path names another file than opened, the file
// an open of it opened (nil if it opened none).
func replaced(path string, opened os.FileInfo) bool {
	now, err := os.Stat(path)
	return opened != nil && err == nil && !os.SameFile(now, opened)
}

// openOnce opens the file path names now. opened is that file, once it is
// open, even when it could not be read.
func openOnce(path string, opts Options) (s *Store, opened os.FileInfo, err error) {
	defer guard(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("%s: %w", path, ErrNoJournal)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("opening journal: %w", err)
	}
	if info.Size() == 0 {
		// bbolt would initialise an empty file; it is not ours to change.
		// A journal cut to nothing is truncated (exit 4), and no path
		// given by mistake can be told apart from it.
		return nil, nil, &IntegrityError{Reason: path + " is empty (0 bytes): if it is the right file, it was cut to nothing", Err: ErrNotJournal}
	}
	// bbolt would read the older header page if the newer is damaged,
	// and trust the page numbers of a truncated file: check first, on
	// the file bbolt then opens, so that the journal is opened once.
	f, err := openForBolt(path, opts.ReadOnly)
	if err != nil {
		return nil, nil, err
	}
	opened, _ = f.Stat()
	if openedHook != nil {
		openedHook()
	}
	if _, err := checkHeaderOf(f); err != nil {
		f.Close()
		if errors.Is(err, ErrNotJournal) {
			return nil, opened, fmt.Errorf("%s: %w", path, ErrNotJournal)
		}
		return nil, opened, err
	}
	s, err = openChecked(path, opts, f)
	return s, opened, err
}

// openChecked opens a file whose header pages were checked: bbolt reads
// the current one. f, if not nil, is the file opened for it
// ([openForBolt]); it is closed with the store.
func openChecked(path string, opts Options, f *os.File) (s *Store, err error) {
	openFile, closeUnused := handOver(f)
	defer closeUnused()
	var db *bolt.DB
	// Runs last: a file opened and then found damaged (a panic while
	// reading its buckets) is closed, so that its lock is not kept.
	defer func() {
		if err != nil && db != nil {
			closeQuietly(db)
		}
	}()
	defer guard(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	wait := opts.LockWait
	if wait <= 0 {
		wait = LockTimeout
	}
	db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: wait, ReadOnly: opts.ReadOnly, OpenFile: openFile})
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
	s = &Store{db: db, path: path, opts: opts}
	s.opened, _ = f.Stat()
	err = db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil || tx.Bucket(bucketLog) == nil {
			return notJournal(tx, path)
		}
		s.version = formatVersion(meta.Get(keyFormat))
		s.id = bytes.Clone(meta.Get(keyID))
		switch {
		case s.version == 0:
			return notJournal(tx, path)
		case s.version > FormatVersion:
			return fmt.Errorf("%s: format version %d: %w", path, s.version, ErrNewerFormat)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// notJournal says what a database without a journal's meta bucket, log
// or format version is: a journal damaged where it says what it is, when
// any bucket only a journal has is there (one changed byte cannot take
// them all), or else another program's file.
func notJournal(tx *bolt.Tx, path string) error {
	for _, name := range [][]byte{bucketMeta, bucketLog, bucketBlobs, bucketCache, bucketHeads, bucketManifest, bucketUnlock} {
		if tx.Bucket(name) != nil {
			return &IntegrityError{Reason: "the part of it that says it is a journal (its format and identity) is damaged"}
		}
	}
	return fmt.Errorf("%s: %w", path, ErrNotJournal)
}

// closeQuietly closes a damaged file, whatever bbolt makes of it.
func closeQuietly(db *bolt.DB) {
	defer func() { recover() }()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	db.Close()
}

// Close releases the journal. A cache that a read prepared is written
// first, or, on a read-only store, just after (see cache.go).
func (s *Store) Close() error {
	s.writePendingCache()
	if s.unchanged && s.db.IsReadOnly() {
		s.pending, s.counted, s.carry = nil, nil, nil
	}
	if !s.db.IsReadOnly() {
		s.flushCache()
	}
	err := s.db.Close()
	s.flushCache()
	return err
}

// KeepUnchanged makes the store, opened read-only, never write to the
// journal file, not even what a read leaves to write on [Store.Close]
// (counters, keys kept for the sync folder): for `journal verify`, which
// must leave the file it checks as it found it. The cache, a file of its
// own beside the journal, is still written.
func (s *Store) KeepUnchanged() { s.unchanged = true }

// Path is the file the journal is in.
func (s *Store) Path() string { return s.path }

// UseDevice sets the device that signs what [Store.Append] adds, and the
// pin it checks the journal against and brings forward.
func (s *Store) UseDevice(d *Device, p *Pin) { s.opts.Device, s.opts.Pin = d, p }

// UseAddressKey sets the key that names evidence by its content (see
// [BlobAddress]); nil gives random keys.
func (s *Store) UseAddressKey(key []byte) { s.opts.AddressKey = key }

// Version is the file's format version: 1 or [FormatVersion].
func (s *Store) Version() int { return s.version }

// ID is the journal's random identifier.
func (s *Store) ID() []byte { return s.id }

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
		m.Version = s.version
		m.Unlocks = readUnlocks(tx)
		m.OldKeys = readOldKeys(tx)
		if s.version == 1 {
			for r := range strings.SplitSeq(string(b.Get(keyRecipients)), "\n") {
				if r != "" {
					m.Recipients = append(m.Recipients, r)
				}
			}
		} else {
			man, err := readManifest(tx)
			if err != nil {
				return err
			}
			m.Recipients = []string{man.Head().Recipient}
			m.Owner = man.Head().Owner
		}
		m.AddOnly = len(b.Get(keyAddOnly)) > 0
		m.SyncFolder = string(b.Get(keySyncFolder))
		if len(m.ID) == 0 || (len(m.WrappedIdentity) == 0 && !m.AddOnly) || len(m.Recipients) == 0 {
			return &IntegrityError{Reason: "its keys are missing"}
		}
		return nil
	})
	if err == nil && m.SyncFolder != "" {
		m.SyncHere, m.SyncFile = s.syncsHere()
	}
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

func u64(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

package journal

// # The cache
//
// Replaying the log costs one public-key decryption per record, about
// 0.2 ms each: too much for a timeline of 10,000 incidents. So the journal
// keeps a derived cache of the decoded [State] in a file beside the journal
// file (cachefile.go): one age ciphertext, sealed to the journal's
// recipients like any record. Reading opens the cache, checks that the log
// still holds the record it was written up to, and replays only the
// records appended since.
//
// The log is the truth; the cache is a convenience:
//
//   - A cache that is missing, does not decrypt or does not authenticate is
//     ignored, and rebuilt from the log.
//   - Anyone who knows the public recipients can seal a ciphertext, so the
//     cache also carries an HMAC keyed with a secret only the journal's
//     identity gives ([CacheKeys]). A forged cache is ignored like a
//     damaged one.
//   - A cache that authenticates but disagrees with the log (the record it
//     was written up to is gone or different) means the log was changed
//     after this journal's key last read it: an [IntegrityError].
//   - [Store.Verify] replays the whole log and checks that the cache,
//     brought up to date, gives exactly the state the log gives.
//
// A read writes the cache anew when it was missing or damaged, or when it
// had to replay [refreshAfter] records or more (a few for a small journal,
// [cacheRefresh] for a large one). A read-only store cannot write, and
// must not hold the write lock while it reads; so the new cache is sealed
// during the read and written to its file when the store is closed (about
// 5 MB for 10,000 incidents). The journal file is opened for writing then
// only when something else must change in it (keys the new cache holds
// are dropped, an earlier version's cache bucket is emptied), for as long
// as one transaction takes, and only if no other process holds it.

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"runtime"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/journal-dev/journal/privatefile"
)

// CacheKeys is what reading through the cache needs: to open records and
// the cache, to seal a new cache, and a secret that only the journal's
// identity gives, which marks the cache as its holder's. An [Opener] passed
// to [Store.Load] that is also CacheKeys reads through the cache;
// crypto.Sealer is one.
type CacheKeys interface {
	Opener
	Sealer
	// OpenKeyed opens a ciphertext and gives the file key it is sealed
	// with; SealStreamKeyed seals a stream and gives its file key first.
	OpenKeyed(ciphertext []byte) (plaintext, fileKey []byte, err error)
	SealStreamKeyed(dst io.Writer) (w io.WriteCloser, fileKey []byte, err error)
	// CacheSecret returns at least 16 bytes derived from the identity
	// that opens the journal, the same every time; nil if there is none.
	CacheSecret() []byte
}

// cacheRefresh is the most records a read may replay on top of the cache
// before it writes the cache anew. Below it, replaying is cheaper than
// sealing and writing the whole state again.
const cacheRefresh = 64

// refreshAfter is how many records a read replays on top of the cache of a
// journal of records records before it writes the cache anew (or, reading
// a selection, leaves it to [Store.Load], which does). Each record
// replayed costs every read about 0.3 ms (the identity unwraps its key,
// its signature is checked); writing the cache costs about 5 µs an
// incident, once (10 ms at 2,000): a small journal is worth refreshing
// after a few records, a large one only after cacheRefresh.
func refreshAfter(records uint64) uint64 {
	return min(max(records/200, 16), cacheRefresh)
}

// stampWeight is how many records a stamp replayed on top of the cache
// counts as toward its refresh: its token's check costs about 0.5 ms of
// processor time (a record about 0.3 ms), and the first check of a process
// that needs the system's roots loads them (20 to 50 ms).
const stampWeight = 16

// cacheLockWait is how long closing a read-only store waits for the write
// lock to store a new cache before leaving it to a later read.
const cacheLockWait = 100 * time.Millisecond

var keyState = []byte("state")

// cached is a cache as read: the record it was written up to, and the
// state's encoding.
type cached struct {
	seq  uint64
	hash [32]byte
	keys *fileKeys
	body []byte
	// fromBucket is set when it was read where an earlier version kept
	// it, in the journal file (cachefile.go).
	fromBucket bool
	// stale is set for a cache written when State had another shape
	// (stateSchema): its state is not read, only its file keys, which do
	// not depend on that shape and are authenticated with the rest.
	stale bool
}

// pendingCache is a sealed cache waiting to be written when the store is
// closed.
type pendingCache struct {
	seq uint64
	// provisional is set when lists of provisional file keys are to be
	// dropped once the cache is written.
	provisional bool
	// hints is set when lists of keys that came with a sync folder's
	// segments are to be dropped once the cache is written.
	hints bool
	// legacy is set when an earlier version's cache is to be deleted
	// from the journal file once this one is in its file.
	legacy bool
	hash   [32]byte
	// ciphertext is the sealed cache, in pieces written one after the
	// other.
	ciphertext [][]byte
	// file, if set, holds the sealed cache in place of ciphertext
	// (cacherefresh.go): a file with no name yet, in the cache file's
	// folder, named as the cache file by writePendingCache.
	file *privatefile.File
}

// keyUnavailable reports whether an opener's error is one of the key's
// holder (an unlock agent that stopped answering) rather than of the
// ciphertext: such an error says nothing about the journal, and is
// returned as it is.
func keyUnavailable(err error) bool {
	var k interface{ KeyUnavailable() bool }
	return errors.As(err, &k) && k.KeyUnavailable()
}

// errNoCache is why a cache was not used when there is none.
var errNoCache = errors.New("no cache")

// Load returns the journal as it stands. Every record read is checked on
// the way: the chain, the ciphertext, the record. When opener is also
// [CacheKeys], Load starts from the cache and reads only the records
// appended since it was written; otherwise it replays the whole log.
func (s *Store) Load(opener Opener) (*State, error) {
	keys, ok := opener.(CacheKeys)
	if !ok || len(keys.CacheSecret()) < 16 {
		fk := &fileKeys{}
		s.readProvisional(opener, 0, fk)
		s.readHints(opener, fk)
		st, _, _, err := s.replayTrusting(opener, NewState(), NewState, fk)
		if err != nil {
			return nil, err
		}
		s.recount(st)
		return st, s.setEmptyFingerprint(st)
	}
	_, c, err := s.readCache(keys)
	if err != nil && !errors.Is(err, errNoCache) && !isDamagedCache(err) {
		return nil, err
	}
	// conflict is set when the cache authenticates but the log no longer
	// holds what it was written from. The whole log is replayed then, so
	// that a damaged record is named as such; if the log is sound in
	// itself, the conflict is the error, and the cache stays as evidence.
	var conflict error
	var st *State
	if c != nil && !c.stale {
		if conflict = s.matchesLog(c); conflict == nil {
			if st, err = decodeState(c.body); err != nil {
				st = nil // damaged all the same: rebuild
			}
		}
	}
	fresh := st == nil
	// again gives the state to start from once more, if the replay must
	// start over (replayTrusting).
	again := NewState
	if fresh {
		st = NewState()
	} else {
		again = func() *State {
			st, err := decodeState(c.body)
			if err != nil {
				return NewState()
			}
			return st
		}
	}
	fk := &fileKeys{}
	if c != nil {
		fk = c.keys
	}
	provisional := s.hasProvisional(st.Seq)
	if provisional {
		s.readProvisional(keys, st.Seq, fk)
	}
	hints := s.hasHints()
	if hints {
		s.readHints(keys, fk)
	}
	stampsBefore := len(st.Stamps)
	st, last, n, err := s.replayTrusting(keys, st, again, fk)
	if err != nil {
		return nil, err
	}
	if conflict != nil {
		return nil, conflict
	}
	if n == 0 && !fresh {
		last = c.hash // nothing replayed: the cache's own last record
	}
	// A stamp replayed costs its token's check (stamptoken.go), and the
	// first in a process the loading of the system's roots: more than a
	// record, so stamps bring the cache's refresh nearer.
	n += stampWeight * max(len(st.Stamps)-stampsBefore, 0)
	// A file with no identifier of its own yet gets one with its next
	// cache (cachebind.go).
	if st.Seq > 0 && (fresh || provisional || (hints && n > 0) || uint64(n) >= refreshAfter(st.Seq) || s.needsFileID()) {
		if err := s.prepareCache(keys, st, last, fk); err != nil {
			return nil, err
		}
		s.pending.provisional = provisional
		s.pending.hints = hints && n > 0
	}
	if s.pending == nil && !fresh && c.fromBucket {
		// An earlier version's cache, sound: moved to the cache file as
		// it is, when the store is closed.
		if ct := s.legacySealed(); ct != nil {
			s.pending = &pendingCache{seq: c.seq, hash: c.hash, ciphertext: [][]byte{ct}}
		}
	}
	s.prepareCarry(keys, fk)
	s.recount(st)
	return st, s.setEmptyFingerprint(st)
}

// checkCache checks the cache against the log, for [Store.Verify], which
// has replayed the whole log into rep. A cache that authenticates must be
// one the log still holds the record of, and brought up to date from the
// log it must give exactly the state the whole log gives. A cache that is
// missing, damaged or wrong is rebuilt from rep's state, to be written
// when the store is closed; a wrong one is also reported.
func (s *Store) checkCache(opener Opener, rep *VerifyReport) error {
	keys, ok := opener.(CacheKeys)
	if !ok || len(keys.CacheSecret()) < 16 {
		return nil
	}
	_, c, err := s.readCache(keys)
	if err != nil && !errors.Is(err, errNoCache) && !isDamagedCache(err) {
		return err
	}
	var mismatch error
	if c != nil && !c.stale {
		// The log holding the record the cache was written up to is
		// checked first: if it does not, the cache stays as evidence.
		if err := s.matchesLog(c); err != nil {
			return err
		}
		st, err := decodeState(c.body)
		if err == nil {
			_, _, err = s.replayFrom(keys, st, c.keys, nil)
		}
		if err != nil {
			return err
		}
		// Compared by the hash of their encodings, made a little at a
		// time: 35 MB each at 100,000 incidents.
		got, want := sha256.New(), sha256.New()
		err1, err2 := writeState(got, st), writeState(want, rep.State)
		if err := cmp.Or(err1, err2); err != nil {
			return err
		}
		if !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
			mismatch = &CacheMismatchError{Seq: c.seq}
		}
	}
	if c == nil || c.stale || mismatch != nil || c.seq != rep.State.Seq {
		if st := rep.State; st.Seq > 0 && int(st.Seq) < len(rep.chain) {
			if err := s.prepareCache(keys, st, rep.chain[st.Seq], rep.keys); err != nil {
				return err
			}
		}
	}
	return mismatch
}

// replayFrom applies to st every record after st.Seq, in order and
// checked, calling each (if set) with the position and chain hash of each
// one. It returns the chain hash of the last record applied (zero if none
// was) and how many were. Records whose file key keys holds are opened
// with it; the keys of the others are added to keys.
//
// Records are decrypted on every processor at once (public-key work, about
// 0.2 ms a record, is the cost of rebuilding the cache of a large journal)
// and applied in order; the first bad record is the one reported, as if
// they were read one by one.
func (s *Store) replayFrom(opener Opener, st *State, keys *fileKeys, each func(seq uint64, hash [32]byte, e *Envelope, r *Record) error) (last [32]byte, n int, err error) {
	type job struct {
		seq  uint64
		hash [32]byte
		e    *Envelope
		r    *Record
		key  []byte
		err  error
		done chan struct{}
	}
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *job, 64*workers)
	inOrder := make(chan *job, 64*workers)
	stop := make(chan struct{})
	var scanErr error
	go func() {
		defer close(jobs)
		defer close(inOrder)
		scanErr = s.Scan(st.Seq, func(seq uint64, e *Envelope, hash [32]byte) error {
			j := &job{seq: seq, hash: hash, e: e, done: make(chan struct{})}
			select {
			case inOrder <- j:
			case <-stop:
				return errStopped
			}
			jobs <- j
			return nil
		})
	}()
	for range workers {
		go func() {
			for j := range jobs {
				j.r, j.key, j.err = openRecordKeyed(opener, keys, j.seq, j.e)
				close(j.done)
			}
		}()
	}
	stopped := false
	for j := range inOrder {
		<-j.done
		if err == nil {
			err = j.err
		}
		if err == nil && j.r.Stamp != nil && j.r.Stamp.Covers == nil && j.r.Journal != "" {
			s.fillCovers(j.r.Stamp) // made before stamps named their records
		}
		if err == nil && j.r.Stamp != nil && j.r.Stamp.Covers != nil && j.r.Journal != "" {
			j.r.coversOther = !s.heldHere(j.r.Stamp.Covers, j.seq)
		}
		if err == nil {
			err = st.Apply(j.seq, j.hash, j.r)
		}
		if err == nil && each != nil {
			err = each(j.seq, j.hash, j.e, j.r)
		}
		if err != nil {
			// The scan reads stop: close it once, never change it.
			if !stopped {
				close(stop)
				stopped = true
			}
			continue // drain, so the scan and the workers end
		}
		last, n = j.hash, n+1
		keys.set(j.seq, j.key)
	}
	if err == nil && scanErr != nil && !errors.Is(scanErr, errStopped) {
		err = scanErr
	}
	return last, n, err
}

// replayTrusting replays onto st as replayFrom does, with the signature
// of each device's newest record standing for the records of its chain
// before it (see signedTips). If the replay fails, it starts over from
// again() with every signature checked, so that the record named is the
// first that does not hold, as if each had been checked.
func (s *Store) replayTrusting(opener Opener, st *State, again func() *State, keys *fileKeys) (*State, [32]byte, int, error) {
	tips, err := s.signedTips(st.Seq)
	if err == nil && len(tips) > 0 {
		keys.tips = tips
		last, n, err := s.replayFrom(opener, st, keys, nil)
		keys.tips = nil
		if err == nil || keyUnavailable(err) {
			return st, last, n, err
		}
		st = again()
	}
	last, n, err := s.replayFrom(opener, st, keys, nil)
	return st, last, n, err
}

// errStopped ends a scan whose records are no longer wanted.
var errStopped = errors.New("stopped")

// setEmptyFingerprint gives an empty journal the fingerprint of its
// genesis.
func (s *Store) setEmptyFingerprint(st *State) error {
	if st.Seq != 0 {
		return nil
	}
	_, fp, err := s.Head()
	st.Fingerprint = fp
	return err
}

// damagedCacheError is a cache that cannot be used: it does not decrypt,
// authenticate or decode. It is rebuilt, never reported.
type damagedCacheError struct{ reason string }

func (e *damagedCacheError) Error() string { return "cache is damaged: " + e.reason }

// CacheMismatchError is what [Store.Verify] finds when the journal's
// cache authenticates (only the holder of its key could have written it)
// but, brought up to date, does not give what the whole log gives. The
// journal file is sound: the cache has been made again from it. A cache
// file copied from another computer's journal file, or from another copy
// of this one, does this; so would a fault in this program.
type CacheMismatchError struct {
	// Seq is the record the cache was written up to.
	Seq uint64
}

func (e *CacheMismatchError) Error() string {
	return fmt.Sprintf("the journal file is sound, but its cache, written up to record %d, did not give what the log gives: "+
		"it was made again from the log", e.Seq)
}

func isDamagedCache(err error) bool {
	var d *damagedCacheError
	return errors.As(err, &d)
}

// readCache returns the journal's identifier and its cache, opened and
// authenticated. Without a cache the error is errNoCache; with one that
// cannot be used it is a damagedCacheError.
func (s *Store) readCache(keys CacheKeys) (id []byte, c *cached, err error) {
	id, plain, fileKey, fromBucket, openErr, err := s.openCache(keys)
	if err != nil {
		return id, nil, err
	}
	if keyUnavailable(openErr) {
		return id, nil, openErr
	}
	if openErr != nil {
		return id, nil, &damagedCacheError{"it does not decrypt: " + openErr.Error()}
	}
	if c, err = openedCache(plain, keys.CacheSecret(), id, fileKey); err != nil {
		return id, nil, err
	}
	c.fromBucket = fromBucket
	return id, c, nil
}

// matchesLog checks that the log still holds the record an authenticated
// cache was written up to, unchanged. If it does not, the log was cut
// short or rewritten since this journal's key last read it.
//
// A cache file beside a journal file that has no identifier of its own
// (one an earlier version made) is bound to the journal alone, so it may
// be another copy's of the journal: the error then says so, and how to
// tell.
func (s *Store) matchesLog(c *cached) error {
	return s.view(func(tx *bolt.Tx) error {
		unbound := !c.fromBucket && len(tx.Bucket(bucketMeta).Get(keyFileID)) == 0
		v := tx.Bucket(bucketLog).Get(u64(c.seq))
		if v == nil {
			head, _, err := head(tx)
			if err != nil {
				return err
			}
			if unbound {
				return &IntegrityError{Seq: head + 1, Reason: fmt.Sprintf(
					"is missing: the log ends at record %d, but the cache beside the journal file was written up to record %d: %s", head, c.seq, s.anotherCopysCache())}
			}
			return &IntegrityError{Seq: head + 1, Reason: fmt.Sprintf(
				"is missing: the log ends at record %d, but it went up to record %d when this journal was last read", head, c.seq)}
		}
		h, err := journalHeadAt(tx, c.seq)
		if err != nil {
			return err
		}
		if h != c.hash {
			if unbound {
				return &IntegrityError{Seq: c.seq, Reason: "is not the record the cache beside the journal file was written from: " + s.anotherCopysCache()}
			}
			return &IntegrityError{Seq: c.seq, Reason: "is not the record that was there when this journal was last read: the log was rewritten"}
		}
		return nil
	})
}

// anotherCopysCache says what a cache that disagrees with the log of a
// journal file with no identifier of its own may be, and what to do.
func (s *Store) anotherCopysCache() string {
	return "either the log was rewritten, or the cache file is another copy's of the journal (copied from another computer?), " +
		"which a journal file made by an earlier version, with no identifier of its own yet, cannot tell apart: if the cache was copied, delete " +
		CachePath(s.path) + " and run the command again (the next read makes it anew)"
}

// prepareCache seals st, whose last record has the chain hash last, as the
// new cache of this file (sealBinding), to be written when the store is
// closed.
func (s *Store) prepareCache(keys CacheKeys, st *State, last [32]byte, fk *fileKeys) error {
	if fk == nil {
		fk = &fileKeys{}
	}
	binding, err := s.sealBinding()
	if err != nil {
		return err
	}
	ct, err := sealCache(keys, binding, st, last, fk)
	if err != nil {
		return fmt.Errorf("sealing the cache: %w", err)
	}
	s.dropPending()
	s.pending = &pendingCache{seq: st.Seq, hash: last, ciphertext: ct}
	return nil
}

// DropCache forgets a cache that a read prepared, so that closing the
// store writes nothing: for a command that failed after reading.
func (s *Store) DropCache() {
	s.dropPending()
	s.counted, s.carry = nil, nil
}

// dropPending forgets the cache a read prepared, and removes the file it
// was written to, if any.
func (s *Store) dropPending() {
	if s.pending != nil && s.pending.file != nil {
		s.pending.file.Abort()
	}
	s.pending = nil
}

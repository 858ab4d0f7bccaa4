package journal

// # Compacting
//
// bbolt never gives a file's pages back: a page freed by a commit goes to
// the file's list of free pages, which bbolt reads at every open for
// writing and writes at every commit. A journal written by an earlier
// version, which kept its cache in the file and rewrote it at every
// refresh, holds many of them (145,661 free pages, a list of 258 KB, in a
// journal of 100,000 incidents), and every `journal add` pays for them.
//
// A compacted copy is written key by key into a new file, in one read
// transaction of the journal, so it is the journal as of one moment, and
// it is then read back and compared with that same transaction key by
// key: the copy holds exactly what the journal held, or it is not kept.
// [Store.Backup] writes one to another file; [Store.Compact] renames one
// over the journal file itself, holding the journal's write lock, and
// [Open] makes sure a writer that waited for that lock on the old file
// opens the new one.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/journal-dev/journal/privatefile"
)

// compactBatch is how many bytes of keys and values one transaction of the
// copy writes before it commits, so that memory stays bounded.
const compactBatch = 16 << 20

// skipFunc says whether the value under key k in the bucket at path is
// left out of a copy.
type skipFunc func(path [][]byte, k []byte) bool

// skipNothing copies every key.
func skipNothing([][]byte, []byte) bool { return false }

// skipOldCache leaves out the cache an earlier version kept in the journal
// file: a copy makes its own cache at its first read.
func skipOldCache(path [][]byte, k []byte) bool {
	return len(path) == 1 && bytes.Equal(path[0], bucketCache) && bytes.Equal(k, keyState)
}

// compactCopy writes what tx sees to the bbolt file name (new and empty),
// without free pages and without the keys skip names, makes it durable,
// and then reads it back and compares it with tx.
func compactCopy(tx *bolt.Tx, name string, skip skipFunc) error {
	db, err := bolt.Open(name, 0o600, &bolt.Options{Timeout: time.Second, NoSync: true})
	if err != nil {
		return err
	}
	c := &copier{db: db, skip: skip}
	err = c.copyAll(tx)
	if err == nil {
		err = db.Sync()
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return sameAs(tx, name, skip)
}

// copier copies buckets into db, committing every compactBatch bytes.
type copier struct {
	db   *bolt.DB
	tx   *bolt.Tx
	src  *bolt.Tx
	size int
	skip skipFunc
}

func (c *copier) copyAll(src *bolt.Tx) (err error) {
	c.src = src
	if c.tx, err = c.db.Begin(true); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			c.tx.Rollback()
		}
	}()
	err = src.ForEach(func(name []byte, b *bolt.Bucket) error {
		if _, err := c.tx.CreateBucket(name); err != nil {
			return err
		}
		return c.copyBucket(b, [][]byte{name})
	})
	if err != nil {
		return err
	}
	return c.tx.Commit()
}

// bucket finds the bucket at path in the copy's current transaction.
func (c *copier) bucket(path [][]byte) *bolt.Bucket {
	b := c.tx.Bucket(path[0])
	for _, k := range path[1:] {
		b = b.Bucket(k)
	}
	b.FillPercent = 1 // the keys come in order: fill every page
	return b
}

// copyBucket copies the bucket src into the copy's bucket at path, which
// exists and is empty.
func (c *copier) copyBucket(src *bolt.Bucket, path [][]byte) error {
	dst := c.bucket(path)
	if err := dst.SetSequence(src.Sequence()); err != nil {
		return err
	}
	cur := src.Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		if v == nil {
			if _, err := dst.CreateBucket(k); err != nil {
				return err
			}
			sub := append(path[:len(path):len(path)], k)
			if err := c.copyBucket(src.Bucket(k), sub); err != nil {
				return err
			}
			dst = c.bucket(path)
			continue
		}
		if c.skip(path, k) {
			continue
		}
		if c.size += len(k) + len(v); c.size > compactBatch {
			if err := c.tx.Commit(); err != nil {
				return err
			}
			// What was copied need not stay resident (see releaseMap).
			releaseMap(c.src)
			var err error
			if c.tx, err = c.db.Begin(true); err != nil {
				return err
			}
			c.size = len(k) + len(v)
			dst = c.bucket(path)
		}
		if err := dst.Put(k, v); err != nil {
			return err
		}
	}
	return nil
}

// mismatchError says where a copy differs from the journal it was made
// from: a copy that went wrong, or a journal file whose pages are damaged
// (keys out of order read differently from how they are written).
type mismatchError struct{ msg string }

func (e *mismatchError) Error() string { return e.msg }

func mismatch(format string, a ...any) error { return &mismatchError{fmt.Sprintf(format, a...)} }

// sameAs opens the copy at name read-only and compares it with tx: the
// same buckets, sequences, keys and values, but for the keys skip names.
func sameAs(tx *bolt.Tx, name string, skip skipFunc) error {
	db, err := bolt.Open(name, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	return db.View(func(ctx *bolt.Tx) error {
		n, read := 0, 0
		err := tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			n++
			cb := ctx.Bucket(name)
			if cb == nil {
				return mismatch("the copy has no bucket %q", name)
			}
			return sameBucket(b, cb, [][]byte{name}, skip, func(n int) {
				if read += n; read > compactBatch {
					releaseMap(tx)
					releaseMap(ctx)
					read = 0
				}
			})
		})
		if err != nil {
			return err
		}
		return ctx.ForEach(func([]byte, *bolt.Bucket) error {
			if n--; n < 0 {
				return mismatch("the copy has a bucket the journal has not")
			}
			return nil
		})
	})
}

// sameBucket compares a bucket of the journal with its copy, calling read
// with the size of each value compared.
func sameBucket(a, b *bolt.Bucket, path [][]byte, skip skipFunc, read func(int)) error {
	where := string(bytes.Join(path, []byte("/")))
	if a.Sequence() != b.Sequence() {
		return mismatch("bucket %s: the copy's sequence differs", where)
	}
	ca, cb := a.Cursor(), b.Cursor()
	ka, va := ca.First()
	kb, vb := cb.First()
	for ka != nil {
		if va != nil && skip(path, ka) {
			ka, va = ca.Next()
			continue
		}
		if kb == nil || !bytes.Equal(ka, kb) || (va == nil) != (vb == nil) {
			return mismatch("bucket %s: the copy's keys differ from the journal's", where)
		}
		if va == nil {
			if err := sameBucket(a.Bucket(ka), b.Bucket(kb), append(path[:len(path):len(path)], ka), skip, read); err != nil {
				return err
			}
		} else if !bytes.Equal(va, vb) {
			return mismatch("bucket %s: a value in the copy differs from the journal's", where)
		} else {
			read(len(ka) + len(va))
		}
		ka, va = ca.Next()
		kb, vb = cb.Next()
	}
	if kb != nil {
		return mismatch("bucket %s: the copy has a key the journal has not", where)
	}
	return nil
}

// CompactReport says what [Store.Compact] did.
type CompactReport struct {
	// Before and After are the journal file's sizes.
	Before, After int64
	// Records and Fingerprint are those of the log, the same before and
	// after.
	Records     uint64
	Fingerprint string
}

// compactStage, when a test sets it, is called at each step of Compact;
// an error it returns stops Compact there, as an interruption would.
var compactStage func(stage string) error

func stage(name string) error {
	if compactStage == nil {
		return nil
	}
	return compactStage(name)
}

// Compact rewrites the journal file without its free pages. The store must
// be open for writing, so that it holds the journal's lock: the compacted
// copy is written beside the journal file (a hidden file named after it),
// made durable, compared with the journal key by key and its chain
// checked, and then renamed over the journal file while the lock is still
// held. Stopped at any point, the journal file is the old one or the new
// one, both whole. The copy is given to [privatefile.Temporary], so that a
// program interrupted by a signal removes it; one left by a kill is
// removed by the next Compact. Once the copy is in place, the store's file,
// the old one, is left unreadable for any process waiting on its lock
// ([Store.retire]): close the store, and open the journal again to read it.
func (s *Store) Compact() (rep *CompactReport, err error) {
	if s.db.IsReadOnly() {
		return nil, ErrReadOnly
	}
	dir, base := filepath.Split(s.path)
	if dir == "" {
		dir = "."
	}
	prefix := "." + base + ".compact-"
	if entries, err := os.ReadDir(dir); err == nil {
		// Copies left by a compaction that was stopped: this store holds
		// the lock, so none is running.
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), prefix) && e.Type().IsRegular() {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
	info, err := os.Stat(s.path)
	if err != nil {
		return nil, fmt.Errorf("compacting: %w", err)
	}
	rep = &CompactReport{Before: info.Size()}
	tmp, err := os.CreateTemp(dir, prefix+"*")
	if err != nil {
		return nil, fmt.Errorf("compacting: %w", err)
	}
	name := tmp.Name()
	tmp.Close()
	untrack := privatefile.Temporary(name)
	renamed := false
	defer func() {
		if !renamed {
			os.Remove(name)
		}
		untrack()
	}()
	if err := stage("copy"); err != nil {
		return nil, err
	}
	err = s.view(func(tx *bolt.Tx) error {
		if err := compactCopy(tx, name, skipNothing); err != nil {
			return err
		}
		seq, h, err := head(tx)
		rep.Records, rep.Fingerprint = seq, Fingerprint(h)
		return err
	})
	var ie *IntegrityError
	var me *mismatchError
	switch {
	case errors.As(err, &ie):
		return nil, err
	case errors.As(err, &me):
		return nil, fmt.Errorf("compacting: the copy does not hold what the journal holds, so the journal was left as it was: %w", err)
	case err != nil:
		return nil, fmt.Errorf("compacting: %w", err)
	}
	if err := stage("check"); err != nil {
		return nil, err
	}
	seq, fp, err := checkCopy(name)
	if err != nil {
		return nil, fmt.Errorf("compacting: the copy does not check out, so the journal was left as it was: %w", err)
	}
	if seq != rep.Records || fp != rep.Fingerprint {
		return nil, fmt.Errorf("compacting: the copy has %d records with fingerprint %s, the journal %d with %s: the journal was left as it was",
			seq, fp, rep.Records, rep.Fingerprint)
	}
	if err := os.Chmod(name, info.Mode().Perm()); err != nil {
		return nil, fmt.Errorf("compacting: %w", err)
	}
	if err := stage("rename"); err != nil {
		return nil, err
	}
	old, err := os.OpenFile(s.path, os.O_WRONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("compacting: %w", err)
	}
	defer old.Close()
	if info, err := old.Stat(); err != nil || s.opened == nil || !os.SameFile(info, s.opened) {
		return nil, errors.New("compacting: the journal file was replaced meanwhile: nothing was changed")
	}
	if err := os.Rename(name, s.path); err != nil {
		// Windows does not let a file that is open be replaced.
		return nil, fmt.Errorf("compacting: the compacted copy could not take the journal file's place (%w): the journal was left as it was; 'journal backup FILE' writes the same compacted copy, which can take its place once no journal command is running", err)
	}
	renamed = true
	s.retire(old)
	syncDir(dir)
	if info, err := os.Stat(s.path); err == nil {
		rep.After = info.Size()
	}
	return rep, nil
}

// retire makes the old journal file, which the store opened and the
// compacted copy was just renamed over, unreadable as a bbolt file while
// the store still holds its lock: its two header (meta) pages are zeroed
// through old, a second descriptor of it. A process that opened the file
// before the rename and waits on its lock reads those pages first once it
// has the lock, and fails there (bbolt's "invalid database": "not a
// journal file" in every version of journal) instead of writing a record
// to a file no name leads to, which would be lost with it. This version
// then opens the path again ([Open]). A file another name still leads to
// (a hard link) is left whole. The store must write nothing more.
func (s *Store) retire(old *os.File) {
	s.replaced = true
	if !nameless(old) {
		return
	}
	zero := make([]byte, 2*s.db.Info().PageSize)
	old.WriteAt(zero, 0)
}

// syncDir makes a rename in dir durable; some file systems cannot sync a
// folder, and the file's own data is already synced.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

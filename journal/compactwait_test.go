package journal_test

import (
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/journal-dev/journal/internal/testwait"
	"github.com/journal-dev/journal/journal"
)

// TestAnEarlierVersionWaitingDuringCompactCannotWrite is the writer an
// earlier version of journal would be: it opens the journal file with
// bbolt and waits on its lock while this version compacts it, and then
// does not look again at what the path names. Compaction must leave it
// nothing it can write to: a record it wrote to the old file, which no
// name leads to any more, would be lost without a word.
func TestAnEarlierVersionWaitingDuringCompactCannotWrite(t *testing.T) {
	path, _, _ := oldJournal(t, 10)
	seq, fp := headOf(t, path)
	a := open(t, path, false)
	opened := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		db, err := bolt.Open(path, 0o600, &bolt.Options{
			Timeout: time.Minute,
			OpenFile: func(name string, flag int, mode os.FileMode) (*os.File, error) {
				f, err := os.OpenFile(name, flag, mode)
				close(opened)
				return f, err
			},
		})
		if err != nil {
			done <- err
			return
		}
		err = db.Update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists([]byte("written by the one that waited"))
			if err != nil {
				return err
			}
			return b.Put([]byte("record"), []byte("lost with the old file"))
		})
		db.Close()
		if err == nil {
			err = errors.New("it opened the old file and wrote to it")
		}
		done <- err
	}()
	testwait.Recv(t, opened, "the earlier version to open the journal file")
	if _, err := a.Compact(); err != nil {
		t.Fatal(err)
	}
	a.Close()
	err := testwait.Recv(t, done, "the earlier version that waited on the lock to end after compact")
	if !errors.Is(err, berrors.ErrInvalid) {
		t.Fatalf("an earlier version that waited on the lock during compact: %v; want bbolt's %q, which it says as 'not a journal file'", err, berrors.ErrInvalid)
	}
	if s, f := headOf(t, path); s != seq || f != fp {
		t.Errorf("the compacted journal holds %d records %s, want %d %s", s, f, seq, fp)
	}
}

// TestAReaderThatWaitedReadsTheCompactedJournal: a reading command of this
// version that opened the journal file and waited on its lock during
// compact opens the compacted file instead of failing on the old one.
func TestAReaderThatWaitedReadsTheCompactedJournal(t *testing.T) {
	defer func(d time.Duration) { journal.LockTimeout = d }(journal.LockTimeout)
	journal.LockTimeout = time.Minute
	path, _, _ := oldJournal(t, 10)
	seq, fp := headOf(t, path)
	a := open(t, path, false)
	opened := make(chan struct{})
	var once sync.Once
	journal.SetOpenedHookForTest(func() { once.Do(func() { close(opened) }) })
	defer journal.SetOpenedHookForTest(nil)
	type result struct {
		seq uint64
		fp  string
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := journal.Open(path, journal.Options{ReadOnly: true})
		if err != nil {
			done <- result{err: err}
			return
		}
		defer b.Close()
		s, f, err := b.Head()
		done <- result{s, f, err}
	}()
	testwait.Recv(t, opened, "the reader to open the journal file")
	if _, err := a.Compact(); err != nil {
		t.Fatal(err)
	}
	a.Close()
	r := testwait.Recv(t, done, "the reader that waited on the lock to read after compact")
	if r.err != nil || r.seq != seq || r.fp != fp {
		t.Fatalf("a reader that waited during compact: %d records %s, error %v; want %d %s", r.seq, r.fp, r.err, seq, fp)
	}
}

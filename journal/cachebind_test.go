package journal_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/journal-dev/journal/journal"
)

// copyFile copies a file as anyone with access to the folder can, no key
// needed.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// fileID reads the journal file's own identifier straight from the file
// ("" for none), as an earlier version left it.
func fileID(t *testing.T, path string, remove bool) string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: !remove})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id []byte
	fn := func(tx *bolt.Tx) error {
		id = bytes.Clone(tx.Bucket([]byte("meta")).Get([]byte("file_id")))
		if remove {
			return tx.Bucket([]byte("meta")).Delete([]byte("file_id"))
		}
		return nil
	}
	if remove {
		err = db.Update(fn)
	} else {
		err = db.View(fn)
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(id)
}

// The attack of review4: a cache made for another file of the same journal
// (another computer's, or another copy's), which the journal's key
// authenticates, is planted beside this file. It must not be believed:
// here it says something that file never recorded, and a read that used
// it would show that.
func TestACacheOfAnotherFileIsNotBelieved(t *testing.T) {
	path, sealer := newJournal(t)
	appendRecords(t, path, sealer, 3, 2, false)
	other := filepath.Join(t.TempDir(), "other.db")
	copyFile(t, path, other)
	s, err := journal.Open(other, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.NewFileID(); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// The other file's cache, written by its key, but false.
	s, err = openDevice(other)
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Load(sealer)
	if err != nil {
		t.Fatal(err)
	}
	st.Incidents[0].Summary = "not what was recorded"
	journal.PrepareCacheForTest(s, sealer, st)
	s.Close()
	copyFile(t, journal.CachePath(other), journal.CachePath(path))

	s, err = journal.Open(path, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	st, err = s.Load(sealer)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if st.Incidents[0].Summary == "not what was recorded" {
		t.Fatal("a read believed the cache of another journal file")
	}
	s, err = journal.Open(path, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Verify(sealer); err != nil {
		t.Fatalf("Verify = %v, want success: the planted cache was made again", err)
	}
}

// A file from before files had identifiers gets one with the first cache
// a read writes, so that another file's cache is not believed from then
// on; a verify, which never writes to the file it checks, gives none.
func TestAnOlderFileGetsItsIdentifierWithItsCache(t *testing.T) {
	path, sealer := newJournal(t)
	appendRecords(t, path, sealer, 3, 2, false)
	if fileID(t, path, true) == "" {
		t.Fatal("a new journal file has no identifier of its own")
	}
	os.Remove(journal.CachePath(path))
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := journal.Open(path, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	s.KeepUnchanged()
	if _, err := s.Verify(sealer); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("verify changed the journal file")
	}
	if fileID(t, path, false) != "" {
		t.Fatal("verify gave the file an identifier")
	}
	s, err = journal.Open(path, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(sealer); err != nil {
		t.Fatal(err)
	}
	s.Close()
	id := fileID(t, path, false)
	if len(id) != 16 {
		t.Fatalf("after a read, the file's identifier is %q, want 16 bytes", id)
	}
	// The cache that read wrote is the file's own: the next read opens it.
	s, err = journal.Open(path, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Verify(sealer); err != nil {
		var cm *journal.CacheMismatchError
		if errors.As(err, &cm) {
			t.Fatal("the cache written with the new identifier does not give what the log gives")
		}
		t.Fatal(err)
	}
	if fileID(t, path, false) != id {
		t.Fatal("the file's identifier changed")
	}
}

// A backup is a journal file of its own: the same records, its own
// identifier, so that the cache of the file it was copied from is not
// believed beside it.
func TestABackupHasAnIdentifierOfItsOwn(t *testing.T) {
	path, sealer := newJournal(t)
	appendRecords(t, path, sealer, 2, 0, false)
	s, err := journal.Open(path, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	rep, err := s.Backup(backup)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if a, b := fileID(t, path, false), fileID(t, backup, false); a == b || len(b) != 16 {
		t.Fatalf("backup's identifier %x, the journal's %x: want another of 16 bytes", b, a)
	}
	c, err := journal.Open(backup, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if n, _, err := c.Head(); err != nil || n != rep.Records {
		t.Fatalf("backup holds %d records (%v), want %d", n, err, rep.Records)
	}
}

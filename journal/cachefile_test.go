package journal_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

// A journal file made where one was deleted (joined again from the sync
// folder) is not read through the cache the deleted one left beside it:
// that cache authenticates with the same identity, but was written from
// another file's log.
func TestCreateForgetsTheCacheLeftBeside(t *testing.T) {
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 3, 2)
	if _, err := load(t, path, sealer); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(journal.CachePath(path)); err != nil {
		t.Fatalf("no cache file after a read: %v", err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	id, err := crypto.Generate(false)
	if err != nil {
		t.Fatal(err)
	}
	if err := journal.Create(path, &journal.Meta{OwnerKey: id.OwnerKey(), Recipients: []string{id.Recipient()}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(journal.CachePath(path)); !os.IsNotExist(err) {
		t.Fatalf("the deleted journal's cache is still beside the new one (%v)", err)
	}
}

// A process killed while it wrote the cache where a file cannot be written
// without a name (not Linux, or a file system without unnamed files)
// leaves its temporary file, as large as the cache: the next cache written
// removes it once it is an hour old, and leaves one another process may be
// writing now.
func TestCacheTempLeftByAKillRemoved(t *testing.T) {
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 3, 2)
	dir, base := filepath.Split(journal.CachePath(path))
	stale := filepath.Join(dir, "."+base+".tmp-123")
	fresh := filepath.Join(dir, "."+base+".tmp-456")
	for _, name := range []string{stale, fresh} {
		if err := os.WriteFile(name, []byte("half a cache"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := load(t, path, sealer); err != nil { // writes the cache
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the temporary file left two hours ago is still there (%v)", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a temporary file written now was removed: %v", err)
	}
}

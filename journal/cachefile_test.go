package journal_test

import (
	"os"
	"testing"

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

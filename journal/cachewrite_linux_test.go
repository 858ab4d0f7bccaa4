//go:build linux

package journal_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/journal-dev/journal/journal"
)

// A cache being written has no name in the journal's folder until it is
// whole: a read killed (or a power cut) while a large journal's cache is
// made anew leaves nothing beside the journal, where a named temporary
// file of up to the cache's size was left before, one more each time.
func TestCacheBeingWrittenHasNoName(t *testing.T) {
	defer journal.StreamFromForTest(1)()
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 300, 2)
	if _, err := load(t, path, sealer); err != nil { // writes the cache
		t.Fatal(err)
	}
	appendAll(t, path, sealer, 20, 3) // more than refreshAfter behind
	s := open(t, path, true)
	sel, err := s.Select(sealer, journal.Query{})
	if err != nil {
		t.Fatal(err)
	}
	defer sel.Close()
	if !journal.StreamedForTest(sel) {
		t.Fatal("the selection was not read from the cache, so it did not write it anew")
	}
	// The new cache is written, not yet named: what a kill would leave.
	names := func() []string {
		entries, err := os.ReadDir(filepath.Dir(path))
		if err != nil {
			t.Fatal(err)
		}
		var n []string
		for _, e := range entries {
			n = append(n, e.Name())
		}
		return n
	}
	want := []string{filepath.Base(path), filepath.Base(journal.CachePath(path))}
	if got := names(); !slices.Equal(got, want) {
		t.Errorf("while the cache is written anew the folder holds %q, want only %q", got, want)
	}
	before, err := os.ReadFile(journal.CachePath(path))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	after, err := os.ReadFile(journal.CachePath(path))
	if err != nil {
		t.Fatal(err)
	}
	if string(after) == string(before) {
		t.Error("closing the store did not put the new cache in place")
	}
	if got := names(); !slices.Equal(got, want) {
		t.Errorf("after the store is closed the folder holds %q, want only %q", got, want)
	}
}

package journal_test

import (
	"testing"

	"github.com/journal-dev/journal/journal"
)

// After a large write (an import, a void of one: 64 records or more),
// which leaves the file keys of its records in a sealed list, the next
// selection still reads the cache one incident at a time: it opens the
// list with the identity, each new record with its key alone, writes the
// cache anew and drops the list. The read after it opens the cache alone.
func TestSelectAfterALargeWriteStreams(t *testing.T) {
	defer journal.StreamFromForTest(1)()
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 300, 2)
	before, err := load(t, path, sealer) // writes the cache
	if err != nil {
		t.Fatal(err)
	}
	appendRecords(t, path, publicSealer(t, path), 100, 250, false) // as an import: no identity
	want, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	since := int64(want.Seq - before.Seq)
	s := open(t, path, true)
	if !journal.ProvisionalForTest(s, before.Seq) {
		t.Fatal("the large write left no list of file keys")
	}
	c := &countingKey{Sealer: sealer}
	sel, err := s.Select(c, journal.Query{IncludeVoid: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	defer sel.Close()
	if !journal.StreamedForTest(sel) {
		t.Fatal("the selection after a large write read the whole journal, not the cache")
	}
	if got, w := selectionJSON(t, sel), selectionJSON(t, journal.Select(want, journal.Query{IncludeVoid: true})); got != w {
		t.Fatalf("the selection gives\n%s\nwant\n%s", got, w)
	}
	// The cache, the list; each record twice with its key (the first
	// pass finds what it touches, the replay applies it).
	if c.withID.Load() != 2 || c.withKey.Load() != 2*since {
		t.Errorf("%d records since the cache: %d opened with the identity, %d with a file key; want 2 (the cache and the list) and %d",
			since, c.withID.Load(), c.withKey.Load(), 2*since)
	}

	s = open(t, path, true)
	if journal.ProvisionalForTest(s, 0) {
		t.Error("the list of file keys is still there after the cache holding them was written")
	}
	s.Close()
	c = &countingKey{Sealer: sealer}
	got, err := load(t, path, c)
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, got) != mustJSON(t, want) {
		t.Fatal("the cache written after the large write does not give the log's state")
	}
	if c.withID.Load() != 1 || c.withKey.Load() != 0 {
		t.Errorf("the read after: %d opened with the identity, %d with a file key; want the cache alone", c.withID.Load(), c.withKey.Load())
	}
}

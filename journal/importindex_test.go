package journal_test

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/journal-dev/journal/journal"
)

// diary is a CSV diary of the rows from first to last.
func diary(first, last int) string {
	var b strings.Builder
	b.WriteString("date,summary\n")
	for i := first; i <= last; i++ {
		fmt.Fprintf(&b, "2026-10-01,row %d\n", i)
	}
	return b.String()
}

// importDiary imports a diary into the journal at path with the opener
// given for reading what was imported before.
func importDiary(t *testing.T, path string, opener journal.Opener, sealer journal.Sealer, csv string) *journal.ImportSummary {
	t.Helper()
	s, err := openDevice(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	idx, err := s.ReadImportIndex(opener)
	if err != nil {
		t.Fatal(err)
	}
	r, err := journal.NewCSVReader(strings.NewReader(csv), t0)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := s.Import(sealer, idx, r, t0)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// An import into a journal with a cache finds what was imported before in
// the cache and the records since it (with the file keys a large write
// left), not by opening every record with the identity: the same digests
// and the same last import as a reading of every record, and rows
// imported before are skipped.
func TestImportIndexFromTheCache(t *testing.T) {
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 150, 2)
	importDiary(t, path, sealer, sealer, diary(1, 200))
	if _, err := load(t, path, sealer); err != nil { // writes the cache
		t.Fatal(err)
	}
	// Since the cache: 100 rows more, in a write large enough to leave
	// its file keys, and a few records of other kinds.
	importDiary(t, path, sealer, sealer, diary(151, 300))
	appendAll(t, path, sealer, 3, 5)

	s := open(t, path, false)
	c := &countingKey{Sealer: sealer}
	fromCache, err := s.ReadImportIndex(c)
	if err != nil {
		t.Fatal(err)
	}
	every, err := s.ReadImportIndex(openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if fromCache.Last != 2 || every.Last != 2 || !maps.Equal(fromCache.DigestsForTest(), every.DigestsForTest()) ||
		len(every.DigestsForTest()) != 300 {
		t.Fatalf("from the cache: import %d, %d digests; from every record: import %d, %d digests; want import 2, the same 300",
			fromCache.Last, len(fromCache.DigestsForTest()), every.Last, len(every.DigestsForTest()))
	}
	// The cache, the list of file keys, and the few records written
	// without it.
	if n := c.withID.Load(); n > 10 {
		t.Errorf("the import index opened %d things with the identity; want the cache, the list of keys and the few records since", n)
	}
	sum := importDiary(t, path, sealer, sealer, diary(1, 310))
	if sum.Imported != 10 || sum.Skipped != 300 || sum.Import != 3 {
		t.Errorf("importing rows 1 to 310 again: %d imported, %d skipped, import %d; want 10, 300, 3", sum.Imported, sum.Skipped, sum.Import)
	}
}

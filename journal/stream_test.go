package journal_test

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

// selectionJSON is what a selection gives, as JSON: its incidents in
// order, those with evidence, and the rest of the state.
func selectionJSON(t *testing.T, sel *journal.Selection) string {
	t.Helper()
	all, err := sel.All()
	if err != nil {
		t.Fatal(err)
	}
	st := *sel.State
	st.Incidents = nil
	var files []uint64
	for _, in := range sel.WithEvidence() {
		files = append(files, in.ID)
	}
	return mustJSON(t, map[string]any{"incidents": all, "ids": sel.IDs(), "files": files, "state": st, "len": sel.Len()})
}

// TestSelectStreamsWhatLoadGives: a selection read from the cache one
// incident at a time, with records added since the cache was written
// (an amendment, a void, a file, new incidents, a disclosure), gives
// exactly what the whole state gives, in the order the incidents
// happened, and can be read again after the journal is closed.
func TestSelectStreamsWhatLoadGives(t *testing.T) {
	defer journal.StreamFromForTest(1)()
	path, sealer := newJournal(t)
	s, err := openDevice(path)
	if err != nil {
		t.Fatal(err)
	}
	// Recorded in one order, happened in another, in several zones.
	zones := []*time.Location{time.UTC, time.FixedZone("", 5*3600), time.FixedZone("", -3*3600+1800)}
	var recs []*journal.Record
	for i := range 300 {
		at := time.Date(2026, 8, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration((i*7919)%300) * time.Hour).In(zones[i%3])
		r := incident("incident number", at)
		r.RecordedAt = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
		r.Fields.People = []journal.Person{{Name: []string{"John Smith", "Mary Smith", "john smith"}[i%3], Relation: "patient"}}
		r.Fields.Kinds = []string{"phone-call"}
		r.Fields.Details = "He said he would wait outside until the evening surgery was over."
		if i%10 == 0 {
			r.Fields.Reported = []journal.Report{{To: "Police", Reference: "CAD 1", Officer: "PC Jones"}}
		}
		recs = append(recs, r)
	}
	filed := time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC)
	recs = append(recs, &journal.Record{Type: journal.TypeAttachment, RecordedAt: filed, Incident: 4,
		Attachment: &journal.Attachment{Name: "a.jpg", Size: 3, SHA256: "abc", MediaType: "image/jpeg", AddedAt: filed}})
	if err := s.Append(sealer, recs...); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := load(t, path, sealer); err != nil { // writes the cache
		t.Fatal(err)
	}
	// Since the cache: amend 1, void 2, a file for 1, three incidents, a
	// disclosure and a checkpoint.
	appendAll(t, path, sealer, 3, 2)

	st, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []journal.Query{{}, {IncludeVoid: true}, {Search: "incident number"}, {Who: "mary smith"}, {Search: "no such text"},
		{ID: 1, IncludeVoid: true}, {ID: 2, IncludeVoid: true}, {ID: 2}, {ID: 150, IncludeVoid: true}, {ID: 302, IncludeVoid: true}, {None: true},
		{IDs: journal.NewIncidentSet([]uint64{1, 2, 150, 302, 999}), IncludeVoid: true}, {IDs: journal.NewIncidentSet([]uint64{2, 4})},
		{IDs: journal.NewIncidentSet([]uint64{})}} {
		want := selectionJSON(t, journal.Select(st, q))
		s := open(t, path, true)
		sel, err := s.Select(sealer, q)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		if !journal.StreamedForTest(sel) {
			t.Fatalf("query %+v: the selection was not read from the cache", q)
		}
		if sel.Total() != len(st.Incidents) {
			t.Fatalf("query %+v: the selection counts %d incidents in the journal, want %d", q, sel.Total(), len(st.Incidents))
		}
		for _, read := range []string{"first", "second"} {
			if got := selectionJSON(t, sel); got != want {
				t.Fatalf("query %+v, %s reading, gives\n%s\nwant\n%s", q, read, got, want)
			}
		}
		sel.Close()
	}
}

// TestSelectWithForgedCache: a cache that does not authenticate is not
// read incident by incident; the selection is what the log gives.
func TestSelectWithForgedCache(t *testing.T) {
	defer journal.StreamFromForTest(1)()
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 40, 2)
	st, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	want := selectionJSON(t, journal.Select(st, journal.Query{}))
	evil := forger{sealer, make([]byte, 32)}
	if _, err := load(t, path, evil); err != nil { // writes the forged cache
		t.Fatal(err)
	}
	s := open(t, path, true)
	sel, err := s.Select(sealer, journal.Query{})
	if err != nil {
		t.Fatal(err)
	}
	defer sel.Close()
	if journal.StreamedForTest(sel) {
		t.Error("a forged cache was read incident by incident")
	}
	if got := selectionJSON(t, sel); got != want {
		t.Fatalf("with a forged cache the selection gives\n%s\nwant\n%s", got, want)
	}
}

// TestSmallJournalReadWhole: a small journal's selection is made from its
// whole state, which is cheaper to read once than twice.
func TestSmallJournalReadWhole(t *testing.T) {
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 40, 2)
	if _, err := load(t, path, sealer); err != nil { // writes the cache
		t.Fatal(err)
	}
	s := open(t, path, true)
	sel, err := s.Select(sealer, journal.Query{})
	if err != nil {
		t.Fatal(err)
	}
	defer sel.Close()
	if journal.StreamedForTest(sel) || sel.Len() != 39 {
		t.Errorf("a journal of 40 incidents, one void: streamed %v, %d selected; want read whole, 39", journal.StreamedForTest(sel), sel.Len())
	}
}

// A selection that finds the cache refreshAfter records or more behind
// writes it anew, one incident at a time: the next read opens the cache
// and no record, and the cache is byte for byte the one a read of the
// whole journal writes (but for the tag of its file key).
func TestSelectWritesTheCacheAnew(t *testing.T) {
	t.Run("copied", selectWritesTheCacheAnew)
	t.Run("encoded again", func(t *testing.T) {
		defer journal.EncodeUnchangedForTest()()
		selectWritesTheCacheAnew(t)
	})
}

func selectWritesTheCacheAnew(t *testing.T) {
	defer journal.StreamFromForTest(1)()
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 300, 2)
	if _, err := load(t, path, sealer); err != nil { // writes the cache
		t.Fatal(err)
	}
	// 20 incidents, an amendment of 1, a void of 3, a file for 1, a
	// disclosure, a checkpoint: more than refreshAfter (16 here).
	appendAll(t, path, sealer, 20, 3)
	want, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	s := open(t, path, true)
	sel, err := s.Select(sealer, journal.Query{IncludeVoid: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if !journal.StreamedForTest(sel) {
		t.Fatal("the selection was not read from the cache")
	}
	if got, w := selectionJSON(t, sel), selectionJSON(t, journal.Select(want, journal.Query{IncludeVoid: true})); got != w {
		t.Fatalf("the selection gives\n%s\nwant\n%s", got, w)
	}
	sel.Close()

	c := &countingKey{Sealer: sealer}
	got, err := load(t, path, c)
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, got) != mustJSON(t, want) {
		t.Fatal("the cache written by the selection does not give the log's state")
	}
	if n := c.withID.Load(); n != 1 {
		t.Fatalf("the read after the selection opened %d things with the identity, want 1 (the cache alone)", n)
	}
	s = open(t, path, true)
	streamed, err := journal.CachePlainForTest(s, sealer)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(journal.CachePath(path)); err != nil {
		t.Fatal(err)
	}
	if _, err := load(t, path, sealer); err != nil { // the whole journal, and its cache
		t.Fatal(err)
	}
	s = open(t, path, true)
	whole, err := journal.CachePlainForTest(s, sealer)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	// The tags differ: each marks the file key its cache is sealed with.
	for _, p := range [][]byte{streamed, whole} {
		if len(p) > journal.CacheTagAtForTest+32 {
			clear(p[journal.CacheTagAtForTest : journal.CacheTagAtForTest+32])
		}
	}
	if !bytes.Equal(streamed, whole) {
		t.Fatalf("the cache written one incident at a time (%d bytes) is not the one a whole read writes (%d bytes)", len(streamed), len(whole))
	}
}

// A few large records since the cache (an export of incidents scattered
// through a large journal records a range for each) are as costly to read again as many
// small ones: the selection writes the cache anew after them too.
func TestSelectWritesTheCacheAnewAfterLargeRecords(t *testing.T) {
	defer journal.StreamFromForTest(1)()
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 300, 2)
	if _, err := load(t, path, sealer); err != nil { // writes the cache
		t.Fatal(err)
	}
	numbers := make([]uint64, 200_000) // apart, so that the record names 200,000 ranges
	for i := range numbers {
		numbers[i] = uint64(2*i + 1)
	}
	s, err := openDevice(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 5, 9, 0, 0, 0, time.UTC)
	if err := s.Append(sealer, &journal.Record{Type: journal.TypeDisclosure, RecordedAt: at,
		Disclosure: &journal.Disclosure{Format: "json", Filters: []string{}, Incidents: journal.NewIncidentSet(numbers)}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, path, true)
	sel, err := s.Select(sealer, journal.Query{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	sel.Close()
	c := &countingKey{Sealer: sealer}
	if _, err := load(t, path, c); err != nil {
		t.Fatal(err)
	}
	if n := c.withID.Load(); n != 1 {
		t.Fatalf("the read after the selection opened %d things with the identity, want 1 (the cache alone)", n)
	}
}

// TestSelectOpensEachRecordOnce: a selection read from the cache opens
// each record written since the cache with the identity once (the public-
// key work that is most of a record's cost), and again, for the replay,
// with its file key alone.
func TestSelectOpensEachRecordOnce(t *testing.T) {
	defer journal.StreamFromForTest(1)()
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 300, 2)
	before, err := load(t, path, sealer) // writes the cache
	if err != nil {
		t.Fatal(err)
	}
	appendAll(t, path, sealer, 3, 301) // fewer records than refreshAfter
	after, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	since := int64(after.Seq - before.Seq)
	c := &countingKey{Sealer: sealer}
	s := open(t, path, true)
	sel, err := s.Select(c, journal.Query{IncludeVoid: true})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	defer sel.Close()
	if !journal.StreamedForTest(sel) {
		t.Fatal("the selection was not read from the cache")
	}
	if got, want := selectionJSON(t, sel), selectionJSON(t, journal.Select(after, journal.Query{IncludeVoid: true})); got != want {
		t.Fatalf("the selection gives\n%s\nwant\n%s", got, want)
	}
	if c.withID.Load() != 1+since || c.withKey.Load() != since {
		t.Errorf("%d records since the cache: %d opened with the identity, %d with a file key; want %d (the cache, then each record once) and %d",
			since, c.withID.Load(), c.withKey.Load(), 1+since, since)
	}
}

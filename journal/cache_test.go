package journal_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

// appendAll appends one of every kind of record, n incidents in all, and
// voids incident void.
func appendAll(t *testing.T, path string, sealer journal.Sealer, n int, void uint64) {
	appendRecords(t, path, sealer, n, void, true)
}

// appendRecords is appendAll; with all unset, it leaves out the records
// Verify would find fault with: an attachment whose bytes are not stored,
// and a checkpoint with a made-up fingerprint.
func appendRecords(t *testing.T, path string, sealer journal.Sealer, n int, void uint64, all bool) {
	t.Helper()
	s, err := openDevice(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	var recs []*journal.Record
	for i := range n {
		f := journal.Fields{OccurredAt: at.Add(time.Duration(i) * time.Hour), Summary: "incident",
			People: []journal.Person{{Name: "John Smith", Relation: "patient"}}, Kinds: []string{"phone-call"}}
		recs = append(recs, &journal.Record{Type: journal.TypeIncident, RecordedAt: at.Add(48 * time.Hour), Fields: &f})
	}
	amended := journal.Fields{OccurredAt: at, Summary: "amended", Tags: []string{"x"}}
	recs = append(recs,
		&journal.Record{Type: journal.TypeAmendment, RecordedAt: at.Add(50 * time.Hour), Incident: 1, Fields: &amended,
			Changed: []journal.Field{"summary"}, Reason: "typo"},
		&journal.Record{Type: journal.TypeVoid, RecordedAt: at.Add(51 * time.Hour), Incident: void, Reason: "wrong number"},
		&journal.Record{Type: journal.TypeDisclosure, RecordedAt: at.Add(54 * time.Hour),
			Disclosure: &journal.Disclosure{Format: "pdf", For: "PC Jones", Filters: []string{}, Incidents: journal.NewIncidentSet([]uint64{1})}},
	)
	if all {
		recs = append(recs,
			&journal.Record{Type: journal.TypeAttachment, RecordedAt: at.Add(55 * time.Hour), Incident: 1,
				Attachment: &journal.Attachment{Name: "a.jpg", Size: 3, SHA256: "abc", MediaType: "image/jpeg", AddedAt: at}},
			&journal.Record{Type: journal.TypeCheckpoint, RecordedAt: at.Add(56 * time.Hour), Checkpoint: &journal.Checkpoint{Seq: 3, Fingerprint: "f"}})
	}
	if err := s.Append(sealer, recs...); err != nil {
		t.Fatal(err)
	}
}

// load opens the journal read-only, loads it and closes it (which writes
// any cache the load prepared).
func load(t *testing.T, path string, opener journal.Opener) (*journal.State, error) {
	t.Helper()
	s, err := journal.Open(path, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	return s.Load(opener)
}

// openerOnly hides the cache methods of a sealer: Load then replays the
// whole log, which is what the cache must agree with.
type openerOnly struct{ o journal.Opener }

func (o openerOnly) Open(ct []byte) ([]byte, error) { return o.o.Open(ct) }

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCacheAgreesWithLog checks that a state read from the cache, fresh or
// brought up to date, is the state the log gives, as JSON shows it.
func TestCacheAgreesWithLog(t *testing.T) {
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 5, 2)
	want, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []string{"built", "read from the cache"} {
		got, err := load(t, path, sealer)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
			t.Fatalf("state %s:\n%s\nwant (replayed):\n%s", step, g, w)
		}
	}
	// Brought up to date: more records than cacheRefresh, so the cache
	// is written anew too.
	appendAll(t, path, sealer, 70, 3)
	want, err = load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []string{"caught up", "read from the new cache"} {
		got, err := load(t, path, sealer)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
			t.Fatalf("state %s:\n%s\nwant (replayed):\n%s", step, g, w)
		}
	}
	s, err := journal.Open(path, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := journal.CheckCacheForTest(s, sealer); err != nil {
		t.Fatalf("the cache does not match the log: %v", err)
	}
}

// forger can seal to the journal's public recipient, as anyone can, but
// has another secret than the journal's identity gives.
type forger struct {
	*crypto.Sealer
	secret []byte
}

func (f forger) CacheSecret() []byte { return f.secret }

// TestForgedCacheIgnored: a cache sealed to the journal's recipient by
// someone without its identity does not authenticate, and is rebuilt.
func TestForgedCacheIgnored(t *testing.T) {
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 2, 2)
	// The forger's cache claims that incident 1 is something else.
	st, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	want := mustJSON(t, st)
	evil := forger{sealer, bytes.Repeat([]byte{7}, 32)}
	if _, err := load(t, path, evil); err != nil { // writes the forged cache
		t.Fatal(err)
	}
	got, err := load(t, path, sealer)
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, got) != want {
		t.Fatal("a forged cache was believed")
	}
}

// TestVerifyFindsWrongCache: a cache that authenticates but holds another
// state than the log gives fails verify, which says the journal file is
// sound, and is rebuilt by it.
func TestVerifyFindsWrongCache(t *testing.T) {
	path, sealer := newJournal(t)
	appendRecords(t, path, sealer, 2, 2, false)
	s, err := openDevice(path)
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
	s, err = journal.Open(path, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Verify(sealer)
	s.Close()
	// Named as the cache's fault, not as damage to the journal file,
	// which is sound: the person is not sent to put back a backup.
	var cm *journal.CacheMismatchError
	if !errors.As(err, &cm) || strings.Contains(err.Error(), "damaged") {
		t.Fatalf("Verify = %v, want a CacheMismatchError, which says the journal file is sound", err)
	}
	s, err = journal.Open(path, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Verify(sealer); err != nil {
		t.Fatalf("Verify after the rebuild = %v, want success", err)
	}
}

// A small journal's cache is written anew after a few records replayed on
// top of it, so that reads do not open the same records with the identity
// again and again; fewer than that leave it as it is.
func TestSmallJournalRefreshesCacheSoon(t *testing.T) {
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 5, 2)
	cacheSeq := func() (cached, head uint64) {
		t.Helper()
		s, err := journal.Open(path, journal.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		head, _, err = s.Head()
		if err != nil {
			t.Fatal(err)
		}
		return journal.CacheSeqForTest(s, sealer), head
	}
	read := func() {
		t.Helper()
		if _, err := load(t, path, sealer); err != nil {
			t.Fatal(err)
		}
	}
	read()
	before, head := cacheSeq()
	if before != head {
		t.Fatalf("first read: cache written up to record %d, want %d", before, head)
	}
	appendRecords(t, path, sealer, 0, 3, false) // 3 records
	read()
	if c, _ := cacheSeq(); c != before {
		t.Errorf("3 records replayed: cache written up to record %d, want it left at %d", c, before)
	}
	appendRecords(t, path, sealer, 10, 4, false) // 13 more: 16
	read()
	if c, h := cacheSeq(); c != h || h != before+16 {
		t.Errorf("16 records replayed: cache written up to record %d of %d, want %d", c, h, before+16)
	}
}

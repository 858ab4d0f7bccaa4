package journal_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/journal-dev/journal/journal"
)

// TestVerifyFindsACacheThatDisagrees: a cache that authenticates (sealed
// with the journal's own secret) but does not give what the log gives is
// what verify exists to find: a read believes it, verify replays the whole
// log, names the cache, and makes it anew, after which reads give the
// log's state again.
func TestVerifyFindsACacheThatDisagrees(t *testing.T) {
	path, sealer := newJournal(t)
	appendRecords(t, path, sealer, 5, 0, false)
	want, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	wrong, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	wrong.Incidents[2].Fields.Summary = "not what was written"
	s := open(t, path, false)
	ct, err := journal.SealCacheForTest(s, sealer, wrong)
	if err == nil {
		err = journal.PutCacheCiphertextForTest(s, ct)
	}
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := load(t, path, sealer); err != nil || got.Incidents[2].Fields.Summary != "not what was written" {
		t.Fatalf("a cache sealed with the journal's secret was not read (%v): the test does not test verify", err)
	}

	s = open(t, path, true)
	_, err = s.Verify(sealer)
	s.Close()
	var ie *journal.IntegrityError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "cache") {
		t.Fatalf("Verify of a journal whose cache disagrees with its log = %v, want an integrity error naming the cache", err)
	}
	got, err := load(t, path, sealer)
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, got) != mustJSON(t, want) {
		t.Error("after verify, the journal read still differs from its log: the cache was not made anew")
	}
}

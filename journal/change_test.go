package journal_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/journal-dev/journal/journal"
)

// TestChangeReadsOnlyItsIncidents: a journal opened for a change to a
// few incidents reads those alone through the cache, as they stand after
// the records since it, and a void is checked against them as against
// the whole journal: one void already and one missing are refused,
// another is recorded.
func TestChangeReadsOnlyItsIncidents(t *testing.T) {
	defer journal.StreamFromForTest(1)()
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 40, 2)
	if _, err := load(t, path, sealer); err != nil { // writes the cache
		t.Fatal(err)
	}
	// Since the cache: amend 1, void 5, three incidents and more.
	appendAll(t, path, sealer, 3, 5)
	whole, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}

	q := journal.Query{IDs: journal.NewIncidentSet([]uint64{1, 2, 5, 7, 999}), IncludeVoid: true}
	j, err := journal.OpenJournal(path, journal.ForChange, &keyUnlocker{t: t, path: path, sealer: sealer}, journal.OpenOptions{Select: &q})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if j.State != nil || j.Selection == nil || !journal.StreamedForTest(j.Selection) {
		t.Fatal("the change did not read its incidents through the cache")
	}
	if j.Selection.Total() != len(whole.Incidents) {
		t.Fatalf("the selection counts %d incidents, want %d", j.Selection.Total(), len(whole.Incidents))
	}
	all, err := j.Selection.All()
	j.Selection.Close()
	if err != nil {
		t.Fatal(err)
	}
	var ids []uint64
	for _, in := range all {
		ids = append(ids, in.ID)
		if got, want := mustJSON(t, in), mustJSON(t, whole.Incident(in.ID)); got != want {
			t.Fatalf("incident %d reads\n%s\nwant\n%s", in.ID, got, want)
		}
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []uint64{1, 2, 5, 7}) {
		t.Fatalf("the change read incidents %v, want 1, 2, 5 and 7", ids)
	}

	st := &journal.State{Incidents: all}
	var av *journal.AlreadyVoidError
	if _, err := j.Void(sealer, st, []uint64{2, 5, 7}, "again", whole.Incident(1).RecordedAt); !errors.As(err, &av) || !slices.Equal(av.IDs, []uint64{2, 5}) {
		t.Fatalf("voiding 2, 5 and 7 = %v, want 2 and 5 already void", err)
	}
	if _, err := j.Void(sealer, st, []uint64{999}, "none", whole.Incident(1).RecordedAt); !errors.Is(err, journal.ErrNoIncident) {
		t.Fatalf("voiding 999 = %v, want no such incident", err)
	}
	if _, err := j.Void(sealer, st, []uint64{7}, "entered twice", whole.Incident(1).RecordedAt); err != nil {
		t.Fatal(err)
	}
	j.Close()
	after, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	if in := after.Incident(7); in.Void == nil || in.Void.Reason != "entered twice" {
		t.Fatalf("incident 7 after the void: %+v", in.Void)
	}
	if len(after.Incidents) != len(whole.Incidents) {
		t.Fatalf("the journal has %d incidents after the void, want %d", len(after.Incidents), len(whole.Incidents))
	}
}

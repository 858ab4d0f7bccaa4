package export

import (
	"slices"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

// TestDisclosableLeavesNothingPrivate: private notes leave the journal
// neither in an incident nor in an earlier version of it, nor named among
// an amendment's changes, whichever of them holds them; an incident with
// nothing private is given as it is; the journal's own incidents are not
// changed.
func TestDisclosableLeavesNothingPrivate(t *testing.T) {
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	plain := &journal.Incident{ID: 1, Fields: journal.Fields{OccurredAt: at, Summary: "Waited by my car"}}
	current := &journal.Incident{ID: 2, Fields: journal.Fields{OccurredAt: at, Summary: "Called", PrivateNotes: "now"}}
	earlier := &journal.Incident{ID: 3, Fields: journal.Fields{OccurredAt: at, Summary: "Wrote"}, Amendments: []journal.Amendment{
		{Reason: "notes removed", Changed: []journal.Field{journal.FieldPrivateNotes, journal.FieldSummary},
			Previous: journal.Fields{OccurredAt: at, Summary: "Wrote to me", PrivateNotes: "before"}}}}
	named := &journal.Incident{ID: 4, Fields: journal.Fields{OccurredAt: at, Summary: "Rang"}, Amendments: []journal.Amendment{
		{Reason: "notes cleared", Changed: []journal.Field{journal.FieldPrivateNotes}, Previous: journal.Fields{OccurredAt: at, Summary: "Rang"}}}}
	tl := Disclosable(NewTimeline([]*journal.Incident{plain, current, earlier, named}, "abcd-efgh-ijkl-mnop-qrst-uvwx"))
	if tl.Incidents[0] != plain {
		t.Errorf("an incident with nothing private was copied")
	}
	for _, in := range tl.Incidents {
		if in.Fields.PrivateNotes != "" {
			t.Errorf("incident %d: private notes %q leave the journal", in.ID, in.Fields.PrivateNotes)
		}
		for _, a := range in.Amendments {
			if a.Previous.PrivateNotes != "" {
				t.Errorf("incident %d: an earlier version's private notes %q leave the journal", in.ID, a.Previous.PrivateNotes)
			}
			if slices.Contains(a.Changed, journal.FieldPrivateNotes) {
				t.Errorf("incident %d: an amendment says it changed the private notes", in.ID)
			}
		}
	}
	if got := tl.Incidents[2].Amendments[0].Changed; !slices.Equal(got, []journal.Field{journal.FieldSummary}) {
		t.Errorf("incident 3's amendment changed %v, want only its summary", got)
	}
	if current.Fields.PrivateNotes != "now" || earlier.Amendments[0].Previous.PrivateNotes != "before" ||
		len(earlier.Amendments[0].Changed) != 2 || len(named.Amendments[0].Changed) != 1 {
		t.Errorf("the journal's own incidents were changed")
	}
}

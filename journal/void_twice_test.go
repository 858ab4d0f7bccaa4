package journal_test

import (
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

// An incident named twice in one void is voided once: a journal without
// devices that held two voids of one incident would no longer open.
func TestVoidNamedTwiceVoidsOnce(t *testing.T) {
	s, sealer := withIncidents(t, "shouted at reception", "phoned the surgery")
	recs, err := s.Void(sealer, loaded(t, s, sealer), []uint64{2, 1, 2}, "entered twice", t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Errorf("Void(2, 1, 2) appended %d records, want 2", len(recs))
	}
	st, err := s.Load(sealer)
	if err != nil {
		t.Fatalf("the journal does not open after the void: %v", err)
	}
	for _, id := range []uint64{1, 2} {
		if in := st.Incident(id); in == nil || in.Void == nil {
			t.Errorf("incident %d is not void", id)
		}
	}
}

// An incident named twice in one amendment is amended once.
func TestAmendNamedTwiceAmendsOnce(t *testing.T) {
	s, sealer := withIncidents(t, "shouted at reception")
	c := journal.Correction{Fields: &journal.Fields{Place: "Riverside Surgery"}, Changed: []journal.Field{journal.FieldWhere}, Reason: "forgot the place"}
	recs, err := s.Amend(sealer, loaded(t, s, sealer), []uint64{1, 1}, c, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Errorf("Amend(1, 1) appended %d records, want 1", len(recs))
	}
	in := loaded(t, s, sealer).Incident(1)
	if in == nil {
		t.Fatal("incident 1 is gone")
	}
	if len(in.Amendments) != 1 {
		t.Errorf("incident 1 has %d amendments after Amend(1, 1), want 1", len(in.Amendments))
	}
}

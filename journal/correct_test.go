package journal_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/dates"
	"github.com/journal-dev/journal/journal"
)

// loaded reads the whole journal.
func loaded(t *testing.T, s *journal.Store, sealer *crypto.Sealer) *journal.State {
	t.Helper()
	st, err := s.Load(sealer)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// recordCount is how many records the log holds.
func recordCount(t *testing.T, s *journal.Store) uint64 {
	t.Helper()
	n, _, err := s.Head()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// withIncidents opens a new journal holding one incident for each summary,
// numbered from 1.
func withIncidents(t *testing.T, summaries ...string) (*journal.Store, *crypto.Sealer) {
	t.Helper()
	s, sealer := openJournal(t)
	for i, sum := range summaries {
		if err := s.Append(sealer, incident(sum, t0.Add(time.Duration(i)*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
	return s, sealer
}

func TestAmendComposes(t *testing.T) {
	s, sealer := withIncidents(t, "shouted at reception", "phoned the surgery")
	later := t0.Add(48 * time.Hour)
	first := journal.Correction{Fields: &journal.Fields{Place: "Riverside Surgery"}, Changed: []journal.Field{journal.FieldWhere}, Reason: "forgot the place"}
	if _, err := s.Amend(sealer, loaded(t, s, sealer), []uint64{1, 2}, first, later); err != nil {
		t.Fatal(err)
	}
	second := journal.Correction{Fields: &journal.Fields{Summary: "shouted and threatened at reception"},
		Changed: []journal.Field{journal.FieldSummary}, Reason: "the threat was left out"}
	recs, err := s.Amend(sealer, loaded(t, s, sealer), []uint64{1}, second, later.Add(time.Minute+500*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || !recs[0].RecordedAt.Equal(later.Add(time.Minute)) || recs[0].Reason != "the threat was left out" {
		t.Errorf("Amend returned %+v, want one amendment recorded at %v (to the second) with its reason", recs, later.Add(time.Minute))
	}
	st := loaded(t, s, sealer)
	one, two := st.Incident(1), st.Incident(2)
	// Each correction keeps what the earlier ones set.
	if one.Fields.Summary != "shouted and threatened at reception" || one.Fields.Place != "Riverside Surgery" || !one.Fields.OccurredAt.Equal(t0) {
		t.Errorf("incident 1 now %+v, want both corrections and its time kept", one.Fields)
	}
	if two.Fields.Summary != "phoned the surgery" || two.Fields.Place != "Riverside Surgery" {
		t.Errorf("incident 2 now %+v, want the place and its own summary", two.Fields)
	}
	if len(one.Amendments) != 2 || len(two.Amendments) != 1 {
		t.Errorf("amendments: incident 1 has %d, 2 has %d; want 2 and 1, the history kept", len(one.Amendments), len(two.Amendments))
	}
}

func TestAmendUntilOnTheSameDay(t *testing.T) {
	s, sealer := openJournal(t)
	zone := time.FixedZone("+05:00", 5*3600)
	began := time.Date(2026, 11, 20, 14, 30, 0, 0, zone)
	if err := s.Append(sealer, incident("followed me to the car park", began)); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, zone)
	// As the flags read it: "16:10" is today, four days after it began.
	r, err := dates.Parse("16:10", now)
	if err != nil {
		t.Fatal(err)
	}
	var given journal.Fields
	given.SetUntil(&r)
	c := journal.Correction{Fields: &given, Changed: []journal.Field{journal.FieldUntil}, Reason: "it lasted longer", UntilText: " 16:10 "}
	if _, err := s.Amend(sealer, loaded(t, s, sealer), []uint64{1}, c, now); err != nil {
		t.Fatal(err)
	}
	got := loaded(t, s, sealer).Incident(1).Fields.Until
	if want := time.Date(2026, 11, 20, 16, 10, 0, 0, zone); got == nil || !got.Equal(want) {
		t.Errorf("until = %v, want %v: a time alone ends on the day the incident began", got, want)
	}
}

func TestAmendRefusesAndWritesNothing(t *testing.T) {
	s, sealer := withIncidents(t, "letter", "voicemail", "email")
	if _, err := s.Void(sealer, loaded(t, s, sealer), []uint64{3}, "entered twice", t0); err != nil {
		t.Fatal(err)
	}
	empty := journal.Correction{Fields: &journal.Fields{}, Changed: []journal.Field{journal.FieldSummary}, Reason: "r"}
	where := journal.Correction{Fields: &journal.Fields{Place: "home"}, Changed: []journal.Field{journal.FieldWhere}, Reason: "r"}
	for _, tc := range []struct {
		name string
		ids  []uint64
		c    journal.Correction
		id   uint64
		want error
	}{
		{"no such incident", []uint64{1, 9}, where, 9, journal.ErrNoIncident},
		{"void", []uint64{1, 3}, where, 3, journal.ErrIsVoid},
		{"summary emptied", []uint64{1, 2}, empty, 1, nil},
	} {
		before := recordCount(t, s)
		_, err := s.Amend(sealer, loaded(t, s, sealer), tc.ids, tc.c, t0)
		var ie *journal.IncidentError
		if !errors.As(err, &ie) || ie.ID != tc.id || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: Amend = %v, want an IncidentError for incident %d (%v)", tc.name, err, tc.id, tc.want)
		}
		if tc.want == nil && (ie == nil || !strings.Contains(ie.Err.Error(), "summary is empty")) {
			t.Errorf("%s: Amend = %v, want the reason the fields are refused", tc.name, err)
		}
		if after := recordCount(t, s); after != before {
			t.Errorf("%s: the log grew from %d to %d records; a refused correction writes nothing", tc.name, before, after)
		}
	}
}

func TestVoidAllOrNone(t *testing.T) {
	s, sealer := withIncidents(t, "letter", "voicemail", "email")
	if _, err := s.Void(sealer, loaded(t, s, sealer), []uint64{2}, "entered twice", t0); err != nil {
		t.Fatal(err)
	}
	before := recordCount(t, s)
	_, err := s.Void(sealer, loaded(t, s, sealer), []uint64{1, 2, 3}, "wrong diary", t0)
	var av *journal.AlreadyVoidError
	if !errors.As(err, &av) || !slices.Equal(av.IDs, []uint64{2}) {
		t.Fatalf("Void with incident 2 void already = %v, want AlreadyVoidError naming 2", err)
	}
	_, err = s.Void(sealer, loaded(t, s, sealer), []uint64{1, 4}, "wrong diary", t0)
	var ie *journal.IncidentError
	if !errors.As(err, &ie) || ie.ID != 4 || !errors.Is(err, journal.ErrNoIncident) {
		t.Fatalf("Void of incident 4 = %v, want ErrNoIncident for 4", err)
	}
	if after := recordCount(t, s); after != before {
		t.Fatalf("refused voids wrote %d records", after-before)
	}
	recs, err := s.Void(sealer, loaded(t, s, sealer), []uint64{1, 3}, "wrong diary", t0.Add(time.Second/2))
	if err != nil || len(recs) != 2 {
		t.Fatalf("Void(1, 3) = %d records, %v", len(recs), err)
	}
	st := loaded(t, s, sealer)
	for _, id := range []uint64{1, 2, 3} {
		if in := st.Incident(id); in.Void == nil || in.Fields.Summary == "" {
			t.Errorf("incident %d: void %v, summary %q; want void and still there", id, in.Void, in.Fields.Summary)
		}
	}
	if v := st.Incident(1).Void; v.Reason != "wrong diary" || !v.RecordedAt.Equal(t0) {
		t.Errorf("incident 1 void %+v, want the reason and the time to the second", v)
	}
}

// importRows imports a diary of n rows as one import.
func importRows(t *testing.T, s *journal.Store, sealer *crypto.Sealer, n int) *journal.ImportSummary {
	t.Helper()
	csv := "date,summary\n"
	for i := range n {
		csv += fmt.Sprintf("2026-10-%02d,row %d\n", i+1, i+1)
	}
	r, err := journal.NewCSVReader(strings.NewReader(csv), t0)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := s.ReadImportIndex(sealer)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := s.Import(sealer, idx, r, t0)
	if err != nil || sum.Imported != n {
		t.Fatalf("Import of %d rows = %+v, %v", n, sum, err)
	}
	return sum
}

func TestVoidImport(t *testing.T) {
	// Two voids a transaction: the three to make are recorded in two.
	defer journal.SetVoidBatchForTest(2)()
	s, sealer := withIncidents(t, "my own entry")
	sum := importRows(t, s, sealer, 4)
	if _, err := s.Void(sealer, loaded(t, s, sealer), []uint64{3}, "not mine", t0); err != nil {
		t.Fatal(err)
	}
	before := recordCount(t, s)
	res, err := s.VoidImport(sealer, loaded(t, s, sealer), sum.Import, "the wrong diary", t0)
	if err != nil || res.Voided != 3 || res.First != 2 || res.Last != 5 {
		t.Fatalf("VoidImport = %+v, %v; want 3 voided, numbers 2 to 5", res, err)
	}
	if n := recordCount(t, s) - before; n != 3 {
		t.Errorf("VoidImport appended %d records, want 3 voids", n)
	}
	st := loaded(t, s, sealer)
	if st.Incident(1).Void != nil {
		t.Error("incident 1, not imported, was made void")
	}
	for _, id := range []uint64{2, 4, 5} {
		if v := st.Incident(id).Void; v == nil || v.Reason != "the wrong diary" {
			t.Errorf("incident %d void %+v, want it void with the import's reason", id, v)
		}
	}
	if _, err := s.VoidImport(sealer, st, sum.Import, "again", t0); !errors.Is(err, journal.ErrImportVoid) {
		t.Errorf("VoidImport again = %v, want ErrImportVoid", err)
	}
	if _, err := s.VoidImport(sealer, st, sum.Import+1, "none", t0); !errors.Is(err, journal.ErrNoImport) {
		t.Errorf("VoidImport of an import that does not exist = %v, want ErrNoImport", err)
	}
}

// failingSealer seals n records, then fails as a full disk would.
type failingSealer struct {
	journal.Sealer
	n int
}

func (f *failingSealer) Seal(plaintext []byte) ([]byte, error) {
	if f.n == 0 {
		return nil, syscall.ENOSPC
	}
	f.n--
	return f.Sealer.Seal(plaintext)
}

func TestVoidImportStopped(t *testing.T) {
	defer journal.SetVoidBatchForTest(2)()
	s, sealer := openJournal(t)
	sum := importRows(t, s, sealer, 3)
	// The first batch of two is recorded, the second fails.
	res, err := s.VoidImport(&failingSealer{Sealer: sealer, n: 2}, loaded(t, s, sealer), sum.Import, "the wrong diary", t0)
	if !errors.Is(err, syscall.ENOSPC) || res == nil || res.Voided != 2 {
		t.Fatalf("VoidImport stopped in its second batch = %+v, %v; want 2 withdrawn and the error", res, err)
	}
	// Running it again withdraws the rest.
	res, err = s.VoidImport(sealer, loaded(t, s, sealer), sum.Import, "the wrong diary", t0)
	if err != nil || res.Voided != 1 {
		t.Fatalf("VoidImport again = %+v, %v; want the last one withdrawn", res, err)
	}
	for _, in := range loaded(t, s, sealer).Incidents {
		if in.Void == nil {
			t.Errorf("incident %d is not void", in.ID)
		}
	}
}

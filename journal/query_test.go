package journal

import (
	"slices"
	"testing"
	"time"
)

func incidentAt(id uint64, when string, people ...string) *Incident {
	t, err := time.Parse("2006-01-02 15:04", when)
	if err != nil {
		panic(err)
	}
	in := &Incident{ID: id, Fields: Fields{OccurredAt: t}}
	for _, p := range people {
		pp, _ := ParsePerson(p)
		in.People = append(in.People, pp)
	}
	return in
}

func TestSummarize(t *testing.T) {
	a := incidentAt(1, "2026-01-31 23:00", "john smith")
	a.Kinds = []string{"threat", "phone-call"}
	a.Reported = []Report{{To: "Police", Reference: "CAD 1"}}
	b := incidentAt(2, "2026-04-01 09:00", "John Smith (patient)", "JOHN  SMITH", "Mary Smith (relative)")
	b.Kinds = []string{"phone-call"}
	c := incidentAt(3, "2026-04-02 09:00", "Alex")
	s := Summarize([]*Incident{a, b, c})

	if s.Count != 3 || !s.First.Equal(a.OccurredAt) || !s.Last.Equal(c.OccurredAt) || s.Days != 62 {
		t.Errorf("count, first, last, days = %d, %v, %v, %d; want 3, %v, %v, 62", s.Count, s.First, s.Last, s.Days, a.OccurredAt, c.OccurredAt)
	}
	wantPeople := []PersonCount{
		{Name: "John Smith", Relation: "patient", Count: 2, First: a.OccurredAt, Last: b.OccurredAt, CourseOfConduct: true},
		{Name: "Mary Smith", Relation: "relative", Count: 1, First: b.OccurredAt, Last: b.OccurredAt},
		{Name: "Alex", Relation: "unknown", Count: 1, First: c.OccurredAt, Last: c.OccurredAt},
	}
	if !slices.Equal(s.People, wantPeople) {
		t.Errorf("people = %+v\nwant %+v", s.People, wantPeople)
	}
	wantKinds := []KindCount{{"phone-call", 2}, {"threat", 1}}
	if !slices.Equal(s.Kinds, wantKinds) {
		t.Errorf("kinds = %v, want %v", s.Kinds, wantKinds)
	}
	// Months without incidents are shown, so that a gap or a rise shows.
	wantMonths := []MonthCount{{"2026-01", 1}, {"2026-02", 0}, {"2026-03", 0}, {"2026-04", 2}}
	if !slices.Equal(s.Months, wantMonths) {
		t.Errorf("months = %v, want %v", s.Months, wantMonths)
	}
	if len(s.Reported) != 1 || s.Reported[0].Incident != 1 || s.Reported[0].Reference != "CAD 1" {
		t.Errorf("reported = %+v, want incident 1's report to the police", s.Reported)
	}
}

func TestSummarizeMonthsAcrossYears(t *testing.T) {
	s := Summarize([]*Incident{incidentAt(1, "2025-11-30 10:00"), incidentAt(2, "2026-02-01 10:00")})
	var got []string
	for _, m := range s.Months {
		got = append(got, m.Month)
	}
	want := []string{"2025-11", "2025-12", "2026-01", "2026-02"}
	if !slices.Equal(got, want) {
		t.Errorf("months = %v, want %v", got, want)
	}
}

func TestSummarizeEmpty(t *testing.T) {
	s := Summarize(nil)
	if s.Count != 0 || s.First != nil || s.People == nil || s.Months == nil || s.Kinds == nil || s.Reported == nil {
		t.Errorf("Summarize(nil) = %+v, want zero counts and empty (not nil) lists", s)
	}
}

func TestSelectOrder(t *testing.T) {
	st := NewState()
	st.Incidents = []*Incident{
		incidentAt(1, "2026-03-01 10:00"),
		incidentAt(2, "2026-01-01 10:00"),
		incidentAt(3, "2026-03-01 10:00"),
		incidentAt(4, "2026-02-01 10:00"),
	}
	st.Incidents[3].Void = &Void{Reason: "mistake"}
	var got []uint64
	for _, in := range st.Select(Query{}) {
		got = append(got, in.ID)
	}
	if want := []uint64{2, 1, 3}; !slices.Equal(got, want) {
		t.Errorf("Select order = %v, want %v", got, want)
	}
	got = nil
	for _, in := range st.Select(Query{IncludeVoid: true}) {
		got = append(got, in.ID)
	}
	if want := []uint64{2, 4, 1, 3}; !slices.Equal(got, want) {
		t.Errorf("Select with void = %v, want %v", got, want)
	}
}

func TestPersonMatches(t *testing.T) {
	mark := Person{Name: "Mark  Evans", Relation: "relative"}
	tests := []struct {
		who  string
		want bool
	}{
		{"Mark Evans", true},
		{"mark evans", true},
		{"EVANS", true},
		{"mark", true},
		{"Mark Evans (relative)", true},
		{"mark evans (Relative)", true},
		{"Evans (relative)", true},
		{"Mark Evans (patient)", false},
		{"Evan", false},
		{"ark", false},
		{"Evans Mark", false},
		{"John Evans", false},
		{"", false},
		{"(relative)", false},
	}
	for _, tt := range tests {
		if got := mark.Matches(tt.who); got != tt.want {
			t.Errorf("%+v.Matches(%q) = %v, want %v", mark, tt.who, got, tt.want)
		}
	}
	if !(Person{Name: "Jo Evans-Smith", Relation: "patient"}).Matches("evans") {
		t.Error("a part of a double-barrelled name does not match")
	}
	if !(Person{Name: "Jo Bloggs", Relation: "unknown"}).Matches("Jo Bloggs (unknown)") {
		t.Error("an unknown relation written out does not match")
	}
}

func TestQueryDayAlone(t *testing.T) {
	day := &Incident{ID: 1, Fields: Fields{OccurredAt: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), DateOnly: true}}
	timed := &Incident{ID: 2, Fields: Fields{OccurredAt: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}}
	q := Query{From: time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC)}
	if !q.Match(day) {
		t.Error("a day without a time is left out of --from that day 14:00: it may have been after")
	}
	if q.Match(timed) {
		t.Error("09:00 matches --from 14:00")
	}
	q = Query{From: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)}
	if q.Match(day) {
		t.Error("24 November matches --from 25 November")
	}
	q = Query{To: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)}
	if !q.Match(day) {
		t.Error("a day without a time is left out of --to that day 08:00")
	}
}

package journal

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Query selects incidents for a timeline or a report. Its conditions are
// combined: an incident must meet all of them. Zero values select all.
type Query struct {
	// From and To bound when the incident happened, both included.
	From, To time.Time
	// Who matches a person by any whole words of their name, without
	// regard to case, or as "Name (relation)" (see [Person.Matches]).
	Who string
	// Kind and Tag match one of the incident's kinds or tags.
	Kind, Tag string
	// Search matches any text field, without regard to case.
	Search string
	// IncludeVoid keeps void incidents, which are left out otherwise.
	IncludeVoid bool
	// ID, when not zero, selects that incident alone (void or not, as
	// IncludeVoid says).
	ID uint64
	// IDs, when not absent, selects those incidents alone (void or not,
	// as IncludeVoid says): what a change command checks its change
	// against ([NewIncidentSet]).
	IDs IncidentSet
	// None selects no incident, for a reader of the rest of the state
	// (the disclosures): [Store.Select] then holds no incident in memory.
	None bool
}

// Match reports whether an incident meets the query.
func (q *Query) Match(in *Incident) bool {
	if q.None {
		return false
	}
	if q.ID != 0 && in.ID != q.ID {
		return false
	}
	if !q.IDs.Absent() && !q.IDs.Contains(in.ID) {
		return false
	}
	if in.Void != nil && !q.IncludeVoid {
		return false
	}
	// A day whose time is not stated may have been at any time of it.
	if !q.From.IsZero() && in.OccurredAt.Before(q.From) && !(in.DateOnly && in.OccurredAt.AddDate(0, 0, 1).After(q.From)) {
		return false
	}
	if !q.To.IsZero() && in.OccurredAt.After(q.To) {
		return false
	}
	if q.Who != "" && !slices.ContainsFunc(in.People, func(p Person) bool { return p.Matches(q.Who) }) {
		return false
	}
	if q.Kind != "" && !slices.Contains(in.Kinds, q.Kind) {
		return false
	}
	if q.Tag != "" && !slices.ContainsFunc(in.Tags, func(t string) bool { return strings.EqualFold(t, q.Tag) }) {
		return false
	}
	if q.Search != "" && !strings.Contains(strings.ToLower(searchText(in)), strings.ToLower(q.Search)) {
		return false
	}
	return true
}

// searchText joins every text field of an incident, for --search.
func searchText(in *Incident) string {
	parts := []string{in.Place, in.Summary, in.Details, in.Words, in.ToldBy, in.Impact, in.Severity}
	for _, p := range in.People {
		parts = append(parts, p.Name, p.Relation, p.Description)
	}
	for _, w := range in.Witnesses {
		parts = append(parts, w.Name, w.Contact)
	}
	for _, r := range in.Reported {
		parts = append(parts, r.To, r.Reference, r.Officer)
	}
	parts = append(parts, in.Actions...)
	parts = append(parts, in.Kinds...)
	parts = append(parts, in.Tags...)
	return strings.Join(parts, "\n")
}

// Select returns the incidents that match q, in the order they happened
// (by number where two happened at the same time).
func (st *State) Select(q Query) []*Incident {
	var out []*Incident
	for _, in := range st.Incidents {
		if q.Match(in) {
			out = append(out, in)
		}
	}
	slices.SortStableFunc(out, byOccurrence)
	return out
}

// Summary tells the story of a list of incidents at a glance: how many,
// over what span, who, what kinds, how often month by month, and what was
// reported to whom.
type Summary struct {
	Count int        `json:"count"`
	First *time.Time `json:"first"`
	Last  *time.Time `json:"last"`
	// Days is the number of calendar days from the first incident to the
	// last, both included; 0 when there are none.
	Days   int           `json:"days"`
	People []PersonCount `json:"people"`
	Kinds  []KindCount   `json:"kinds"`
	// Months counts incidents per calendar month, from the month of the
	// first to the month of the last, months without incidents included,
	// so that a rise shows.
	Months []MonthCount `json:"months"`
	// Reported lists every report made, in the order of the incidents.
	Reported []ReportEntry `json:"reported"`
}

// PersonCount is how many incidents involve one person, and when the first
// and the last happened. CourseOfConduct is set when two or more incidents
// involve them: what a harassment complaint must show.
type PersonCount struct {
	Name            string    `json:"name"`
	Relation        string    `json:"relation"`
	Count           int       `json:"count"`
	First           time.Time `json:"first"`
	Last            time.Time `json:"last"`
	CourseOfConduct bool      `json:"course_of_conduct"`
}

// KindCount is how many incidents were of one kind.
type KindCount struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

// MonthCount is how many incidents happened in one calendar month, written
// as YYYY-MM.
type MonthCount struct {
	Month string `json:"month"`
	Count int    `json:"count"`
}

// ReportEntry is one report of an incident: to whom, with what reference,
// and which incident, when.
type ReportEntry struct {
	Incident   uint64    `json:"incident"`
	OccurredAt time.Time `json:"occurred_at"`
	Report
}

// Summarize counts incidents, which must be in the order they happened.
// People are matched by name without regard to case, so the same person is
// counted once; they are listed most incidents first, then by who came
// first. Kinds are listed most incidents first, then in the order of
// [Kinds]. Months are calendar months in each incident's own time zone.
func Summarize(incidents []*Incident) Summary {
	var z Summarizer
	for _, in := range incidents {
		z.Add(in)
	}
	return z.Summary()
}

// Summarizer makes the [Summary] of incidents given one at a time, in the
// order they happened, as [Summarize] does. The zero Summarizer is ready.
type Summarizer struct {
	s      Summary
	index  map[string]int
	kinds  map[string]int
	months map[int]int       // year*12 + month-1
	keys   map[string]string // name as written: PersonKey of it
	seen   []string
	last   time.Time // when the last incident added happened
}

// Add counts one more incident, which happened after (or with) those
// added before. It keeps nothing of in: the names and reports it keeps
// are copied, so that in's memory can go.
func (z *Summarizer) Add(in *Incident) {
	if z.index == nil {
		z.index, z.kinds, z.months, z.keys = map[string]int{}, map[string]int{}, map[int]int{}, map[string]string{}
	}
	s := &z.s
	if s.Count == 0 {
		first := in.OccurredAt
		s.First = &first
	}
	s.Count++
	z.last = in.OccurredAt
	z.seen = z.seen[:0]
	for _, p := range in.People {
		key, ok := z.keys[p.Name]
		if !ok {
			key = strings.Clone(PersonKey(p.Name))
			z.keys[strings.Clone(p.Name)] = key
		}
		if slices.Contains(z.seen, key) {
			continue
		}
		z.seen = append(z.seen, key)
		i, ok := z.index[key]
		if !ok {
			i = len(s.People)
			z.index[key] = i
			s.People = append(s.People, PersonCount{Name: strings.Clone(p.Name), Relation: strings.Clone(p.Relation), First: in.OccurredAt})
		}
		pc := &s.People[i]
		pc.Count++
		pc.Last = in.OccurredAt
		if (pc.Relation == "" || pc.Relation == "unknown") && pc.Relation != p.Relation {
			pc.Relation = strings.Clone(p.Relation)
		}
		if pc.Name != p.Name && pc.Name == strings.ToLower(pc.Name) && p.Name != strings.ToLower(p.Name) {
			pc.Name = strings.Clone(p.Name) // "John Smith" reads better than "john smith"
		}
	}
	for _, k := range in.Kinds {
		if _, ok := z.kinds[k]; !ok {
			k = strings.Clone(k)
		}
		z.kinds[k]++
	}
	y, m, _ := in.OccurredAt.Date()
	z.months[y*12+int(m)-1]++
	for _, r := range in.Reported {
		r = Report{To: strings.Clone(r.To), Reference: strings.Clone(r.Reference), Officer: strings.Clone(r.Officer)}
		s.Reported = append(s.Reported, ReportEntry{Incident: in.ID, OccurredAt: in.OccurredAt, Report: r})
	}
}

// Summary returns the summary of the incidents added so far.
func (z *Summarizer) Summary() Summary {
	s := z.s
	s.People = slices.Clone(s.People)
	if s.People == nil {
		s.People = []PersonCount{}
	}
	s.Kinds, s.Months = []KindCount{}, []MonthCount{}
	if s.Reported == nil {
		s.Reported = []ReportEntry{}
	}
	if s.Count == 0 {
		s.First, s.Last = nil, nil
		return s
	}
	last := z.last
	s.Last = &last
	s.Days = dayNumber(*s.Last) - dayNumber(*s.First) + 1
	for i := range s.People {
		s.People[i].CourseOfConduct = s.People[i].Count >= 2
	}
	slices.SortStableFunc(s.People, func(a, b PersonCount) int { return cmp.Compare(b.Count, a.Count) })
	for k, n := range z.kinds {
		s.Kinds = append(s.Kinds, KindCount{Kind: k, Count: n})
	}
	slices.SortFunc(s.Kinds, func(a, b KindCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)), strings.Compare(a.Kind, b.Kind))
	})
	// Months run from the earliest to the latest month seen: incidents in
	// other time zones than the first and last can fall outside those.
	lo, hi := math.MaxInt, math.MinInt
	for m := range z.months {
		lo, hi = min(lo, m), max(hi, m)
	}
	for m := lo; m <= hi; m++ {
		s.Months = append(s.Months, MonthCount{Month: fmt.Sprintf("%04d-%02d", m/12, m%12+1), Count: z.months[m]})
	}
	return s
}

// dayNumber counts calendar days, in the time's own zone.
func dayNumber(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// kindOrder is a kind's place in [Kinds], unknown kinds last.
func kindOrder(k string) int {
	if i := slices.Index(Kinds, k); i >= 0 {
		return i
	}
	return len(Kinds)
}

// PersonKey is the form of a name under which the same person is counted
// once: case and runs of spaces do not matter.
func PersonKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// Matches reports whether who names this person: one or more whole words
// of the name, in order and in any case ("evans", "Mark", "mark evans"),
// optionally followed by the relation in brackets as the people list
// prints it ("Mark Evans (relative)"), which must then be theirs too.
// Parts of words do not match: "Ann" is not "Anna".
func (p Person) Matches(who string) bool {
	who = strings.TrimSpace(who)
	if i := strings.LastIndex(who, "("); i > 0 && strings.HasSuffix(who, ")") {
		rel := strings.ToLower(strings.TrimSpace(who[i+1 : len(who)-1]))
		if slices.Contains(Relations, rel) {
			if rel != p.Relation && !(rel == "unknown" && p.Relation == "") {
				return false
			}
			who = who[:i]
		}
	}
	words := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == '-' || unicode.IsSpace(r) })
	}
	want, name := words(who), words(p.Name)
	if len(want) == 0 {
		return false
	}
	for i := 0; i+len(want) <= len(name); i++ {
		if slices.Equal(name[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

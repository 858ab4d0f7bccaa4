package journal

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Query selects incidents for a timeline or a report. Its conditions are
// combined: an incident must meet all of them. Zero values select all.
type Query struct {
	// From and To bound when the incident happened, both included.
	From, To time.Time
	// Who matches a person's name, without regard to case.
	Who string
	// Kind and Tag match one of the incident's kinds or tags.
	Kind, Tag string
	// Search matches any text field, without regard to case.
	Search string
	// IncludeVoid keeps void incidents, which are left out otherwise.
	IncludeVoid bool
}

// Match reports whether an incident meets the query.
func (q *Query) Match(in *Incident) bool {
	if in.Void != nil && !q.IncludeVoid {
		return false
	}
	if !q.From.IsZero() && in.OccurredAt.Before(q.From) {
		return false
	}
	if !q.To.IsZero() && in.OccurredAt.After(q.To) {
		return false
	}
	if q.Who != "" && !slices.ContainsFunc(in.People, func(p Person) bool { return PersonKey(p.Name) == PersonKey(q.Who) }) {
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
	slices.SortStableFunc(out, func(a, b *Incident) int {
		return cmp.Or(a.OccurredAt.Compare(b.OccurredAt), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// Summary counts a list of incidents.
type Summary struct {
	Count  int           `json:"count"`
	First  *time.Time    `json:"first"`
	Last   *time.Time    `json:"last"`
	People []PersonCount `json:"people"`
}

// PersonCount is how many incidents involve one person, and when the first
// and the last happened.
type PersonCount struct {
	Name     string    `json:"name"`
	Relation string    `json:"relation"`
	Count    int       `json:"count"`
	First    time.Time `json:"first"`
	Last     time.Time `json:"last"`
}

// Summarize counts incidents, which must be in the order they happened.
// People are matched by name without regard to case, so the same person is
// counted once; they are listed most incidents first.
func Summarize(incidents []*Incident) Summary {
	s := Summary{Count: len(incidents), People: []PersonCount{}}
	if len(incidents) == 0 {
		return s
	}
	first, last := incidents[0].OccurredAt, incidents[len(incidents)-1].OccurredAt
	s.First, s.Last = &first, &last
	index := map[string]int{}
	for _, in := range incidents {
		seen := map[string]bool{}
		for _, p := range in.People {
			key := PersonKey(p.Name)
			if seen[key] {
				continue
			}
			seen[key] = true
			i, ok := index[key]
			if !ok {
				i = len(s.People)
				index[key] = i
				s.People = append(s.People, PersonCount{Name: p.Name, Relation: p.Relation, First: in.OccurredAt})
			}
			pc := &s.People[i]
			pc.Count++
			pc.Last = in.OccurredAt
			if pc.Relation == "unknown" && p.Relation != "unknown" {
				pc.Relation = p.Relation
			}
			if pc.Name == strings.ToLower(pc.Name) && p.Name != strings.ToLower(p.Name) {
				pc.Name = p.Name // "John Smith" reads better than "john smith"
			}
		}
	}
	slices.SortStableFunc(s.People, func(a, b PersonCount) int { return cmp.Compare(b.Count, a.Count) })
	return s
}

// PersonKey is the form of a name under which the same person is counted
// once: case and runs of spaces do not matter.
func PersonKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

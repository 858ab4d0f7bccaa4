package journal

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Query selects incidents for a timeline or a report.
type Query struct {
	// IncludeVoid keeps void incidents, which are left out otherwise.
	IncludeVoid bool
}

// Select returns the incidents that match q, in the order they happened
// (by number where two happened at the same time).
func (st *State) Select(q Query) []*Incident {
	var out []*Incident
	for _, in := range st.Incidents {
		if in.Void != nil && !q.IncludeVoid {
			continue
		}
		out = append(out, in)
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

package journal

import (
	"cmp"
	"slices"
)

// Selection is the incidents a [Query] selects from a journal, in the
// order they happened (by number where two happened at the same time),
// with the rest of the journal's state. It gives them one at a time
// ([Selection.Each]), so that a reader of a large journal, an export,
// need not hold them all: [Store.Select] reads them from the cache as they
// are asked for.
type Selection struct {
	// State is the journal as it stands, except that it may hold no
	// incidents: the selected ones are given by Each, and those with
	// evidence files by WithEvidence.
	State *State
	ids   []uint64
	each  func(fn func(*Incident) error) error
	files []*Incident
	close func() error
	// total is how many incidents the journal holds, void ones included.
	total int
}

// Total returns how many incidents the journal holds, selected or not,
// void ones included.
func (sel *Selection) Total() int { return sel.total }

// Select returns the incidents of st that q selects, from memory.
func Select(st *State, q Query) *Selection {
	incidents := st.Select(q)
	var files []*Incident
	for _, in := range st.Incidents {
		if len(in.Attachments) > 0 {
			files = append(files, in)
		}
	}
	return &Selection{State: st, ids: incidentIDs(incidents), files: files, total: len(st.Incidents),
		each: func(fn func(*Incident) error) error {
			for _, in := range incidents {
				if err := fn(in); err != nil {
					return err
				}
			}
			return nil
		}}
}

func incidentIDs(incidents []*Incident) []uint64 {
	ids := make([]uint64, len(incidents))
	for i, in := range incidents {
		ids[i] = in.ID
	}
	return ids
}

// Len is the number of incidents selected.
func (sel *Selection) Len() int { return len(sel.ids) }

// IDs are the numbers of the incidents selected, in the order they
// happened.
func (sel *Selection) IDs() []uint64 { return slices.Clone(sel.ids) }

// Each calls fn with every incident selected, in the order they happened,
// and stops at the first error. It can be called again: each call reads
// them anew. fn must not change an incident unless it copies it; it may
// keep one (a reader from the cache decodes each anew, a selection in
// memory gives the state's, which nothing changes while it is read).
func (sel *Selection) Each(fn func(*Incident) error) error { return sel.each(fn) }

// All returns every incident selected, in memory, in the order they
// happened.
func (sel *Selection) All() ([]*Incident, error) {
	out := make([]*Incident, 0, len(sel.ids))
	err := sel.each(func(in *Incident) error {
		out = append(out, in)
		return nil
	})
	return out, err
}

// WithEvidence returns every incident of the journal that has evidence
// files, selected or not, in the order they were recorded.
func (sel *Selection) WithEvidence() []*Incident { return sel.files }

// Close ends the selection's reading of the journal file.
func (sel *Selection) Close() error {
	if sel.close == nil {
		return nil
	}
	c := sel.close
	sel.close = nil
	return c()
}

// byOccurrence orders incidents as a Selection gives them.
func byOccurrence(a, b *Incident) int {
	return cmp.Or(a.OccurredAt.Compare(b.OccurredAt), cmp.Compare(a.ID, b.ID))
}

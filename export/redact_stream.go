package export

import (
	"cmp"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/journal-dev/journal/journal"
)

// A redaction reads the incidents twice: once to name everyone (collect,
// then named), once to replace (incident). What the first reading keeps
// grows with the people, witnesses and places named, not with the
// incidents, so a timeline read one incident at a time is redacted one
// incident at a time.

// redactStreamed returns t redacted as [RedactAll] redacts it, and the
// selection in words, redacted, for the cover. It reads t's incidents
// once to name everyone; the timeline it returns redacts each incident as
// it is read, and keeps none. The kinds of redaction applied are known
// once it has been read through: a PDF report reads it through before its
// cover.
func redactStreamed(t *Timeline, filters []string) (*Timeline, string, error) {
	r := newRedactor()
	err := t.each(func(in *journal.Incident) error {
		r.collect(in)
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	r.named()
	selection := r.text(selection(filters))
	red := &Timeline{Fingerprint: t.Fingerprint, Stamps: t.Stamps, Witnessed: unnamedWitnesses(t.Witnessed), count: t.Len(), redactor: r,
		from: func(fn func(*journal.Incident) error) error {
			return t.each(func(in *journal.Incident) error { return fn(r.incident(in)) })
		}}
	return red, selection, nil
}

// collect names the people of an incident, and of its earlier versions,
// and notes its witnesses, informants and places. The names kept are
// copies: the incident's strings may share the memory of many others.
func (r *redactor) collect(in *journal.Incident) {
	r.collectFields(&in.Fields)
	for i := range in.Amendments {
		r.collectFields(&in.Amendments[i].Previous)
	}
}

func (r *redactor) collectFields(f *journal.Fields) {
	for _, p := range f.People {
		r.name([]journal.Person{{Name: strings.Clone(p.Name)}})
	}
	for _, w := range f.Witnesses {
		r.pend(w.Name)
	}
	r.pend(f.ToldBy)
	r.place(strings.Clone(f.Place))
}

// pend notes a witness or informant, the first time they are met.
func (r *redactor) pend(name string) {
	key := journal.PersonKey(name)
	if key == "" || r.pendingKeys[key] {
		return
	}
	r.pendingKeys[strings.Clone(key)] = true
	r.pending = append(r.pending, strings.Clone(name))
}

// named numbers the witnesses once everyone involved is named, and orders
// the names to replace.
func (r *redactor) named() {
	for _, name := range r.pending {
		r.witness(name)
	}
	r.pending, r.pendingKeys = nil, nil
	r.shared()
	// Longest names first, so "John Smith" is replaced before "John".
	slices.SortStableFunc(r.names, func(a, b nameAlias) int { return len(b.text) - len(a.text) })
	// Place words in an order of their own, longest first, so that
	// "St-Mary's" is replaced before "Mary", the same way every time.
	r.places = slices.SortedFunc(maps.Keys(r.placeWords), func(a, b string) int {
		return cmp.Or(len(b)-len(a), strings.Compare(a, b))
	})
}

// incident returns a redacted copy of in.
func (r *redactor) incident(in *journal.Incident) *journal.Incident {
	c := *in
	r.fields(&c.Fields)
	c.Amendments = make([]journal.Amendment, len(in.Amendments))
	for j, a := range in.Amendments {
		a.Reason = r.text(a.Reason)
		r.fields(&a.Previous)
		c.Amendments[j] = a
	}
	if in.Void != nil {
		v := *in.Void
		v.Reason = r.text(v.Reason)
		c.Void = &v
	}
	c.Attachments = make([]journal.Attachment, len(in.Attachments))
	for j, a := range in.Attachments {
		name := fmt.Sprintf("file %d%s", j+1, strings.ToLower(path.Ext(a.Name)))
		if a.Name != name {
			r.applied[RedactFiles] = true
		}
		a.Name, a.Source = name, ""
		if strings.HasPrefix(a.MediaType, "image/") {
			r.applied[RedactImages] = true
		}
		c.Attachments[j] = a
	}
	return &c
}

// kinds are the kinds of redaction applied so far, in order.
func (r *redactor) kinds() []string {
	var out []string
	for _, k := range redactionOrder {
		if r.applied[k] {
			out = append(out, k)
		}
	}
	return out
}

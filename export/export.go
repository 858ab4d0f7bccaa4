// Package export renders a journal's incidents for people and programs:
// plain text for the terminal ([WriteText], [WriteTextWith]), Markdown
// ([WriteMarkdown]), JSON in the shape the scripting contract fixes
// ([WriteJSON]), CSV with one row per incident ([WriteCSV]) and a PDF
// report. Each takes a [Timeline] made by [NewTimeline].
//
// Renderers take journal types and an io.Writer; they do not touch a
// terminal, and the same input always gives the same bytes.
package export

import (
	"bufio"
	"encoding/json"
	"io"
	"slices"

	"github.com/journal-dev/journal/journal"
)

// Timeline is a selection of incidents with their summary and the
// fingerprint of the journal they came from.
type Timeline struct {
	Incidents   []*journal.Incident `json:"incidents"`
	Summary     journal.Summary     `json:"summary"`
	Fingerprint string              `json:"fingerprint"`
	// Stamps are the journal's timestamp tokens, which a report carries
	// so that its reader can check them (see stamps.go); none in a
	// timeline printed for the user.
	Stamps []journal.StampEntry `json:"-"`
	// Witnessed are the journal's checkpoints countersigned by a witness,
	// which a PDF report names in "How to check this report".
	Witnessed []journal.CosignedEntry `json:"-"`

	// from, when set, gives the incidents in place of Incidents, one at
	// a time (see [FromSelection]); count is how many it gives, private
	// is set when they are to leave the journal (Disclosable), and
	// summarized once Summary is made. redactor, when set, is what
	// redacts them as from gives them (see redactStreamed).
	from       func(fn func(*journal.Incident) error) error
	count      int
	private    bool
	summarized bool
	redactor   *redactor
}

// FromSelection makes a timeline of sel's incidents that reads them from
// sel as they are rendered, never all at once. Its Summary is made when a
// renderer needs it: by reading them once more when the summary comes
// first (text, Markdown), as they are written when it comes last (JSON),
// never for CSV; a PDF report reads them once for its summary and the
// courses of conduct, then once for each section that lists them.
// Redaction reads them once more first, to name everyone, then redacts
// each as it is rendered.
func FromSelection(sel *journal.Selection) (*Timeline, error) {
	return &Timeline{Fingerprint: sel.State.Fingerprint, from: sel.Each, count: sel.Len()}, nil
}

// summary returns the timeline's summary, made by reading its incidents
// once if it is not made yet.
func (t *Timeline) summary() (journal.Summary, error) {
	if t.from == nil || t.summarized {
		return t.Summary, nil
	}
	var z journal.Summarizer
	if err := t.from(func(in *journal.Incident) error { z.Add(in); return nil }); err != nil {
		return journal.Summary{}, err
	}
	t.Summary, t.summarized = z.Summary(), true
	return t.Summary, nil
}

// Len is the number of incidents in the timeline.
func (t *Timeline) Len() int {
	if t.from != nil {
		return t.count
	}
	return len(t.Incidents)
}

// each calls fn with every incident of the timeline, in order.
func (t *Timeline) each(fn func(*journal.Incident) error) error {
	if t.from == nil {
		for _, in := range t.Incidents {
			if err := fn(in); err != nil {
				return err
			}
		}
		return nil
	}
	return t.from(func(in *journal.Incident) error {
		if t.private {
			in = disclosable(in)
		}
		return fn(in)
	})
}

// NewTimeline summarises incidents, which must be in the order they
// happened, from a journal whose fingerprint is given.
func NewTimeline(incidents []*journal.Incident, fingerprint string) *Timeline {
	if incidents == nil {
		incidents = []*journal.Incident{}
	}
	return &Timeline{Incidents: incidents, Summary: journal.Summarize(incidents), Fingerprint: fingerprint}
}

// outputBuffer is the size of the buffer every renderer writes through: a
// renderer writes a line, or less, at a time, and without it each would be
// a system call (tens of thousands for a long timeline).
const outputBuffer = 64 << 10

// flushed flushes bw and returns err, or the flush's error if err is nil.
func flushed(bw *bufio.Writer, err error) error {
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return err
}

// WriteJSON writes the timeline as one indented JSON object.
//
// It writes the incidents one at a time (json.go) rather than the whole
// object at once: the bytes are those of json.MarshalIndent, but a
// timeline of many thousand incidents is not built up, and indented, in one
// buffer of tens of megabytes.
func WriteJSON(w io.Writer, t *Timeline) error {
	bw := bufio.NewWriterSize(w, outputBuffer)
	bw.WriteString("{\n  \"incidents\": ")
	var err error
	if n := t.Len(); n == 0 {
		bw.WriteString("[]")
	} else {
		bw.WriteString("[\n")
		// The summary comes after the incidents: it is made as they
		// are written, rather than by reading them all once more.
		var z *journal.Summarizer
		if t.from != nil && !t.summarized {
			z = &journal.Summarizer{}
		}
		err = renderEach(bw, t, n, z, func(b []byte, in *journal.Incident, i int) []byte {
			j := &jsonOut{b: b, prefix: "    "}
			j.b = append(j.b, "    "...)
			j.incident(in)
			if i+1 < n {
				j.b = append(j.b, ',')
			}
			return append(j.b, '\n')
		})
		bw.WriteString("  ]")
		if z != nil && err == nil {
			t.Summary, t.summarized = z.Summary(), true
		}
	}
	if err != nil {
		return err
	}
	summary, err := t.summary()
	if err != nil {
		return err
	}
	fingerprint, err := json.Marshal(t.Fingerprint)
	if err != nil {
		return err
	}
	bw.WriteString(",\n  \"summary\": ")
	if err := writeSummaryJSON(bw, summary); err != nil {
		return err
	}
	bw.WriteString(",\n  \"fingerprint\": ")
	bw.Write(fingerprint)
	if len(t.Stamps) > 0 {
		if err := writeStampsJSON(bw, t.Stamps); err != nil {
			return err
		}
	}
	if len(t.Witnessed) > 0 {
		if err := writeWitnessedJSON(bw, t.Witnessed); err != nil {
			return err
		}
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// WriteIncidentJSON writes one incident as an indented JSON object.
func WriteIncidentJSON(w io.Writer, in *journal.Incident) error {
	return writeJSON(w, in)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Disclosable returns t as it may leave the journal: every incident, and
// every earlier version of it, without the private notes, and amendments
// no longer naming them among the fields they changed. An incident with
// nothing private is given as it is, not copied: the result is read,
// never changed. Every export goes through it.
func Disclosable(t *Timeline) *Timeline {
	if t.from != nil {
		c := *t
		c.private = true
		return &c
	}
	out := make([]*journal.Incident, len(t.Incidents))
	for i, in := range t.Incidents {
		out[i] = disclosable(in)
	}
	return &Timeline{Incidents: out, Summary: t.Summary, Fingerprint: t.Fingerprint, Stamps: t.Stamps, Witnessed: t.Witnessed}
}

// disclosable is in as it may leave the journal: in itself when nothing
// of it is private (most incidents), else a copy without it.
func disclosable(in *journal.Incident) *journal.Incident {
	if !holdsPrivate(in) {
		return in
	}
	c := *in
	c.Fields = in.Fields.Disclosed()
	if len(in.Amendments) > 0 {
		c.Amendments = make([]journal.Amendment, len(in.Amendments))
		for j, a := range in.Amendments {
			a.Previous = a.Previous.Disclosed()
			a.Changed = slices.DeleteFunc(slices.Clone(a.Changed), func(n journal.Field) bool {
				s, _ := journal.LookupField(n)
				return s.Private
			})
			c.Amendments[j] = a
		}
	}
	return &c
}

// holdsPrivate says whether in, or an earlier version of it, holds a
// private field, or an amendment names one among those it changed.
func holdsPrivate(in *journal.Incident) bool {
	if privateSet(&in.Fields) {
		return true
	}
	for i := range in.Amendments {
		a := &in.Amendments[i]
		if privateSet(&a.Previous) {
			return true
		}
		for _, n := range a.Changed {
			if s, _ := journal.LookupField(n); s.Private {
				return true
			}
		}
	}
	return false
}

// privateSet says whether a private field of f is set.
func privateSet(f *journal.Fields) bool {
	for _, s := range journal.FieldSpecs() {
		if s.Private && s.Values(f) != nil {
			return true
		}
	}
	return false
}

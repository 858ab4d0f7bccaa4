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
	incidents := t.Incidents
	if incidents == nil {
		incidents = []*journal.Incident{}
	}
	bw.WriteString("{\n  \"incidents\": ")
	if len(incidents) == 0 {
		bw.WriteString("[]")
	} else {
		bw.WriteString("[\n")
		j := &jsonOut{prefix: "    "}
		for i, in := range incidents {
			j.b, j.depth, j.first = j.b[:0], 0, false
			j.incident(in)
			bw.WriteString("    ")
			bw.Write(j.b)
			if i < len(incidents)-1 {
				bw.WriteByte(',')
			}
			bw.WriteByte('\n')
		}
		bw.WriteString("  ]")
	}
	summary, err := json.MarshalIndent(t.Summary, "  ", "  ")
	if err != nil {
		return err
	}
	fingerprint, err := json.Marshal(t.Fingerprint)
	if err != nil {
		return err
	}
	bw.WriteString(",\n  \"summary\": ")
	bw.Write(summary)
	bw.WriteString(",\n  \"fingerprint\": ")
	bw.Write(fingerprint)
	if len(t.Stamps) > 0 {
		if err := writeStampsJSON(bw, t.Stamps); err != nil {
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

// Disclosable returns a copy of t as it may leave the journal: every
// incident, and every earlier version of it, without the private notes,
// and amendments no longer naming them among the fields they changed.
// Every export goes through it.
func Disclosable(t *Timeline) *Timeline {
	out := make([]*journal.Incident, len(t.Incidents))
	for i, in := range t.Incidents {
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
		out[i] = &c
	}
	return &Timeline{Incidents: out, Summary: t.Summary, Fingerprint: t.Fingerprint, Stamps: t.Stamps}
}

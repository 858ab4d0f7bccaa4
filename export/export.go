// Package export renders a journal's incidents for people and programs:
// plain text for the terminal and JSON in the shape the scripting contract
// fixes.
//
// Renderers take journal types and an io.Writer; they do not touch a
// terminal, and the same input always gives the same bytes.
package export

import (
	"encoding/json"
	"io"

	"github.com/journal-dev/journal/journal"
)

// Timeline is a selection of incidents with their summary and the
// fingerprint of the journal they came from.
type Timeline struct {
	Incidents   []*journal.Incident `json:"incidents"`
	Summary     journal.Summary     `json:"summary"`
	Fingerprint string              `json:"fingerprint"`
}

// NewTimeline summarises incidents, which must be in the order they
// happened, from a journal whose fingerprint is given.
func NewTimeline(incidents []*journal.Incident, fingerprint string) *Timeline {
	if incidents == nil {
		incidents = []*journal.Incident{}
	}
	return &Timeline{Incidents: incidents, Summary: journal.Summarize(incidents), Fingerprint: fingerprint}
}

// WriteJSON writes the timeline as one indented JSON object.
func WriteJSON(w io.Writer, t *Timeline) error {
	return writeJSON(w, t)
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

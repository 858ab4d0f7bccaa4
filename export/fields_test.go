package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

// fullIncident is an incident with every field of journal.FieldSpecs set
// to its example.
func fullIncident(t *testing.T) *journal.Incident {
	t.Helper()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	f, err := journal.ExampleFields(now)
	if err != nil {
		t.Fatal(err)
	}
	return &journal.Incident{ID: 7, RecordedAt: now, Fields: f}
}

// expected is what a renderer for people must show of a field: each
// example item, times as the day and time to the second with the offset,
// the approximate mark as "about", and a text a line at a time (a
// renderer may wrap or escape between lines).
func expected(s journal.FieldSpec, f *journal.Fields) []string {
	switch s.Name {
	case journal.FieldWhen:
		return []string{f.OccurredAt.Format("15:04:05"), "UTC+05:00"}
	case journal.FieldUntil:
		return []string{f.Until.Format("15:04:05")}
	case journal.FieldApprox:
		return []string{"about"}
	case journal.FieldKind:
		// As a person reads them ("phone call"); the CSV and the JSON
		// keep the words --kind takes.
		var labels []string
		for _, k := range f.Kinds {
			labels = append(labels, journal.KindLabel(k))
		}
		return labels
	}
	var out []string
	for _, v := range s.Values(f) {
		out = append(out, strings.Split(v, "\n")...)
	}
	return out
}

// folded puts a text on one line, so that wrapping does not hide a value.
func folded(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestRenderersShowEveryField fails when a renderer forgets a field: every
// field of a fully filled incident must be in the text of show, the
// Markdown, the CSV, the JSON and the PDF, and a private field in show but
// in none of the exports.
func TestRenderersShowEveryField(t *testing.T) {
	in := fullIncident(t)
	// Every export goes through Disclosable; show is for the owner and
	// shows the private fields too.
	tl := Disclosable(NewTimeline([]*journal.Incident{in}, "abcd-efgh-ijkl-mnop-qrst-uvwx"))
	render := map[string]func() string{
		"show": func() string {
			var b bytes.Buffer
			if err := WriteIncidentText(&b, in); err != nil {
				t.Fatal(err)
			}
			return b.String()
		},
		"markdown": func() string {
			var b bytes.Buffer
			if err := WriteMarkdown(&b, tl); err != nil {
				t.Fatal(err)
			}
			return strings.ReplaceAll(b.String(), `\`, "")
		},
		"pdf": func() string {
			pdf, _ := renderPDF(t, tl, PDFOptions{Created: in.RecordedAt})
			return pdfText(t, pdf)
		},
	}
	for name, r := range render {
		t.Run(name, func(t *testing.T) {
			text := folded(r())
			for _, s := range journal.FieldSpecs() {
				for _, want := range expected(s, &in.Fields) {
					has := strings.Contains(text, folded(want))
					private := s.Private && name != "show"
					if private && has {
						t.Errorf("%s shows the private field %s (%q): leave it out", name, s.Name, want)
					}
					if !private && !has {
						t.Errorf("%s does not show the field %s: %q is missing", name, s.Name, want)
					}
				}
			}
		})
	}
	t.Run("csv", func(t *testing.T) {
		var b bytes.Buffer
		if err := WriteCSV(&b, tl); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&b).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("CSV rows = %d, %v", len(rows), err)
		}
		for _, s := range journal.FieldSpecs() {
			want := strings.Join(s.Values(&in.Fields), "\n")
			has := slices.Contains(rows[1], want)
			if s.Private && has {
				t.Errorf("the CSV holds the private field %s", s.Name)
			}
			if !s.Private && !has {
				t.Errorf("the CSV has no cell %q for the field %s: give it a column in CSVHeader and csvRow", want, s.Name)
			}
		}
	})
	t.Run("json", func(t *testing.T) {
		var b bytes.Buffer
		if err := WriteJSON(&b, tl); err != nil {
			t.Fatal(err)
		}
		var back struct{ Incidents []journal.Incident }
		if err := json.Unmarshal(b.Bytes(), &back); err != nil || len(back.Incidents) != 1 {
			t.Fatalf("the JSON does not read back: %v", err)
		}
		for _, s := range journal.FieldSpecs() {
			got, want := s.Values(&back.Incidents[0].Fields), s.Values(&in.Fields)
			if s.Private && len(got) > 0 {
				t.Errorf("the JSON holds the private field %s", s.Name)
			}
			if !s.Private && !slices.Equal(got, want) {
				t.Errorf("the JSON's %s reads back as %q, want %q: write it in jsonOut.fields", s.Name, got, want)
			}
		}
	})
}

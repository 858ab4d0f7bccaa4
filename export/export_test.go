package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/journal-dev/journal/journal"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sample is a timeline with one of everything a renderer must handle:
// approximate and spanning times, two people over several incidents,
// void, amended and imported incidents, reports with and without a
// reference, evidence, and text that looks like Markdown or breaks CSV.
func sample() *Timeline {
	utc := time.UTC
	bst := time.FixedZone("", 3600)
	at := func(y int, m time.Month, d, h, min int, loc *time.Location) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, loc)
	}
	until := at(2026, 9, 3, 9, 40, bst)
	john := journal.Person{Name: "John Smith", Relation: "patient", Description: "grey coat, blue car"}
	mary := journal.Person{Name: "Mary Smith", Relation: "relative"}
	incidents := []*journal.Incident{
		{ID: 1, RecordedAt: at(2026, 9, 3, 12, 0, bst), Fields: journal.Fields{
			OccurredAt: at(2026, 9, 3, 9, 15, bst), Until: &until, Place: "Riverside Surgery, reception",
			People: []journal.Person{john}, Kinds: []string{"in-person", "verbal-abuse"},
			Summary: "Shouted at me | in front of *everyone*", Details: "He came in without an appointment.\nHe asked for me by name.\n\n# Not a heading\n- not a list",
			Words: "You'll regret this, \"doctor\"", Witnesses: []journal.Witness{{Name: "Ann Lee", Contact: "01632 960123"}},
			Actions: []string{"Told him the contact was not appropriate"}, Reported: []journal.Report{{To: "Practice manager", Reference: "REF-77"}},
			Impact: "Could not sleep", Severity: "high", Tags: []string{"reception"}},
			Attachments: []journal.Attachment{{Name: "cctv.jpg", Size: 48213, SHA256: strings.Repeat("ab", 32), MediaType: "image/jpeg"}}},
		{ID: 3, RecordedAt: at(2026, 10, 2, 20, 0, bst), Fields: journal.Fields{
			OccurredAt: at(2026, 10, 1, 18, 0, bst), Approximate: true, People: []journal.Person{{Name: "john smith", Relation: "unknown"}, mary},
			Kinds: []string{"phone-call"}, Summary: "Called my mobile, five times", ToldBy: "",
			Reported: []journal.Report{{To: "Police", Reference: "CAD 1234 01/10", Officer: "PC 123 Jones"}, {To: "Defence organisation"}}}},
		{ID: 2, RecordedAt: at(2026, 11, 24, 15, 0, utc), Imported: true, Fields: journal.Fields{
			OccurredAt: at(2026, 11, 20, 8, 0, utc), People: []journal.Person{john}, Kinds: []string{"gift"},
			Summary: "=1+1 left a gift, at the door", Details: "Flowers and a card.", ToldBy: "Receptionist"}},
		{ID: 4, RecordedAt: at(2026, 11, 24, 16, 0, utc), Fields: journal.Fields{
			OccurredAt: at(2026, 11, 24, 14, 30, utc), Kinds: []string{"phone-call"}, Summary: "Silent call"},
			Amendments: []journal.Amendment{{RecordedAt: at(2026, 11, 24, 17, 0, utc), Reason: "wrong time", Changed: []journal.Field{"when"},
				Previous: journal.Fields{OccurredAt: at(2026, 11, 24, 13, 30, utc), Summary: "Silent call"}}},
			Void: &journal.Void{RecordedAt: at(2026, 11, 25, 9, 0, utc), Reason: "it was a wrong number"}},
	}
	for _, in := range incidents {
		for _, list := range []*[]string{&in.Kinds, &in.Actions, &in.Tags} {
			if *list == nil {
				*list = []string{}
			}
		}
	}
	return NewTimeline(incidents, "abcd-efgh-ijkl-mnop-qrst-uvwx")
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./export -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		if utf8.Valid(got) && !bytes.ContainsRune(got, 0) {
			t.Errorf("%s differs from what was rendered (go test ./export -update rewrites it); got:\n%s", path, got)
		} else {
			t.Errorf("%s differs from what was rendered (%d bytes, want %d); if the change is meant, run go test ./export -update and look at the result",
				path, len(got), len(want))
		}
	}
}

func TestGolden(t *testing.T) {
	bracket := func(r Role, s string) string {
		return [...]string{"", "H", "E", "M", "W", "B"}[r] + "[" + s + "]"
	}
	renderers := []struct {
		name   string
		render func(*bytes.Buffer, *Timeline) error
	}{
		{"timeline.txt", func(b *bytes.Buffer, t *Timeline) error { return WriteText(b, t) }},
		{"timeline-wrapped.txt", func(b *bytes.Buffer, t *Timeline) error {
			return WriteTextWith(b, t, TextOptions{Width: 50, Style: bracket})
		}},
		{"timeline.md", func(b *bytes.Buffer, t *Timeline) error { return WriteMarkdown(b, t) }},
		{"timeline.csv", func(b *bytes.Buffer, t *Timeline) error { return WriteCSV(b, t) }},
		{"timeline.json", func(b *bytes.Buffer, t *Timeline) error { return WriteJSON(b, t) }},
	}
	for _, r := range renderers {
		t.Run(r.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := r.render(&b, sample()); err != nil {
				t.Fatal(err)
			}
			golden(t, r.name, b.Bytes())
			var empty bytes.Buffer
			if err := r.render(&empty, NewTimeline(nil, "abcd-efgh-ijkl-mnop-qrst-uvwx")); err != nil {
				t.Fatal(err)
			}
			golden(t, "empty-"+r.name, empty.Bytes())
		})
	}
}

// TestCSVParsesBack reads the CSV with a CSV parser and checks each cell
// a spreadsheet user would look at.
func TestCSVParsesBack(t *testing.T) {
	var b bytes.Buffer
	tl := sample()
	if err := WriteCSV(&b, tl); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\r\n") {
		t.Error("CSV lines do not end with CRLF, as RFC 4180 asks")
	}
	r := csv.NewReader(&b)
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	if len(rows) != len(tl.Incidents)+1 {
		t.Fatalf("CSV has %d rows, want a header and %d incidents", len(rows), len(tl.Incidents))
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, name := range CSVHeader {
		if _, ok := col[name]; !ok {
			t.Errorf("header lacks column %q", name)
		}
	}
	for i, in := range tl.Incidents {
		row := rows[i+1]
		checks := map[string]string{
			"id":          map[uint64]string{1: "1", 2: "2", 3: "3", 4: "4"}[in.ID],
			"occurred_at": in.OccurredAt.Format(time.RFC3339),
			"summary":     in.Summary,
			"details":     in.Details,
			"words":       in.Words,
		}
		for name, want := range checks {
			if got := row[col[name]]; got != want {
				t.Errorf("row %d, %s = %q, want %q", i+1, name, got, want)
			}
		}
	}
	first := rows[1]
	if got, want := first[col["people"]], "John Smith (patient); grey coat, blue car"; got != want {
		t.Errorf("people = %q, want %q", got, want)
	}
	second := rows[2]
	if got, want := second[col["reported"]], "Police; CAD 1234 01/10; PC 123 Jones\nDefence organisation"; got != want {
		t.Errorf("reported = %q, want %q", got, want)
	}
	if got := rows[4][col["void"]]; got != "true" {
		t.Errorf("void of the void incident = %q, want true", got)
	}
}

// TestJSONShape checks the summary's keys that scripts rely on.
func TestJSONShape(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sample()); err != nil {
		t.Fatal(err)
	}
	var v struct {
		Summary struct {
			Count  int
			People []struct {
				Name            string
				Count           int
				CourseOfConduct bool `json:"course_of_conduct"`
			}
			Months []struct {
				Month string
				Count int
			}
			Reported []struct {
				Incident  int
				To        string
				Reference string
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	s := v.Summary
	if s.Count != 4 || len(s.People) != 2 || s.People[0].Name != "John Smith" || s.People[0].Count != 3 ||
		!s.People[0].CourseOfConduct || s.People[1].CourseOfConduct {
		t.Errorf("summary people = %+v, want John Smith 3 (course of conduct), Mary Smith 1", s.People)
	}
	if len(s.Months) != 3 || s.Months[0].Month != "2026-09" || s.Months[2].Count != 2 {
		t.Errorf("summary months = %+v, want 2026-09 to 2026-11 with 2 in November", s.Months)
	}
	if len(s.Reported) != 3 || s.Reported[1].To != "Police" || s.Reported[1].Reference != "CAD 1234 01/10" {
		t.Errorf("summary reported = %+v", s.Reported)
	}
}

func TestMarkdownEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain words", "plain words"},
		{"# heading", "\\# heading"},
		{"- item", "\\- item"},
		{"1. first", "1\\. first"},
		{"a | b", "a \\| b"},
		{"[link](http://x)", "\\[link\\](http://x)"},
		{"<script>", "\\<script\\>"},
		{"Smith & Co &amp;", "Smith & Co \\&amp;"},
		{"two\nlines", "two lines"},
		{"*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`"},
	}
	for _, tt := range tests {
		if got := mdText(tt.in); got != tt.want {
			t.Errorf("mdText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzMarkdownText checks that escaped text stays on one line and leaves
// no special character unescaped.
func FuzzMarkdownText(f *testing.F) {
	for _, s := range []string{"# x", "a|b", "1) x", "\\*", "&#42;", "héllo ~~x~~"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := mdText(s)
		if strings.ContainsAny(out, "\n\r") {
			t.Fatalf("mdText(%q) = %q spans lines", s, out)
		}
		escaped := false
		for _, r := range out {
			if !escaped && r != '\\' && strings.ContainsRune(mdSpecial, r) {
				t.Fatalf("mdText(%q) = %q leaves %q unescaped", s, out, r)
			}
			escaped = !escaped && r == '\\'
		}
	})
}

package export

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/journal-dev/journal/journal"
)

func TestRedactText(t *testing.T) {
	r := newRedactor()
	r.name([]journal.Person{{Name: "John Smith"}, {Name: "mary o'brien"}, {Name: "Mark"}})
	slices.SortStableFunc(r.names, func(a, b nameAlias) int { return len(b.text) - len(a.text) })
	for _, tc := range []struct{ in, want string }{
		{"John Smith called", "Person A called"},
		{"JOHN SMITH called", "Person A called"},
		{"Mr Smith and John", "Mr Person A and Person A"},
		{"Johnson is someone else", "Johnson is someone else"},
		{"Mary O'Brien said", "Person B said"},
		{"I saw Mary", "I saw Person B"},
		// A one-word name is matched whole, in any case.
		{"Mark waited; I will mark the date", "Person C waited; I will Person C the date"},
		{"call 01632 960123 or +44 7700 900123", "call [phone number] or [phone number]"},
		{"(020) 7946 0018", "[phone number]"},
		{"on 24/11/2026 at 14:30, CAD 1234 20/10, ref RS-2026-014", "on 24/11/2026 at 14:30, CAD 1234 20/10, ref RS-2026-014"},
		{"write to dr.jones@example.org now", "write to [email address] now"},
		{"", ""},
	} {
		if got := r.text(tc.in); got != tc.want {
			t.Errorf("text(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLetters(t *testing.T) {
	for i, want := range map[int]string{0: "A", 1: "B", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA"} {
		if got := letters(i); got != want {
			t.Errorf("letters(%d) = %q, want %q", i, got, want)
		}
	}
}

// TestRedact checks a whole redacted timeline: no name, contact, number or
// address is left anywhere in it, the original is unchanged, and the kinds
// applied are listed.
func TestRedact(t *testing.T) {
	f := newReportFixture()
	var before bytes.Buffer
	WriteJSON(&before, f.timeline)
	red, kinds := Redact(f.timeline)
	var after bytes.Buffer
	WriteJSON(&after, f.timeline)
	if before.String() != after.String() {
		t.Fatal("Redact changed the timeline it was given")
	}
	if want := []string{RedactPeople, RedactWitnesses, RedactContacts, RedactOfficers, RedactPlaces, RedactPhones, RedactEmails,
		RedactFiles, RedactImages}; !slices.Equal(kinds, want) {
		t.Errorf("kinds = %q, want %q", kinds, want)
	}
	var out bytes.Buffer
	WriteJSON(&out, red)
	s := out.String()
	for _, gone := range []string{"John", "Smith", "Mary", "01632", "07700", "example.org", "tom.reed", "Ann Lee", "Tom Reed", "Riverside"} {
		if strings.Contains(s, gone) {
			t.Errorf("redacted timeline still holds %q", gone)
		}
	}
	for _, kept := range []string{"Person A", "Person B", "Witness 1", "Witness 2", "the practice", "CAD 1234 20/10", "red Ford Fiesta"} {
		if !strings.Contains(s, kept) {
			t.Errorf("redacted timeline lost %q", kept)
		}
	}
	if red.Incidents[2].People[1].Name != "Person B" || red.Summary.People[0].Name != "Person A" {
		t.Errorf("people = %+v, summary %+v", red.Incidents[2].People, red.Summary.People)
	}
	// The amendment's original text is redacted too.
	if red.Incidents[0].Amendments[0].Previous.Witnesses[0].Name != "Witness 1" ||
		red.Incidents[0].Amendments[0].Previous.Witnesses[0].Contact != "" {
		t.Errorf("amendment history not redacted: %+v", red.Incidents[0].Amendments[0].Previous.Witnesses)
	}
	golden(t, "report-redacted.json", out.Bytes())
}

// TestRedactedPDF reads a redacted report's text: no name, number or
// address, the redaction listed, no image shown.
func TestRedactedPDF(t *testing.T) {
	f := newReportFixture()
	red, kinds := Redact(f.timeline)
	o := f.options
	o.Redactions = kinds
	o.Evidence = func(*journal.Incident, journal.Attachment) ([]byte, error) {
		t.Error("a redacted report read an evidence file to show it")
		return nil, nil
	}
	pdf, _ := renderPDF(t, red, o)
	text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
	for _, gone := range []string{"John", "Smith", "Mary", "01632", "07700", "example.org", "tom.reed"} {
		if strings.Contains(text, gone) {
			t.Errorf("redacted report still shows %q", gone)
		}
	}
	for _, want := range []string{"This copy is redacted", "Person A", "Person B", "witnesses' contact details are removed",
		"evidence images are not shown", f.timeline.Incidents[1].Attachments[0].SHA256} {
		if !strings.Contains(text, want) {
			t.Errorf("redacted report has no %q", want)
		}
	}
}

// TestJSONGolden fixes the JSON of a report, the shape scripts rely on.
func TestJSONGolden(t *testing.T) {
	var out bytes.Buffer
	if err := WriteJSON(&out, newReportFixture().timeline); err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(out.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.json", out.Bytes())
}

// FuzzRedactText: any text comes out as valid UTF-8, without a panic, and
// without the full name of a person it was told about.
func FuzzRedactText(f *testing.F) {
	for _, s := range []string{"John Smith called 01632 960123", "a@b.co", "İstanbul JOHN SMITH", "((((+1", "Smith-Jones"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := newRedactor()
		r.name([]journal.Person{{Name: "John Smith"}})
		got := r.text(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Errorf("text(%q) = %q, not valid UTF-8", s, got)
		}
		if strings.Contains(" "+got+" ", " John Smith ") {
			t.Errorf("text(%q) = %q still names John Smith", s, got)
		}
	})
}

package export

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/journal-dev/journal/journal"
)

// TestExhibits: marks are the writer's initials and a number, in the order
// files were added; a later report keeps every mark given before, with the
// same initials whatever name it is given, and numbers new files on.
func TestExhibits(t *testing.T) {
	file := func(sha, added string) journal.Attachment {
		return journal.Attachment{Name: sha + ".png", SHA256: sha, AddedAt: at(added)}
	}
	in1 := &journal.Incident{ID: 1, Attachments: []journal.Attachment{file("bb", "2026-10-02 10:00 +0000")}}
	in2 := &journal.Incident{ID: 2, Attachments: []journal.Attachment{file("aa", "2026-10-01 10:00 +0000"), file("cc", "2026-10-03 10:00 +0000")}}
	marks, record := Exhibits([]*journal.Incident{in1, in2}, nil, "Dr Sarah Jane Jones")
	want := map[string]string{"2:aa": "SJJ/1", "1:bb": "SJJ/2", "2:cc": "SJJ/3"}
	if !maps.Equal(marks, want) {
		t.Fatalf("marks = %v, want %v", marks, want)
	}
	// A later report: a file added since, and another name given.
	in3 := &journal.Incident{ID: 3, Attachments: []journal.Attachment{file("dd", "2026-11-01 10:00 +0000")}}
	earlier := []journal.DisclosureEntry{{Disclosure: journal.Disclosure{Exhibits: record}}}
	marks2, record2 := Exhibits([]*journal.Incident{in1, in2, in3}, earlier, "Sam Smith")
	want["3:dd"] = "SJJ/4"
	if !maps.Equal(marks2, want) {
		t.Fatalf("later marks = %v, want %v", marks2, want)
	}
	if len(record2) != 4 || !slices.ContainsFunc(record2, func(e journal.Exhibit) bool { return e.Mark == "SJJ/4" && e.Incident == 3 }) {
		t.Errorf("recorded = %+v", record2)
	}
	// Without a name the marks are EX/n.
	if m, _ := Exhibits([]*journal.Incident{in1}, nil, ""); m["1:bb"] != "EX/1" {
		t.Errorf("without a name: %v", m)
	}
	if got := Initials("Mr. o'Brien  de-Vere"); got != "OD" {
		t.Errorf("Initials = %q", got)
	}
}

// TestExhibitsOneMarkPerFile: the same file (the same bytes) attached to
// two incidents is one exhibit with one mark, listed under each incident,
// as a court bundle has the same document once; a mark an earlier report
// gave stays, even where it gave the same file two.
func TestExhibitsOneMarkPerFile(t *testing.T) {
	file := func(sha, added string) journal.Attachment {
		return journal.Attachment{Name: sha + ".png", SHA256: sha, AddedAt: at(added)}
	}
	in1 := &journal.Incident{ID: 1, Attachments: []journal.Attachment{file("aa", "2026-10-01 10:00 +0000")}}
	in2 := &journal.Incident{ID: 2, Attachments: []journal.Attachment{file("bb", "2026-10-02 10:00 +0000")}}
	in3 := &journal.Incident{ID: 3, Attachments: []journal.Attachment{file("aa", "2026-10-03 10:00 +0000"), file("cc", "2026-10-04 10:00 +0000")}}
	marks, record := Exhibits([]*journal.Incident{in1, in2, in3}, nil, "Sarah Jones")
	want := map[string]string{"1:aa": "SJ/1", "2:bb": "SJ/2", "3:aa": "SJ/1", "3:cc": "SJ/3"}
	if !maps.Equal(marks, want) {
		t.Fatalf("marks = %v, want %v", marks, want)
	}
	if len(record) != 4 {
		t.Errorf("recorded = %+v, want the file under each incident", record)
	}

	// A later report, after the photo was attached to incident 4 too: it
	// keeps SJ/1 for it.
	in4 := &journal.Incident{ID: 4, Attachments: []journal.Attachment{file("aa", "2026-11-01 10:00 +0000")}}
	earlier := []journal.DisclosureEntry{{Disclosure: journal.Disclosure{Exhibits: record}}}
	marks, _ = Exhibits([]*journal.Incident{in1, in2, in3, in4}, earlier, "Sarah Jones")
	if marks["4:aa"] != "SJ/1" {
		t.Errorf("the file attached again later: %q, want SJ/1", marks["4:aa"])
	}

	// An earlier report that gave the file two marks: both are kept, so
	// that a report already handed over still matches.
	old := []journal.DisclosureEntry{{Disclosure: journal.Disclosure{Exhibits: []journal.Exhibit{
		{Incident: 1, SHA256: "aa", Mark: "SJ/1"}, {Incident: 2, SHA256: "bb", Mark: "SJ/2"}, {Incident: 3, SHA256: "aa", Mark: "SJ/3"}}}}}
	marks, _ = Exhibits([]*journal.Incident{in1, in2, in3}, old, "Sarah Jones")
	if marks["1:aa"] != "SJ/1" || marks["3:aa"] != "SJ/3" || marks["3:cc"] != "SJ/4" {
		t.Errorf("marks given earlier = %v", marks)
	}
}

// TestOneCount: the cover, each person's summary and the timeline count
// the days of the same incidents the same way.
func TestOneCount(t *testing.T) {
	f := newReportFixture()
	s := f.timeline.Summary
	pdf, _ := renderPDF(t, f.timeline, f.options)
	text := pdfText(t, pdf)
	var tl bytes.Buffer
	if err := WriteText(&tl, f.timeline); err != nil {
		t.Fatal(err)
	}
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	if want := fmt.Sprintf("(%d calendar days)", s.Days); !strings.Contains(flat(text), want) {
		t.Errorf("the cover does not say %q", want)
	}
	if want := fmt.Sprintf("(%s)", plural(s.Days, "day")); !strings.Contains(flat(tl.String()), want) {
		t.Errorf("the timeline does not say %q:\n%s", want, tl.String())
	}
}

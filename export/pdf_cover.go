package export

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/journal-dev/journal/journal"
)

const dateOnly = "2 Jan 2006"

// when says when an incident happened, with its end and whether it is
// approximate; the offset from UTC always withZone, otherwise where it is
// not the reader's own.
func when(f *journal.Fields, withZone bool) string {
	s := approxWord(f.Approximate) + TimeText(f.OccurredAt, f.DateOnly)
	_, off := f.OccurredAt.Zone()
	switch {
	case f.DateOnly:
		s += " (time not stated)"
	case withZone && off == localOffset(f.OccurredAt):
		s += zone(f.OccurredAt) // TimeText names it where it is not the reader's
	}
	if f.Until != nil {
		switch {
		case !f.DateOnly && !f.UntilDateOnly && f.Until.Format(dateOnly) == f.OccurredAt.Format(dateOnly):
			s += " to " + f.Until.Format("15:04") + seconds(*f.Until)
		default:
			s += " to " + TimeText(*f.Until, f.UntilDateOnly)
		}
	}
	return s
}

func approxWord(a bool) string {
	if a {
		return "about "
	}
	return ""
}

// zone names the offset from UTC of a time, so that a reader abroad or
// after a clock change reads it right.
func zone(t time.Time) string {
	_, off := t.Zone()
	if off == 0 {
		return " UTC"
	}
	return " UTC" + t.Format("-07:00")
}

// period says the period of a summary in words, with its length in
// calendar days as [journal.Summarize] counts them, the one count every
// part of a report uses.
func period(s journal.Summary) string {
	if s.Count == 0 {
		return ""
	}
	if s.Days == 1 {
		return s.First.Format(dateOnly) + " (one day)"
	}
	return fmt.Sprintf("%s to %s (%d calendar days)", s.First.Format(dateOnly), s.Last.Format(dateOnly), s.Days)
}

func (r *report) cover() {
	pdf, t, o := r.pdf, r.t, r.o
	pdf.AddPage()
	pdf.Bookmark("Cover", 0, -1)

	// The confidentiality marking, first thing a reader sees.
	r.draw(red, 0.6)
	pdf.Rect(margin, margin, contentW, 22, "D")
	pdf.SetXY(margin+4, margin+3)
	r.font("B", 12)
	r.color(red)
	r.cell(contentW-8, 6, "CONFIDENTIAL: PERSONAL AND SENSITIVE INFORMATION", "L", false)
	r.font("", 9)
	r.color(ink)
	pdf.SetXY(margin+4, margin+9)
	r.write(contentW-8, 4.2, "Prepared for the person named below, to deal with the incidents it describes. "+
		"Do not copy it or pass it on without the author's consent, except as the law requires.", "L", false)

	pdf.SetXY(margin, margin+38)
	r.font("B", 26)
	r.color(accent)
	r.cell(contentW, 12, "Incident record", "L", true)
	r.font("", 12)
	r.color(muted)
	r.write(contentW, 6, "A contemporaneous record of unwanted contact, kept in an append-only, tamper-evident journal.", "L", false)
	r.color(ink)
	pdf.Ln(8)

	r.field("Kept by", cmp.Or(o.Reporter, "the owner of the journal"))
	r.field("Prepared for", cmp.Or(o.For, "not stated"))
	r.field("Reference", o.Reference)
	r.field("Prepared on", o.Created.Format("Monday 2 January 2006, 15:04")+zone(o.Created))
	r.field("Period", period(r.s.summary))
	r.field("Incidents", r.counts())
	r.field("People", peopleCount(r.s.summary))
	r.field("Selection", cmp.Or(o.Selection, selection(o.Filters)))
	pdf.Ln(4)

	y := pdf.GetY()
	r.font("B", 9)
	r.color(muted)
	r.cell(labelW, lineH, "Fingerprint", "L", false)
	r.mono(12)
	r.color(ink)
	pdf.SetXY(margin+labelW, y-0.5)
	pdf.Cell(contentW-labelW, 6, t.Fingerprint, 1, "L")
	pdf.SetX(margin + labelW)
	r.font("", 8.5)
	r.color(muted)
	stands := "the " + firstRecords(int(o.Records)) + " of the journal"
	if o.RecordsBy != "" {
		stands = fmt.Sprintf("the %s the computer that made it held (%s)", plural(int(o.Records), "record"), o.RecordsBy)
	}
	r.write(contentW-labelW, 4, "This stands for "+stands+": everything in this report and everything recorded before it. "+
		"It is printed at the foot of every page. The section \"How to check this report\" says how to check it.", "L", false)
	r.color(ink)
	pdf.SetX(margin)

	if len(o.Redactions) > 0 {
		pdf.Ln(6)
		r.font("B", 11)
		r.color(red)
		r.cell(contentW, 6, "This copy is redacted", "L", true)
		r.color(ink)
		for _, k := range o.Redactions {
			r.bullet(RedactionText[k])
		}
		r.note("Names written differently from how they were entered (a misspelling, a nickname not given with the person) " +
			"are not caught by redaction: read a redacted copy before handing it over.")
	}
}

// selection says in words which incidents a report holds, from the
// filters as given on the command line ("--who John Smith").
func selection(filters []string) string {
	words := map[string]string{"--from": "from", "--to": "up to", "--who": "involving", "--kind": "of the kind",
		"--tag": "tagged", "--search": "containing the text"}
	var parts []string
	void := false
	for _, f := range filters {
		name, value, _ := strings.Cut(f, " ")
		switch {
		case name == "--include-void":
			void = true
		case words[name] != "":
			if name == "--search" {
				value = "“" + value + "”"
			}
			parts = append(parts, words[name]+" "+value)
		default:
			parts = append(parts, f)
		}
	}
	s := "every incident"
	if len(parts) > 0 {
		s = "incidents " + strings.Join(parts, ", ")
	}
	if void {
		return s + ", void ones included"
	}
	return s + ", void ones left out"
}

// counts describes the incidents of the report in one line.
func (r *report) counts() string {
	s := r.s
	void, amended, reported, files := s.void, s.amended, s.reported, s.files
	parts := []string{plural(s.summary.Count, "incident")}
	if reported > 0 {
		parts = append(parts, fmt.Sprintf("%d reported to someone", reported))
	}
	if amended > 0 {
		parts = append(parts, fmt.Sprintf("%d amended", amended))
	}
	if void > 0 {
		parts = append(parts, fmt.Sprintf("%d void", void))
	}
	parts = append(parts, plural(files, "evidence file"))
	return strings.Join(parts, ", ")
}

func peopleCount(s journal.Summary) string {
	if len(s.People) == 0 {
		return "none named"
	}
	names := make([]string, 0, len(s.People))
	for _, p := range s.People {
		names = append(names, p.Name)
	}
	return fmt.Sprintf("%d: %s", len(s.People), strings.Join(names, ", "))
}

package export

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/journal-dev/journal/journal"
)

// column is one column of a table.
type column struct {
	title string
	w     float64
	align string
}

const (
	cellH    = 4.2
	cellSize = 8.0
)

// table starts a table whose header is repeated on every page it runs to.
// The header is drawn with the first row, on the page that row goes on
// ([report.need]).
func (r *report) table(cols []column) {
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	r.tableHeader = func() {
		r.headerH = 0
		r.color(muted)
		r.rowIn(cols, titles, "B", false)
		r.draw(rule, 0.2)
		y := r.pdf.GetY()
		r.pdf.Line(margin, y, pageW-margin, y)
		r.color(ink)
	}
	r.font("B", cellSize)
	r.headerH = r.rowHeight(cols, titles)
}

// row writes one row of cells, each wrapped within its column; the row is
// as tall as its tallest cell and is kept on one page.
func (r *report) row(cols []column, cells []string, fill bool) {
	r.rowIn(cols, cells, "", fill)
}

func (r *report) rowIn(cols []column, cells []string, style string, fill bool) {
	r.font(style, cellSize)
	h := r.rowHeight(cols, cells)
	r.need(h)
	y := r.pdf.GetY()
	if fill {
		r.pdf.SetFillColor(shade[0], shade[1], shade[2])
		r.pdf.Rect(margin, y, contentW, h, "F")
	}
	x := margin
	for i, c := range cols {
		r.pdf.SetXY(x, y+0.6)
		r.font(style, cellSize)
		r.write(c.w, cellH, cells[i], cmp.Or(c.align, "L"), false)
		x += c.w
	}
	r.pdf.SetXY(margin, y+h)
}

// wholeKinds joins kinds as a person reads them, for a narrow column: the
// spaces inside each label do not break, so that a line ends only between
// two labels ("text message," never "text" on one line and "message," on
// the next).
func wholeKinds(kinds []string) string {
	labels := make([]string, len(kinds))
	for i, k := range kinds {
		labels[i] = unbroken(journal.KindLabel(k))
	}
	return strings.Join(labels, ", ")
}

// unbroken joins the words of s with non-breaking spaces.
func unbroken(s string) string { return strings.ReplaceAll(s, " ", "\u00a0") }

// rowHeight is the height of a row of cells in the current font, each
// wrapped within its column.
func (r *report) rowHeight(cols []column, cells []string) float64 {
	n := 1
	for i, c := range cols {
		n = max(n, r.lineCount(cells[i], c.w))
	}
	return float64(n)*cellH + 1.2
}

// names lists everyone named in an incident.
func names(ps []journal.Person) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.Name
	}
	return strings.Join(s, ", ")
}

func (r *report) chronology() {
	r.heading("Chronology", 60)
	if r.s.summary.Count == 0 {
		r.para("", 10, "No incidents are selected.")
		return
	}
	r.para("", 9.5, "One row per incident, in the order they happened; ~ marks an approximate time. "+
		"Reported says to whom, with the reference; Exhibits are the marks of its evidence files in the evidence index. "+
		"Each incident is given in full after the evidence index.")
	r.pdf.Ln(3)
	cols := []column{{"No.", 8, "R"}, {"When", 22, ""}, {"Who", 27, ""}, {"Kind", 25, ""}, {"What happened", 36, ""},
		{"Severity", 14, ""}, {"Reported", 22, ""}, {"Exhibits", 16, ""}}
	r.table(cols)
	i := 0
	r.each(func(in *journal.Incident) {
		summary := in.Summary
		if in.Void != nil {
			summary = "VOID: " + summary
			r.color(muted)
		}
		approx := ""
		if in.Approximate {
			approx = "~"
		}
		var reps []string
		for _, rep := range in.Reported {
			reps = append(reps, strings.Join(nonEmpty(rep.To, rep.Reference), ", "))
		}
		r.row(cols, []string{journal.IncidentRef(in.ID), approx + journal.FormatTime(in.OccurredAt, in.DateOnly, "2 Jan 2006 15:04"),
			names(in.People), wholeKinds(in.Kinds), summary, in.Severity, strings.Join(reps, "; "),
			strings.Join(r.marks(in), ", ")}, i%2 == 1)
		r.color(ink)
		i++
	})
	r.tableHeader = nil
}

// reported lists every report made: to whom, for which incident, with the
// reference and the officer.
func (r *report) reported() {
	n := r.s.reports
	r.heading("Reported to", 50)
	if n == 0 {
		r.para("", 9.5, "None of these incidents is recorded as reported to anyone.")
		return
	}
	r.para("", 9.5, fmt.Sprintf("%s, in the order of the incidents. The date is the incident's; the record does not say when each report was made "+
		"unless the reference does.", plural(n, "report")))
	r.pdf.Ln(3)
	cols := []column{{"No.", 8, "R"}, {"Incident of", 24, ""}, {"Reported to", 50, ""}, {"Reference", 44, ""}, {"Officer", contentW - 126, ""}}
	r.table(cols)
	i := 0
	r.each(func(in *journal.Incident) {
		for _, e := range in.Reported {
			r.row(cols, []string{fmt.Sprint(in.ID), in.OccurredAt.Format(dateOnly), e.To, e.Reference, e.Officer}, i%2 == 1)
			i++
		}
	})
	r.tableHeader = nil
}

// marks returns the exhibit marks of an incident's files.
func (r *report) marks(in *journal.Incident) []string {
	var out []string
	for _, a := range in.Attachments {
		if m := r.o.Exhibits[ExhibitKey(in.ID, a)]; m != "" {
			out = append(out, m)
		}
	}
	return out
}

// evidenceIndex lists every evidence file with its exhibit mark, incident,
// type, size, when it was added and its SHA-256.
func (r *report) evidenceIndex() {
	n := r.s.files
	r.heading("Evidence index", 50)
	if n == 0 {
		r.para("", 9.5, "No evidence file is attached to these incidents.")
		return
	}
	r.para("", 9.5, fmt.Sprintf("%s, each sealed in the journal when it was added. The exhibit mark is given once to each file "+
		"(the same file attached to several incidents has one mark, listed under each) and kept in every report made from this journal. The SHA-256 identifies the file byte for byte: "+
		"\"How to check this report\" says how to compare it.", plural(n, "file")))
	r.pdf.Ln(3)
	cols := []column{{"Exhibit", 16, ""}, {"Incident", 15, "R"}, {"File", 55, ""}, {"Type", 24, ""}, {"Size", 20, "R"}, {"Added", contentW - 130, ""}}
	r.table(cols)
	i := 0
	r.each(func(in *journal.Incident) {
		for _, a := range in.Attachments {
			fill := i%2 == 1
			r.need(2*cellH + 7)
			r.row(cols, []string{cmp.Or(r.o.Exhibits[ExhibitKey(in.ID, a)], "-"), journal.IncidentRef(in.ID), a.Name,
				cmp.Or(a.MediaType, "unknown"), shortSize(a.Size), a.AddedAt.Format("2 Jan 2006 15:04")}, fill)
			y := r.pdf.GetY()
			if fill {
				r.pdf.SetFillColor(shade[0], shade[1], shade[2])
				r.pdf.Rect(margin, y, contentW, 5, "F")
			}
			r.hash(margin+16, "SHA-256", a.SHA256)
			r.pdf.SetY(y + 5)
			i++
		}
	})
	r.tableHeader = nil
}

// shortSize says a file size in a few characters.
func shortSize(n int64) string {
	switch {
	case n < 1024:
		return plural(int(n), "byte")
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
}

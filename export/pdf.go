package export

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/journal-dev/journal/journal"
)

// PDFOptions say what a report holds beside the incidents.
type PDFOptions struct {
	// Reporter is the name of the person who keeps the journal, if given.
	Reporter string
	// For says who the report is prepared for.
	For string
	// Created is when the report is dated. With the same options and
	// timeline, the same bytes are written.
	Created time.Time
	// Filters describe the selection, as given on the command line.
	Filters []string
	// Redactions are the kinds of redaction applied (see [Redact]).
	Redactions []string
	// Disclosures are earlier exports of the journal, listed in the report.
	Disclosures []journal.DisclosureEntry
	// Records is how many records of the log the fingerprint covers.
	Records uint64
	// Font, if set, is a TrueType font to set the text in instead of the
	// Go fonts, for scripts they do not cover.
	Font []byte
	// Evidence returns the original bytes of an attachment, so that images
	// can be shown. When nil, or in a redacted report, the evidence index
	// lists the files without showing them.
	Evidence func(in *journal.Incident, a journal.Attachment) ([]byte, error)
}

// PDFResult says what a report could not show faithfully.
type PDFResult struct {
	// Missing are characters of the text that the font has no glyph for;
	// they show as blanks.
	Missing []rune
	// Unshown names images that could not be shown, with the reason.
	Unshown []string
}

// Page geometry, in millimetres (A4).
const (
	pageW, pageH = 210.0, 297.0
	margin       = 20.0
	contentW     = pageW - 2*margin
	bottom       = pageH - 22.0
	labelW       = 36.0
	lineH        = 5.0
)

// Colours.
var (
	ink    = [3]int{20, 20, 20}
	muted  = [3]int{100, 100, 100}
	accent = [3]int{31, 58, 96}
	red    = [3]int{170, 20, 20}
	rule   = [3]int{190, 190, 190}
	shade  = [3]int{242, 242, 242}
)

// WritePDF writes the report for a defence adviser or an officer: a cover,
// a summary per person, a chronology, every incident in full with its
// history and evidence, earlier disclosures, and how to check it. Every page
// carries "Page X of Y" and the journal's fingerprint.
func WritePDF(w io.Writer, t *Timeline, o PDFOptions) (*PDFResult, error) {
	fonts := goFonts()
	if o.Font != nil {
		var err error
		if fonts, err = customFonts(o.Font); err != nil {
			return nil, fmt.Errorf("font: %w", err)
		}
	}
	if o.Created.IsZero() {
		o.Created = time.Now()
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(o.Created)
	pdf.SetModificationDate(o.Created)
	pdf.SetCompression(true)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, pageH-bottom)
	pdf.AliasNbPages("")
	pdf.AddUTF8FontFromBytes("text", "", fonts.regular)
	pdf.AddUTF8FontFromBytes("text", "B", fonts.bold)
	pdf.AddUTF8FontFromBytes("text", "I", fonts.italic)
	pdf.AddUTF8FontFromBytes("text", "BI", fonts.boldItalic)
	pdf.AddUTF8FontFromBytes("mono", "", fonts.mono)
	pdf.SetTitle("Incident record"+forSuffix(o.For), true)
	if o.Reporter != "" {
		pdf.SetAuthor(o.Reporter, true)
	}
	pdf.SetCreator("journal", true)
	pdf.SetProducer("journal", true)
	pdf.SetSubject("Record of incidents, with the journal fingerprint "+t.Fingerprint, true)

	r := &report{pdf: pdf, t: t, o: o, runes: map[rune]bool{}, result: &PDFResult{},
		images: map[string]shownImage{}, widths: map[int]bool{}}
	pdf.SetHeaderFunc(r.header)
	pdf.SetFooterFunc(r.footer)
	r.cover()
	r.people()
	r.chronology()
	r.incidents()
	r.disclosures()
	r.howToCheck()
	if err := pdf.Output(w); err != nil {
		return nil, fmt.Errorf("writing the PDF: %w", err)
	}
	r.result.Missing = fonts.missing(r.runes)
	return r.result, nil
}

func forSuffix(s string) string {
	if s == "" {
		return ""
	}
	return " for " + s
}

// report holds the state of one PDF being written.
type report struct {
	pdf    *fpdf.Fpdf
	t      *Timeline
	o      PDFOptions
	runes  map[rune]bool
	result *PDFResult
	// tableHeader, when set, repeats a table's header on a new page.
	tableHeader func()
	// images are the images registered so far, by name, and widths
	// their widths in pixels.
	images map[string]shownImage
	widths map[int]bool
	// current is the incident being written, named at the top of the
	// pages it runs on to.
	current *journal.Incident
}

// see records the characters of text that goes into the PDF, so that
// missing glyphs can be named, and turns tabs and carriage returns, which
// fonts have no glyph for, into spaces and line breaks.
func (r *report) see(s string) string {
	if strings.ContainsAny(s, "\r\t") {
		s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\t", "    ").Replace(s)
	}
	for _, c := range s {
		r.runes[c] = true
	}
	return s
}

func (r *report) font(style string, size float64) { r.pdf.SetFont("text", style, size) }
func (r *report) mono(size float64)               { r.pdf.SetFont("mono", "", size) }
func (r *report) color(c [3]int)                  { r.pdf.SetTextColor(c[0], c[1], c[2]) }

// need starts a new page unless h millimetres are left on this one.
func (r *report) need(h float64) {
	if r.pdf.GetY()+h > bottom {
		r.pdf.AddPage()
		if r.tableHeader != nil {
			r.tableHeader()
		}
	}
}

func (r *report) header() {
	if r.pdf.PageNo() == 1 {
		return
	}
	r.font("", 8)
	r.color(muted)
	left := "Incident record" + forSuffix(r.o.For)
	if r.o.Reporter != "" {
		left = r.o.Reporter + ": " + left
	}
	r.pdf.SetXY(margin, 10)
	r.pdf.CellFormat(contentW*0.7, 4, r.see(fit(r.pdf, left, contentW*0.7)), "", 0, "L", false, 0, "")
	right := "CONFIDENTIAL"
	if r.current != nil && r.pdf.GetY() > 0 {
		right = fmt.Sprintf("Incident %s, continued  ·  CONFIDENTIAL", journal.IncidentRef(r.current.ID))
	}
	r.pdf.CellFormat(contentW*0.3, 4, r.see(right), "", 0, "R", false, 0, "")
	r.pdf.SetDrawColor(rule[0], rule[1], rule[2])
	r.pdf.SetLineWidth(0.2)
	r.pdf.Line(margin, 15, pageW-margin, 15)
	r.pdf.SetXY(margin, margin)
	r.color(ink)
}

func (r *report) footer() {
	r.pdf.SetDrawColor(rule[0], rule[1], rule[2])
	r.pdf.SetLineWidth(0.2)
	r.pdf.Line(margin, pageH-16, pageW-margin, pageH-16)
	r.pdf.SetXY(margin, pageH-14)
	r.font("", 8)
	r.color(muted)
	r.pdf.CellFormat(contentW/3, 4, r.see(fmt.Sprintf("Page %d of {nb}", r.pdf.PageNo())), "", 0, "L", false, 0, "")
	r.pdf.CellFormat(contentW/3, 4, r.see("Confidential"), "", 0, "C", false, 0, "")
	r.mono(8)
	r.pdf.CellFormat(contentW/3, 4, r.see("fingerprint "+r.t.Fingerprint), "", 0, "R", false, 0, "")
	r.color(ink)
}

// heading starts a section with a bookmark: on a new page, or below the
// last section when at least room millimetres are left.
func (r *report) heading(title string, room float64) {
	r.tableHeader = nil
	if room == 0 || r.pdf.GetY()+room > bottom {
		r.pdf.AddPage()
	} else {
		r.pdf.Ln(8)
	}
	r.pdf.Bookmark(r.see(title), 0, -1)
	r.font("B", 16)
	r.color(accent)
	r.pdf.CellFormat(contentW, 9, r.see(title), "", 1, "L", false, 0, "")
	r.color(ink)
	r.pdf.Ln(2)
}

// para writes wrapped text across the page.
func (r *report) para(style string, size float64, text string) {
	r.font(style, size)
	r.pdf.MultiCell(contentW, size*0.45, r.see(text), "", "L", false)
}

// field writes a label and a wrapped value beside it. Empty values are
// left out.
func (r *report) field(label, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	r.font("", 9.5)
	lines := r.pdf.SplitText(value, contentW-labelW)
	r.need(min(float64(len(lines)), 3) * lineH)
	y := r.pdf.GetY()
	r.font("B", 9)
	r.color(muted)
	r.pdf.SetXY(margin, y)
	r.pdf.CellFormat(labelW, lineH, r.see(label), "", 0, "L", false, 0, "")
	r.color(ink)
	r.font("", 9.5)
	r.pdf.SetXY(margin+labelW, y)
	r.pdf.MultiCell(contentW-labelW, lineH, r.see(value), "", "L", false)
}

// fit shortens s with an ellipsis so that it fits in width w with the
// current font.
func fit(pdf *fpdf.Fpdf, s string, w float64) string {
	s = strings.Join(strings.Fields(s), " ")
	w -= 2 * pdf.GetCellMargin()
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	rs := []rune(s)
	lo, hi := 0, len(rs)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if pdf.GetStringWidth(string(rs[:mid])+"…") <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(rs[:lo]), " ,;") + "…"
}

const (
	dateOnly = "2 Jan 2006"
)

// when says when an incident happened, with its end and whether it is
// approximate.
func when(f *journal.Fields, withZone bool) string {
	s := approxWord(f.Approximate) + journal.FormatTime(f.OccurredAt, f.DateOnly, dateTime)
	switch {
	case f.DateOnly:
		s += " (time not stated)"
	case withZone:
		s += zone(f.OccurredAt)
	}
	if f.Until != nil {
		switch {
		case !f.DateOnly && !f.UntilDateOnly && f.Until.Format(dateOnly) == f.OccurredAt.Format(dateOnly):
			s += " to " + f.Until.Format("15:04")
		default:
			s += " to " + journal.FormatTime(*f.Until, f.UntilDateOnly, dateTime)
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

func (r *report) cover() {
	pdf, t, o := r.pdf, r.t, r.o
	pdf.AddPage()
	pdf.Bookmark("Cover", 0, -1)

	// The confidentiality marking, first thing a reader sees.
	pdf.SetDrawColor(red[0], red[1], red[2])
	pdf.SetLineWidth(0.6)
	pdf.Rect(margin, margin, contentW, 22, "D")
	pdf.SetXY(margin+4, margin+3)
	r.font("B", 12)
	r.color(red)
	pdf.CellFormat(contentW-8, 6, r.see("CONFIDENTIAL: PERSONAL AND SENSITIVE INFORMATION"), "", 2, "L", false, 0, "")
	r.font("", 9)
	r.color(ink)
	pdf.SetX(margin + 4)
	pdf.MultiCell(contentW-8, 4.2, r.see("Prepared for the person named below, to deal with the incidents it describes. "+
		"Do not copy it or pass it on without the author's consent, except as the law requires."), "", "L", false)

	pdf.SetY(margin + 38)
	r.font("B", 26)
	r.color(accent)
	pdf.CellFormat(contentW, 12, r.see("Incident record"), "", 1, "L", false, 0, "")
	r.font("", 12)
	r.color(muted)
	pdf.MultiCell(contentW, 6, r.see("A contemporaneous record of unwanted contact, kept in an append-only, tamper-evident journal."), "", "L", false)
	r.color(ink)
	pdf.Ln(8)

	kept := o.Reporter
	if kept == "" {
		kept = "the owner of the journal"
	}
	r.field("Kept by", kept)
	r.field("Prepared for", cmp.Or(o.For, "not stated"))
	r.field("Prepared on", o.Created.Format("Monday 2 January 2006, 15:04")+zone(o.Created))
	s := t.Summary
	if s.Count > 0 {
		r.field("Period", s.First.Format(dateOnly)+" to "+s.Last.Format(dateOnly)+
			" ("+Duration(s.Last.Sub(*s.First)+time.Minute)+")")
	}
	r.field("Incidents", r.counts())
	r.field("People", peopleCount(s))
	r.field("Selection", selection(o.Filters))
	pdf.Ln(4)

	r.field("Fingerprint", "")
	y := pdf.GetY()
	r.font("B", 9)
	r.color(muted)
	pdf.CellFormat(labelW, lineH, r.see("Fingerprint"), "", 0, "L", false, 0, "")
	r.mono(12)
	r.color(ink)
	pdf.SetXY(margin+labelW, y-0.5)
	pdf.CellFormat(contentW-labelW, 6, r.see(t.Fingerprint), "", 1, "L", false, 0, "")
	pdf.SetX(margin + labelW)
	r.font("", 8.5)
	r.color(muted)
	pdf.MultiCell(contentW-labelW, 4, r.see(fmt.Sprintf("This stands for the first %s of the journal: everything in this report "+
		"and everything recorded before it. It is printed at the foot of every page. "+
		"The last section says how to check it.", plural(int(o.Records), "record"))), "", "L", false)
	r.color(ink)

	if len(o.Redactions) > 0 {
		pdf.Ln(6)
		r.font("B", 11)
		r.color(red)
		pdf.CellFormat(contentW, 6, r.see("This copy is redacted"), "", 1, "L", false, 0, "")
		r.color(ink)
		for _, k := range o.Redactions {
			r.bullet(RedactionText[k])
		}
		r.font("I", 9)
		r.color(muted)
		pdf.MultiCell(contentW, 4.5, r.see("Names written differently from how they were entered (a nickname, a misspelling) are not caught by redaction."), "", "L", false)
		r.color(ink)
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

// bullet writes one item of a list.
func (r *report) bullet(text string) {
	r.font("", 9.5)
	x := r.pdf.GetX()
	r.pdf.CellFormat(5, lineH, "•", "", 0, "L", false, 0, "")
	r.pdf.MultiCell(contentW-5-(x-margin), lineH, r.see(text), "", "L", false)
	r.pdf.SetX(x)
}

// counts describes the incidents of the report in one line.
func (r *report) counts() string {
	var void, amended, reported, files int
	for _, in := range r.t.Incidents {
		if in.Void != nil {
			void++
		}
		if len(in.Amendments) > 0 {
			amended++
		}
		if len(in.Reported) > 0 {
			reported++
		}
		files += len(in.Attachments)
	}
	parts := []string{plural(len(r.t.Incidents), "incident")}
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
	names := make([]string, 0, 3)
	for i, p := range s.People {
		if i == 3 {
			names = append(names, "…")
			break
		}
		names = append(names, p.Name)
	}
	return fmt.Sprintf("%d (%s)", len(s.People), strings.Join(names, ", "))
}

// column is one column of a table.
type column struct {
	title string
	w     float64
	align string
}

// tableRow writes one row of cells, each cut to fit on one line.
func (r *report) tableRow(cols []column, cells []string, style string, fill bool) {
	r.pdf.SetFillColor(shade[0], shade[1], shade[2])
	r.font(style, 8.5)
	for i, c := range cols {
		r.pdf.CellFormat(c.w, 5.5, r.see(fit(r.pdf, cells[i], c.w)), "", 0, cmp.Or(c.align, "L"), fill, 0, "")
	}
	r.pdf.Ln(-1)
}

// table starts a table whose header is repeated on every page it runs to.
func (r *report) table(cols []column) {
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	r.tableHeader = func() {
		r.color(muted)
		r.tableRow(cols, titles, "B", false)
		r.pdf.SetDrawColor(rule[0], rule[1], rule[2])
		r.pdf.SetLineWidth(0.2)
		y := r.pdf.GetY()
		r.pdf.Line(margin, y, pageW-margin, y)
		r.color(ink)
	}
	r.tableHeader()
}

func (r *report) people() {
	r.heading("People involved", 0)
	s := r.t.Summary
	if len(s.People) == 0 {
		r.para("", 10, "No person is named in these incidents.")
		return
	}
	r.para("", 9.5, "Each person named in the incidents, with how many incidents involve them and when the first and the last happened. "+
		"Two or more incidents involving the same person can amount to a course of conduct.")
	r.pdf.Ln(3)
	kinds := kindsByPerson(r.t.Incidents)
	cols := []column{{"Person", 44, ""}, {"Relation", 22, ""}, {"Incidents", 18, "R"}, {"First", 24, ""}, {"Last", 24, ""}, {"Most frequent kinds", contentW - 132, ""}}
	r.table(cols)
	for i, p := range s.People {
		r.need(5.5)
		r.tableRow(cols, []string{p.Name, p.Relation, fmt.Sprint(p.Count), p.First.Format(dateOnly), p.Last.Format(dateOnly),
			strings.Join(kinds[journal.PersonKey(p.Name)], ", ")}, "", i%2 == 1)
	}
	r.tableHeader = nil
}

// kindsByPerson lists, for each person, the kinds of their incidents, most
// frequent first, at most three.
func kindsByPerson(incidents []*journal.Incident) map[string][]string {
	counts := map[string]map[string]int{}
	for _, in := range incidents {
		for _, p := range in.People {
			key := journal.PersonKey(p.Name)
			if counts[key] == nil {
				counts[key] = map[string]int{}
			}
			for _, k := range in.Kinds {
				counts[key][k]++
			}
		}
	}
	out := map[string][]string{}
	for key, m := range counts {
		ks := make([]string, 0, len(m))
		for k := range m {
			ks = append(ks, k)
		}
		slices.SortFunc(ks, func(a, b string) int { return cmp.Or(cmp.Compare(m[b], m[a]), cmp.Compare(a, b)) })
		if len(ks) > 3 {
			ks = ks[:3]
		}
		out[key] = ks
	}
	return out
}

func (r *report) chronology() {
	r.heading("Chronology", 60)
	if len(r.t.Incidents) == 0 {
		r.para("", 10, "No incidents are selected.")
		return
	}
	r.para("", 9.5, "One line per incident, in the order they happened; ~ marks an approximate time. "+
		"Each is given in full in the next section.")
	r.pdf.Ln(3)
	cols := []column{{"No.", 9, "R"}, {"When", 30, ""}, {"Who", 30, ""}, {"Kind", 28, ""}, {"Summary", contentW - 97, ""}}
	r.table(cols)
	for i, in := range r.t.Incidents {
		r.need(5.5)
		summary := in.Summary
		if in.Void != nil {
			summary = "VOID: " + summary
			r.color(muted)
		}
		approx := ""
		if in.Approximate {
			approx = "~"
		}
		r.tableRow(cols, []string{journal.IncidentRef(in.ID), approx + journal.FormatTime(in.OccurredAt, in.DateOnly, "2 Jan 2006 15:04"),
			people(in.People), strings.Join(in.Kinds, ", "), summary}, "", i%2 == 1)
		r.color(ink)
	}
	r.tableHeader = nil
}

func (r *report) incidents() {
	r.heading("Incidents in full", 0)
	if len(r.t.Incidents) == 0 {
		r.para("", 10, "No incidents are selected.")
		return
	}
	for i, in := range r.t.Incidents {
		if i > 0 {
			r.need(40)
			r.pdf.Ln(3)
			r.pdf.SetDrawColor(rule[0], rule[1], rule[2])
			r.pdf.SetLineWidth(0.3)
			r.pdf.Line(margin, r.pdf.GetY(), pageW-margin, r.pdf.GetY())
			r.pdf.Ln(4)
		}
		r.incident(in)
		r.current = nil
	}
}

func (r *report) incident(in *journal.Incident) {
	pdf := r.pdf
	r.need(40)
	pdf.Bookmark(r.see(fmt.Sprintf("%s. %s", journal.IncidentRef(in.ID), in.Summary)), 1, -1)
	r.font("B", 12)
	r.color(accent)
	title := fmt.Sprintf("Incident %s", journal.IncidentRef(in.ID))
	if in.Void != nil {
		pdf.CellFormat(pdf.GetStringWidth(title)+3, 6.5, r.see(title), "", 0, "L", false, 0, "")
		r.color(red)
		title = "VOID"
	}
	pdf.CellFormat(contentW, 6.5, r.see(title), "", 1, "L", false, 0, "")
	r.color(ink)
	r.current = in
	r.font("B", 11)
	y := pdf.GetY()
	pdf.MultiCell(contentW, 5.5, r.see(in.Summary), "", "L", false)
	if in.Void != nil {
		// Struck through, as a void entry in a notebook: still readable.
		pdf.SetDrawColor(red[0], red[1], red[2])
		pdf.SetLineWidth(0.4)
		w := min(pdf.GetStringWidth(in.Summary)+2, contentW)
		pdf.Line(margin+1, y+2.9, margin+w, y+2.9)
		r.font("B", 10)
		r.color(red)
		pdf.MultiCell(contentW, 5, r.see("VOID: withdrawn by the author on "+in.Void.RecordedAt.Format(dateTime)+
			zone(in.Void.RecordedAt)+". Reason: "+in.Void.Reason), "", "L", false)
		r.color(ink)
	}
	pdf.Ln(1.5)

	r.field("When", when(&in.Fields, true))
	r.field("Recorded", in.RecordedAt.Format(dateTime)+zone(in.RecordedAt)+gapWords(in))
	r.field("Proven by", provenWords(in))
	if in.Imported {
		r.field("Imported", "yes: first recorded elsewhere and brought into this journal on the date above")
	}
	r.field("Place", in.Place)
	for _, p := range in.People {
		v := p.String()
		if p.Description != "" {
			v += ": " + p.Description
		}
		r.field("Person", v)
	}
	r.field("Kind", strings.Join(in.Kinds, ", "))
	if in.ToldBy != "" {
		r.field("Source", "told by "+in.ToldBy)
	} else {
		r.field("Source", "first-hand: the author saw or heard it")
	}
	r.field("Account", in.Details)
	if in.Words != "" {
		r.words(in.Words)
	}
	for _, w := range in.Witnesses {
		v := w.Name
		if w.Contact != "" {
			v += "; " + w.Contact
		}
		if w.Chaperone {
			v += " (chaperone)"
		}
		r.field("Witness", v)
	}
	for _, a := range in.Actions {
		r.field("Action taken", a)
	}
	for _, rep := range in.Reported {
		v := rep.To
		if rep.Reference != "" {
			v += "; reference " + rep.Reference
		}
		if rep.Officer != "" {
			v += "; officer " + rep.Officer
		}
		r.field("Reported to", v)
	}
	r.field("Impact", in.Impact)
	r.field("Severity", in.Severity)
	r.field("Tags", strings.Join(in.Tags, ", "))
	r.history(in)
	r.evidence(in)
}

// gapWords says how long after the incident it was recorded.
func gapWords(in *journal.Incident) string {
	g := recordedGap(in)
	if g == "" {
		return " (at the time)"
	}
	return g
}

// words sets the words used apart: indented, shaded, in quotation marks.
func (r *report) words(text string) {
	pdf := r.pdf
	r.font("B", 9)
	r.color(muted)
	r.need(12)
	pdf.CellFormat(labelW, lineH, r.see("Words used"), "", 1, "L", false, 0, "")
	r.color(ink)
	r.font("I", 10)
	pdf.SetFillColor(shade[0], shade[1], shade[2])
	x := margin + 6
	y := pdf.GetY()
	pdf.SetX(x)
	pdf.MultiCell(contentW-6, 5.2, r.see("“"+strings.TrimSpace(text)+"”"), "", "L", true)
	if pdf.PageNo() == pdf.PageNo() && pdf.GetY() > y {
		pdf.SetDrawColor(accent[0], accent[1], accent[2])
		pdf.SetLineWidth(0.8)
		pdf.Line(x-1.5, y, x-1.5, pdf.GetY())
	}
	pdf.Ln(1.5)
}

// history shows each amendment with the text as it was before it.
func (r *report) history(in *journal.Incident) {
	if len(in.Amendments) == 0 {
		return
	}
	pdf := r.pdf
	r.need(15)
	pdf.Ln(1.5)
	r.font("B", 10)
	r.color(accent)
	pdf.CellFormat(contentW, 5.5, r.see("History: "+plural(len(in.Amendments), "amendment")), "", 1, "L", false, 0, "")
	r.color(ink)
	for i, a := range in.Amendments {
		next := in.Fields
		if i+1 < len(in.Amendments) {
			next = in.Amendments[i+1].Previous
		}
		r.font("B", 9.5)
		r.need(10)
		pdf.MultiCell(contentW, lineH, r.see(fmt.Sprintf("Amendment %d, recorded %s%s. Reason: %s",
			i+1, a.RecordedAt.Format(dateTime), zone(a.RecordedAt), a.Reason)), "", "L", false)
		changes := changedFields(&a.Previous, &next)
		if len(changes) == 0 {
			r.field("", "no field changed")
		}
		for _, c := range changes {
			r.field(c.name+" was", cmp.Or(c.before, "(empty)"))
			r.field("changed to", cmp.Or(c.after, "(empty)"))
		}
	}
}

type change struct{ name, before, after string }

// changedFields compares two versions of an incident, field by field, in
// the words the report uses.
func changedFields(a, b *journal.Fields) []change {
	fa, fb := fieldList(a), fieldList(b)
	var out []change
	for i := range fa {
		if fa[i][1] != fb[i][1] {
			out = append(out, change{fa[i][0], fa[i][1], fb[i][1]})
		}
	}
	return out
}

// fieldList renders every field of an incident as text, in a fixed order.
func fieldList(f *journal.Fields) [][2]string {
	join := func(n int, item func(int) string) string {
		s := make([]string, n)
		for i := range s {
			s[i] = item(i)
		}
		return strings.Join(s, "; ")
	}
	return [][2]string{
		{"When", when(f, true)},
		{"Place", f.Place},
		{"People", join(len(f.People), func(i int) string {
			p := f.People[i]
			return strings.TrimSuffix(p.String()+": "+p.Description, ": ")
		})},
		{"Kind", strings.Join(f.Kinds, ", ")},
		{"Summary", f.Summary},
		{"Account", f.Details},
		{"Words used", f.Words},
		{"Witnesses", join(len(f.Witnesses), func(i int) string {
			return strings.TrimSuffix(f.Witnesses[i].Name+", "+f.Witnesses[i].Contact, ", ")
		})},
		{"Told by", f.ToldBy},
		{"Actions", strings.Join(f.Actions, "; ")},
		{"Reported to", join(len(f.Reported), func(i int) string {
			rp := f.Reported[i]
			return strings.Join(slices.DeleteFunc([]string{rp.To, rp.Reference, rp.Officer}, func(s string) bool { return s == "" }), ", ")
		})},
		{"Impact", f.Impact},
		{"Severity", f.Severity},
		{"Tags", strings.Join(f.Tags, ", ")},
	}
}

// evidence lists the incident's files and shows its images.
func (r *report) evidence(in *journal.Incident) {
	if len(in.Attachments) == 0 {
		return
	}
	pdf := r.pdf
	// The heading goes with the first file and its image.
	first, _ := r.prepareImage(in, in.Attachments[0])
	r.need(22 + first.h)
	pdf.Ln(1.5)
	r.font("B", 10)
	r.color(accent)
	pdf.CellFormat(contentW, 5.5, r.see("Evidence: "+plural(len(in.Attachments), "file")), "", 1, "L", false, 0, "")
	r.color(ink)
	for _, a := range in.Attachments {
		img, name := r.prepareImage(in, a)
		// Keep the index entry on the same page as its image.
		r.need(14 + img.h)
		r.font("B", 9)
		pdf.SetX(margin + 4)
		pdf.MultiCell(contentW-4, 4.5, r.see(a.Name), "", "L", false)
		r.font("", 8.5)
		r.color(muted)
		pdf.SetX(margin + 4)
		info := []string{cmp.Or(a.MediaType, "unknown type"), size(a.Size)}
		if !a.AddedAt.IsZero() {
			info = append(info, "added "+a.AddedAt.Format(dateTime)+zone(a.AddedAt))
		}
		if a.Source != "" {
			info = append(info, "from "+a.Source)
		}
		pdf.MultiCell(contentW-4, 4.2, r.see(strings.Join(info, ", ")), "", "L", false)
		pdf.SetX(margin + 4)
		r.font("", 8.5)
		pdf.CellFormat(15, 4.5, "SHA-256", "", 0, "L", false, 0, "")
		r.color(ink)
		r.mono(8)
		pdf.CellFormat(contentW-19, 4.5, r.see(a.SHA256), "", 1, "L", false, 0, "")
		if name != "" {
			r.image(img, name)
		} else if imageType(a.MediaType) != "" && r.o.Evidence != nil && len(r.o.Redactions) == 0 {
			r.font("I", 8.5)
			r.color(muted)
			pdf.SetX(margin + 4)
			pdf.MultiCell(contentW-4, 4.2, r.see("(This image cannot be shown here; the file is in the journal.)"), "", "L", false)
			r.color(ink)
		}
		pdf.Ln(1.5)
	}
}

// size says a file size the way a person reads it.
func size(n int64) string {
	switch {
	case n < 1024:
		return plural(int(n), "byte")
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB (%d bytes)", float64(n)/1024, n)
	default:
		return fmt.Sprintf("%.1f MB (%d bytes)", float64(n)/(1<<20), n)
	}
}

func (r *report) disclosures() {
	r.heading("Earlier disclosures", 0)
	if len(r.o.Disclosures) == 0 {
		r.para("", 9.5, "This is the first report made from this journal.")
		return
	}
	r.para("", 9.5, "Every report made from this journal is written down in it. These were made before this one, earliest first.")
	r.pdf.Ln(3)
	for _, d := range r.o.Disclosures {
		r.need(14)
		r.font("B", 9.5)
		marks := []string{strings.ToUpper(d.Format), plural(len(d.Incidents), "incident")}
		if d.Redacted {
			marks = append(marks, "redacted")
		}
		if d.Encrypted {
			marks = append(marks, "encrypted")
		}
		r.pdf.MultiCell(contentW, lineH, r.see(fmt.Sprintf("%s%s, for %s: %s",
			d.RecordedAt.Format(dateTime), zone(d.RecordedAt), cmp.Or(d.For, "no one stated"), strings.Join(marks, ", "))), "", "L", false)
		r.font("", 8.5)
		r.color(muted)
		if len(d.Filters) > 0 {
			r.pdf.MultiCell(contentW, 4.2, r.see("Selection: "+selection(d.Filters)), "", "L", false)
		}
		r.pdf.CellFormat(16, 4.5, "SHA-256", "", 0, "L", false, 0, "")
		r.color(ink)
		r.mono(8)
		r.pdf.CellFormat(contentW-16, 4.5, r.see(d.SHA256), "", 1, "L", false, 0, "")
		r.pdf.Ln(2)
	}
}

func (r *report) howToCheck() {
	r.heading("How to check this report", 90)
	o := r.o
	paras := []string{
		"This report was made by the program journal from an encrypted journal kept by its author. The journal only grows: " +
			"an entry is never edited or removed. A correction is added as an amendment that keeps the original text, " +
			"shown above under History; a withdrawn entry stays, marked void, with the reason.",
		"Every record of the journal is signed by the device (computer) that added it, and holds the SHA-256 hash of that " +
			"device's record before it, so that removing, reordering or changing any record breaks the chain from there on. " +
			"The journal's owner signs which devices may add records. The fingerprint is the hash of the last record, shortened " +
			"to be read aloud: " +
			fmt.Sprintf("%s stands for the first %s of this journal.", r.t.Fingerprint, plural(int(o.Records), "record")),
		"To check that the journal is whole, its author runs 'journal verify'. It checks every signature and the chain, " +
			"decrypts and authenticates every record, and prints the fingerprint of the whole journal. If nothing was recorded " +
			"since this report, it is the fingerprint printed on every page here. Anyone given a copy of the journal file can " +
			"check, without any key and without reading anything in it, that the fingerprint still stands: " +
			"'journal verify --fingerprint " + r.t.Fingerprint + "'.",
		"What a journal that verifies shows, and what it cannot:",
	}
	for _, c := range journal.Claims {
		paras = append(paras, "- "+c)
	}
	paras = append(paras,
		"Each evidence file can be written out of the journal byte for byte with 'journal evidence ID NAME -o FILE'. "+
			"Its SHA-256 (for example 'sha256sum FILE') must equal the one in the evidence index above, which was taken "+
			"when the file was added.",
		"This report is itself written down in the journal. 'journal disclosures' lists it with when it was made, for whom, "+
			"the incidents it holds and the SHA-256 of the file handed over (for an encrypted hand-over, of the encrypted file), "+
			"so the file you hold can be matched to the record.",
	)
	if len(o.Redactions) > 0 {
		paras = append(paras, "This copy is redacted: what was removed is listed on the cover. The fingerprint is that of the "+
			"unredacted journal; the redacted text cannot itself be matched against it.")
	}
	for _, p := range paras {
		r.para("", 10, p)
		r.pdf.Ln(3)
	}
}

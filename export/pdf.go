package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/journal-dev/journal/internal/pdfstream"

	"github.com/journal-dev/journal/journal"
)

// PDFOptions say what a report holds beside the incidents.
type PDFOptions struct {
	// Reporter is the name of the person who keeps the journal, if given.
	Reporter string
	// For says who the report is prepared for.
	For string
	// Reference is a case or crime reference, printed at the top of every
	// page.
	Reference string
	// Created is when the report is dated. With the same options and
	// timeline, the same bytes are written.
	Created time.Time
	// Filters describe the selection, as given on the command line.
	Filters []string
	// Selection, if set, says in words which incidents the report holds,
	// in place of the words made from Filters (a redacted report gives
	// it without names).
	Selection string
	// Redactions are the kinds of redaction applied (see [Redact]); a
	// timeline that [Handover] redacts as it is read gives its own.
	Redactions []string
	// Disclosures are earlier exports of the journal, listed in the report.
	Disclosures []journal.DisclosureEntry
	// Records is how many records of the log the fingerprint covers, and
	// RecordsBy names them device by device when they come from several
	// ("laptop" records 1 to 3, "work PC" record 1), in the devices' own
	// numbering, which every computer shares.
	Records   uint64
	RecordsBy string
	// Exhibits are the exhibit marks of the evidence files (see
	// [Exhibits]); a file without one is listed without a mark.
	Exhibits map[string]string
	// Font, if set, is a TrueType font to set the text in instead of the
	// Go fonts, for scripts they do not cover.
	Font []byte
	// Evidence returns the original bytes of an attachment, so that images
	// can be shown. When nil, or in a redacted report, the evidence index
	// lists the files without showing them.
	Evidence func(in *journal.Incident, a journal.Attachment) ([]byte, error)
}

// PDFResult says what a report could not show as it is.
type PDFResult struct {
	// Missing are characters of the text that no font here has: they
	// are written as placeholders with their code point and name, and
	// listed in the report.
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
// the course of conduct of each person and its effect on the author's
// daily life, a chronology, what was reported and to whom, an index of the
// evidence with exhibit marks, every incident in full with its history,
// earlier disclosures, how to check it, and a statement of truth to sign.
// Every page carries the reference, "Page X of Y" and the journal's
// fingerprint.
func WritePDF(w io.Writer, t *Timeline, o PDFOptions) (*PDFResult, error) {
	// Pages are written out as they end, and the incidents are read one
	// at a time, once for what the report says of them all (scan), then
	// once for each section that lists them.
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
	info := pdfstream.Info{Title: metaText("Incident record" + forSuffix(o.For)), Creator: "journal", Producer: "journal",
		Subject: "Record of incidents, with the journal fingerprint " + t.Fingerprint, Created: o.Created}
	if o.Reporter != "" {
		info.Author = metaText(o.Reporter)
	}
	pdf := pdfstream.New(w, info)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, pageH-bottom)
	if err := fonts.register(pdf); err != nil {
		return nil, err
	}
	r := &report{pdf: pdf, t: t, o: o, result: &PDFResult{}, images: map[string]shownImage{}}
	r.glyphs = newGlyphs(fonts.cover, func(f *fallback) {
		if err := pdf.AddFont(f.face, "", f.ttf); err != nil {
			r.err = err
		}
	})
	r.s = r.scanIncidents()
	if t.redactor != nil {
		// A timeline redacted as it is read knows what its redaction
		// did once it has been read through, by the scan.
		r.o.Redactions = t.redactor.kinds()
	}
	pdf.SetHeaderFunc(r.header)
	pdf.SetFooterFunc(r.footer)
	r.cover()
	r.people()
	r.impact()
	r.chronology()
	r.reported()
	r.evidenceIndex()
	r.incidents()
	r.disclosures()
	r.howToCheck()
	r.statement()
	if r.err == nil {
		r.err = pdf.Close()
	}
	if r.err != nil {
		return nil, fmt.Errorf("writing the PDF: %w", r.err)
	}
	r.result.Missing = r.glyphs.sortedPlaceholders()
	return r.result, nil
}

// metaText makes text fit for the PDF's document properties and
// bookmarks: a character beyond U+FFFF (an emoji), which no font here
// draws, is written as its placeholder, as it is in the text.
func metaText(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r > 0xFFFF }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r > 0xFFFF {
			b.WriteString(placeholder(r))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func forSuffix(s string) string {
	if s == "" {
		return ""
	}
	return " for " + s
}

// report holds the state of one PDF being written.
type report struct {
	pdf *pdfstream.Doc
	// err is the first error met outside the PDF writer.
	err error
	// s is what the report knows of all its incidents (scan).
	s      *scan
	t      *Timeline
	o      PDFOptions
	glyphs *glyphs
	result *PDFResult
	// style and size are the text font's, as set by font.
	style  string
	size   float64
	widths map[widthKey]float64
	// tableHeader, when set, repeats a table's header on a new page.
	tableHeader func()
	// headerH is the height of a table's header still to be drawn with
	// its first row (0 once it is drawn).
	headerH float64
	// images are the images written so far, by name: only their size
	// and number in the PDF are kept.
	images map[string]shownImage
	// current is the incident being written, named at the top of the
	// pages it runs on to.
	current *journal.Incident
}

func (r *report) font(style string, size float64) {
	r.style, r.size = style, size
	r.setFace("", style, size)
}
func (r *report) mono(size float64) {
	r.pdf.SetFont("mono", "", size)
}
func (r *report) color(c [3]int) { r.pdf.SetTextColor(c[0], c[1], c[2]) }
func (r *report) draw(c [3]int, w float64) {
	r.pdf.SetDrawColor(c[0], c[1], c[2])
	r.pdf.SetLineWidth(w)
}

// need starts a new page unless h millimetres are left on this one.
//
// A table's header not drawn yet goes on the page of what comes first
// (its first row), so that it never stays alone at the foot of a page.
func (r *report) need(h float64) {
	pending := r.tableHeader != nil && r.headerH > 0
	if pending {
		h += r.headerH
	}
	if r.pdf.GetY()+h > bottom {
		r.pdf.AddPage()
		if r.tableHeader != nil {
			r.tableHeader()
		}
		return
	}
	if pending {
		r.tableHeader()
	}
}

func (r *report) header() {
	if r.pdf.PageNo() == 1 {
		return
	}
	style, size := r.style, r.size
	r.font("", 8)
	r.color(muted)
	left := "Incident record" + forSuffix(r.o.For)
	if r.o.Reporter != "" {
		left = r.o.Reporter + ": " + left
	}
	if r.o.Reference != "" {
		left = "Ref. " + r.o.Reference + "  ·  " + left
	}
	r.pdf.SetXY(margin, 10)
	r.cell(contentW*0.68, 4, left, "L", false)
	right := "CONFIDENTIAL"
	if r.current != nil {
		right = fmt.Sprintf("Incident %s, continued  ·  CONFIDENTIAL", journal.IncidentRef(r.current.ID))
	}
	r.cell(contentW*0.32, 4, right, "R", false)
	r.draw(rule, 0.2)
	r.pdf.Line(margin, 15, pageW-margin, 15)
	r.pdf.SetXY(margin, margin)
	r.color(ink)
	r.font(style, size)
}

func (r *report) footer() {
	style, size := r.style, r.size
	r.draw(rule, 0.2)
	r.pdf.Line(margin, pageH-16, pageW-margin, pageH-16)
	r.pdf.SetXY(margin, pageH-14)
	r.font("", 8)
	r.color(muted)
	r.cell(contentW/3, 4, fmt.Sprintf("Page %d of "+pdfstream.AliasNbPages, r.pdf.PageNo()), "L", false)
	r.cell(contentW/3, 4, "Confidential", "C", false)
	r.mono(8)
	r.pdf.Cell(contentW/3, 4, "fingerprint "+r.t.Fingerprint, 0, "R")
	r.color(ink)
	r.font(style, size)
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
	r.pdf.Bookmark(title, 0, -1)
	r.font("B", 16)
	r.color(accent)
	r.cell(contentW, 9, title, "L", true)
	r.color(ink)
	r.pdf.Ln(2)
}

// subheading starts a part of a section.
func (r *report) subheading(title string, room float64) {
	r.need(room)
	r.pdf.Ln(2)
	r.font("B", 11)
	r.color(accent)
	r.pdf.SetX(margin)
	r.write(contentW, 6, title, "L", false)
	r.color(ink)
	r.pdf.Ln(0.5)
}

// para writes wrapped text across the page.
func (r *report) para(style string, size float64, text string) {
	r.font(style, size)
	r.pdf.SetX(margin)
	r.write(contentW, size*0.45, text, "L", false)
}

// note writes a short remark in small muted italics.
func (r *report) note(text string) {
	r.color(muted)
	r.para("I", 8.5, text)
	r.color(ink)
}

// field writes a label and a wrapped value beside it. Empty values are
// left out.
func (r *report) field(label, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	r.font("", 9.5)
	n := r.lineCount(value, contentW-labelW)
	r.need(float64(min(n, 3)) * lineH)
	y := r.pdf.GetY()
	r.font("B", 9)
	r.color(muted)
	r.pdf.SetXY(margin, y)
	r.cell(labelW, lineH, label, "L", false)
	r.color(ink)
	r.font("", 9.5)
	r.pdf.SetXY(margin+labelW, y)
	r.write(contentW-labelW, lineH, value, "L", false)
	r.pdf.SetX(margin)
}

// bullet writes one item of a list.
func (r *report) bullet(text string) {
	r.font("", 9.5)
	r.need(lineH)
	x, y := r.pdf.GetX(), r.pdf.GetY()
	r.cell(5, lineH, "•", "L", false)
	r.pdf.SetXY(x+5, y)
	r.write(contentW-5-(x-margin), lineH, text, "L", false)
	r.pdf.SetX(x)
}

// hash writes a SHA-256 or a fingerprint after a label, in a fixed-width
// face.
func (r *report) hash(x float64, label, value string) {
	r.pdf.SetX(x)
	r.font("", 8.5)
	r.color(muted)
	r.cell(16, 4.5, label, "L", false)
	r.color(ink)
	r.mono(8)
	r.pdf.Cell(pageW-margin-x-16, 4.5, value, 1, "L")
	r.font(r.style, r.size)
}

// Package pdfstream writes a PDF document page by page, in memory bounded
// by one page: each page's content is compressed and written out when the
// page ends, each image when it is first registered, and only what the end
// of the file needs (object offsets, page numbers, the fonts' used
// characters, the top of the outline) is kept until Close.
//
// Its methods follow those of the fpdf package, in millimetres on A4
// portrait pages, for the few the report uses: text in TrueType fonts
// (embedded as subsets), lines, rectangles, fill colours, JPEG and PNG
// images, bookmarks, attached files, document properties, header and
// footer functions, an automatic page break for cells, and "{nb}", the
// number of pages, drawn where it appears in text.
package pdfstream

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"
	"time"
)

// k is the number of points in a millimetre.
const k = 72 / 25.4

// A4 portrait, in millimetres.
const pageW, pageH = 210.0, 297.0

// AliasNbPages is the text replaced by the number of pages wherever it is
// drawn.
const AliasNbPages = "{nb}"

// Doc is a PDF document being written. Errors are kept: after the first,
// nothing more is written, and Close returns it.
type Doc struct {
	w      *bufio.Writer
	offset int64
	err    error

	// offsets are the objects' places in the file, by object number
	// (0 unused); an object reserved and not yet written has -1.
	offsets []int64
	// pageTree is the object number of the page tree, reserved first.
	pageTree int
	pages    []int
	page     *page

	info Info

	fonts    []*font
	fontKeys map[string]*font
	current  *font
	sizePt   float64
	// nb is the form drawing the number of pages, per font and size.
	nb []*nbForm

	images map[string]*Image

	outline     []*topItem
	attachments []Attachment

	x, y, lasth               float64
	lMargin, tMargin, rMargin float64
	bMargin                   float64
	autoBreak                 bool
	cMargin                   float64
	lineWidth                 float64
	text, fill, draw          Color
	header, footer            func()
	inHeader, inFooter        bool

	zbuf bytes.Buffer
	zw   *zlib.Writer
}

// Color is a colour in red, green and blue from 0 to 255.
type Color struct{ R, G, B int }

// Info is the document's properties.
type Info struct {
	Title, Author, Subject, Creator, Producer string
	Created                                   time.Time
}

// Attachment is a file attached to the document.
type Attachment struct {
	Name, Description string
	Content           []byte
}

// New starts a document written to w. Nothing is kept of a page once the
// next begins.
func New(w io.Writer, info Info) *Doc {
	d := &Doc{w: bufio.NewWriterSize(w, 64<<10), info: info, fontKeys: map[string]*font{},
		images: map[string]*Image{}, offsets: []int64{0}, lineWidth: 0.567 / k, cMargin: 10.0 / 10,
		lMargin: 10, tMargin: 10, rMargin: 10, bMargin: 20, autoBreak: true}
	d.zw, _ = zlib.NewWriterLevel(&d.zbuf, zlib.DefaultCompression)
	d.write("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	d.pageTree = d.reserve()
	return d
}

// Err returns the first error met, if any.
func (d *Doc) Err() error { return d.err }

func (d *Doc) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func (d *Doc) write(s string) {
	if d.err != nil {
		return
	}
	n, err := d.w.WriteString(s)
	d.offset += int64(n)
	d.fail(err)
}

func (d *Doc) writeBytes(b []byte) {
	if d.err != nil {
		return
	}
	n, err := d.w.Write(b)
	d.offset += int64(n)
	d.fail(err)
}

// reserve gives the number of an object written later.
func (d *Doc) reserve() int {
	d.offsets = append(d.offsets, -1)
	return len(d.offsets) - 1
}

// begin starts writing object n.
func (d *Doc) begin(n int) {
	d.offsets[n] = d.offset
	d.write(strconv.Itoa(n) + " 0 obj\n")
}

// object writes a whole object of dictionary or other body text.
func (d *Doc) object(n int, body string) {
	d.begin(n)
	d.write(body)
	d.write("\nendobj\n")
}

// stream writes object n as a stream with the dictionary entries dict,
// compressed when compress is set.
func (d *Doc) stream(n int, dict string, data []byte, compress bool) {
	if compress {
		d.zbuf.Reset()
		d.zw.Reset(&d.zbuf)
		_, err := d.zw.Write(data)
		d.fail(err)
		d.fail(d.zw.Close())
		data = d.zbuf.Bytes()
		dict = "/Filter /FlateDecode " + dict
	}
	d.begin(n)
	d.write("<<" + dict + " /Length " + strconv.Itoa(len(data)) + ">>\nstream\n")
	d.writeBytes(data)
	d.write("\nendstream\nendobj\n")
}

// num writes a number as the PDF files of fpdf did: two decimals.
func num(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// SetMargins sets the left, top and right margins.
func (d *Doc) SetMargins(left, top, right float64) {
	d.lMargin, d.tMargin, d.rMargin = left, top, right
}

// SetAutoPageBreak says whether a cell that does not fit above the bottom
// margin starts a new page.
func (d *Doc) SetAutoPageBreak(auto bool, bottom float64) { d.autoBreak, d.bMargin = auto, bottom }

// SetHeaderFunc sets what is drawn at the top of every page.
func (d *Doc) SetHeaderFunc(f func()) { d.header = f }

// SetFooterFunc sets what is drawn at the foot of every page.
func (d *Doc) SetFooterFunc(f func()) { d.footer = f }

// SetAttachments sets the files attached to the document.
func (d *Doc) SetAttachments(files []Attachment) { d.attachments = files }

// GetCellMargin is the space left and right of the text of a cell.
func (d *Doc) GetCellMargin() float64 { return d.cMargin }

// PageNo is the number of the current page, from 1.
func (d *Doc) PageNo() int { return len(d.pages) }

// Close ends the last page and writes everything the pages refer to: the
// fonts, the page tree, the outline, the attachments, the properties and
// the cross-reference table. It returns the first error met.
func (d *Doc) Close() error {
	if d.page != nil {
		d.endPage()
	}
	if len(d.pages) == 0 {
		d.fail(fmt.Errorf("the document has no page"))
	}
	d.writeNbForms()
	for _, f := range d.fonts {
		d.writeFont(f)
	}
	var kids bytes.Buffer
	for i, p := range d.pages {
		if i > 0 {
			kids.WriteByte(' ')
		}
		kids.WriteString(strconv.Itoa(p) + " 0 R")
	}
	d.object(d.pageTree, fmt.Sprintf("<</Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 %s %s]>>",
		kids.String(), len(d.pages), num(pageW*k), num(pageH*k)))
	outlines := d.writeOutline()
	names := d.writeAttachments()
	info := d.reserve()
	d.object(info, d.infoDict())
	catalog := d.reserve()
	cat := fmt.Sprintf("<</Type /Catalog /Pages %d 0 R", d.pageTree)
	if outlines > 0 {
		cat += fmt.Sprintf(" /Outlines %d 0 R /PageMode /UseOutlines", outlines)
	}
	if names != "" {
		cat += " /Names <</EmbeddedFiles " + names + ">>"
	}
	d.object(catalog, cat+">>")
	xref := d.offset
	d.write(fmt.Sprintf("xref\n0 %d\n0000000000 65535 f \n", len(d.offsets)))
	for _, o := range d.offsets[1:] {
		if o < 0 {
			d.fail(fmt.Errorf("internal error: an object was reserved and never written"))
			o = 0
		}
		d.write(fmt.Sprintf("%010d 00000 n \n", o))
	}
	d.write(fmt.Sprintf("trailer\n<</Size %d /Root %d 0 R /Info %d 0 R>>\nstartxref\n%d\n%%%%EOF\n",
		len(d.offsets), catalog, info, xref))
	if d.err == nil {
		d.fail(d.w.Flush())
	}
	return d.err
}

func (d *Doc) infoDict() string {
	var b bytes.Buffer
	b.WriteString("<<")
	for _, e := range []struct{ key, value string }{{"Title", d.info.Title}, {"Author", d.info.Author},
		{"Subject", d.info.Subject}, {"Creator", d.info.Creator}, {"Producer", d.info.Producer}} {
		if e.value != "" {
			b.WriteString("/" + e.key + " " + textString(e.value) + " ")
		}
	}
	if !d.info.Created.IsZero() {
		t := d.info.Created
		_, off := t.Zone()
		sign := "+"
		if off < 0 {
			sign, off = "-", -off
		}
		date := fmt.Sprintf("(D:%s%s%02d'%02d')", t.Format("20060102150405"), sign, off/3600, off/60%60)
		b.WriteString("/CreationDate " + date + " /ModDate " + date)
	}
	b.WriteString(">>")
	return b.String()
}

// textString writes text as a PDF text string in UTF-16BE, in hex.
func textString(s string) string {
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, r := range s {
		if r > 0xFFFF {
			r1, r2 := surrogates(r)
			fmt.Fprintf(&b, "%04X%04X", r1, r2)
			continue
		}
		fmt.Fprintf(&b, "%04X", r)
	}
	b.WriteString(">")
	return b.String()
}

func surrogates(r rune) (rune, rune) {
	r -= 0x10000
	return 0xD800 + (r>>10)&0x3FF, 0xDC00 + r&0x3FF
}

// writeAttachments writes the attached files and returns the name tree
// that lists them, or "" when there are none.
func (d *Doc) writeAttachments() string {
	if len(d.attachments) == 0 {
		return ""
	}
	var names bytes.Buffer
	for i, a := range d.attachments {
		file := d.reserve()
		d.stream(file, fmt.Sprintf("/Type /EmbeddedFile /Params <</Size %d>>", len(a.Content)), a.Content, true)
		spec := d.reserve()
		d.object(spec, fmt.Sprintf("<</Type /Filespec /F %s /UF %s /Desc %s /EF <</F %d 0 R>>>>",
			textString(a.Name), textString(a.Name), textString(a.Description), file))
		// The keys sort in the order of the files, as a name tree's must.
		fmt.Fprintf(&names, "(Attachment%06d) %d 0 R ", i+1, spec)
	}
	tree := d.reserve()
	d.object(tree, "<</Names ["+names.String()+"]>>")
	return strconv.Itoa(tree) + " 0 R"
}

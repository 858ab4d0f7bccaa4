package pdfstream

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// page is the page being drawn: its content and what it draws with.
type page struct {
	num      int // its object number, reserved when it begins
	content  bytes.Buffer
	fonts    []*font
	xobjects []xobject
	// fill and stroke are the colours set in the content so far.
	fill, stroke Color
	lineWidth    float64
}

// xobject is an image or form a page draws.
type xobject struct {
	name string
	num  int
}

// AddPage ends the current page, with its footer, and begins a new one,
// with its header. The font, colours and line width carry over.
func (d *Doc) AddPage() {
	font, size := d.current, d.sizePt
	lw, tc, fc, dc := d.lineWidth, d.text, d.fill, d.draw
	if d.page != nil {
		d.endPage()
	}
	d.page = &page{num: d.reserve(), lineWidth: -1}
	d.pages = append(d.pages, d.page.num)
	d.x, d.y = d.lMargin, d.tMargin
	d.setLineWidth(lw)
	if d.header != nil {
		d.inHeader = true
		d.header()
		d.inHeader = false
	}
	d.current, d.sizePt = font, size
	d.lineWidth, d.text, d.fill, d.draw = lw, tc, fc, dc
}

// endPage draws the footer and writes the page out.
func (d *Doc) endPage() {
	if d.footer != nil {
		d.inFooter = true
		d.footer()
		d.inFooter = false
	}
	p := d.page
	content := d.reserve()
	d.stream(content, "", p.content.Bytes(), true)
	var res strings.Builder
	res.WriteString("/ProcSet [/PDF /Text /ImageB /ImageC /ImageI]")
	if len(p.fonts) > 0 {
		res.WriteString(" /Font <<")
		for _, f := range p.fonts {
			fmt.Fprintf(&res, "/F%d %d 0 R ", f.index, f.num)
		}
		res.WriteString(">>")
	}
	if len(p.xobjects) > 0 {
		res.WriteString(" /XObject <<")
		for _, x := range p.xobjects {
			fmt.Fprintf(&res, "/%s %d 0 R ", x.name, x.num)
		}
		res.WriteString(">>")
	}
	d.object(p.num, fmt.Sprintf("<</Type /Page /Parent %d 0 R /Resources <<%s>> /Contents %d 0 R>>",
		d.pageTree, res.String(), content))
	d.page = nil
}

func (d *Doc) out(s string) {
	if d.page == nil {
		d.fail(fmt.Errorf("drawing before the first page"))
		return
	}
	d.page.content.WriteString(s)
	d.page.content.WriteByte('\n')
}

func (d *Doc) useFont(f *font) {
	d.reserveFont(f)
	if !slices.Contains(d.page.fonts, f) {
		d.page.fonts = append(d.page.fonts, f)
	}
}

func (d *Doc) useXObject(name string, num int) {
	if !slices.ContainsFunc(d.page.xobjects, func(x xobject) bool { return x.name == name }) {
		d.page.xobjects = append(d.page.xobjects, xobject{name, num})
	}
}

// GetX is the current position from the left edge.
func (d *Doc) GetX() float64 { return d.x }

// GetY is the current position from the top edge.
func (d *Doc) GetY() float64 { return d.y }

// SetX moves the current position across.
func (d *Doc) SetX(x float64) {
	if x < 0 {
		x += pageW
	}
	d.x = x
}

// SetY moves the current position down or up, and back to the left
// margin.
func (d *Doc) SetY(y float64) {
	d.x = d.lMargin
	if y < 0 {
		y += pageH
	}
	d.y = y
}

// SetXY moves the current position.
func (d *Doc) SetXY(x, y float64) {
	d.SetY(y)
	d.SetX(x)
}

// Ln moves to the left margin h below; a negative h moves by the height
// of the last cell.
func (d *Doc) Ln(h float64) {
	d.x = d.lMargin
	if h < 0 {
		h = d.lasth
	}
	d.y += h
}

// SetTextColor sets the colour of text.
func (d *Doc) SetTextColor(r, g, b int) { d.text = Color{r, g, b} }

// SetFillColor sets the colour rectangles are filled with.
func (d *Doc) SetFillColor(r, g, b int) { d.fill = Color{r, g, b} }

// SetDrawColor sets the colour of lines.
func (d *Doc) SetDrawColor(r, g, b int) { d.draw = Color{r, g, b} }

// SetLineWidth sets the width of lines, in millimetres.
func (d *Doc) SetLineWidth(w float64) {
	d.lineWidth = w
	if d.page != nil {
		d.setLineWidth(w)
	}
}

func (d *Doc) setLineWidth(w float64) {
	if d.page.lineWidth != w {
		d.page.lineWidth = w
		d.out(num(w*k) + " w")
	}
}

func colorOp(c Color, op string) string {
	return fmt.Sprintf("%.3f %.3f %.3f %s", float64(c.R)/255, float64(c.G)/255, float64(c.B)/255, op)
}

func (d *Doc) setFill(c Color) {
	if d.page.fill != c {
		d.page.fill = c
		d.out(colorOp(c, "rg"))
	}
}

func (d *Doc) setStroke() {
	d.setLineWidth(d.lineWidth)
	if d.page.stroke != d.draw {
		d.page.stroke = d.draw
		d.out(colorOp(d.draw, "RG"))
	}
}

// Line draws a line in the draw colour and line width.
func (d *Doc) Line(x1, y1, x2, y2 float64) {
	if d.page == nil {
		d.fail(fmt.Errorf("drawing before the first page"))
		return
	}
	d.setStroke()
	d.out(num(x1*k) + " " + num((pageH-y1)*k) + " m " + num(x2*k) + " " + num((pageH-y2)*k) + " l S")
}

// Rect draws a rectangle: style "F" fills it, "D" draws its outline, "FD"
// both.
func (d *Doc) Rect(x, y, w, h float64, style string) {
	if d.page == nil {
		d.fail(fmt.Errorf("drawing before the first page"))
		return
	}
	op := "S"
	switch style {
	case "F":
		op = "f"
		d.setFill(d.fill)
	case "FD", "DF":
		op = "B"
		d.setFill(d.fill)
		d.setStroke()
	default:
		d.setStroke()
	}
	d.out(num(x*k) + " " + num((pageH-y)*k) + " " + num(w*k) + " " + num(-h*k) + " re " + op)
}

// Text draws text with its baseline starting at x, y, in the current font
// and text colour. AliasNbPages in it is drawn as the number of pages.
func (d *Doc) Text(x, y float64, s string) {
	if d.page == nil || d.current == nil {
		d.fail(fmt.Errorf("text drawn before a page or a font"))
		return
	}
	before, after, nb := strings.Cut(s, AliasNbPages)
	d.text1(x, y, before)
	if !nb {
		return
	}
	x += d.GetStringWidth(before)
	form := d.nbForm()
	d.setFill(d.text)
	d.useXObject(form.name, form.num)
	d.out("q 1 0 0 1 " + num(x*k) + " " + num((pageH-y)*k) + " cm /" + form.name + " Do Q")
	d.Text(x+d.GetStringWidth(AliasNbPages), y, after)
}

func (d *Doc) text1(x, y float64, s string) {
	if s == "" {
		return
	}
	d.setFill(d.text)
	d.useFont(d.current)
	d.out("BT /F" + strconv.Itoa(d.current.index) + " " + num(d.sizePt) + " Tf " + num(x*k) + " " +
		num((pageH-y)*k) + " Td <" + d.current.encode(s) + "> Tj ET")
}

// Cell draws text on one line in a box w wide and h high from the current
// position, aligned "L" or "R" within it, starting a new page first when
// the box would pass the bottom margin. With ln 0 the position moves to
// the right of the box, with 1 to the left margin below it, with 2 below
// it.
func (d *Doc) Cell(w, h float64, s string, ln int, align string) {
	if d.current == nil {
		d.fail(fmt.Errorf("text drawn before a font"))
		return
	}
	if d.autoBreak && d.y+h > pageH-d.bMargin && !d.inHeader && !d.inFooter {
		x := d.x
		d.AddPage()
		d.x = x
	}
	if s != "" {
		dx := d.cMargin
		if align == "R" {
			dx = w - d.cMargin - d.GetStringWidth(s)
		} else if align == "C" {
			dx = (w - d.GetStringWidth(s)) / 2
		}
		d.Text(d.x+dx, d.y+0.5*h+0.3*d.fontSize(), s)
	}
	d.lasth = h
	switch ln {
	case 0:
		d.x += w
	case 1:
		d.x = d.lMargin
		d.y += h
	default:
		d.y += h
	}
}

// MultiCell draws text in lines h high within w, breaking it at line
// breaks and, where a line is too long, at spaces; the position ends at
// the left margin below it.
func (d *Doc) MultiCell(w, h float64, s, align string) {
	max := w - 2*d.cMargin
	for _, para := range strings.Split(strings.TrimRight(strings.ReplaceAll(s, "\r", ""), "\n"), "\n") {
		for {
			line := para[:d.fit(para, max)]
			d.Cell(w, h, line, 2, align)
			para = strings.TrimPrefix(para[len(line):], " ")
			if para == "" {
				break
			}
		}
	}
	d.x = d.lMargin
}

// fit returns how much of s goes on a line max wide: all of it if it
// fits, else up to its last space (not at its start) before the width
// passes max, else as many characters as fit, at least one (a character
// wider than the line is drawn as it is). It reads s once.
func (d *Doc) fit(s string, max float64) int {
	if d.current == nil || s == "" || d.GetStringWidth(s) <= max {
		return len(s)
	}
	end, space, units := 0, 0, 0
	for i, r := range s {
		if float64(units)*d.fontSize()/1000 > max {
			break
		}
		end = i
		if r == ' ' && i > 0 {
			space = i
		}
		units += d.current.width(r)
	}
	switch {
	case space > 0:
		return space
	case end > 0:
		return end
	}
	_, n := utf8.DecodeRuneInString(s)
	return n
}

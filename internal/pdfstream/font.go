package pdfstream

import (
	"crypto/sha256"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// font is a TrueType font added to the document. Text is written in it
// with two-byte codes that are the characters' Unicode code points (in
// the Basic Multilingual Plane), mapped to glyphs by a CIDToGIDMap, so
// that a reader extracting text gets exactly the characters drawn.
type font struct {
	index int // its name on pages: /F<index>
	num   int // its object number, reserved when first drawn; 0 before
	ttf   []byte
	sfnt  *sfnt.Font
	buf   sfnt.Buffer
	upem  int
	// widths are the characters' advances in thousandths of the font
	// size, as measured so far.
	widths  map[rune]int
	missing int
	// used are the characters drawn, by code point.
	used [0x10000 / 64]uint64
}

// AddFont adds a TrueType font under a family and a style ("", "B", "I",
// "BI"). The bytes are only read, and kept until Close.
func (d *Doc) AddFont(family, style string, ttf []byte) error {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return fmt.Errorf("reading the font %s: %w", family, err)
	}
	ft := &font{index: len(d.fonts) + 1, ttf: ttf, sfnt: f, upem: int(f.UnitsPerEm()), widths: map[rune]int{}}
	if ft.upem == 0 {
		return fmt.Errorf("reading the font %s: no units per em", family)
	}
	ft.missing = int(math.Round(ft.scale() * float64(ft.advance(0))))
	d.fonts = append(d.fonts, ft)
	d.fontKeys[fontKey(family, style)] = ft
	return nil
}

func fontKey(family, style string) string {
	return strings.ToLower(family) + ":" + strings.ToUpper(style)
}

// SetFont selects a font added before, and its size in points.
func (d *Doc) SetFont(family, style string, size float64) {
	f := d.fontKeys[fontKey(family, style)]
	if f == nil {
		d.fail(fmt.Errorf("no font %s %s was added", family, style))
		return
	}
	d.current, d.sizePt = f, size
}

// GetFontSize returns the size of the current font in points and in
// millimetres.
func (d *Doc) GetFontSize() (pt, mm float64) { return d.sizePt, d.fontSize() }

func (d *Doc) fontSize() float64 { return d.sizePt / k }

// GetStringWidth is the width of s in the current font, in millimetres.
func (d *Doc) GetStringWidth(s string) float64 {
	if d.current == nil {
		return 0
	}
	w := 0
	for _, r := range s {
		w += d.current.width(r)
	}
	return float64(w) * d.fontSize() / 1000
}

func (f *font) scale() float64 { return 1000 / float64(f.upem) }

// advance is a glyph's advance in font units.
func (f *font) advance(g sfnt.GlyphIndex) int {
	a, err := f.sfnt.GlyphAdvance(&f.buf, g, fixed.Int26_6(f.upem<<6), xfont.HintingNone)
	if err != nil {
		return 0
	}
	return int(a >> 6)
}

// width is a character's advance in thousandths of the font size,
// rounded; a character the font lacks has the width of its missing glyph.
func (f *font) width(r rune) int {
	if w, ok := f.widths[r]; ok {
		return w
	}
	w := f.missing
	if g := f.glyph(r); g != 0 {
		w = int(math.Round(f.scale() * float64(f.advance(g))))
	}
	f.widths[r] = w
	return w
}

func (f *font) glyph(r rune) sfnt.GlyphIndex {
	if r > 0xFFFF || r < 0 {
		return 0
	}
	g, err := f.sfnt.GlyphIndex(&f.buf, r)
	if err != nil {
		return 0
	}
	return g
}

// encode writes text as the font's codes, in hex, and notes the
// characters used.
func (f *font) encode(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > 0xFFFF {
			r = 0xFFFD // no font here draws it: written as a missing glyph
		}
		f.used[r/64] |= 1 << (r % 64)
		fmt.Fprintf(&b, "%04X", r)
	}
	return b.String()
}

func (f *font) usedRunes() []rune {
	var out []rune
	for i, w := range f.used {
		for j := range 64 {
			if w&(1<<j) != 0 {
				out = append(out, rune(i*64+j))
			}
		}
	}
	return out
}

// writeFont writes a font drawn on some page: the Type0 font, its
// CIDFont, descriptor, the subset of its glyphs, the widths and the map
// back to Unicode of the characters drawn.
func (d *Doc) writeFont(f *font) {
	if f.num == 0 {
		return
	}
	runes := f.usedRunes()
	glyphs := []sfnt.GlyphIndex{0}
	var w, toUni strings.Builder
	cidToGID := make([]byte, 2*(int(slices.Max(append(runes, 0)))+1))
	for i, r := range runes {
		g := f.glyph(r)
		glyphs = append(glyphs, g)
		cidToGID[2*r], cidToGID[2*r+1] = byte(g>>8), byte(g)
		fmt.Fprintf(&w, "%d [%d] ", r, f.width(r))
		if i%100 == 0 {
			if i > 0 {
				toUni.WriteString("endbfchar\n")
			}
			fmt.Fprintf(&toUni, "%d beginbfchar\n", min(100, len(runes)-i))
		}
		fmt.Fprintf(&toUni, "<%04X> <%04X>\n", r, r)
	}
	if len(runes) > 0 {
		toUni.WriteString("endbfchar\n")
	}
	sub := subset(f.ttf, glyphs)
	name := f.postScriptName()
	sum := sha256.Sum256([]byte(fmt.Sprint(f.index, runes)))
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	base := string(tag) + "+" + name

	cid, desc, file, uni, gidMap := d.reserve(), d.reserve(), d.reserve(), d.reserve(), d.reserve()
	d.object(f.num, fmt.Sprintf("<</Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H "+
		"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R>>", base, cid, uni))
	d.object(cid, fmt.Sprintf("<</Type /Font /Subtype /CIDFontType2 /BaseFont /%s "+
		"/CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /FontDescriptor %d 0 R "+
		"/DW %d /W [%s] /CIDToGIDMap %d 0 R>>", base, desc, f.missing, w.String(), gidMap))
	d.object(desc, f.descriptor(base, file))
	d.stream(file, "/Length1 "+strconv.Itoa(len(sub)), sub, true)
	d.stream(uni, "", []byte("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"+
		"/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n"+
		"/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"+toUni.String()+
		"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"), true)
	d.stream(gidMap, "", cidToGID, true)
}

func (f *font) postScriptName() string {
	n, err := f.sfnt.Name(&f.buf, sfnt.NameIDPostScript)
	if err != nil || n == "" {
		n = "Font" + strconv.Itoa(f.index)
	}
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r > '~' || strings.ContainsRune("()<>[]{}/%#", r) {
			return -1
		}
		return r
	}, n)
}

func (f *font) descriptor(base string, file int) string {
	ppem := fixed.Int26_6(f.upem << 6)
	s := f.scale()
	units := func(v fixed.Int26_6) int { return int(math.Round(s * float64(v) / 64)) }
	m, _ := f.sfnt.Metrics(&f.buf, ppem, xfont.HintingNone)
	b, _ := f.sfnt.Bounds(&f.buf, ppem, xfont.HintingNone)
	capH := units(m.CapHeight)
	if capH == 0 {
		capH = units(m.Ascent)
	}
	return fmt.Sprintf("<</Type /FontDescriptor /FontName /%s /Flags 32 /FontBBox [%d %d %d %d] /ItalicAngle 0 "+
		"/Ascent %d /Descent %d /CapHeight %d /StemV 80 /MissingWidth %d /FontFile2 %d 0 R>>",
		base, units(b.Min.X), -units(b.Max.Y), units(b.Max.X), -units(b.Min.Y),
		units(m.Ascent), -units(m.Descent), capH, f.missing, file)
}

// nbForm is a form drawing the number of pages in one font and size.
type nbForm struct {
	name string
	num  int
	font *font
	size float64
}

func (d *Doc) nbForm() *nbForm {
	for _, f := range d.nb {
		if f.font == d.current && f.size == d.sizePt {
			return f
		}
	}
	f := &nbForm{name: "Nb" + strconv.Itoa(len(d.nb)+1), num: d.reserve(), font: d.current, size: d.sizePt}
	d.nb = append(d.nb, f)
	d.reserveFont(f.font)
	return f
}

func (d *Doc) reserveFont(f *font) {
	if f.num == 0 {
		f.num = d.reserve()
	}
}

// writeNbForms writes the forms that draw the number of pages, now that
// it is known.
func (d *Doc) writeNbForms() {
	for _, f := range d.nb {
		content := "BT /F" + strconv.Itoa(f.font.index) + " " + num(f.size) + " Tf 0 0 Td <" +
			f.font.encode(strconv.Itoa(len(d.pages))) + "> Tj ET"
		d.stream(f.num, fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 %s %s %s] /Resources <</Font <</F%d %d 0 R>>>>",
			num(-f.size), num(f.size*8), num(f.size*2), f.font.index, f.font.num), []byte(content), true)
	}
}

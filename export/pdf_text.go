package export

import (
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/unicode/runenames"
)

// Every character of every incident gets into the report. Text is set in
// the report's font (the Go fonts, or --font); characters that font lacks
// are drawn from a fallback font shipped with the program (fonts/: Noto
// Sans Arabic and Hebrew, Droid Sans Fallback for Chinese and Japanese);
// a character no font here has, such as an emoji, is written as a visible
// placeholder with its code point and name ("[U+1F621 pouting face]"),
// and the report lists every such character. A PDF is never refused for
// its text.

//go:embed fonts/*.ttf.gz
var fallbackFiles embed.FS

// fallback is a font shipped with the program for scripts the report's
// font lacks. It is read only when text needs it.
type fallback struct {
	face string // the name it is registered under in the PDF
	file string
	once sync.Once
	ttf  []byte
	font *sfnt.Font
}

// fallbacks are tried in order.
var fallbacks = []*fallback{
	{face: "arabic", file: "fonts/NotoSansArabic-Regular.ttf.gz"},
	{face: "hebrew", file: "fonts/NotoSansHebrew-Regular.ttf.gz"},
	{face: "cjk", file: "fonts/DroidSansFallbackFull.ttf.gz"},
}

// load reads the font once; a font that cannot be read covers nothing.
func (f *fallback) load() *sfnt.Font {
	f.once.Do(func() {
		zr, err := fallbackFiles.Open(f.file)
		if err != nil {
			return
		}
		defer zr.Close()
		gz, err := gzip.NewReader(zr)
		if err != nil {
			return
		}
		ttf, err := io.ReadAll(gz)
		if err != nil {
			return
		}
		font, err := sfnt.Parse(ttf)
		if err != nil {
			return
		}
		f.ttf, f.font = ttf, font
	})
	return f.font
}

// has reports whether font has a glyph for r.
func has(font *sfnt.Font, buf *sfnt.Buffer, r rune) bool {
	if font == nil {
		return false
	}
	i, err := font.GlyphIndex(buf, r)
	return err == nil && i != 0
}

// fontKey names the font the PDF writer was last set to.
type fontKey struct {
	face, style string
	size        float64
}

// segment is a piece of text drawn in one face: "" for the report's own
// font in the current style, or a fallback's face.
type segment struct {
	face string
	text string
}

// word is a unit of line breaking: a word, a space, one Chinese or
// Japanese character (which may break anywhere), or a line break.
type word struct {
	segs  []segment
	space bool
	brk   bool
	// glue keeps the word on the line of the one before it: it is the
	// punctuation around right-to-left text, split off so that it keeps
	// its place when that text is reversed.
	glue bool
	w    float64
}

// glyphs finds, for each character, the face that draws it, and keeps
// what the report must say about characters it could not draw.
type glyphs struct {
	main  *sfnt.Font
	buf   sfnt.Buffer
	faces map[rune]string // "" main, a fallback's face, or "?" placeholder
	// Placeholders are the characters written as placeholders.
	placeholders map[rune]bool
	// rtl is set once right-to-left text has been drawn.
	rtl bool
	// ascii is 1 when the report's font has every printable ASCII
	// character, 2 when not, 0 before it is known.
	ascii int
	// register adds a fallback font to the PDF the first time it is used.
	register func(f *fallback)
	used     map[string]bool
}

func newGlyphs(main *sfnt.Font, register func(*fallback)) *glyphs {
	return &glyphs{main: main, faces: map[rune]string{}, placeholders: map[rune]bool{}, register: register, used: map[string]bool{}}
}

// face returns the face that draws r, or "?" if none does.
func (g *glyphs) face(r rune) string {
	if f, ok := g.faces[r]; ok {
		return f
	}
	f := "?"
	switch {
	case r > 0xFFFF:
		// The PDF writer's fonts reach only the Basic Multilingual
		// Plane; emoji lie beyond it.
	case has(g.main, &g.buf, r):
		f = ""
	default:
		for _, fb := range fallbacks {
			if has(fb.load(), &g.buf, r) {
				f = fb.face
				if !g.used[f] {
					g.used[f] = true
					g.register(fb)
				}
				break
			}
		}
	}
	g.faces[r] = f
	return f
}

// invisible reports whether r is drawn as nothing: joiners and variation
// selectors that only change how the characters around them look.
func invisible(r rune) bool {
	return r == 0x200D || r == 0x200C || r == 0xFEFF || (r >= 0xFE00 && r <= 0xFE0F) ||
		(r >= 0xE0100 && r <= 0xE01EF) || (r >= 0x200B && r <= 0x200F) || (r >= 0x202A && r <= 0x202E) ||
		(r >= 0x2066 && r <= 0x2069)
}

// placeholder is how a character no font here has is written.
func placeholder(r rune) string {
	name := strings.ToLower(runenames.Name(r))
	if r >= 0xAC00 && r <= 0xD7A3 {
		name = hangulName(r)
	}
	if name == "" || strings.HasPrefix(name, "<") {
		return fmt.Sprintf("[U+%04X]", r)
	}
	return fmt.Sprintf("[U+%04X %s]", r, name)
}

// hangulName is the Unicode name of a Korean syllable, made from its
// letters as the standard makes it: U+C548 is "hangul syllable an".
func hangulName(r rune) string {
	lead := []string{"g", "gg", "n", "d", "dd", "r", "m", "b", "bb", "s", "ss", "", "j", "jj", "c", "k", "t", "p", "h"}
	vowel := []string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "weo", "we", "wi",
		"yu", "eu", "yi", "i"}
	tail := []string{"", "g", "gg", "gs", "n", "nj", "nh", "d", "l", "lg", "lm", "lb", "ls", "lt", "lp", "lh", "m", "b", "bs",
		"s", "ss", "ng", "j", "c", "k", "t", "p", "h"}
	s := int(r - 0xAC00)
	return "hangul syllable " + lead[s/588] + vowel[s%588/28] + tail[s%28]
}

// isBreakAnywhere reports whether a line may break before and after r:
// Chinese, Japanese and Korean characters, written without spaces.
func isBreakAnywhere(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// asciiWords splits printable ASCII text, which is most of it, into
// words the quick way, when the report's font has every ASCII letter.
func (g *glyphs) asciiWords(text string) ([]word, bool) {
	if g.ascii == 0 {
		g.ascii = 1
		for c := rune(0x21); c < 0x7F; c++ {
			if g.face(c) != "" {
				g.ascii = 2
				break
			}
		}
	}
	if g.ascii != 1 {
		return nil, false
	}
	for i := 0; i < len(text); i++ {
		if c := text[i]; c < 0x20 && c != '\n' || c >= 0x7F {
			return nil, false
		}
	}
	var out []word
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			out = append(out, word{brk: true})
		}
		start := -1
		for j := 0; j <= len(line); j++ {
			if j < len(line) && line[j] != ' ' {
				if start < 0 {
					start = j
				}
				continue
			}
			if start >= 0 {
				out = append(out, word{segs: []segment{{"", line[start:j]}}})
				start = -1
			}
			if j < len(line) {
				out = append(out, word{segs: []segment{{"", " "}}, space: true})
			}
		}
	}
	return out, true
}

// words splits text into units of line breaking, each in the faces that
// draw it. Tabs become spaces, and control characters go.
func (g *glyphs) words(text string) []word {
	if ws, ok := g.asciiWords(text); ok {
		return ws
	}
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\t", "    ").Replace(text)
	text = shapeArabic(text)
	var out []word
	var cur word
	var seg strings.Builder
	segFace := ""
	flushSeg := func() {
		if seg.Len() > 0 {
			cur.segs = append(cur.segs, segment{segFace, seg.String()})
			seg.Reset()
		}
	}
	flushWord := func() {
		flushSeg()
		if len(cur.segs) > 0 || cur.brk {
			out = append(out, splitEdges(cur)...)
		}
		cur = word{}
	}
	add := func(face, s string) {
		if face != segFace {
			flushSeg()
			segFace = face
		}
		seg.WriteString(s)
	}
	for _, r := range text {
		switch {
		case r == '\n':
			flushWord()
			out = append(out, word{brk: true})
			continue
		case r == ' ' || (unicode.IsSpace(r) && r != 0xA0):
			flushWord()
			cur.space = true
			add("", " ")
			flushWord()
			continue
		case invisible(r) || unicode.IsControl(r):
			continue
		}
		if isRTL(r) {
			g.rtl = true
		}
		f := g.face(r)
		if f == "?" && r >= 0xFB50 && r <= 0xFEFF {
			// A joined form no font here has: the letter itself,
			// unjoined, rather than a placeholder.
			if base := []rune(norm.NFKC.String(string(r))); len(base) == 1 && g.face(base[0]) != "?" {
				r, f = base[0], g.face(base[0])
			}
		}
		if f == "?" {
			// The placeholder wraps at its spaces, like words.
			g.placeholders[r] = true
			flushWord()
			for i, part := range strings.Split(placeholder(r), " ") {
				if i > 0 {
					cur.space = true
					add("", " ")
					flushWord()
				}
				add("", part)
				flushWord()
			}
			continue
		}
		if isBreakAnywhere(r) {
			flushWord()
			add(f, string(r))
			flushWord()
			continue
		}
		add(f, string(r))
	}
	flushWord()
	return out
}

// splitEdges splits the punctuation at the start and end of a word that
// holds right-to-left letters into words of their own, glued to it: as in
// Unicode's bidirectional algorithm, punctuation between right-to-left text
// and the left-to-right line around it stays where it is, so a quotation
// in Arabic keeps its quotation marks outside it.
func splitEdges(w word) []word {
	text := ""
	for _, s := range w.segs {
		text += s.text
	}
	if w.space || !hasRTL(text) {
		return []word{w}
	}
	rs := []rune(text)
	neutral := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !isTransparent(r) }
	i, j := 0, len(rs)
	for i < j && neutral(rs[i]) {
		i++
	}
	for j > i && neutral(rs[j-1]) {
		j--
	}
	if i == 0 && j == len(rs) {
		return []word{w}
	}
	// Cut the segments at rune offsets i and j.
	var parts [3]word
	pos := 0
	for _, s := range w.segs {
		for _, c := range s.text {
			k := 1
			switch {
			case pos < i:
				k = 0
			case pos >= j:
				k = 2
			}
			p := &parts[k]
			if n := len(p.segs); n > 0 && p.segs[n-1].face == s.face {
				p.segs[n-1].text += string(c)
			} else {
				p.segs = append(p.segs, segment{s.face, string(c)})
			}
			pos++
		}
	}
	var out []word
	for _, p := range parts {
		if len(p.segs) == 0 {
			continue
		}
		p.glue = len(out) > 0 || w.glue
		out = append(out, p)
	}
	return out
}

// The report writes text through write and cell below, in several faces
// and wrapped to a width, rather than through the PDF writer's own cells,
// which know one font.

// measure sets each word's width in the current style and size.
func (r *report) measure(ws []word) {
	style, size := r.style, r.size
	if r.widths == nil {
		r.widths = map[widthKey]float64{}
	}
	for i := range ws {
		w := 0.0
		for _, s := range ws[i].segs {
			// The same words come again and again: their widths are
			// kept.
			k := widthKey{fontKey{s.face, style, size}, s.text}
			sw, ok := r.widths[k]
			if !ok {
				r.setFace(s.face, style, size)
				sw = r.pdf.GetStringWidth(s.text)
				r.widths[k] = sw
			}
			w += sw
		}
		ws[i].w = w
	}
	r.font(style, size)
}

// widthKey is a piece of text in a font, whose width is kept.
type widthKey struct {
	font fontKey
	text string
}

// setFace selects the face of a segment: the report's font in style, or
// a fallback font, which has one style.
func (r *report) setFace(face, style string, size float64) {
	key := fontKey{face, style, size}
	if r.fontSet == key {
		return // the PDF writer would write the change out again
	}
	r.fontSet = key
	if face == "" {
		r.pdf.SetFont("text", style, size)
	} else {
		r.pdf.SetFont(face, "", size)
	}
}

// wrap breaks text into lines no wider than w in the current font.
func (r *report) wrap(text string, w float64) [][]word {
	ws := r.glyphs.words(text)
	r.measure(ws)
	var lines [][]word
	var line []word
	lw := 0.0
	end := func() {
		for len(line) > 0 && line[len(line)-1].space {
			line = line[:len(line)-1]
		}
		lines = append(lines, line)
		line, lw = nil, 0
	}
	for i, wd := range ws {
		switch {
		case wd.brk:
			end()
			continue
		case wd.space && len(line) == 0 && len(lines) > 0:
			continue // no space at the start of a wrapped line
		}
		// Words glued to this one go on the same line.
		need := wd.w
		for j := i + 1; j < len(ws) && ws[j].glue; j++ {
			need += ws[j].w
		}
		if !wd.glue && lw+need > w && len(line) > 0 {
			end()
			if wd.space {
				continue
			}
		}
		for wd.w > w && !wd.space {
			// A word longer than the line is broken by characters.
			head, rest := r.splitWord(wd, w)
			lines = append(lines, []word{head})
			wd = rest
		}
		line = append(line, wd)
		lw += wd.w
	}
	if len(line) > 0 || len(lines) == 0 {
		end()
	}
	return lines
}

// splitWord cuts a word so that its head fits in w (at least one
// character goes in the head).
func (r *report) splitWord(wd word, w float64) (head, rest word) {
	var runes []struct {
		face string
		r    rune
	}
	for _, s := range wd.segs {
		for _, c := range s.text {
			runes = append(runes, struct {
				face string
				r    rune
			}{s.face, c})
		}
	}
	build := func(from, to int) word {
		var out word
		for _, x := range runes[from:to] {
			if n := len(out.segs); n > 0 && out.segs[n-1].face == x.face {
				out.segs[n-1].text += string(x.r)
			} else {
				out.segs = append(out.segs, segment{x.face, string(x.r)})
			}
		}
		ws := []word{out}
		r.measure(ws)
		return ws[0]
	}
	n := 1
	for n < len(runes) && build(0, n+1).w <= w {
		n++
	}
	return build(0, n), build(n, len(runes))
}

// lineWidth is the width of a line of words.
func lineWidth(line []word) float64 {
	w := 0.0
	for _, wd := range line {
		w += wd.w
	}
	return w
}

// drawLine draws one line with its top at y, from x across w, aligned
// "L", "C" or "R", right-to-left runs in reading order.
func (r *report) drawLine(line []word, x, y, w, h float64, align string) {
	texts := make([]string, len(line))
	for i, wd := range line {
		var b strings.Builder
		for _, s := range wd.segs {
			b.WriteString(s.text)
		}
		texts[i] = b.String()
	}
	order := line
	if rtlLine(texts) {
		// A line in a right-to-left script reads from the right.
		idx, flip := rtlVisual(texts)
		order = make([]word, len(line))
		for k, i := range idx {
			wd := line[i]
			if flip[i] {
				segs := slices.Clone(wd.segs)
				slices.Reverse(segs)
				for j := range segs {
					segs[j].text = reverseWord(segs[j].text)
				}
				wd.segs = segs
			}
			order[k] = wd
		}
		if align == "L" {
			align = "R"
		}
	} else if slices.ContainsFunc(texts, hasRTL) {
		order = slices.Clone(line)
		for _, run := range rtlRuns(texts) {
			for k := run[0]; k < run[1]; k++ {
				segs := slices.Clone(order[k].segs)
				slices.Reverse(segs)
				for j := range segs {
					segs[j].text = reverseWord(segs[j].text)
				}
				order[k].segs = segs
			}
			slices.Reverse(order[run[0]:run[1]])
		}
	}
	lw := lineWidth(order)
	switch align {
	case "R":
		x += w - lw
	case "C":
		x += (w - lw) / 2
	}
	_, unit := r.pdf.GetFontSize()
	base := y + 0.5*h + 0.3*unit
	// Consecutive text in one face is drawn at once, spaces and all:
	// the widths are the font's own, so it lands where it was measured.
	var runs []segment
	for _, wd := range order {
		for _, s := range wd.segs {
			if n := len(runs); n > 0 && runs[n-1].face == s.face {
				runs[n-1].text += s.text
			} else {
				runs = append(runs, s)
			}
		}
	}
	style, size := r.style, r.size
	for _, s := range runs {
		r.setFace(s.face, style, size)
		if strings.TrimSpace(s.text) != "" {
			r.pdf.Text(x, base, s.text)
		}
		x += r.pdf.GetStringWidth(s.text)
	}
	r.font(style, size)
}

// write sets text wrapped across w from the current position, h a line,
// starting new pages as needed; the position ends below it at the left of
// the text. With fill, each line's background is shaded.
func (r *report) write(w, h float64, text string, align string, fill bool) {
	x := r.pdf.GetX()
	pad := r.pdf.GetCellMargin()
	for _, line := range r.wrap(text, w-2*pad) {
		if r.pdf.GetY()+h > bottom {
			r.pdf.AddPage()
			if r.tableHeader != nil {
				r.tableHeader()
			}
		}
		y := r.pdf.GetY()
		if fill {
			r.pdf.Rect(x, y, w, h, "F")
		}
		r.drawLine(line, x+pad, y, w-2*pad, h, align)
		r.pdf.SetXY(x, y+h)
	}
}

// cell sets text on one line in a box w wide, shortened with an ellipsis
// if it does not fit, and moves right of it (or, with ln, to the next
// line at the left margin).
func (r *report) cell(w, h float64, text string, align string, ln bool) {
	x, y := r.pdf.GetX(), r.pdf.GetY()
	pad := r.pdf.GetCellMargin()
	lines := r.wrap(strings.Join(strings.Fields(text), " "), w-2*pad)
	line := lines[0]
	if len(lines) > 1 {
		line = r.ellipsis(line, w-2*pad)
	}
	r.drawLine(line, x+pad, y, w-2*pad, h, align)
	if ln {
		r.pdf.SetXY(margin, y+h)
	} else {
		r.pdf.SetXY(x+w, y)
	}
}

// ellipsis ends a line with "…", dropping words to make room.
func (r *report) ellipsis(line []word, w float64) []word {
	dots := r.glyphs.words("…")
	r.measure(dots)
	for len(line) > 0 && (lineWidth(line)+dots[0].w > w || line[len(line)-1].space) {
		line = line[:len(line)-1]
	}
	return append(line, dots...)
}

// lineCount says how many lines text takes across w in the current font.
func (r *report) lineCount(text string, w float64) int {
	return len(r.wrap(text, w-2*r.pdf.GetCellMargin()))
}

// fallbackNames names the fallback fonts a report used, for its last page.
func (g *glyphs) fallbackNames() []string {
	names := map[string]string{"arabic": "Noto Sans Arabic", "hebrew": "Noto Sans Hebrew", "cjk": "Droid Sans Fallback"}
	var out []string
	for _, fb := range fallbacks {
		if g.used[fb.face] {
			out = append(out, names[fb.face])
		}
	}
	return out
}

// sortedPlaceholders lists the characters written as placeholders.
func (g *glyphs) sortedPlaceholders() []rune {
	out := make([]rune, 0, len(g.placeholders))
	for c := range g.placeholders {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

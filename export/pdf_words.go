package export

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

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

package export

import (
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"golang.org/x/image/font/sfnt"
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

package export

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// spellOut is what the report draws for text, in logical order: each
// character in its joined form, or its placeholder when no font has it;
// joiners, variation selectors and control characters drawn as nothing.
func spellOut(g *glyphs, text string) string {
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\t", "    ").Replace(text)
	var b strings.Builder
	for _, r := range shapeArabic(text) {
		switch {
		case r == '\n':
			b.WriteString("\n")
		case r == ' ' || (unicode.IsSpace(r) && r != 0xA0):
			b.WriteString(" ")
		case invisible(r) || unicode.IsControl(r):
		default:
			f := g.face(r)
			if f == "?" && r >= 0xFB50 && r <= 0xFEFF {
				if base := []rune(norm.NFKC.String(string(r))); len(base) == 1 && g.face(base[0]) != "?" {
					r, f = base[0], g.face(base[0])
				}
			}
			if f == "?" {
				b.WriteString(placeholder(r))
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// joined is the text of words as they are drawn, in logical order.
func joined(ws []word) string {
	var b strings.Builder
	for _, w := range ws {
		if w.brk {
			b.WriteString("\n")
		}
		for _, s := range w.segs {
			b.WriteString(s.text)
		}
	}
	return b.String()
}

// FuzzEveryCharacter: whatever the text, every character gets into the
// words the report draws, in order, as itself or as its placeholder; and
// reordering a line for right-to-left text only moves its characters.
func FuzzEveryCharacter(f *testing.F) {
	for _, s := range []string{"He said 😡 twice", "أنا أعرف أين تسكنين", "我知道你住在哪里。", "אני יודע 123 איפה",
		"tab\there\r\nnew line", "“لا” (no)", "e\u0301 a\u200db", "پےکے", "\x00\x7f", "Hello, world"} {
		f.Add(s)
	}
	main, _ := sfnt.Parse(goFonts().regular)
	f.Fuzz(func(t *testing.T, s string) {
		g := newGlyphs(main, func(*fallback) {})
		ws := g.words(s)
		if got, want := joined(ws), spellOut(g, s); got != want {
			t.Fatalf("words(%q) draw %q, want %q", s, got, want)
		}
		var texts []string
		for _, w := range ws {
			if !w.brk {
				texts = append(texts, joined([]word{w}))
			}
		}
		visual := visualOrder(texts)
		// Brackets face the other way in right-to-left text.
		unmirror := strings.NewReplacer(")", "(", "]", "[", "»", "«")
		a := []rune(unmirror.Replace(strings.Join(texts, "")))
		b := []rune(unmirror.Replace(strings.Join(visual, "")))
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Fatalf("visualOrder(%q) = %q: not the same characters", texts, visual)
		}
	})
}

func TestPlaceholder(t *testing.T) {
	for r, want := range map[rune]string{0x1F621: "[U+1F621 pouting face]", 0xC548: "[U+C548 hangul syllable an]",
		0xD7A3: "[U+D7A3 hangul syllable hih]", 0xAC00: "[U+AC00 hangul syllable ga]", 0xE000: "[U+E000]"} {
		if got := placeholder(r); got != want {
			t.Errorf("placeholder(%U) = %q, want %q", r, got, want)
		}
	}
}

// TestMetaText: the document properties and bookmarks, which the PDF
// writer encodes only up to U+FFFF, get placeholders for what lies beyond.
func TestMetaText(t *testing.T) {
	if got := metaText("for PC 😀 Davies, 警察"); got != "for PC [U+1F600 grinning face] Davies, 警察" {
		t.Errorf("metaText = %q", got)
	}
}

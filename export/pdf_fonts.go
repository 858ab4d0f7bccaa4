package export

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/journal-dev/journal/internal/pdfstream"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// fontSet is the TrueType fonts a report is set in: text in four styles,
// and a monospaced face for hashes and fingerprints. Its bytes are only
// read.
type fontSet struct {
	regular, bold, italic, boldItalic, mono []byte
	// cover is the font whose glyphs are checked against the text.
	cover *sfnt.Font
}

// goFonts are the Go fonts, which cover Latin, Greek and Cyrillic.
func goFonts() *fontSet {
	f, _ := sfnt.Parse(goregular.TTF)
	return &fontSet{regular: goregular.TTF, bold: gobold.TTF, italic: goitalic.TTF,
		boldItalic: gobolditalic.TTF, mono: gomono.TTF, cover: f}
}

// customFonts sets text in one TrueType font for every style, for scripts
// the Go fonts lack. Hashes stay in Go Mono: they are ASCII.
func customFonts(ttf []byte) (*fontSet, error) {
	if err := CheckFont(ttf); err != nil {
		return nil, err
	}
	f, _ := sfnt.Parse(ttf)
	return &fontSet{regular: ttf, bold: ttf, italic: ttf, boldItalic: ttf, mono: gomono.TTF, cover: f}, nil
}

// register adds the fonts to pdf, which only reads their bytes.
func (fs *fontSet) register(pdf *pdfstream.Doc) error {
	for _, f := range []struct {
		family, style string
		ttf           []byte
	}{{"text", "", fs.regular}, {"text", "B", fs.bold}, {"text", "I", fs.italic}, {"text", "BI", fs.boldItalic}, {"mono", "", fs.mono}} {
		if err := pdf.AddFont(f.family, f.style, f.ttf); err != nil {
			return fmt.Errorf("font: %w", err)
		}
	}
	return nil
}

// CheckFont reports whether ttf is a TrueType font a report can be set in.
// OpenType fonts with PostScript (CFF) outlines and font collections are
// refused: the PDF writer embeds TrueType outlines only.
func CheckFont(ttf []byte) error {
	switch {
	case bytes.HasPrefix(ttf, []byte("OTTO")):
		return errors.New("it has PostScript (CFF) outlines: give a TrueType (.ttf) font")
	case bytes.HasPrefix(ttf, []byte("ttcf")):
		return errors.New("it is a font collection (.ttc): give a single TrueType (.ttf) font")
	case !bytes.HasPrefix(ttf, []byte{0, 1, 0, 0}) && !bytes.HasPrefix(ttf, []byte("true")):
		return errors.New("it is not a TrueType font: give a .ttf file")
	}
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return fmt.Errorf("it is not a readable TrueType font: %w", err)
	}
	var buf sfnt.Buffer
	if i, err := f.GlyphIndex(&buf, 'a'); err != nil || i == 0 {
		return errors.New("it has no Latin letters: choose a font that covers Latin as well as your script")
	}
	return nil
}

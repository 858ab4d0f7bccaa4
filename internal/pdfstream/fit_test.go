package pdfstream

import (
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/image/font/gofont/goregular"
)

// trimToFit is how MultiCell cut a line before it read the text once:
// back to the last space while too wide, then a character at a time.
func trimToFit(d *Doc, line string, max float64) int {
	for line != "" && d.GetStringWidth(line) > max {
		if cut := strings.LastIndexByte(line, ' '); cut > 0 {
			line = line[:cut]
			continue
		}
		r := []rune(line)
		if len(r) == 1 {
			break
		}
		line = string(r[:len(r)-1])
	}
	return len(line)
}

// TestFitCutsWhereLinesWereCut: MultiCell's lines end where they ended
// when it trimmed each line back (words, runs of spaces, a word or a
// character wider than the line, letters of two and three bytes), and a
// paragraph of 40,000 characters is set whole, in order.
func TestFitCutsWhereLinesWereCut(t *testing.T) {
	d := New(io.Discard, Info{})
	d.AddFont("text", "", goregular.TTF)
	d.SetFont("text", "", 10)
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "W", " ", "  ", "word", "Ψ", "Ж", "é", "—", "€", strings.Repeat("x", 40)}
	for n := range 2000 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s, max := b.String(), float64(rng.IntN(60))-2
		if got, want := d.fit(s, max), trimToFit(d, s, max); got != want {
			t.Fatalf("case %d: %q across %v mm: line of %d bytes, want %d", n, s, max, got, want)
		}
	}
	para := strings.Repeat("words and more words ", 2000) + strings.Repeat("y", 20000)
	var b strings.Builder // the lines, with the space each break took
	lines := 0
	for rest := para; rest != ""; lines++ {
		line := rest[:d.fit(rest, 170)]
		if line == "" {
			t.Fatal("an empty line: the paragraph would never end")
		}
		b.WriteString(line)
		rest = rest[len(line):]
		if strings.HasPrefix(rest, " ") {
			b.WriteString(" ")
			rest = rest[1:]
		}
	}
	if b.String() != para || lines < 400 {
		t.Errorf("the paragraph's %d lines do not give it back", lines)
	}
}

package export

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// hostile is text a record could hold (typed by flags, imported, or added
// by a computer that may only add) that would take over a terminal shown
// it as is: a window title, a colour, the clipboard (OSC 52), a carriage
// return writing over the line, a C1 escape, a bell.
const hostile = "\x1b]0;pwned\x07\x1b[31mred\x1b[0m\x1b]52;c;ZWNobyBoaQ==\x07 over\rwrite \u009b2J\x7f"

func TestPrintable(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain words, é and 日本", "plain words, é and 日本"},
		{"two\nlines\tand a tab", "two\nlines\tand a tab"},
		{"windows\r\nlines\r\n", "windows\nlines\n"},
		{"\x1b[31mred", "␛[31mred"},
		{"over\rwrite", "over␍write"},
		{"bell\x07", "bell␇"},
		{"del\x7f", "del␡"},
		{"c1 \u009b2J", "c1 \ufffd2J"},
		{"8-bit csi \x9b2J", "8-bit csi \ufffd2J"},
	} {
		if got := Printable(tt.in); got != tt.want {
			t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzPrintable checks that nothing a terminal obeys is left, and that
// text without such a character is given back unchanged.
func FuzzPrintable(f *testing.F) {
	for _, s := range []string{hostile, "plain", "a\r\nb", "\xc2\x9b", "\xc2", "\xff\x1b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Printable(s)
		if !hasControl(s) && out != s {
			t.Fatalf("Printable(%q) = %q changed text with no control character", s, out)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("Printable(%q) = %q is not UTF-8", s, out)
		}
		for _, r := range out {
			if r != '\n' && r != '\t' && (unicode.IsControl(r)) {
				t.Fatalf("Printable(%q) = %q keeps the control character %U", s, out, r)
			}
		}
	})
}

// TestRecordTextCannotDriveTheTerminal checks what a person reads: an
// incident holding escape sequences, shown by `show`, the text timeline
// (plain and dressed in colours) and Markdown, carries none of them to the
// terminal, and shows each as a visible symbol instead.
func TestRecordTextCannotDriveTheTerminal(t *testing.T) {
	tl := sample()
	in := tl.Incidents[0]
	in.Summary = "Shouted " + hostile
	in.Details = "line one " + hostile + "\nline two"
	in.People[0].Name = "John " + hostile
	colour := func(_ Role, s string) string { return "\x1b[1m" + s + "\x1b[0m" }
	outputs := map[string]func(*bytes.Buffer) error{
		"show":     func(b *bytes.Buffer) error { return WriteIncidentText(b, in) },
		"timeline": func(b *bytes.Buffer) error { return WriteText(b, tl) },
		"timeline in colour": func(b *bytes.Buffer) error {
			return WriteTextWith(b, tl, TextOptions{Width: 80, Style: colour})
		},
		"markdown": func(b *bytes.Buffer) error { return WriteMarkdown(b, tl) },
	}
	for name, write := range outputs {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out := b.String()
		if name == "timeline in colour" {
			// The timeline's own colours are the only escapes left.
			out = strings.NewReplacer("\x1b[1m", "", "\x1b[0m", "").Replace(out)
		}
		if i := strings.IndexFunc(out, func(r rune) bool { return r != '\n' && unicode.IsControl(r) }); i >= 0 {
			t.Errorf("%s writes the control character %q to the terminal:\n%q", name, out[i:i+1], out)
		}
		if !strings.Contains(out, "␛") || !strings.Contains(out, "pwned␇") {
			t.Errorf("%s does not show the escape sequence as text:\n%s", name, out)
		}
	}
}

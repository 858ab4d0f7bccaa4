package export

import (
	"strings"
	"testing"
)

// mdTextByRunes is the straightforward escaping mdText must equal: fold
// white space, then escape rune by rune.
func mdTextByRunes(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	var b strings.Builder
	for i, r := range s {
		next := byte(0)
		if i+1 < len(s) {
			next = s[i+1]
		}
		if strings.ContainsRune(mdSpecial, r) || r == '&' && (next == '#' || 'a' <= next|0x20 && next|0x20 <= 'z') {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if out != "" && strings.ContainsRune("-+=#", rune(out[0])) {
		return "\\" + out
	}
	digits := len(out) - len(strings.TrimLeft(out, "0123456789"))
	if digits > 0 && digits < len(out) && (out[digits] == '.' || out[digits] == ')') {
		return out[:digits] + "\\" + out[digits:]
	}
	return out
}

// FuzzMDText checks the fast escaping against the straightforward one.
func FuzzMDText(f *testing.F) {
	for _, s := range []string{"", "plain words", "  two  spaces ", "a\tb\nc", "*bold* _it_ [x](y) <b> |t| ~s~ `c`",
		"&amp; &#1; & x &", "# heading", "- item", "12. item", "3) item", "café\u00a0bar\u2003baz", "\xff\xfe*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := mdText(s), mdTextByRunes(s); got != want {
			t.Fatalf("mdText(%q) = %q, want %q", s, got, want)
		}
	})
}

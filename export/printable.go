package export

import (
	"strings"
	"unicode/utf8"
)

// Printable returns s as a terminal can show it without acting on it:
// each control character a terminal obeys (the escape that starts a
// colour, a title or a clipboard sequence, a carriage return that writes
// over a line, a bell) is replaced by the symbol that names it ("␛" for
// escape), so that text a record holds can never recolour, rewrite or
// retitle the terminal of the person reading it. New lines and tabs stay;
// a carriage return before a new line is dropped; a byte that is not
// UTF-8 becomes U+FFFD, as ranging over s gives it. The text the journal
// keeps is not changed: JSON and CSV give it as kept.
func Printable(s string) string {
	if !hasControl(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
		case r < 0x20:
			b.WriteRune(0x2400 + r) // the Control Pictures block: ␀ to ␟
		case r == 0x7f:
			b.WriteRune('\u2421') // ␡
		case r >= 0x80 && r < 0xa0:
			b.WriteRune('\ufffd') // the C1 controls have no pictures
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// hasControl reports whether s holds a character Printable replaces: a
// control character other than a new line or a tab, DEL, a C1 control
// (U+0080 to U+009F, encoded in UTF-8 as 0xC2 then 0x80 to 0x9F), or a
// byte that is not UTF-8 (a lone 0x9B is a CSI to an 8-bit terminal).
func hasControl[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 0x20 && c != '\n' && c != '\t', c == 0x7f:
			return true
		case c == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] < 0xa0:
			return true
		}
	}
	switch s := any(s).(type) {
	case string:
		return !utf8.ValidString(s)
	case []byte:
		return !utf8.Valid(s)
	}
	return false
}

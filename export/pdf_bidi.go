package export

import (
	"slices"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The PDF writer draws characters one after another, left to right, each
// in its own form. Arabic is written right to left with letters joined, so
// before it is drawn its letters are replaced by their joined forms (the
// "presentation forms" Unicode keeps for this) and each right-to-left run
// of a line is reversed. That is enough for Arabic and Hebrew sentences
// and phrases within English; it does not apply the full Unicode
// bidirectional algorithm (a right-to-left paragraph is still set from
// the left margin), and the report says so when it holds such text.

// arabicForms maps an Arabic letter to its presentation forms: isolated,
// final, initial, medial. Letters that join only to the letter before them
// have two forms; a letter with one form does not join.
// It is built when first needed, not when the program starts.
var arabicForms = sync.OnceValue(buildArabicForms)

// lamAlef maps an alef that follows lam to the isolated form of the
// ligature the two make; the final form is the next code point.
var lamAlef = map[rune]rune{0x0622: 0xFEF5, 0x0623: 0xFEF7, 0x0625: 0xFEF9, 0x0627: 0xFEFB}

// buildArabicForms reads the presentation forms from Unicode's own
// decompositions: in the blocks FB50-FBE9 (the letters of Persian, Urdu
// and other languages) and FE80-FEF4 (Arabic) each letter's forms follow
// one another in the order isolated, final, initial, medial.
func buildArabicForms() map[rune][]rune {
	m := map[rune][]rune{}
	for _, block := range [][2]rune{{0xFB50, 0xFBE9}, {0xFE80, 0xFEF4}} {
		for r := block[0]; r <= block[1]; r++ {
			rs := []rune(norm.NFC.String(norm.NFKD.String(string(r))))
			if len(rs) != 1 || !unicode.Is(unicode.Arabic, rs[0]) {
				continue
			}
			m[rs[0]] = append(m[rs[0]], r)
		}
	}
	for r, forms := range m {
		if len(forms) != 1 && len(forms) != 2 && len(forms) != 4 {
			delete(m, r) // not laid out as expected: drawn as it is
		}
	}
	// Tatweel, the joining stroke, joins on both sides and has one form.
	m[0x0640] = []rune{0x0640, 0x0640, 0x0640, 0x0640}
	return m
}

// joinsBoth reports whether an Arabic letter joins to the letter after it.
func joinsBoth(r rune) bool { return len(arabicForms()[r]) == 4 }

// joins reports whether an Arabic letter joins to the letter before it.
func joins(r rune) bool { return len(arabicForms()[r]) >= 2 }

// isTransparent reports whether r is a mark (a vowel sign) that does not
// break the joining of the letters around it.
func isTransparent(r rune) bool { return unicode.Is(unicode.Mn, r) }

// shapeArabic replaces the Arabic letters of s by their joined forms, in
// logical order. Text without Arabic letters is returned as it is.
func shapeArabic(s string) string {
	rs := []rune(s)
	if !slices.ContainsFunc(rs, func(r rune) bool { return arabicForms()[r] != nil }) {
		return s
	}
	out := make([]rune, 0, len(rs))
	// neighbour finds the nearest letter in direction d that is not a mark.
	neighbour := func(i, d int) rune {
		for j := i + d; j >= 0 && j < len(rs); j += d {
			if !isTransparent(rs[j]) {
				return rs[j]
			}
		}
		return 0
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		forms := arabicForms()[r]
		if forms == nil {
			out = append(out, r)
			continue
		}
		prev := neighbour(i, -1)
		joinPrev := joinsBoth(prev) && joins(r)
		if r == 0x0644 { // lam: a following alef makes a ligature
			j := i + 1
			for j < len(rs) && isTransparent(rs[j]) {
				j++
			}
			if j < len(rs) {
				if lig, ok := lamAlef[rs[j]]; ok {
					if joinPrev {
						lig++
					}
					out = append(out, lig)
					out = append(out, rs[i+1:j]...)
					i = j
					continue
				}
			}
		}
		joinNext := joinsBoth(r) && joins(neighbour(i, 1))
		switch {
		case joinPrev && joinNext:
			out = append(out, forms[3])
		case joinPrev:
			out = append(out, forms[1])
		case joinNext:
			out = append(out, forms[2])
		default:
			out = append(out, forms[0])
		}
	}
	return string(out)
}

// isRTL reports whether r is a letter of a script written right to left.
func isRTL(r rune) bool {
	if r < 0x0590 || (r > 0x08FF && r < 0xFB1D) || (r > 0xFEFF && r < 0x10800) {
		return false // quick for the scripts most text is in
	}
	return unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko) && !unicode.IsDigit(r)
}

// hasRTL reports whether s holds right-to-left letters.
func hasRTL(s string) bool {
	for _, r := range s {
		if isRTL(r) {
			return true
		}
	}
	return false
}

// visualOrder reorders the words of one line for drawing left to right
// (see [rtlRuns]). Words is the line in logical order.
func visualOrder(words []string) []string {
	out := slices.Clone(words)
	for _, run := range rtlRuns(words) {
		for k := run[0]; k < run[1]; k++ {
			out[k] = reverseWord(out[k])
		}
		slices.Reverse(out[run[0]:run[1]])
	}
	return out
}

// rtlRuns finds the runs of right-to-left words in a line, with the spaces,
// numbers and punctuation between them: each is drawn reversed, word order
// and letters both, while numbers keep their digits in order.
func rtlRuns(words []string) [][2]int {
	rtl := make([]bool, len(words))
	strong := make([]bool, len(words))
	for i, w := range words {
		for _, r := range w {
			if isRTL(r) {
				rtl[i], strong[i] = true, true
				break
			}
			if unicode.IsLetter(r) {
				strong[i] = true
				break
			}
		}
	}
	var runs [][2]int
	for i := 0; i < len(words); {
		if !rtl[i] {
			i++
			continue
		}
		j, end := i+1, i+1
		for j < len(words) && (rtl[j] || !strong[j]) {
			if rtl[j] {
				end = j + 1
			}
			j++
		}
		runs = append(runs, [2]int{i, end})
		i = end
	}
	return runs
}

// reverseWord reverses the characters of a word, keeping runs of digits
// (and the separators within a number) and a base letter with its marks in
// their order.
func reverseWord(w string) string {
	rs := []rune(w)
	var parts [][]rune
	for i := 0; i < len(rs); {
		j := i + 1
		if unicode.IsDigit(rs[i]) || (rs[i] < 0x80 && unicode.IsLetter(rs[i])) {
			for j < len(rs) && (unicode.IsDigit(rs[j]) || (rs[j] < 0x80 && unicode.IsLetter(rs[j])) ||
				(j+1 < len(rs) && (rs[j] == '.' || rs[j] == ',' || rs[j] == ':' || rs[j] == '/') && unicode.IsDigit(rs[j+1]))) {
				j++
			}
		} else {
			for j < len(rs) && isTransparent(rs[j]) {
				j++
			}
		}
		parts = append(parts, rs[i:j])
		i = j
	}
	slices.Reverse(parts)
	out := make([]rune, 0, len(rs))
	for _, p := range parts {
		out = append(out, mirror(p)...)
	}
	return string(out)
}

// mirror swaps brackets, which face the other way in right-to-left text.
func mirror(p []rune) []rune {
	if len(p) != 1 {
		return p
	}
	switch p[0] {
	case '(':
		return []rune{')'}
	case ')':
		return []rune{'('}
	case '[':
		return []rune{']'}
	case ']':
		return []rune{'['}
	case '«':
		return []rune{'»'}
	case '»':
		return []rune{'«'}
	}
	return p
}

// rtlLine reports whether a line reads right to left: its first letter is
// of a right-to-left script. Such a line is set from the right margin.
func rtlLine(words []string) bool {
	for _, w := range words {
		for _, r := range w {
			if unicode.IsLetter(r) {
				return isRTL(r)
			}
		}
	}
	return false
}

// rtlVisual gives the order in which the words of a right-to-left line are
// drawn from the left: the line reversed, except runs of left-to-right
// words (other scripts, numbers, with what lies between them), which keep
// their order; and, for each word, whether its own characters are drawn
// reversed (all but those in left-to-right runs).
func rtlVisual(words []string) (order []int, flip []bool) {
	n := len(words)
	ltr := make([]bool, n)
	strong := make([]bool, n)
	for i, w := range words {
		for _, r := range w {
			if isRTL(r) {
				strong[i] = true
				break
			}
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				ltr[i], strong[i] = true, true
				break
			}
		}
	}
	flip = make([]bool, n)
	for i := range flip {
		flip[i] = true
	}
	order = make([]int, n)
	for i := range order {
		order[i] = n - 1 - i
	}
	for i := 0; i < n; {
		if !ltr[i] {
			i++
			continue
		}
		j, end := i+1, i+1
		for j < n && (ltr[j] || !strong[j]) {
			if ltr[j] {
				end = j + 1
			}
			j++
		}
		for k := i; k < end; k++ {
			flip[k] = false
		}
		// Logical [i, end) sits reversed at [n-end, n-i): put it back.
		slices.Reverse(order[n-end : n-i])
		i = end
	}
	return order, flip
}

// visualOrderRTL is rtlVisual applied to the words' text, for tests.
func visualOrderRTL(words []string) []string {
	order, flip := rtlVisual(words)
	out := make([]string, len(words))
	for k, i := range order {
		out[k] = words[i]
		if flip[i] {
			out[k] = reverseWord(words[i])
		}
	}
	return out
}

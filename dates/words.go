package dates

import (
	"strings"
	"time"
)

// The words the grammar knows, in lower case. Everything else is refused.

var monthNames = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
	"april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
	"august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
	"october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

var weekdayNames = map[string]time.Weekday{
	"monday": time.Monday, "mon": time.Monday,
	"tuesday": time.Tuesday, "tue": time.Tuesday, "tues": time.Tuesday,
	"wednesday": time.Wednesday, "wed": time.Wednesday, "weds": time.Wednesday,
	"thursday": time.Thursday, "thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday,
	"friday": time.Friday, "fri": time.Friday,
	"saturday": time.Saturday, "sat": time.Saturday,
	"sunday": time.Sunday, "sun": time.Sunday,
}

// numberWords are the numbers people write as words in a time of day.
var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
	"twenty": 20, "twentyfive": 25, "twenty-five": 25, "a": 1, "an": 1,
}

// periods are the parts of a day, which settle whether a clock hour is in
// the morning or the evening.
var periods = map[string]string{
	"morning": "morning", "afternoon": "afternoon", "evening": "evening",
	"night": "night", "tonight": "night", "lunchtime": "lunchtime",
	"smallhours": "smallhours",
}

// approxWords mark a time as approximate.
var approxWords = map[string]bool{
	"about": true, "around": true, "approx": true, "approximately": true, "roughly": true,
	"circa": true, "c.": true, "ca.": true, "~": true, "abt": true, "approx.": true,
}

// fillers carry no meaning of their own here.
var fillers = map[string]bool{"at": true, "on": true, "the": true, "of": true, "in": true, "just": true}

// zones are the zone names a UK user may add after a time.
var zones = map[string]*time.Location{
	"utc": time.UTC, "gmt": time.UTC, "z": time.UTC,
	"bst": time.FixedZone("BST", 3600),
}

// units are the lengths "N units ago" may count.
var units = map[string]time.Duration{
	"minute": time.Minute, "minutes": time.Minute, "min": time.Minute, "mins": time.Minute,
	"hour": time.Hour, "hours": time.Hour, "hr": time.Hour, "hrs": time.Hour,
	"day": 24 * time.Hour, "days": 24 * time.Hour,
	"week": 7 * 24 * time.Hour, "weeks": 7 * 24 * time.Hour,
	"fortnight": 14 * 24 * time.Hour, "fortnights": 14 * 24 * time.Hour,
}

// normalize lowers the case, spells a.m., p.m. and o'clock one way, and
// splits the text into words, with suffixes such as "pm" and "ish" apart.
func normalize(s string) []string {
	s = strings.ToLower(s)
	s = strings.NewReplacer(
		"a.m.", " am ", "p.m.", " pm ", "a.m", " am ", "p.m", " pm ",
		"o'clock", " oclock ", "o’clock", " oclock ", "o clock", " oclock ",
		",", " ", "’", "'", "\u00a0", " ", "lunch time", "lunchtime",
		"twenty five", "twentyfive", "early hours", "smallhours", "small hours", "smallhours",
	).Replace(s)
	var out []string
	for _, w := range strings.Fields(s) {
		out = append(out, splitWord(w)...)
	}
	return out
}

// splitWord separates the suffixes written without a space: "2pm",
// "2.30pm", "9am-ish", "~3pm", "3ish", "1430hrs", "8:00h".
func splitWord(w string) []string {
	var pre, post []string
	if len(w) > 1 && w[0] == '~' {
		pre = append(pre, "~")
		w = w[1:]
	}
	for _, suf := range []string{"-ish", "ish"} {
		if len(w) > len(suf) && strings.HasSuffix(w, suf) && isDigitOrMeridiem(w[:len(w)-len(suf)]) {
			post = append([]string{"ish"}, post...)
			w = w[:len(w)-len(suf)]
			break
		}
	}
	for _, suf := range []string{"am", "pm", "hrs", "hr", "h"} {
		if len(w) > len(suf) && strings.HasSuffix(w, suf) && isDigit(w[len(w)-len(suf)-1]) {
			post = append([]string{suf}, post...)
			w = w[:len(w)-len(suf)]
			break
		}
	}
	return append(append(pre, w), post...)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isDigitOrMeridiem(s string) bool {
	return s != "" && (isDigit(s[len(s)-1]) || strings.HasSuffix(s, "am") || strings.HasSuffix(s, "pm"))
}

// number reads a whole string of up to 4 digits.
func number(s string) (int, bool) {
	if s == "" || len(s) > 4 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// ordinal reads a day of the month written "24th", "1st", "2nd" or "3rd".
func ordinal(s string) (int, bool) {
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if strings.HasSuffix(s, suf) {
			n, ok := number(strings.TrimSuffix(s, suf))
			return n, ok && len(s)-len(suf) <= 2
		}
	}
	return 0, false
}

// smallNumber reads a number of up to 2 digits or a number word.
func smallNumber(s string) (int, bool) {
	if n, ok := number(s); ok && len(s) <= 2 {
		return n, true
	}
	n, ok := numberWords[s]
	return n, ok
}

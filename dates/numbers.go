package dates

import (
	"fmt"
	"strings"
	"time"
)

// numberWord reads a word that holds a number: a date written in figures
// (30/11/26, 2026-11-30), a clock time (14:30, 2.30), a day (24th), a year
// (2026, '26), an hour (at 9, nine o'clock) or a count (2 days ago).
func (p *parser) numberWord() error {
	w, next := p.w[p.i], p.peek(1)
	if w == "a" || w == "an" {
		switch {
		case next == "quarter":
			p.i++
			return nil
		case units[next] != 0 && p.peek(2) == "ago":
			return p.ago(1)
		}
		return errUnreadable
	}
	if _, ok := numberWords[w]; !ok && (strings.ContainsAny(w, "/-") || strings.Count(w, ".") == 2) {
		if err := p.figures(w); err != nil {
			return err
		}
		p.i++
		return nil
	}
	if strings.ContainsAny(w, ":.") {
		return p.clockFigures(w)
	}
	if d, ok := ordinal(w); ok {
		if d < 1 {
			return errUnreadable
		}
		if err := p.setDay(d); err != nil {
			return err
		}
		p.i++
		return nil
	}
	if len(w) == 3 && w[0] == '\'' {
		y, ok := number(w[1:])
		if !ok {
			return errUnreadable
		}
		if err := p.setYear(y, 2); err != nil {
			return err
		}
		p.i++
		return nil
	}
	n, digits := number(w)
	if !digits {
		var ok bool
		if n, ok = numberWords[w]; !ok {
			return errUnreadable
		}
	}
	switch {
	case units[next] != 0 && p.peek(2) == "ago":
		return p.ago(n)
	case next == "past" || next == "after":
		return p.minutesPast(n, 2, false)
	case next == "to" || next == "before":
		return p.minutesPast(n, 2, true)
	case (next == "minutes" || next == "mins") && (p.peek(2) == "past" || p.peek(2) == "to"):
		return p.minutesPast(n, 3, p.peek(2) == "to")
	case !digits:
		if n < 1 || n > 12 || w == "twenty" {
			return errUnreadable
		}
		return p.setClock(n, 0, 0, false, 1)
	}
	zeroLed := len(w) == 2 && w[0] == '0'
	fixed := n > 12 || n == 0 || zeroLed
	prevMonth := p.i > 0 && monthNames[p.w[p.i-1]] != 0
	switch {
	case len(w) >= 3 && (next == "h" || next == "hr" || next == "hrs" || next == "hours"):
		// 1430hrs
		return p.setClock(n/100, n%100, 0, true, 2)
	case len(w) == 4:
		if err := p.setYear(n, 4); err != nil {
			return err
		}
	case len(w) == 3:
		return errUnreadable
	case n == 12 && (next == "noon" || next == "midday" || next == "midnight"):
		p.i++ // "12 noon" is noon
		return nil
	case next == "am" || next == "pm":
		if n < 1 || n > 12 {
			return errUnreadable
		}
		return p.setClock(n, 0, 0, false, 1)
	case next == "h" || next == "hrs":
		return p.setClock(n, 0, 0, true, 2)
	case monthNames[next] != 0 && !p.at || prevMonth && p.r.day == 0:
		// A number beside a month is its day.
		if n < 1 {
			return &readError{fmt.Sprintf("there is no day %d", n)}
		}
		if err := p.setDay(n); err != nil {
			return err
		}
	default:
		// Anywhere else, a number alone is an hour: "yesterday 9",
		// "at 9", "9 o'clock", "3ish".
		return p.setClock(n, 0, 0, fixed, 1)
	}
	p.i++
	return nil
}

// clockFigures reads 14:30, 14:30:15, 2.30 and 09.05.
func (p *parser) clockFigures(w string) error {
	parts := strings.FieldsFunc(w, func(r rune) bool { return r == ':' || r == '.' })
	if len(parts) < 2 || len(parts) > 3 || strings.Count(w, ".") > 1 && len(parts) == 3 {
		return errUnreadable
	}
	h, ok1 := number(parts[0])
	m, ok2 := number(parts[1])
	s, ok3 := 0, true
	if len(parts) == 3 {
		s, ok3 = number(parts[2])
		ok3 = ok3 && len(parts[2]) == 2
	}
	if !ok1 || !ok2 || !ok3 || len(parts[0]) > 2 || len(parts[1]) != 2 {
		return errUnreadable
	}
	// Written with two figures for the hour (09:30, 10:00), a time is on
	// the 24-hour clock, as the UK writes it, unless a part of the day
	// says otherwise ("Saturday night at 11.45"); "9:30" or "2.30" alone
	// may be morning or afternoon.
	fixed := h == 0 || h > 12 || parts[0][0] == '0'
	if err := p.setClock(h, m, s, fixed, 1); err != nil {
		return err
	}
	p.r.twoFigures = !fixed && len(parts[0]) == 2
	return nil
}

// figures reads a date in figures, day first: 30/11, 30/11/26,
// 30-11-2026, 30.11.2026, and year first: 2026-11-30, 2026/11/30.
func (p *parser) figures(w string) error {
	parts := strings.FieldsFunc(w, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) < 2 || len(parts) > 3 || len(parts) != strings.Count(w, "/")+strings.Count(w, "-")+strings.Count(w, ".")+1 {
		return errUnreadable
	}
	var n [3]int
	for i, s := range parts {
		v, ok := number(s)
		if !ok || (len(s) != 1 && len(s) != 2 && len(s) != 4) {
			return errUnreadable
		}
		n[i] = v
	}
	d, m, y, yd := n[0], n[1], 0, 0
	switch {
	case len(parts[0]) == 4 && len(parts) == 3:
		y, m, d, yd = n[0], n[1], n[2], 4
	case len(parts[0]) == 4 || len(parts[1]) == 4:
		return errUnreadable
	case len(parts) == 3:
		y, yd = n[2], len(parts[2])
		if yd == 1 {
			return errUnreadable
		}
	}
	if m < 1 || m > 12 {
		if m > 12 && m <= 31 && d >= 1 && d <= 12 {
			return &readError{fmt.Sprintf("there is no month %d: write the day first, like %d/%d", m, m, d)}
		}
		return &readError{fmt.Sprintf("there is no month %d", m)}
	}
	if d < 1 || d > 31 {
		return &readError{fmt.Sprintf("there is no day %d", d)}
	}
	if p.r.month != 0 {
		return errUnreadable
	}
	p.r.month = time.Month(m)
	if err := p.setDay(d); err != nil {
		return err
	}
	if yd != 0 {
		return p.setYear(y, yd)
	}
	return nil
}

// isOffset reports whether w is a zone offset: +05:00, -0330, +01.
func isOffset(w string) bool {
	if len(w) < 3 || (w[0] != '+' && w[0] != '-') {
		return false
	}
	s := strings.Replace(w[1:], ":", "", 1)
	if _, ok := number(s); !ok || (len(s) != 2 && len(s) != 4) {
		return false
	}
	h, m := offsetParts(s)
	return h <= 14 && m <= 59
}

func offsetParts(s string) (h, m int) {
	h, _ = number(s[:2])
	if len(s) == 4 {
		m, _ = number(s[2:])
	}
	return h, m
}

// zoneOf returns the zone a zone word or offset names.
func zoneOf(w string) *time.Location {
	if z := zones[w]; z != nil {
		return z
	}
	h, m := offsetParts(strings.Replace(w[1:], ":", "", 1))
	secs := h*3600 + m*60
	if w[0] == '-' {
		secs = -secs
	}
	return time.FixedZone("", secs)
}

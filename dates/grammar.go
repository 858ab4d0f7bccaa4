package dates

import (
	"time"
)

// reading is what the words of a time said, before it is placed on the
// calendar.
type reading struct {
	approx bool
	isNow  bool

	// The day: an offset from today, a weekday, a calendar date, or a
	// length of time ago.
	hasOff     bool
	off        int
	hasWeekday bool
	weekday    time.Weekday
	weekMode   weekMode
	day        int
	month      time.Month
	year       int
	yearDigits int
	hasAgo     bool
	ago        time.Duration

	// The time of day.
	hasClock  bool
	hour, min int
	sec       int
	fixed     bool // written so that it can only be a 24-hour time
	// twoFigures marks 10:00 to 12:59 written with two figures for the
	// hour: the 24-hour clock, unless a part of the day is given.
	twoFigures bool
	meridiem   string
	period     string
	midnight   bool
	zone       *time.Location
}

type weekMode int

const (
	weekBare     weekMode = iota // "Tuesday": the most recent, today included
	weekLast                     // "last Tuesday": the most recent before today
	weekThis                     // "this Tuesday": the one in this week
	weekLastWeek                 // "Tuesday last week": the one in the week before this
)

// parser walks the words of a time once, left to right, filling in a
// reading. Anything it does not know is an error: it never skips a word it
// cannot place.
type parser struct {
	w  []string
	i  int
	at bool // the word before was "at", so a number is an hour
	r  reading
}

func (p *parser) peek(k int) string {
	if p.i+k < len(p.w) {
		return p.w[p.i+k]
	}
	return ""
}

// read parses the words into a reading.
func read(words []string) (*reading, error) {
	p := &parser{w: words}
	for p.i < len(p.w) {
		at := p.w[p.i] == "at"
		if err := p.step(); err != nil {
			return nil, err
		}
		p.at = at
	}
	return &p.r, nil
}

func (p *parser) step() error {
	w := p.w[p.i]
	r := &p.r
	switch {
	case approxWords[w] || w == "ish":
		r.approx = true
	case w == "or" && p.peek(1) == "so":
		r.approx = true
		p.i++
	case w == "in" && p.peek(1) != "" && isCount(p.peek(1)) && units[p.peek(2)] != 0:
		return errFuture
	case fillers[w]:
	case (w == "early" || w == "late") && (earlyLate[p.peek(1)] || periods[p.peek(1)] != "" || isWeekday(p.peek(1))):
		// "early morning", "late last night", "late in the evening": the
		// part of the day says enough.
	case w == "now":
		if r.isNow {
			return errUnreadable
		}
		r.isNow = true
	case w == "today":
		return p.setOff(0, 1)
	case w == "earlier" && p.peek(1) == "today":
		// "earlier today": today, the time not stated.
		return p.setOff(0, 2)
	case w == "yesterday":
		return p.setOff(-1, 1)
	case w == "day" && p.peek(1) == "before" && p.peek(2) == "yesterday":
		return p.setOff(-2, 3)
	case w == "tonight":
		if err := p.setPeriod("night"); err != nil {
			return err
		}
		return p.setOff(0, 1)
	case w == "tomorrow" || w == "next":
		return errFuture
	case w == "last" || w == "previous":
		return p.last()
	case w == "this":
		return p.this()
	case isWeekday(w):
		return p.weekday(weekBare)
	case periods[w] != "":
		return p.setPeriod(periods[w])
	case w == "noon" || w == "midday":
		return p.setClock(12, 0, 0, true, 1)
	case w == "midnight":
		if err := p.setClock(0, 0, 0, true, 1); err != nil {
			return err
		}
		r.midnight = true
		return nil
	case monthNames[w] != 0:
		return p.setMonth(monthNames[w])
	case w == "am" || w == "pm":
		if !r.hasClock || r.meridiem != "" || r.midnight {
			return errUnreadable
		}
		r.meridiem = w
	case w == "oclock":
		if !r.hasClock || r.min != 0 {
			return errUnreadable
		}
	case zones[w] != nil || isOffset(w):
		if r.zone != nil {
			return errUnreadable
		}
		r.zone = zoneOf(w)
	case w == "half" || w == "quarter":
		return p.fraction()
	default:
		return p.numberWord()
	}
	p.i++
	return nil
}

func (p *parser) setOff(off, n int) error {
	if p.r.hasOff {
		return errUnreadable
	}
	p.r.hasOff, p.r.off = true, off
	p.i += n
	return nil
}

func (p *parser) setPeriod(period string) error {
	if p.r.period == "smallhours" && period == "morning" {
		// "the early hours of this morning"
		p.i++
		return nil
	}
	if p.r.period != "" {
		return errUnreadable
	}
	p.r.period = period
	p.i++
	return nil
}

func (p *parser) setMonth(m time.Month) error {
	if p.r.month != 0 {
		return errUnreadable
	}
	p.r.month = m
	p.i++
	return nil
}

func (p *parser) setDay(d int) error {
	if p.r.day != 0 {
		return errUnreadable
	}
	p.r.day = d
	return nil
}

func (p *parser) setYear(y, digits int) error {
	if p.r.year != 0 || p.r.yearDigits != 0 {
		return errUnreadable
	}
	p.r.year, p.r.yearDigits = y, digits
	return nil
}

// setClock records a time of day and moves past n words.
func (p *parser) setClock(h, m, s int, fixed bool, n int) error {
	if p.r.hasClock || h > 23 || m > 59 || s > 59 {
		return errUnreadable
	}
	p.r.hasClock, p.r.hour, p.r.min, p.r.sec, p.r.fixed = true, h, m, s, fixed
	p.i += n
	return nil
}

// last reads "last Tuesday", "last night" and "last week Tuesday".
func (p *parser) last() error {
	next := p.peek(1)
	switch {
	case next == "night":
		p.r.period = "night"
		return p.setOff(-1, 2)
	case isWeekday(next):
		p.i++
		return p.weekday(weekLast)
	case next == "week" && isWeekday(p.peek(2)):
		p.i += 2
		return p.weekday(weekLastWeek)
	case next == "week" || next == "month" || next == "year" || next == "weekend" || next == "fortnight":
		return errNotADay
	}
	return errUnreadable
}

// this reads "this morning" and "this Tuesday".
func (p *parser) this() error {
	next := p.peek(1)
	switch {
	case periods[next] != "" && next != "tonight":
		p.i++
		if err := p.setPeriod(periods[next]); err != nil {
			return err
		}
		return p.setOff(0, 0)
	case isWeekday(next):
		p.i++
		return p.weekday(weekThis)
	case next == "week" || next == "month" || next == "year" || next == "weekend":
		return errNotADay
	}
	return errUnreadable
}

// weekday reads a day of the week at the current word, and "last week" or
// "of last week" after it.
func (p *parser) weekday(mode weekMode) error {
	if p.r.hasWeekday {
		return errUnreadable
	}
	p.r.hasWeekday, p.r.weekday, p.r.weekMode = true, weekdayNames[p.w[p.i]], mode
	p.i++
	rest := p.peek(0)
	if rest == "of" {
		rest = p.peek(1)
		if rest == "last" {
			p.i++
		}
	}
	if rest == "last" && p.peek(1) == "week" {
		if mode != weekBare {
			return errUnreadable
		}
		p.r.weekMode = weekLastWeek
		p.i += 2
	}
	return nil
}

func isWeekday(w string) bool {
	_, ok := weekdayNames[w]
	return ok
}

// isCount reports whether a word counts units: "2", "two", "a", "an".
func isCount(w string) bool {
	_, ok := smallNumber(w)
	return ok || w == "a" || w == "an" || w == "few"
}

// ago reads "N units ago" at the current word, which holds N.
func (p *parser) ago(n int) error {
	unit := units[p.peek(1)]
	if p.r.hasAgo || n <= 0 {
		return errUnreadable
	}
	p.r.hasAgo, p.r.ago = true, time.Duration(n)*unit
	p.i += 3
	return nil
}

// fraction reads "half past two", "half two", "quarter to four", "a
// quarter past 3" and "half an hour ago".
func (p *parser) fraction() error {
	w := p.w[p.i]
	if w == "half" && (p.peek(1) == "an" || p.peek(1) == "a") && p.peek(2) == "hour" && p.peek(3) == "ago" {
		if p.r.hasAgo {
			return errUnreadable
		}
		p.r.hasAgo, p.r.ago = true, 30*time.Minute
		p.i += 4
		return nil
	}
	m := 30
	if w == "quarter" {
		m = 15
	}
	switch p.peek(1) {
	case "past", "after":
		return p.minutesPast(m, 2, false)
	case "to", "before":
		return p.minutesPast(m, 2, true)
	}
	if w == "half" {
		// "half two" is British for half past two.
		return p.minutesPast(m, 1, false)
	}
	return errUnreadable
}

// minutesPast reads the hour k words on, for a time of m minutes past (or
// to) it.
func (p *parser) minutesPast(m, k int, to bool) error {
	h, ok := smallNumber(p.peek(k))
	if !ok || h < 1 || h > 12 || m < 1 || m > 59 {
		return errUnreadable
	}
	if to {
		h, m = h-1, 60-m
		if h == 0 {
			h = 12
		}
	}
	return p.setClock(h, m, 0, false, k+1)
}

// earlyLate are the words "early" and "late" may stand before.
var earlyLate = map[string]bool{"last": true, "in": true, "on": true, "yesterday": true, "today": true, "this": true}

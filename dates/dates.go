// Package dates reads when something happened, as a person in the UK
// writes it: day first, in English, with or without a time of day. It never
// guesses: a date that does not exist says so, one that could be read two
// ways returns the readings to choose from, and words it does not know are
// refused with examples of what it can read.
//
// A day without a year is the most recent such day that is not in the
// future; a time without a day is the most recent such time. A day without
// a time of day is a day, not midnight.
package dates

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// FutureSlack is how far ahead of now a time may be before it is refused as
// being in the future: a clock a little fast is not a mistake.
const FutureSlack = 5 * time.Minute

// Examples are shown when a time cannot be read.
const Examples = `"24 November 14:30", "yesterday 17.00", "last Tuesday 9am", "30/11/2026 2.30pm" or "2026-11-24T14:30+00:00"`

// Result is a time read from words.
type Result struct {
	// Time is the instant; for a day alone, the start of that day in
	// the zone of now.
	Time time.Time
	// DateOnly is set when no time of day was given: Time is then a day,
	// and its clock means nothing.
	DateOnly bool
	// Approximate is set when the words said so: "about 3pm".
	Approximate bool
}

// Options change how Parse reads.
type Options struct {
	// AllowFuture accepts times after now, for filters such as
	// "--to 31/12/2026". A day without a year is still the most recent.
	AllowFuture bool
	// Start, when set, is the start of what the time read ends: a time
	// of day without a day is then the first such time after Start
	// ("--when '24 Nov 23:00' --until 01:30" ends on 25 November).
	Start time.Time
}

// AmbiguousError is returned for words that could mean more than one
// time: "at 9" (morning or evening), "last Monday" said on a Tuesday.
type AmbiguousError struct {
	Input   string
	Choices []Result
	// Hint says how to write it so that only one reading fits.
	Hint string
}

func (e *AmbiguousError) Error() string {
	s := make([]string, len(e.Choices))
	for i, c := range e.Choices {
		s[i] = Format(c)
	}
	return fmt.Sprintf("%q could be %s: %s", e.Input, strings.Join(s, " or "), e.Hint)
}

// readError is a reason the words cannot be read.
type readError struct{ msg string }

func (e *readError) Error() string { return e.msg }

var (
	errUnreadable = &readError{""}
	errFuture     = &readError{"future"}
	errNotADay    = &readError{"that is not one day: give the day, like \"last Tuesday\" or \"24 November\""}
)

// Parse reads s as a time at or before now (with [FutureSlack]).
func Parse(s string, now time.Time) (Result, error) {
	return ParseWith(s, now, Options{})
}

// ParseWith reads s as Parse does, with options.
func ParseWith(s string, now time.Time, o Options) (Result, error) {
	s = strings.TrimSpace(s)
	if len(s) > 100 {
		return Result{}, fmt.Errorf("cannot read the time %q: write it like %s", s[:20]+"...", Examples)
	}
	if s == "" {
		return Result{Time: now.Truncate(time.Second)}, nil
	}
	res, err := parse(s, now, o)
	if err != nil {
		var re *readError
		switch {
		case errors.Is(err, errFuture):
			return Result{}, fmt.Errorf("%q is in the future: give the time it happened", s)
		case errors.As(err, &re) && re.msg == "":
			return Result{}, fmt.Errorf("cannot read the time %q: write it like %s", s, Examples)
		case errors.As(err, &re):
			return Result{}, fmt.Errorf("cannot read the time %q: %s", s, re.msg)
		}
		return Result{}, err
	}
	if res.Time.Year() < 1900 {
		return Result{}, fmt.Errorf("%q is too long ago: check the year", s)
	}
	if !o.AllowFuture && future(res, now) {
		return Result{}, fmt.Errorf("%q is in the future: %s; give the time it happened", s, Format(res))
	}
	return res, nil
}

// future reports whether r is after now: for a day, after today.
func future(r Result, now time.Time) bool {
	if r.DateOnly {
		return r.Time.After(startOfDay(now))
	}
	return r.Time.After(now.Add(FutureSlack))
}

func parse(s string, now time.Time, o Options) (Result, error) {
	if t, dateOnly, ok := parseISO(s, now); ok {
		return Result{Time: t, DateOnly: dateOnly}, nil
	}
	r, err := read(normalize(s))
	if err != nil {
		return Result{}, err
	}
	choices, hint, err := r.place(now, o.Start)
	if err != nil {
		return Result{}, err
	}
	// A reading in the future, or before 1900, is not a reading of when
	// something happened; if only one is left, it is the one meant.
	var past []Result
	for _, c := range choices {
		c.Approximate = r.approx
		if !future(c, now) && c.Time.Year() >= 1900 {
			past = append(past, c)
		}
	}
	switch {
	case len(past) == 0:
		c := choices[0]
		c.Approximate = r.approx
		return c, nil // refused by the caller as in the future
	case len(past) > 1:
		return Result{}, &AmbiguousError{Input: s, Choices: past, Hint: hint}
	}
	return past[0], nil
}

// isoLayouts are the ISO 8601 forms read as they are, zone and all.
var isoLayouts = []struct {
	layout string
	zoned  bool
}{
	{time.RFC3339Nano, true},
	{"2006-01-02T15:04Z07:00", true},
	{"2006-01-02 15:04:05Z07:00", true},
	{"2006-01-02 15:04Z07:00", true},
	{"2006-01-02T15:04:05", false},
	{"2006-01-02T15:04", false},
	{"2006-01-02 15:04:05", false},
	{"2006-01-02 15:04", false},
}

// parseISO reads ISO 8601. A time with an offset keeps it as given; one
// without is in now's zone.
func parseISO(s string, now time.Time) (time.Time, bool, bool) {
	if len(s) < 10 || !isDigit(s[0]) || s[4] != '-' {
		return time.Time{}, false, false
	}
	if t, err := time.ParseInLocation("2006-01-02", s, now.Location()); err == nil {
		return t, true, true
	}
	for _, l := range isoLayouts {
		var t time.Time
		var err error
		if l.zoned {
			t, err = time.Parse(l.layout, strings.Replace(s, "z", "Z", 1))
		} else {
			t, err = time.ParseInLocation(l.layout, s, now.Location())
		}
		if err == nil {
			return t, false, true
		}
	}
	return time.Time{}, false, false
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// Format writes a result in words: "Tuesday 24 November 2026 at 14:30",
// or "Tuesday 24 November 2026 (time not stated)" for a day alone. A zone
// other than UTC is shown as its offset.
func Format(r Result) string {
	s := r.Time.Format("Monday 2 January 2006")
	if r.DateOnly {
		s += " (time not stated)"
	} else {
		layout := "15:04"
		if r.Time.Second() != 0 {
			layout = "15:04:05"
		}
		s += " at " + r.Time.Format(layout)
		if _, off := r.Time.Zone(); off != 0 {
			s += " " + r.Time.Format("-07:00")
		}
	}
	if r.Approximate {
		s = "about " + s
	}
	return s
}

// Echo writes a result in words with how its day stands to today, so that
// a wrong day is seen before it is kept: "Tuesday 24 November 2026 at
// 14:30, 7 days ago".
func Echo(r Result, now time.Time) string {
	return Format(r) + ", " + Relative(r.Time, now)
}

// Relative says how a day stands to today, for an echo a person can check
// at a glance: "today", "yesterday", "7 days ago".
func Relative(t, now time.Time) string {
	d := int(math.Round(startOfDay(now).Sub(startOfDay(t.In(now.Location()))).Hours() / 24))
	switch {
	case d == 0:
		return "today"
	case d == 1:
		return "yesterday"
	case d > 1:
		return fmt.Sprintf("%d days ago", d)
	case d == -1:
		return "tomorrow"
	}
	return fmt.Sprintf("in %d days", -d)
}

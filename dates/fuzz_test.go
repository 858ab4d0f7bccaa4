package dates

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzParse checks that no input makes the parser panic, read alone or as
// an end; that what it accepts is a real time, not in the future, with no clock for a day
// alone; that every choice it offers is one it would accept; and that a
// time it accepts, written back in words, reads as the same time.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"24 November 14:30", "yesterday 17.00", "last Tuesday at 9", "half past two",
		"30/11/26", "2026-11-24T14:30:00+05:00", "31/02/2026", "tonight at 11", "3 days ago at 10am",
		"Saturday night at 11.45", "the 24th", "12 midnight on 24 Nov", "~3pm-ish", "1430hrs", "a week ago"} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 1, 16, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		// Read as the end of something that began on 24 November at
		// 23:00, what is accepted is as real and as past as ever.
		start := time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC)
		if e, err := ParseWith(s, now, Options{Start: start}); err == nil {
			check(t, s, e, now)
		}
		r, err := Parse(s, now)
		var amb *AmbiguousError
		if errors.As(err, &amb) {
			if len(amb.Choices) < 2 {
				t.Fatalf("%q: ambiguous with %d choices", s, len(amb.Choices))
			}
			for _, c := range amb.Choices {
				check(t, s, c, now)
			}
			return
		}
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("%q: message on more than one line: %v", s, err)
			}
			return
		}
		check(t, s, r, now)
		if r.DateOnly || r.Approximate || r.Time.Location() != now.Location() || r.Time.Second() != 0 || r.Time.Nanosecond() != 0 {
			return
		}
		back, err := Parse(Format(r), now)
		if err != nil || !back.Time.Equal(r.Time) || back.DateOnly {
			t.Fatalf("%q read as %s, which reads back as %v, %v", s, Format(r), back, err)
		}
	})
}

func check(t *testing.T, s string, r Result, now time.Time) {
	t.Helper()
	if r.Time.Year() < 1900 || future(r, now) {
		t.Fatalf("%q accepted as %s", s, Format(r))
	}
	if r.DateOnly && !r.Time.Equal(startOfDay(r.Time)) {
		t.Fatalf("%q: a day alone with a time of day: %v", s, r.Time)
	}
}

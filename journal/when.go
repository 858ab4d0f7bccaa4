package journal

import (
	"strings"
	"time"

	"github.com/journal-dev/journal/dates"
)

// SetWhen sets when it happened from what the user wrote, read by the
// dates package: the time, whether only the day is known, and whether the
// words said it was approximate.
func (f *Fields) SetWhen(r dates.Result) {
	f.OccurredAt, f.DateOnly = r.Time, r.DateOnly
	if r.Approximate {
		f.Approximate = true
	}
}

// SetUntil sets when it ended, or clears it for nil.
func (f *Fields) SetUntil(r *dates.Result) {
	if r == nil {
		f.Until, f.UntilDateOnly = nil, false
		return
	}
	t := r.Time
	f.Until, f.UntilDateOnly = &t, r.DateOnly
	if r.Approximate {
		f.Approximate = true
	}
}

// FormatTime formats t with layout, or, when only its day is known, with
// the date part of layout alone: a day is never shown as 00:00. The date
// part is the layout up to its hour ("15"), without trailing separators.
func FormatTime(t time.Time, dateOnly bool, layout string) string {
	if !dateOnly {
		return t.Format(layout)
	}
	if i := strings.Index(layout, "15"); i >= 0 {
		layout = strings.TrimRight(layout[:i], " T,")
	}
	return t.Format(layout)
}

// WhenText says when an incident happened in words a person reads, for
// show, the form and the reports: "about Tue 24 Nov 2026 14:30 until
// 15:10", "Tue 24 Nov 2026 (time not stated)".
func (f *Fields) WhenText(layout string) string {
	s := FormatTime(f.OccurredAt, f.DateOnly, layout)
	if f.DateOnly {
		s += " (time not stated)"
	}
	if f.Approximate {
		s = "about " + s
	}
	if f.Until != nil {
		s += " until " + FormatTime(*f.Until, f.UntilDateOnly, layout)
	}
	return s
}

// Start is when it began, for reading when it ended: a time of day alone
// ends on the day it began ("until 15:10"), also when only that day is
// known.
func (f *Fields) Start() time.Time {
	return f.OccurredAt
}

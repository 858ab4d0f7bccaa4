package journal

import (
	"strings"
	"testing"
	"time"
)

// now is a Wednesday morning.
var whenNow = time.Date(2026, 11, 25, 7, 30, 0, 0, time.UTC)

func TestParseTime(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"now", "2026-11-25 07:30"},
		{"", "2026-11-25 07:30"},
		{"2026-11-24 14:30", "2026-11-24 14:30"},
		{"2026-11-24T14:30:00+01:00", "2026-11-24 14:30"},
		{"2026-11-24", "2026-11-24 00:00"},
		{"03/04/2026", "2026-04-03 00:00"},
		{"3/4/2026 09:05", "2026-04-03 09:05"},
		{"24/11/2026 14:30", "2026-11-24 14:30"},
		{"yesterday 3pm", "2026-11-24 15:00"},
		{"Yesterday at 3pm", "2026-11-24 15:00"},
		{"yesterday 15:00", "2026-11-24 15:00"},
		{"2 hours ago", "2026-11-25 05:30"},
		{"an hour ago", "2026-11-25 06:30"},
		{"10 minutes ago", "2026-11-25 07:20"},
		{"5 days ago", "2026-11-20 07:30"},
		{"last friday 09:30", "2026-11-20 09:30"},
		{"last friday at 9:30", "2026-11-20 09:30"},
		{"friday 09:30", "2026-11-20 09:30"},
		{"monday 10am", "2026-11-23 10:00"},
		{"on tuesday 18:45", "2026-11-24 18:45"},
		{"wednesday 07:00", "2026-11-25 07:00"},
		{"wednesday 10:00", "2026-11-18 10:00"},
		{"last night", "2026-11-24 23:30"},
		{"yesterday evening", "2026-11-24 18:00"},
		{"  yesterday   3pm ", "2026-11-24 15:00"},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in, whenNow)
		if err != nil {
			t.Errorf("ParseTime(%q) error: %v", tt.in, err)
			continue
		}
		if g := got.Format("2006-01-02 15:04"); g != tt.want {
			t.Errorf("ParseTime(%q) = %s, want %s", tt.in, g, tt.want)
		}
	}
}

func TestParseTimeRefuses(t *testing.T) {
	tests := []struct{ in, want string }{
		{"the other day", "cannot read the time"},
		{"not yesterday but", "cannot read the time"},
		{"2099-01-01 10:00", "is in the future"},
		{"tomorrow 9am", "is in the future"},
		{"3pm", "is in the future"},
		{"this evening", "is in the future"},
		{"in 2 hours", "is in the future"},
		{"31/02/2026", "cannot read the time"},
		{"0001-01-01", "too long ago"},
		{strings.Repeat("yesterday ", 50), "cannot read the time"},
	}
	for _, tt := range tests {
		_, err := ParseTime(tt.in, whenNow)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseTime(%q) error = %v, want one containing %q", tt.in, err, tt.want)
		}
	}
}

// FuzzParseTime checks that no input makes the parser panic, and that what
// it accepts is never in the future.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"yesterday 3pm", "2 hours ago", "last friday 09:30", "24/11/2026 14:30",
		"2026-11-24T14:30:00+00:00", "friday", "at 5", "12 dec 2025", "3 days ago 10am", "noon", "99 years ago"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTime(s, whenNow)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "cannot read") && !strings.Contains(err.Error(), "future") &&
				!strings.Contains(err.Error(), "too long ago") {
				t.Fatalf("ParseTime(%q) error %q is not one of ours", s, err)
			}
			return
		}
		if got.After(whenNow.Add(FutureSlack)) {
			t.Fatalf("ParseTime(%q) = %v, in the future", s, got)
		}
	})
}

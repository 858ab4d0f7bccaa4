package dates

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the corpus uses Europe/London on any machine
)

var printCorpus = flag.Bool("print-corpus", false, "print what Parse makes of each corpus line, in the corpus's form")

// TestCorpus reads every phrasing in testdata/corpus.txt with its clock and
// checks the result. A line is
//
//	INPUT => 2026-11-24 14:30     a time (seconds and an offset other than the clock's are added)
//	INPUT => 2026-11-24 day       a day, time not stated
//	INPUT => ~...                 the same, approximate
//	INPUT => ? A | B              ambiguous, with these choices
//	INPUT => ! TEXT               refused, with TEXT in the message
//
// and "clock RFC3339 [ZONE]" sets the clock for the lines after it.
func TestCorpus(t *testing.T) {
	f, err := os.Open("testdata/corpus.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var now time.Time
	n := 0
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		switch {
		case strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#"):
			if *printCorpus {
				fmt.Println(text)
			}
			continue
		case strings.HasPrefix(text, "clock "):
			now = corpusClock(t, line, strings.Fields(text)[1:])
			if *printCorpus {
				fmt.Println(text)
			}
			continue
		}
		in, want, ok := strings.Cut(text, " => ")
		if !ok && !*printCorpus {
			t.Fatalf("line %d: no \" => \" in %q", line, text)
		}
		in = strings.TrimRight(in, " ")
		got := corpusResult(now)(Parse(in, now))
		n++
		if *printCorpus {
			fmt.Printf("%-40s => %s\n", in, got)
			continue
		}
		want = strings.TrimSpace(want)
		if strings.HasPrefix(want, "! ") {
			if !strings.HasPrefix(got, "! ") || !strings.Contains(got, want[2:]) {
				t.Errorf("line %d: %q (now %s)\n got %s\nwant %s", line, in, now.Format(time.RFC1123), got, want)
			}
			continue
		}
		if got != want {
			t.Errorf("line %d: %q (now %s)\n got %s\nwant %s", line, in, now.Format(time.RFC1123), got, want)
		}
	}
	if n < 300 {
		t.Errorf("the corpus has %d phrasings; keep at least 300", n)
	}
	t.Logf("%d phrasings", n)
}

func corpusClock(t *testing.T, line int, f []string) time.Time {
	now, err := time.Parse(time.RFC3339, f[0])
	if err != nil {
		t.Fatalf("line %d: %v", line, err)
	}
	if len(f) > 1 {
		loc, err := time.LoadLocation(f[1])
		if err != nil {
			t.Fatalf("line %d: %v", line, err)
		}
		now = now.In(loc)
	}
	return now
}

// corpusResult writes a result or error in the corpus's form.
func corpusResult(now time.Time) func(Result, error) string {
	return func(r Result, err error) string { return corpusLine(now, r, err) }
}

func corpusLine(now time.Time, r Result, err error) string {
	var amb *AmbiguousError
	switch {
	case errors.As(err, &amb):
		s := make([]string, len(amb.Choices))
		for i, c := range amb.Choices {
			s[i] = corpusTime(now, c)
		}
		return "? " + strings.Join(s, " | ")
	case err != nil:
		return "! " + err.Error()
	}
	return corpusTime(now, r)
}

func corpusTime(now time.Time, r Result) string {
	var s string
	if r.DateOnly {
		s = r.Time.Format("2006-01-02") + " day"
	} else {
		s = r.Time.Format("2006-01-02 15:04")
		if r.Time.Second() != 0 || r.Time.Nanosecond() != 0 {
			s = r.Time.Format("2006-01-02 15:04:05.999")
		}
		if r.Time.Location() != now.Location() {
			s += r.Time.Format(" -07:00")
		}
	}
	if r.Approximate {
		s = "~" + s
	}
	return s
}

// TestParseEnd: a time of day alone, as the end of something, is the first
// such time after its start, not the most recent one.
func TestParseEnd(t *testing.T) {
	now := time.Date(2026, 12, 1, 16, 0, 0, 0, time.UTC)
	tests := []struct {
		start time.Time
		in    string
		want  string
	}{
		{time.Date(2026, 11, 24, 14, 30, 0, 0, time.UTC), "15:10", "2026-11-24 15:10"},
		{time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC), "01:30", "2026-11-25 01:30"},
		{time.Date(2026, 11, 24, 14, 30, 0, 0, time.UTC), "3pm", "2026-11-24 15:00"},
		{time.Date(2026, 11, 24, 14, 30, 0, 0, time.UTC), "26 Nov", "2026-11-26 day"},
		{time.Date(2026, 11, 24, 14, 30, 0, 0, time.UTC), "? 3", "? 2026-11-25 03:00 | 2026-11-24 15:00"},
	}
	for _, tt := range tests {
		in := strings.TrimPrefix(tt.in, "? ")
		r, err := ParseWith(in, now, Options{Start: tt.start})
		got := corpusLine(now, r, err)
		if got != tt.want {
			t.Errorf("%q after %v = %s, want %s", in, tt.start, got, tt.want)
		}
	}
}

// TestParseEndOfADay: after a day whose time is not stated, an end time
// alone is on that day.
func TestParseEndOfADay(t *testing.T) {
	now := time.Date(2026, 12, 1, 16, 0, 0, 0, time.UTC)
	r, err := ParseWith("15:00", now, Options{Start: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil || r.Time != time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC) {
		t.Errorf("15:00 after 24 November = %v, %v", r.Time, err)
	}
}

func TestEcho(t *testing.T) {
	now := time.Date(2026, 12, 1, 16, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		r    Result
		want string
	}{
		{Result{Time: time.Date(2026, 11, 24, 14, 30, 0, 0, time.UTC)}, "Tuesday 24 November 2026 at 14:30, 7 days ago"},
		{Result{Time: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), DateOnly: true}, "Monday 30 November 2026 (time not stated), yesterday"},
		{Result{Time: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Approximate: true}, "about Tuesday 1 December 2026 at 09:00, today"},
	} {
		if got := Echo(c.r, now); got != c.want {
			t.Errorf("Echo(%v) = %q, want %q", c.r, got, c.want)
		}
	}
}

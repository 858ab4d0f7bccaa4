package journal

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/olebedev/when"
	"github.com/olebedev/when/rules"
	"github.com/olebedev/when/rules/en"
)

// FutureSlack is how far ahead of now a time may be before it is refused as
// being in the future: a clock a little fast is not a mistake.
const FutureSlack = 5 * time.Minute

// timeLayouts are the ISO 8601 forms ParseTime accepts, most precise first,
// then day-first dates with slashes.
var timeLayouts = []struct {
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
	{"2006-01-02", false},
	{"02/01/2006 15:04", false},
	{"2/1/2006 15:04", false},
	{"02/01/2006 15:04:05", false},
	{"2/1/2006 15:04:05", false},
	{"02/01/2006", false},
	{"2/1/2006", false},
}

// TimeExample is shown when a time cannot be read.
const TimeExample = `"2026-11-24 14:30", "24/11/2026 14:30", "yesterday 3pm" or "2 hours ago"`

// words is the plain-English parser: only English rules, so that
// slashes are read by the layouts above, day first, and never month first.
var words = func() *when.Parser {
	p := when.New(&rules.Options{Distance: 5, MatchByOrder: true})
	p.Add(en.All...)
	return p
}()

// bareWeekday matches a time that names a day of the week without "last",
// "this" or "next": in a journal, "friday" is the one just gone.
var bareWeekday = regexp.MustCompile(`(?i)^(on\s+)?` + en.WEEKDAY_OFFSET_PATTERN + `\b`)

// ParseTime reads when something happened: "now", an ISO 8601 date and time
// (2026-11-24 14:30, 2026-11-24T14:30:00+00:00), a day-first date with
// slashes (24/11/2026 14:30), or plain English words ("yesterday 3pm",
// "2 hours ago", "last friday 09:30", "this morning"). A time without a zone
// is in now's location. A day of the week alone means the last one, today
// included. A time more than [FutureSlack] after now is refused.
func ParseTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "now") {
		return now.Truncate(time.Second), nil
	}
	if len(s) > 100 {
		return time.Time{}, fmt.Errorf("cannot read the time %q: write it like %s", s[:20]+"...", TimeExample)
	}
	t, ok := parseLayouts(s, now)
	if !ok {
		t, ok = parseWords(s, now)
	}
	if !ok {
		return time.Time{}, fmt.Errorf("cannot read the time %q: write it like %s", s, TimeExample)
	}
	if t.Year() < 1900 {
		return time.Time{}, fmt.Errorf("%q is too long ago: check the year", s)
	}
	if t.After(now.Add(FutureSlack)) {
		return time.Time{}, fmt.Errorf("%q is in the future (%s): give the time it happened",
			s, t.Format("Mon 2 Jan 2006 15:04"))
	}
	return t, nil
}

func parseLayouts(s string, now time.Time) (time.Time, bool) {
	for _, l := range timeLayouts {
		var t time.Time
		var err error
		if l.zoned {
			t, err = time.Parse(l.layout, s)
		} else {
			t, err = time.ParseInLocation(l.layout, s, now.Location())
		}
		if err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseWords reads plain English. The words must be a time as a whole:
// "yesterday" inside "not yesterday but" is not read as yesterday.
func parseWords(s string, now time.Time) (t time.Time, ok bool) {
	defer func() {
		// The parser is a library of regular expressions and arithmetic;
		// whatever it does with odd input, a time that cannot be read is
		// the answer, never a crash.
		if recover() != nil {
			t, ok = time.Time{}, false
		}
	}()
	text := strings.Join(strings.Fields(s), " ")
	r, err := words.Parse(text, now)
	if err != nil || r == nil {
		return time.Time{}, false
	}
	rest := strings.TrimSpace(text[:r.Index] + text[r.Index+len(r.Text):])
	rest = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(rest), "at"), "at"))
	if rest != "" && rest != "on" {
		return time.Time{}, false
	}
	t = r.Time.Truncate(time.Second)
	for i := 0; i < 2 && bareWeekday.MatchString(text) && t.After(now.Add(FutureSlack)); i++ {
		t = t.AddDate(0, 0, -7)
	}
	return t, true
}

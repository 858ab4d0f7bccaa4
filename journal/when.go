package journal

import (
	"fmt"
	"strings"
	"time"
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
	{"02/01/2006", false},
	{"2/1/2006", false},
}

// TimeExample is shown when a time cannot be read.
const TimeExample = `"2026-11-24 14:30", "24/11/2026 14:30" or "now"`

// ParseTime reads when something happened: "now", an ISO 8601 date and time
// (2026-11-24 14:30, 2026-11-24T14:30:00+00:00), or a day-first date with
// slashes (24/11/2026 14:30). A time without a zone is in now's location. A
// time more than [FutureSlack] after now is refused.
func ParseTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "now") {
		return now.Truncate(time.Second), nil
	}
	for _, l := range timeLayouts {
		var t time.Time
		var err error
		if l.zoned {
			t, err = time.Parse(l.layout, s)
		} else {
			t, err = time.ParseInLocation(l.layout, s, now.Location())
		}
		if err != nil {
			continue
		}
		if t.After(now.Add(FutureSlack)) {
			return time.Time{}, fmt.Errorf("%q is in the future: give the time it happened", s)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("cannot read the time %q: write it like %s", s, TimeExample)
}

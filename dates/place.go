package dates

import (
	"fmt"
	"time"
)

// clock is a time of day; next marks one after midnight of a night that
// began the day before ("Tuesday night at 2am" is early on Wednesday).
type clock struct {
	h, m, s int
	next    bool
}

// place puts a reading on the calendar: every way it can be read, and a
// hint saying how to write it so that only one fits.
func (r *reading) place(now, start time.Time) ([]Result, string, error) {
	loc := now.Location()
	if r.zone != nil {
		if !r.hasClock {
			return nil, "", errUnreadable
		}
		loc = r.zone
	}
	saidDay := r.hasOff || r.hasWeekday || r.day != 0 || r.month != 0 || r.year != 0
	if r.isNow {
		if saidDay || r.hasClock || r.hasAgo || r.period != "" || r.zone != nil {
			return nil, "", errUnreadable
		}
		return []Result{{Time: now.Truncate(time.Second)}}, "", nil
	}
	if r.hasAgo {
		if r.ago < 24*time.Hour {
			if saidDay || r.hasClock || r.period != "" {
				return nil, "", errUnreadable
			}
			return []Result{{Time: now.Add(-r.ago).Truncate(time.Second)}}, "", nil
		}
		if r.hasOff || r.hasWeekday || r.day != 0 || r.month != 0 {
			return nil, "", errUnreadable
		}
		r.hasOff, r.off, saidDay = true, -int(r.ago/(24*time.Hour)), true
	}
	days, dayHint, err := r.days(now)
	if err != nil {
		return nil, "", err
	}
	clocks, clockHint, err := r.clocks(saidDay)
	if err != nil {
		return nil, "", err
	}
	hint := dayHint
	if clockHint != "" {
		hint = clockHint
		if dayHint != "" {
			hint = dayHint + ", and " + clockHint
		}
	}
	var out []Result
	switch {
	case days == nil && clocks == nil:
		if r.period == "" {
			return nil, "", errUnreadable
		}
		out = append(out, Result{Time: startOfDay(now), DateOnly: true})
	case days == nil && !start.IsZero():
		// A time alone that ends something is the first such time
		// after its start.
		day := startOfDay(start.In(loc))
		for _, c := range clocks {
			t := at(day, c, loc)
			if t.Before(start) {
				t = at(day.AddDate(0, 0, 1), c, loc)
			}
			out = append(out, Result{Time: t})
		}
	case days == nil:
		// A time alone is the most recent such time.
		today := startOfDay(now)
		for _, c := range clocks {
			t := at(today, c, loc)
			if t.After(now.Add(FutureSlack)) {
				t = at(today.AddDate(0, 0, -1), c, loc)
			}
			out = append(out, Result{Time: t})
		}
	case clocks == nil:
		for _, d := range days {
			out = append(out, Result{Time: d, DateOnly: true})
		}
	default:
		for _, d := range days {
			for _, c := range clocks {
				out = append(out, Result{Time: at(d, c, loc)})
			}
		}
	}
	return out, hint, nil
}

// at is the time c on day d, in loc.
func at(d time.Time, c clock, loc *time.Location) time.Time {
	y, m, day := d.Date()
	if c.next {
		day++
	}
	return time.Date(y, m, day, c.h, c.m, c.s, 0, loc)
}

// days returns the days the words name, or nil if they name none.
func (r *reading) days(now time.Time) ([]time.Time, string, error) {
	today := startOfDay(now)
	explicit := r.day != 0 || r.month != 0 || r.year != 0
	switch {
	case explicit && r.hasOff:
		return nil, "", errUnreadable
	case explicit:
		d, err := r.date(today)
		if err != nil {
			return nil, "", err
		}
		if r.hasWeekday {
			if r.weekMode != weekBare {
				return nil, "", errUnreadable
			}
			if d.Weekday() != r.weekday {
				return nil, "", &readError{fmt.Sprintf("%s is a %s, not a %s: check the day", d.Format("2 January 2006"), d.Weekday(), r.weekday)}
			}
		}
		return []time.Time{d}, "", nil
	case r.hasOff:
		d := today.AddDate(0, 0, r.off)
		if r.hasWeekday && (r.weekMode != weekBare || d.Weekday() != r.weekday) {
			return nil, "", &readError{fmt.Sprintf("%s is a %s, not a %s: check the day", d.Format("2 January 2006"), d.Weekday(), r.weekday)}
		}
		return []time.Time{d}, "", nil
	case r.hasWeekday:
		back := (int(today.Weekday()) - int(r.weekday) + 7) % 7
		monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
		fromMonday := (int(r.weekday) + 6) % 7
		switch r.weekMode {
		case weekLast:
			if back == 0 {
				back = 7
			}
			d := today.AddDate(0, 0, -back)
			if !d.Before(monday) {
				// Said in the same week, "last Friday" may be this
				// week's or the one before.
				return []time.Time{d, d.AddDate(0, 0, -7)}, `give the date, like "` + d.Format("2 January") + `"`, nil
			}
			return []time.Time{d}, "", nil
		case weekThis:
			return []time.Time{monday.AddDate(0, 0, fromMonday)}, "", nil
		case weekLastWeek:
			return []time.Time{monday.AddDate(0, 0, fromMonday-7)}, "", nil
		}
		return []time.Time{today.AddDate(0, 0, -back)}, "", nil
	}
	return nil, "", nil
}

// date returns the calendar date the words give. Without a year, it is
// the most recent such day that is not after today.
func (r *reading) date(today time.Time) (time.Time, error) {
	if r.day == 0 {
		return time.Time{}, errNotADay
	}
	if r.month == 0 {
		return r.dayOfMonth(today)
	}
	name := fmt.Sprintf("%d %s", r.day, r.month)
	if r.day > 31 || r.day > daysIn(r.month, 2024) {
		return time.Time{}, &readError{name + " does not exist"}
	}
	loc := today.Location()
	if r.yearDigits != 0 {
		y := r.year
		if r.yearDigits == 2 {
			y += 2000
			if y > today.Year() {
				y -= 100
			}
		}
		if r.day > daysIn(r.month, y) {
			return time.Time{}, &readError{fmt.Sprintf("%s %d does not exist (%d is not a leap year)", name, y, y)}
		}
		return time.Date(y, r.month, r.day, 0, 0, 0, 0, loc), nil
	}
	for y := today.Year(); y > today.Year()-9; y-- {
		if r.day > daysIn(r.month, y) {
			continue
		}
		d := time.Date(y, r.month, r.day, 0, 0, 0, 0, loc)
		if !d.After(today) {
			return d, nil
		}
	}
	return time.Time{}, errUnreadable
}

// dayOfMonth returns the most recent day with the given day of the month
// ("the 24th"), not after today and on the weekday given with it.
func (r *reading) dayOfMonth(today time.Time) (time.Time, error) {
	if r.year != 0 || r.day > 31 {
		return time.Time{}, errUnreadable
	}
	y, m, _ := today.Date()
	for i := 0; i < 12; i++ {
		mm := m - time.Month(i)
		if r.day > daysIn(mm, y) {
			continue
		}
		d := time.Date(y, mm, r.day, 0, 0, 0, 0, today.Location())
		if !d.After(today) {
			return d, nil
		}
	}
	return time.Time{}, errUnreadable
}

func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// clocks returns the times of day the words can mean, or nil if they give
// none.
func (r *reading) clocks(saidDay bool) ([]clock, string, error) {
	if !r.hasClock {
		return nil, "", nil
	}
	h, m, s := r.hour, r.min, r.sec
	one := func(h int, next bool) ([]clock, string, error) {
		return []clock{{h, m, s, next}}, "", nil
	}
	wrong := func() ([]clock, string, error) {
		return nil, "", &readError{fmt.Sprintf("%s is not in the %s", r.clockWords(), r.period)}
	}
	if r.midnight {
		switch {
		case r.period == "night":
			return one(0, true)
		case saidDay:
			return []clock{{0, 0, 0, false}, {0, 0, 0, true}},
				`write "00:00" with the day it began, or "23:59"`, nil
		}
		return one(0, false)
	}
	if r.twoFigures && r.period == "" && r.meridiem == "" {
		r.fixed = true
	}
	if r.meridiem != "" {
		if h < 1 || h > 12 {
			return nil, "", errUnreadable
		}
		h %= 12
		if r.meridiem == "pm" {
			h += 12
		}
		r.fixed = true
	}
	if r.fixed {
		switch r.period {
		case "morning":
			if h >= 12 {
				return wrong()
			}
		case "smallhours":
			if h >= 6 {
				return wrong()
			}
		case "lunchtime":
			if h < 11 || h >= 15 {
				return wrong()
			}
		case "afternoon":
			if h < 12 || h >= 19 {
				return wrong()
			}
		case "evening":
			if h < 16 {
				return wrong()
			}
		case "night":
			if h >= 6 && h < 18 {
				return wrong()
			}
			return one(h, h < 6)
		}
		return one(h, false)
	}
	switch r.period {
	case "morning":
		if h == 12 {
			return wrong()
		}
		return one(h, false)
	case "smallhours":
		switch {
		case h == 12:
			return one(0, false)
		case h < 6:
			return one(h, false)
		}
		return wrong()
	case "lunchtime":
		if h == 11 || h == 12 {
			return one(h, false)
		}
		if h > 2 {
			return wrong()
		}
		return one(h+12, false)
	case "afternoon":
		if h > 7 {
			return wrong()
		}
		return one(h%12+12, false)
	case "evening":
		if h < 4 || h == 12 {
			return wrong()
		}
		return one(h+12, false)
	case "night":
		switch {
		case h == 12:
			return one(0, true)
		case h < 6:
			return one(h, true)
		}
		return one(h+12, false)
	}
	said := fmt.Sprint(h)
	if m != 0 {
		said = fmt.Sprintf("%d:%02d", h, m)
	}
	hint := fmt.Sprintf(`add am or pm, like "%sam" or "%spm", or write "%02d:%02d" or "%02d:%02d"`, said, said, h, m, h+12, m)
	if h == 12 {
		return []clock{{12, m, s, false}, {0, m, s, false}}, `write "12:00" for midday or "00:00" for midnight`, nil
	}
	return []clock{{h, m, s, false}, {h + 12, m, s, false}}, hint, nil
}

func (r *reading) clockWords() string {
	return fmt.Sprintf("%d:%02d", r.hour, r.min) + r.meridiem
}

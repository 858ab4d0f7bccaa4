package form

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/journal-dev/journal/dates"
	"github.com/journal-dev/journal/export"
	"github.com/journal-dev/journal/journal"
)

// review is what the last page shows before saving: the time as it was
// understood, and the incident in short.
func (a *Answers) review(now time.Time) string {
	f, err := a.Fields(now)
	if err != nil {
		return "Not ready to save: " + err.Error() + ".\nGo back (shift+tab) to correct it."
	}
	var b strings.Builder
	row := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%-10s %s\n", name+":", value)
		}
	}
	start := dates.Result{Time: f.OccurredAt, DateOnly: f.DateOnly, Approximate: f.Approximate}
	when := dates.Echo(start, now)
	if f.Until != nil {
		until := dates.Result{Time: *f.Until, DateOnly: f.UntilDateOnly}
		if !f.DateOnly && !f.UntilDateOnly && f.Until.YearDay() == f.OccurredAt.YearDay() && f.Until.Year() == f.OccurredAt.Year() {
			when = dates.Format(start) + " until " + f.Until.Format("15:04") + ", " + dates.Relative(f.OccurredAt, now)
		} else {
			when += "\n           until " + dates.Echo(until, now)
		}
	}
	row("When", when)
	end, dayOnly := f.OccurredAt, f.DateOnly
	if f.Until != nil {
		end, dayOnly = *f.Until, f.UntilDateOnly
	}
	rec := "when you save it"
	switch gap := now.Sub(end); {
	case dayOnly:
		rec += ", " + export.DaysLater(end, now)
	case gap >= time.Minute:
		rec += ", " + export.Duration(gap) + " after it happened"
	}
	row("Recorded", rec)
	row("Where", f.Place)
	var who []string
	for _, p := range f.People {
		who = append(who, journal.Person{Name: p.Name, Relation: p.Relation}.String())
	}
	row("Who", strings.Join(who, ", "))
	row("What", f.Summary)
	kinds := make([]string, len(f.Kinds))
	for i, k := range f.Kinds {
		kinds[i] = kindLabel(k)
	}
	row("Kind", strings.Join(kinds, ", "))
	source := f.Source()
	if f.FirstHand && f.ToldBy == "" {
		// The person at the form is the author: the report's third
		// person would read as someone else.
		source = "first-hand: you saw or heard it yourself"
	}
	row("Source", source)
	if n := len(f.Witnesses); n > 0 {
		row("Witnesses", strconv.Itoa(n))
	}
	if n := len(a.EvidencePaths()); n > 0 {
		row("Evidence", count(n, "file", "files"))
	}
	row("Severity", f.Severity)
	return strings.TrimRight(b.String(), "\n")
}

// count says how many, with the word in the singular or the plural.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

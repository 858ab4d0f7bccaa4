package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/charmbracelet/huh"

	"github.com/journal-dev/journal/dates"
)

// readWhen reads a time given to a flag. Words that could mean more than
// one time are asked about on a terminal and refused, with the choices,
// without one: a time is never guessed.
func readWhen(g *globals, flag, s string, now time.Time) (dates.Result, error) {
	r, err := dates.Parse(s, now)
	var amb *dates.AmbiguousError
	if errors.As(err, &amb) && g.interactive {
		return askWhich(g, flag, amb)
	}
	if err != nil {
		return r, usageError("%s: %v", flag, err)
	}
	return r, nil
}

// askWhich asks which of the readings of an ambiguous time was meant.
func askWhich(g *globals, flag string, amb *dates.AmbiguousError) (dates.Result, error) {
	tty, err := g.openTTY()
	if err != nil {
		return dates.Result{}, usageError("%s: %v", flag, amb)
	}
	defer tty.Close()
	options := make([]huh.Option[int], len(amb.Choices)+1)
	for i, c := range amb.Choices {
		options[i] = huh.NewOption(dates.Format(c), i)
	}
	options[len(amb.Choices)] = huh.NewOption("Neither: stop here", -1)
	pick := 0
	err = huh.NewForm(huh.NewGroup(huh.NewSelect[int]().
		Title(fmt.Sprintf("Which time do you mean by %q?", amb.Input)).
		Options(options...).Value(&pick))).
		WithInput(g.in).WithOutput(tty).Run()
	if err != nil || pick < 0 {
		return dates.Result{}, usageError("%s: %v", flag, amb)
	}
	return amb.Choices[pick], nil
}

// sayWhen writes a time in words with how long ago it was, so that a
// wrong day is seen before it is kept: "Tuesday 24 November 2026 at 14:30
// (7 days ago)".
func sayWhen(r dates.Result, now time.Time) string {
	return dates.Format(r) + " (" + dates.Relative(r.Time, now) + ")"
}

// whenAnswer writes a time as the form's answer, so that reading it again
// gives the same time: a day alone as its date, a time in the local zone
// to the minute as "2026-11-24 14:30", anything else in RFC 3339.
func whenAnswer(t time.Time, dateOnly bool) string {
	switch {
	case dateOnly:
		return t.Format(time.DateOnly)
	case t.Second() == 0 && t.Nanosecond() == 0 && t.Location() == time.Local:
		return t.Format("2006-01-02 15:04")
	}
	return t.Format(time.RFC3339Nano)
}

package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/huh"

	"github.com/journal-dev/journal/dates"
)

// readWhen reads a time given to a flag. Words that could mean more than
// one time are asked about on a terminal and refused, with the choices,
// without one: a time is never guessed.
func readWhen(g *globals, flag, s string, now time.Time, o dates.Options) (dates.Result, error) {
	r, err := dates.ParseWith(s, now, o)
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
	if g.accessible || isDumbTerminal() {
		return askWhichByLine(g, tty, flag, amb)
	}
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
// wrong day is seen before it is kept: "Tuesday 24 November 2026 at 14:30,
// 7 days ago".
func sayWhen(r dates.Result, now time.Time) string {
	return dates.Format(r) + ", " + dates.Relative(r.Time, now)
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

// askWhichByLine asks which reading was meant one line at a time, for a
// screen reader: the choices numbered, then a number. It reads the input a
// byte at a time, so that nothing after the answer is taken from the form
// that may follow.
func askWhichByLine(g *globals, tty io.Writer, flag string, amb *dates.AmbiguousError) (dates.Result, error) {
	fmt.Fprintf(tty, "Which time do you mean by %q?\n", amb.Input)
	for i, c := range amb.Choices {
		fmt.Fprintf(tty, "%d. %s\n", i+1, dates.Format(c))
	}
	fmt.Fprintf(tty, "%d. Neither: stop here\n", len(amb.Choices)+1)
	for {
		fmt.Fprintf(tty, "Enter a number from 1 to %d: ", len(amb.Choices)+1)
		line, err := readRawLine(g.in)
		if err != nil {
			return dates.Result{}, usageError("%s: %v", flag, amb)
		}
		n, err := strconv.Atoi(strings.TrimSpace(line))
		switch {
		case err != nil || n < 1 || n > len(amb.Choices)+1:
			fmt.Fprintf(tty, "Not accepted: give a number from 1 to %d.\n", len(amb.Choices)+1)
		case n == len(amb.Choices)+1:
			return dates.Result{}, usageError("%s: %v", flag, amb)
		default:
			return amb.Choices[n-1], nil
		}
	}
}

// readRawLine reads one line, unbuffered; the end of the input before a
// new line is an error.
func readRawLine(r io.Reader) (string, error) {
	var b []byte
	var c [1]byte
	for len(b) < 1000 {
		n, err := r.Read(c[:])
		if n == 1 {
			if c[0] == '\n' {
				return string(b), nil
			}
			b = append(b, c[0])
			continue
		}
		if err != nil {
			return "", err
		}
	}
	return "", errors.New("the line is too long")
}

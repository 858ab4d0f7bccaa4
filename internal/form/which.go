package form

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/journal-dev/journal/dates"
)

// Which asks which of the readings of an ambiguous time was meant, and
// returns it; amb itself when the person chose neither or could not say.
// On a line terminal it lists the readings numbered and reads a number,
// no further than its line, so that nothing typed after the answer is
// taken from the form that may follow.
func Which(ctx context.Context, t Terminal, amb *dates.AmbiguousError) (dates.Result, error) {
	if t.lines() {
		return whichByLine(t, amb)
	}
	options := make([]huh.Option[int], len(amb.Choices)+1)
	for i, c := range amb.Choices {
		options[i] = huh.NewOption(dates.Format(c), i)
	}
	options[len(amb.Choices)] = huh.NewOption("Neither: stop here", -1)
	pick := 0
	f := withTheme(huh.NewForm(huh.NewGroup(huh.NewSelect[int]().
		Title(fmt.Sprintf("Which time do you mean by %q?", amb.Input)).
		Options(options...).Value(&pick))))
	if err := runHuh(ctx, f, t.In, t.Out, 0); err != nil || pick < 0 {
		return dates.Result{}, amb
	}
	return amb.Choices[pick], nil
}

// whichByLine asks which reading was meant one line at a time, for a
// screen reader: the choices numbered, then a number.
func whichByLine(t Terminal, amb *dates.AmbiguousError) (dates.Result, error) {
	fmt.Fprintf(t.Out, "Which time do you mean by %q?\n", amb.Input)
	for i, c := range amb.Choices {
		fmt.Fprintf(t.Out, "%d. %s\n", i+1, dates.Format(c))
	}
	neither := len(amb.Choices) + 1
	fmt.Fprintf(t.Out, "%d. Neither: stop here\n", neither)
	for {
		fmt.Fprintf(t.Out, "Enter a number from 1 to %d: ", neither)
		line, err := readRawLine(t.In)
		if err != nil {
			return dates.Result{}, amb
		}
		n, err := strconv.Atoi(strings.TrimSpace(line))
		switch {
		case err != nil || n < 1 || n > neither:
			fmt.Fprintf(t.Out, "Not accepted: give a number from 1 to %d.\n", neither)
		case n == neither:
			return dates.Result{}, amb
		default:
			return amb.Choices[n-1], nil
		}
	}
}

// readRawLine reads one line, a byte at a time so that nothing after it
// is read; the end of the input before a new line is an error.
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

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/journal-dev/journal/dates"
	"github.com/journal-dev/journal/internal/form"
	"github.com/journal-dev/journal/journal"
)

// fieldFlags are the flags of an incident's fields, shared by add and
// amend: one flag a field of [journal.FieldSpecs], named as the field, and
// --details-file.
type fieldFlags struct {
	values      map[journal.Field]*[]string
	single      map[journal.Field]*string
	approx      bool
	firstHand   bool
	detailsFile string
}

func (f *fieldFlags) register(fs *pflag.FlagSet) {
	f.values = map[journal.Field]*[]string{}
	f.single = map[journal.Field]*string{}
	for _, s := range journal.FieldSpecs() {
		name := string(s.Name)
		switch {
		case s.Name == journal.FieldApprox:
			fs.BoolVar(&f.approx, name, false, s.Usage)
		case s.Name == journal.FieldFirstHand:
			fs.BoolVar(&f.firstHand, name, false, s.Usage)
		case s.List:
			f.values[s.Name] = fs.StringArray(name, nil, s.Usage)
		default:
			f.single[s.Name] = fs.String(name, "", s.Usage)
		}
		if s.Name == journal.FieldDetails {
			fs.StringVar(&f.detailsFile, "details-file", "", "read the full account from `FILE` (- for standard input): UTF-8 text, at most 1 MiB")
		}
	}
}

// apply sets on dst the fields whose flags were given and returns their
// names. A value that cannot be read is a usage error naming the flag.
func (f *fieldFlags) apply(dst *journal.Fields, fs *pflag.FlagSet, g *globals, now time.Time) ([]journal.Field, error) {
	if fs.Changed("details") && fs.Changed("details-file") {
		return nil, usageError("--details and --details-file cannot both be given")
	}
	if fs.Changed("told-by") && strings.TrimSpace(*f.single[journal.FieldToldBy]) != "" && f.firstHand {
		return nil, usageError("--first-hand and --told-by cannot both be given: say one or the other")
	}
	var changed []journal.Field
	for _, s := range journal.FieldSpecs() {
		var values []string
		switch name := string(s.Name); {
		case s.Name == journal.FieldDetails && fs.Changed("details-file"):
			text, err := readDetails(f.detailsFile, g.in)
			if err != nil {
				return nil, err
			}
			values = []string{text}
		case !fs.Changed(name):
			continue
		case s.Name == journal.FieldApprox:
			values = []string{fmt.Sprint(f.approx)}
		case s.Name == journal.FieldFirstHand:
			values = []string{fmt.Sprint(f.firstHand)}
		case s.Name == journal.FieldWhen || s.Name == journal.FieldUntil:
			// A time that could mean two things is asked about on a
			// terminal; what was meant is then read in its written form.
			text := *f.single[s.Name]
			if s.Name == journal.FieldWhen && strings.TrimSpace(text) == "" {
				// An empty value given on purpose is a mistake (an unset
				// shell variable), never a silent "now".
				return nil, usageError("--when is empty: give when it happened, like \"yesterday 17:00\", or leave --when out to mean now")
			}
			if strings.TrimSpace(text) != "" {
				var o dates.Options
				if s.Name == journal.FieldUntil {
					o.Start = dst.Start()
				}
				r, err := readWhen(g, "--"+string(s.Name), text, now, o)
				if err != nil {
					return nil, err
				}
				text = journal.WrittenTime(r.Time, r.DateOnly)
				if r.Approximate {
					dst.Approximate = true
				}
			}
			values = []string{text}
		case s.List:
			values = *f.values[s.Name]
		default:
			values = []string{*f.single[s.Name]}
		}
		if err := s.Set(dst, values, now); err != nil {
			return nil, usageError("--%s: %v", s.Name, err)
		}
		changed = append(changed, s.Name)
	}
	return changed, nil
}

// readDetails reads the account from a file, or from standard input for -.
func readDetails(path string, in io.Reader) (string, error) {
	name := path
	if path == "-" {
		name = "standard input"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return "", withHint(fmt.Errorf("--details-file: %w", plainFileError(err)), exitUsage, "check the file's path")
		}
		defer f.Close()
		in = f
	}
	// Read one byte past the bound, to know whether there was more: a
	// longer account is refused, never cut.
	data, err := io.ReadAll(io.LimitReader(in, journal.MaxText+1))
	if err != nil {
		return "", withHint(fmt.Errorf("--details-file: %w", plainFileError(err)), exitUsage, "check the file's path")
	}
	if len(data) > journal.MaxText {
		return "", withHint(fmt.Errorf("--details-file: %s holds more than 1 MiB (%d bytes), the most an account holds", name, journal.MaxText),
			exitUsage, "nothing was recorded; keep a long document as evidence with --attach, and write the account in your own words")
	}
	if !utf8.Valid(data) {
		return "", withHint(fmt.Errorf("--details-file: %s is not UTF-8 text", name), exitUsage,
			"nothing was recorded; save it as UTF-8 text (a word processor's document is not text: attach it with --attach)")
	}
	if i := controlByte(data); i >= 0 {
		return "", withHint(fmt.Errorf("--details-file: %s is not a text file (byte %d is a control character, 0x%02x)", name, i+1, data[i]), exitUsage,
			"nothing was recorded; give a text file, or attach this one as evidence with --attach")
	}
	return string(data), nil
}

// controlByte returns the offset of the first byte in data that no text
// file holds (NUL and the other control characters, except tab, line
// breaks, form feed and escape), or -1.
func controlByte(data []byte) int {
	for i, b := range data {
		switch {
		case b == '\t', b == '\n', b == '\v', b == '\f', b == '\r', b == 0x1b:
		case b < 0x20, b == 0x7f:
			return i
		}
	}
	return -1
}

// readWhen reads a time given to a flag. Words that could mean more than
// one time are asked about on a terminal and refused, with the choices,
// without one: a time is never guessed.
func readWhen(g *globals, flag, s string, now time.Time, o dates.Options) (dates.Result, error) {
	r, err := dates.ParseWith(s, now, o)
	var amb *dates.AmbiguousError
	if errors.As(err, &amb) && g.interactive {
		tty, err := g.openTTY()
		if err != nil {
			return r, usageError("%s: %v", flag, amb)
		}
		defer tty.Close()
		r, err := form.Which(context.Background(), g.terminal(tty), amb)
		if err != nil {
			return r, usageError("%s: %v", flag, err)
		}
		return r, nil
	}
	if err != nil {
		return r, usageError("%s: %v", flag, err)
	}
	return r, nil
}

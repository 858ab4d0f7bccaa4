package main

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"sync"
	"syscall"
)

// plainFileError turns the error of opening or reading a file the user
// named into words: "PATH is a folder, not a file", or "PATH: no such file
// or directory", without Go's "open" or "read" in front. Other errors are
// returned as they are.
func plainFileError(err error) error {
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		return err
	}
	if errors.Is(pe.Err, syscall.EISDIR) {
		return fmt.Errorf("%s is a folder, not a file", pe.Path)
	}
	return fmt.Errorf("%s: %w", pe.Path, pe.Err)
}

// badFlagValue matches the error pflag returns for a value it cannot
// parse: invalid argument "VALUE" for "-s, --name" flag: DETAIL.
// It is compiled when first needed, not at every start.
var badFlagValue = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^invalid argument "(.*)" for "(?:-., )?(--[a-z-]+)" flag: (.*)$`)
})

// plainFlagValueError says in words what is wrong with a duration or yes/no
// flag's value, instead of Go's parser message ("time: invalid duration",
// "strconv.ParseBool"). It returns nil for any other error.
func plainFlagValueError(err error) error {
	m := badFlagValue().FindStringSubmatch(err.Error())
	if m == nil {
		return nil
	}
	value, flag, detail := m[1], m[2], m[3]
	switch {
	case strings.HasPrefix(detail, "time:"):
		return withHint(fmt.Errorf("%s: %q is not a length of time", flag, value), exitUsage, "write it like 15m, 2h or 1h30m")
	case strings.HasPrefix(detail, "strconv.ParseBool"):
		return withHint(fmt.Errorf("%s: %q is not true or false", flag, value), exitUsage, "write "+flag+" alone, or "+flag+"=false")
	case strings.HasPrefix(detail, "strconv."):
		return withHint(fmt.Errorf("%s: %q is not a number", flag, value), exitUsage, "see 'journal --help'")
	}
	return nil
}

// unknownShorthand matches pflag's error for a one-letter flag a command
// does not have: unknown shorthand flag: 'o' in -o.
var unknownShorthand = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^unknown shorthand flag: '(.)' in (-\S+)$`)
})

// plainUnknownFlag words an unknown one-letter flag the way an unknown long
// one is worded ("unknown flag: -o"), without pflag's quoting of the letter
// and of the group it came in. Other errors are returned as they are.
func plainUnknownFlag(err error) error {
	m := unknownShorthand().FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	if m[2] == "-"+m[1] {
		return fmt.Errorf("unknown flag: -%s", m[1])
	}
	return fmt.Errorf("unknown flag: -%s (in %s)", m[1], m[2])
}

//go:build !linux

package main

import (
	"errors"
	"os"
	"testing"
)

// openPTY is not written for this system: the tests that need a terminal
// of a given size are skipped.
func openPTY(t *testing.T, _, _ int) (ctrl, tty *os.File) {
	t.Helper()
	t.Skip("pseudo-terminals are opened the Linux way in these tests")
	return nil, nil
}

// errNoPTY is the error of newPTY here.
var errNoPTY = errors.New("pseudo-terminals are opened the Linux way in these tests")

// newPTY is not written for this system.
func newPTY(_, _ int) (ctrl, tty *os.File, err error) {
	return nil, nil, errNoPTY
}

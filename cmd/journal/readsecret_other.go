//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

import (
	"os"

	"golang.org/x/term"
)

// readNoEcho reads one line from the terminal tty without echo.
func readNoEcho(tty *os.File) ([]byte, error) {
	return term.ReadPassword(int(tty.Fd()))
}

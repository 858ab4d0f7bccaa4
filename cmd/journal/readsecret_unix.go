//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// readNoEcho reads one line from the terminal tty without echo. It is
// x/term's ReadPassword, except that the end of the terminal's input
// (Ctrl+D on an empty line, a terminal closed under the program) is
// io.EOF: ReadPassword reads again, for ever, on a terminal that has
// hung up.
func readNoEcho(tty *os.File) ([]byte, error) {
	fd := int(tty.Fd())
	old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return nil, err
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON | unix.ISIG
	quiet.Iflag |= unix.ICRNL
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &quiet); err != nil {
		return nil, err
	}
	defer unix.IoctlSetTermios(fd, ioctlSetTermios, old)
	var line []byte
	var b [1]byte
	for {
		n, err := unix.Read(fd, b[:])
		switch {
		case n > 0 && b[0] == '\n':
			return line, nil
		case n > 0 && b[0] == '\b':
			if len(line) > 0 {
				line = line[:len(line)-1]
			}
		case n > 0 && b[0] != '\r':
			line = append(line, b[0])
		case n > 0:
		case err == unix.EINTR:
		case err != nil:
			return line, err
		default:
			// A read of nothing is the end of the input: Ctrl+D, or the
			// terminal hung up. What was typed before it is the line, as
			// ReadPassword has it.
			if len(line) > 0 {
				return line, nil
			}
			if _, err := unix.IoctlGetTermios(fd, ioctlGetTermios); err != nil {
				return nil, err // hung up: no longer a terminal
			}
			return nil, io.EOF
		}
	}
}

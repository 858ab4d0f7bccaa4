package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal of the given size and returns its two
// ends: the program writes to tty; what it wrote is read from ctrl. The
// terminal writes line breaks as they were written (\n, not \r\n).
func openPTY(t *testing.T, cols, rows int) (ctrl, tty *os.File) {
	t.Helper()
	ctrl, tty, err := newPTY(cols, rows)
	if errors.Is(err, errNoPTY) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	// No translation of \n into \r\n: read back what was written.
	termios, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	termios.Oflag &^= unix.OPOST
	if err := unix.IoctlSetTermios(int(tty.Fd()), unix.TCSETS, termios); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close(); ctrl.Close() })
	return ctrl, tty
}

// errNoPTY is the error of newPTY on a system without pseudo-terminals.
var errNoPTY = errors.New("no pseudo-terminal")

// newPTY opens a pseudo-terminal of the given size, set as a terminal
// window is, and returns its two ends.
func newPTY(cols, rows int) (ctrl, tty *os.File, err error) {
	ctrl, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", errNoPTY, err)
	}
	tty, err = func() (*os.File, error) {
		fd := int(ctrl.Fd())
		if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
			return nil, err
		}
		n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
		if err != nil {
			return nil, err
		}
		tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
		if err != nil {
			return nil, err
		}
		if err := unix.IoctlSetWinsize(int(tty.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Col: uint16(cols), Row: uint16(rows)}); err != nil {
			tty.Close()
			return nil, err
		}
		return tty, nil
	}()
	if err != nil {
		ctrl.Close()
		return nil, nil, err
	}
	return ctrl, tty, nil
}

//go:build !windows

package form

import (
	"os"
	"syscall"
)

// stopSignals end the form and keep what was typed: the terminal closed
// (SIGHUP) or the program asked to stop (SIGTERM).
var stopSignals = []os.Signal{syscall.SIGHUP, syscall.SIGTERM}

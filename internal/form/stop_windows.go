//go:build windows

package form

import (
	"os"
	"syscall"
)

// stopSignals end the form and keep what was typed. On Windows, closing
// the console window, logging off and shutting down arrive as SIGTERM.
var stopSignals = []os.Signal{syscall.SIGTERM}

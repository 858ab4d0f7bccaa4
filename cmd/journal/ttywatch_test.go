package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// watchTTYWait ends a journal command run by a script when it is still
// using a terminal JOURNAL_TEST_TTY_WAIT after it started: a script that
// types with ttyrun and gives the program too little (a full-screen form
// does not end at the end of ttyrun's text, which is Ctrl+D to it) would
// otherwise wait for the test's whole timeout. The terminal tests
// (testdata/tty) do not pass the variable: their programs wait for what
// the script types next.
func watchTTYWait() {
	wait, err := time.ParseDuration(os.Getenv("JOURNAL_TEST_TTY_WAIT"))
	if err != nil || wait <= 0 {
		return
	}
	time.AfterFunc(wait, func() {
		if usingTerminal() {
			fmt.Fprintf(os.Stderr, "journal (in a test): still at the terminal %v after it started: the script's typing "+
				"(ttyrun) ran out before journal was done (a question it did not expect?). Give every answer in the "+
				"file ttyrun types, or test the session in a real terminal (testdata/tty)\n", wait)
			os.Exit(1)
		}
	})
}

// usingTerminal reports whether the process holds a terminal open
// (Linux; elsewhere it says no, and nothing is watched).
func usingTerminal() bool {
	fds, _ := filepath.Glob("/proc/self/fd/*")
	for _, fd := range fds {
		target, err := os.Readlink(fd)
		if err == nil && (target == "/dev/tty" || strings.HasPrefix(target, "/dev/pts/")) {
			return true
		}
	}
	return false
}

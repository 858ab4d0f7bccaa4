package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
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

// runLimit bounds every journal command a test runs as a program (the
// scripts' commands, the fault tests' children): none takes a minute on
// a loaded machine, so one still running after this is stuck.
const runLimit = 5 * time.Minute

// watchRunTime ends the journal command when it is still running
// runLimit after it started, saying so and where each goroutine was: a
// stuck command fails its test in minutes, naming where it was stuck,
// instead of using up go test's timeout for the whole package. The
// unlock agent, which runs until its time is up, is not watched.
func watchRunTime() {
	if len(os.Args) > 1 && os.Args[1] == agentCommand {
		return
	}
	time.AfterFunc(runLimit, func() {
		fmt.Fprintf(os.Stderr, "journal (in a test): still running %v after it started, with %q: stopped; where it was:\n", runLimit, os.Args[1:])
		pprof.Lookup("goroutine").WriteTo(os.Stderr, 2)
		os.Exit(1)
	})
}

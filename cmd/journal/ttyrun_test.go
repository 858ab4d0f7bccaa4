package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/journal-dev/journal/internal/testwait"
)

// A script types into journal on a terminal of its own with ttyrun, and
// reads what the terminal showed with ttysaw:
//
//	ttyrun FILE COMMAND [ARGS...]
//	ttysaw REGEXP
//
// ttyrun runs COMMAND with a new 80x24 pseudo-terminal as its controlling
// terminal and standard input, types FILE's text into it and then Ctrl+D,
// as a person typing ahead would, and ends with COMMAND's status. Its
// standard output and error are COMMAND's, checked with stdout and stderr
// as any command's. Everything the terminal showed (prompts, and the
// typing it echoed) is kept for ttysaw, outside $WORK: a check that no
// file holds a secret does not find the typing there.
//
// It replaces testscript's own ttyin and ttyout, which close the
// terminal as soon as the command has ended, before all it wrote has
// been read: on a loaded machine the end of the output was lost, and a
// ttyout check of the last prompts failed. ttyrun reads the terminal
// until every process holding it has closed it (the read then fails with
// EIO), so nothing written is lost.

// ttyOutEnv names the file that holds what the last ttyrun's terminal
// showed.
const ttyOutEnv = "JOURNAL_TEST_TTY_OUT"

// setupTTYOut gives a script a file outside its work folder for ttyrun's
// terminal output.
func setupTTYOut(env *testscript.Env) error {
	dir, err := os.MkdirTemp("", "jttyout")
	if err != nil {
		return err
	}
	env.Defer(func() { os.RemoveAll(dir) })
	env.Setenv(ttyOutEnv, filepath.Join(dir, "terminal"))
	return nil
}

// ttyRun is the ttyrun program.
func ttyRun() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: ttyrun FILE COMMAND [ARGS...]")
		os.Exit(2)
	}
	code, err := runOnTTY(os.Args[1], os.Args[2], os.Args[3:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "ttyrun: %v\n", err)
		os.Exit(2)
	}
	os.Exit(code)
}

// runOnTTY runs name with args on a new terminal, typing the text of the
// file typed, keeps what the terminal showed in the file $ttyOutEnv
// names, and returns the command's exit status.
func runOnTTY(typed, name string, args []string) (int, error) {
	out := os.Getenv(ttyOutEnv)
	if out == "" {
		return 0, fmt.Errorf("%s is not set", ttyOutEnv)
	}
	os.Remove(out)
	input, err := os.ReadFile(typed)
	if err != nil {
		return 0, err
	}
	ctrl, tty, err := newPTY(80, 24)
	if err != nil {
		return 0, err
	}
	defer ctrl.Close()
	cmd := exec.Command(name, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, os.Stdout, os.Stderr
	// The terminal is the command's controlling terminal (/dev/tty), in
	// a session of its own, as in a terminal window.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	err = cmd.Start()
	// Only the command holds the terminal now: when it and whatever it
	// started have closed it, reading ctrl fails, and not before.
	tty.Close()
	if err != nil {
		return 0, err
	}
	go func() {
		ctrl.Write(input)
		ctrl.Write([]byte{4}) // Ctrl+D: the end of the input
	}()
	shown := make(chan []byte, 1)
	go func() {
		var b bytes.Buffer
		_, err := io.Copy(&b, ctrl)
		if err != nil && !errors.Is(err, syscall.EIO) {
			fmt.Fprintf(&b, "\n[ttyrun: reading the terminal: %v]\n", err)
		}
		shown <- b.Bytes()
	}()
	ended := make(chan error, 1)
	go func() { ended <- cmd.Wait() }()
	// journal itself ends, saying why, when a script's typing runs out
	// (JOURNAL_TEST_TTY_WAIT); this is for any other command.
	var waitErr error
	select {
	case waitErr = <-ended:
	case <-time.After(2 * testwait.Limit):
		cmd.Process.Kill()
		return 0, fmt.Errorf("%s still ran %v after it started: killed", name, 2*testwait.Limit)
	}
	var b []byte
	select {
	case b = <-shown:
	case <-time.After(testwait.Limit):
		return 0, fmt.Errorf("the terminal was still open %v after %s ended: something it started holds it", testwait.Limit, name)
	}
	if err := os.WriteFile(out, b, 0o600); err != nil {
		return 0, err
	}
	var ee *exec.ExitError
	if errors.As(waitErr, &ee) {
		return ee.ExitCode(), nil
	}
	return 0, waitErr
}

// cmdTTYSaw checks what the terminal of the last ttyrun showed:
//
//	[!] ttysaw REGEXP
func cmdTTYSaw(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: ttysaw REGEXP")
	}
	data, err := os.ReadFile(ts.Getenv(ttyOutEnv))
	if errors.Is(err, os.ErrNotExist) {
		ts.Fatalf("ttysaw: no ttyrun has run in this script")
	}
	ts.Check(err)
	re, err := regexp.Compile("(?m)" + args[0])
	ts.Check(err)
	if re.Match(data) == neg {
		ts.Fatalf("the terminal %s %q; it showed:\n%s", map[bool]string{false: "never showed", true: "showed"}[neg], args[0], data)
	}
}

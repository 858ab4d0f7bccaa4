package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/journal-dev/journal/internal/progress"
	"github.com/journal-dev/journal/internal/testwait"
)

// The terminal tests run journal in a real pseudo-terminal, drawn by tmux,
// type into it key by key as a person would, and read the screen back. They
// need tmux; without it they are skipped, except in CI (CI=true), where
// they fail.

// TestTerminal runs the sessions in testdata/tty, other than the add
// form's, in an 80x24 terminal.
func TestTerminal(t *testing.T) {
	requireTmux(t)
	all, _ := filepath.Glob("testdata/tty/*.txt")
	var files []string
	for _, f := range all {
		if !strings.HasPrefix(filepath.Base(f), "add") {
			files = append(files, f)
		}
	}
	testscript.Run(t, ttyParams(files, "80x24"))
}

// formSizes are the terminal sizes the add form is used at. Everything the
// user must read has to be on the screen at each. The large and the narrow
// terminal take a minute or two more, so they run when JOURNAL_SLOW_TESTS=1,
// as in CI.
func formSizes() []string {
	if os.Getenv("JOURNAL_SLOW_TESTS") == "1" {
		return []string{"80x24", "200x50", "60x24"}
	}
	return []string{"80x24"}
}

// TestTerminalForm runs the add form's sessions, testdata/tty/add*.txt,
// at each of formSizes.
func TestTerminalForm(t *testing.T) {
	requireTmux(t)
	files, _ := filepath.Glob("testdata/tty/add*.txt")
	for _, size := range formSizes() {
		t.Run(size, func(t *testing.T) {
			testscript.Run(t, ttyParams(files, size))
		})
	}
}

func requireTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is not installed: the terminal tests need it (Debian package tmux, listed in .ci/packages)")
		}
		t.Skip("tmux is not installed: skipping the terminal tests (apt-get install tmux)")
	}
}

func ttyParams(files []string, size string) testscript.Params {
	p := scriptParams("")
	p.Files = files
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		env.Setenv("TERM_SIZE", size)
		return setup(env)
	}
	p.Cmds["term"] = cmdTerm
	return p
}

func init() {
	// In the terminal tests, progress is drawn from the first step, so
	// that even a short operation shows it.
	if os.Getenv("JOURNAL_TEST_PROGRESS_AT_ONCE") == "1" {
		progress.Delay = 0
	}
}

// termWait is how long term waits for the screen to show something, or
// for the program to end.
var termWait = testwait.Limit

// terminal is one script's tmux server.
type terminal struct {
	work   string // the script's $WORK
	dir    string // holds the server's socket and configuration
	socket string
	env    []string
}

var terminals sync.Map // WORK -> *terminal

// termEnv are the variables of a script that the program in its terminal
// gets; nothing else of the environment reaches it. Every folder the
// script gives journal is here, so that a terminal test never reads the
// user's configuration or unlock agent, and every JOURNAL_ variable of
// the scripting contract (TestTerminalsGetTheScriptsVariables).
var termEnv = []string{
	"PATH", "WORK", "TMPDIR", "TZ", "NO_COLOR", "PAGER", "LESS", "LV",
	"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR",
	"JOURNAL_FILE", "JOURNAL_PASSPHRASE", "JOURNAL_NEW_PASSPHRASE", "JOURNAL_IDENTITY",
	"JOURNAL_PAGER", "JOURNAL_ACCESSIBLE", "JOURNAL_TEST_NOW",
}

// cmdTerm drives a program in a terminal:
//
//	term start ARGS...   run ARGS in a new terminal of $TERM_SIZE (80x24)
//	term type TEXT       type TEXT, one key at a time
//	term key KEY...      press keys by tmux name: Enter, Tab, BTab, BSpace,
//	                     Escape, Up, Down, Left, Right, Space, C-c
//	term wait TEXT       wait until the screen shows TEXT
//	term focus TEXT      wait until the field whose line shows TEXT has
//	                     the focus (type into a field only after this)
//	[!] term shows TEXT  the screen shows TEXT now
//	[!] term drew TEXT   the program wrote TEXT (with Go escapes such as \r)
//	                     to the terminal at some point
//	term burst TEXT      send TEXT in one write, as a paste or dictation
//	term signal NAME     send the program the signal NAME (TERM, HUP, INT)
//	term hangup          close the terminal under the program
//	term screen          print the screen on standard output
//	term exit STATUS     wait for the program to end with STATUS, then print
//	                     everything it showed on standard output
//
// Screens are compared as a person reads them: the form's borders left out
// and the lines joined, so that text wrapped to fit a narrow terminal still
// matches.
func cmdTerm(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: term start|type|key|wait|shows|screen|exit ...")
	}
	work := ts.Getenv("WORK")
	if args[0] == "start" {
		startTerm(ts, work, args[1:])
		return
	}
	v, ok := terminals.Load(work)
	if !ok {
		ts.Fatalf("term %s: no terminal started", args[0])
	}
	tm := v.(*terminal)
	if args[0] == "exit" && tm.hungUp() {
		ts.Fatalf("term exit: the terminal was closed (term hangup)")
	}
	if neg && args[0] != "shows" && args[0] != "drew" {
		ts.Fatalf("term %s does not take !", args[0])
	}
	switch args[0] {
	case "type":
		for _, arg := range args[1:] {
			// Each character goes as its bytes in hex: tmux would read a
			// lone ; as the end of its command.
			for _, r := range arg {
				hex := []string{"send-keys", "-t", "t", "-H"}
				for _, b := range []byte(string(r)) {
					hex = append(hex, fmt.Sprintf("%02x", b))
				}
				tm.tmux(ts, hex...)
				time.Sleep(5 * time.Millisecond)
			}
		}
	case "key":
		// A person looks at the screen between keys. The form moves
		// between fields in the background: a key typed a millisecond
		// after Enter can land in the field just left. So after each key,
		// wait until the screen has changed and settled, and leave a lone
		// Escape a moment, lest it read as Alt with the next key.
		for _, k := range args[1:] {
			before := tm.capture(ts, false)
			tm.tmux(ts, "send-keys", "-t", "t", k)
			tm.settle(ts, before)
			if k == "Escape" {
				time.Sleep(150 * time.Millisecond)
			}
		}
	case "wait":
		want := strings.Join(args[1:], " ")
		deadline := time.Now().Add(termWait)
		for {
			screen := tm.capture(ts, false)
			if strings.Contains(readable(screen), readable(want)) {
				// A person takes a moment to read a new prompt.
				time.Sleep(150 * time.Millisecond)
				return
			}
			if time.Now().After(deadline) {
				ts.Fatalf("the screen did not show %q within %v; it shows:\n%s", want, termWait, screen)
			}
			time.Sleep(50 * time.Millisecond)
		}
	case "focus":
		// The form has moved to the field TEXT names: the line that
		// shows TEXT carries the focus bar (┃). A field's label is on
		// the screen with the rest of its page before it has the
		// focus, and huh moves the focus in the background after
		// Enter: typing before the bar has moved can land in the field
		// just left.
		want := strings.Join(args[1:], " ")
		deadline := time.Now().Add(termWait)
		for {
			screen := tm.capture(ts, false)
			if focused(screen, want) {
				return
			}
			if time.Now().After(deadline) {
				ts.Fatalf("the field %q did not get the focus within %v; the screen shows:\n%s", want, termWait, screen)
			}
			time.Sleep(50 * time.Millisecond)
		}
	case "shows":
		// A capture can land between two halves of one redraw, and on a
		// loaded machine a redraw can take seconds: wait for the screen
		// to show what it should, at most termWait, before failing.
		want := strings.Join(args[1:], " ")
		screen := tm.capture(ts, false)
		for deadline := time.Now().Add(termWait); !neg && !strings.Contains(readable(screen), readable(want)) && time.Now().Before(deadline); {
			time.Sleep(50 * time.Millisecond)
			screen = tm.capture(ts, false)
		}
		if strings.Contains(readable(screen), readable(want)) == neg {
			ts.Fatalf("the screen %s %q; it shows:\n%s", map[bool]string{false: "does not show", true: "shows"}[neg], want, screen)
		}
	case "drew":
		// The program wrote TEXT to the terminal at some point, even if
		// it was erased since. TEXT may hold Go escapes such as \r.
		want := strings.Join(args[1:], " ")
		if u, err := strconv.Unquote(`"` + want + `"`); err == nil {
			want = u
		}
		raw, err := os.ReadFile(filepath.Join(tm.dir, "raw"))
		ts.Check(err)
		if strings.Contains(string(raw), want) == neg {
			ts.Fatalf("the program %s %q; it wrote %q", map[bool]string{false: "never drew", true: "drew"}[neg], want, raw)
		}
	case "burst":
		// The text arrives in one write, as dictation, a paste without
		// brackets or a slow link delivers it.
		tm.tmux(ts, "send-keys", "-t", "t", "-l", strings.Join(args[1:], " "))
		time.Sleep(300 * time.Millisecond)
	case "signal":
		// Send a signal to the program running in the terminal.
		if len(args) != 2 {
			ts.Fatalf("usage: term signal NAME")
		}
		shell := strings.TrimSpace(tm.tmux(ts, "display-message", "-p", "-t", "t", "#{pane_pid}"))
		children, err := os.ReadFile("/proc/" + shell + "/task/" + shell + "/children")
		ts.Check(err)
		pids := strings.Fields(string(children))
		if len(pids) == 0 {
			ts.Fatalf("term signal: the program is not running")
		}
		ts.Check(exec.Command("kill", "-"+args[1], pids[0]).Run())
	case "hangup":
		// Close the terminal under the program, as closing its window
		// does: it gets SIGHUP and its terminal is gone.
		exec.Command("tmux", "-S", tm.socket, "kill-server").Run()
		ts.Check(os.WriteFile(filepath.Join(tm.dir, "status"), []byte("hangup\n"), 0o600))
	case "screen":
		fmt.Fprint(ts.Stdout(), tm.capture(ts, false))
	case "exit":
		if len(args) != 2 {
			ts.Fatalf("usage: term exit STATUS")
		}
		// The shell in the terminal writes the status once the program
		// has ended: tmux's own record of it is not reliable.
		deadline := time.Now().Add(termWait)
		for {
			data, err := os.ReadFile(filepath.Join(tm.dir, "status"))
			if got := strings.TrimSpace(string(data)); err == nil && got != "" {
				if got != args[1] {
					ts.Fatalf("the program ended with status %s, want %s; the terminal shows:\n%s", got, args[1], tm.capture(ts, true))
				}
				break
			}
			if time.Now().After(deadline) {
				ts.Fatalf("the program did not end within %v; the screen shows:\n%s", termWait, tm.capture(ts, false))
			}
			time.Sleep(50 * time.Millisecond)
		}
		fmt.Fprint(ts.Stdout(), tm.capture(ts, true))
	default:
		ts.Fatalf("term: unknown subcommand %q", args[0])
	}
}

func startTerm(ts *testscript.TestScript, work string, args []string) {
	if v, ok := terminals.Load(work); ok {
		// The terminal of a program that has ended gives way to a new one.
		tm := v.(*terminal)
		if _, err := os.Stat(filepath.Join(tm.dir, "status")); err != nil {
			ts.Fatalf("term start: the program started before is still running: end it with term exit")
		}
		tm.stop()
	}
	size := ts.Getenv("TERM_SIZE")
	w, h, ok := strings.Cut(size, "x")
	if _, err := strconv.Atoi(w); !ok || err != nil {
		ts.Fatalf("TERM_SIZE=%q: want WIDTHxHEIGHT", size)
	}
	// A short folder: a socket's path is limited to about 100 bytes.
	dir, err := os.MkdirTemp("", "jtty")
	ts.Check(err)
	conf := filepath.Join(dir, "tmux.conf")
	ts.Check(os.WriteFile(conf, []byte("set -g status off\nset -g remain-on-exit on\nset -g history-limit 5000\n"), 0o600))
	tm := &terminal{work: work, dir: dir, socket: filepath.Join(dir, "s")}
	for _, k := range termEnv {
		if v := ts.Getenv(k); v != "" {
			tm.env = append(tm.env, k+"="+v)
		}
	}
	tm.env = append(tm.env, "LANG=C.UTF-8", "TERM=xterm-256color", "JOURNAL_TEST_PROGRESS_AT_ONCE=1")
	var quoted []string
	for _, a := range args {
		quoted = append(quoted, "'"+strings.ReplaceAll(a, "'", `'\''`)+"'")
	}
	// The program waits for the file "go" while the terminal's output is
	// recorded byte for byte, so that what was drawn and then erased, such
	// as a progress line, can be checked too.
	status, ready := filepath.Join(dir, "status"), filepath.Join(dir, "go")
	shell := "cd '" + ts.Getenv("WORK") + "' && while [ ! -e " + ready + " ]; do sleep 0.02; done; " +
		strings.Join(quoted, " ") + "; echo $? >" + status + ".new && mv " + status + ".new " + status
	terminals.Store(work, tm)
	ts.Defer(tm.stop)
	ts.Logf("term start %s: %s", size, strings.Join(args, " "))
	tm.tmux(ts, "-f", conf, "new-session", "-d", "-s", "t", "-x", w, "-y", h, shell)
	tm.tmux(ts, "pipe-pane", "-o", "-t", "t", "cat >"+filepath.Join(dir, "raw"))
	ts.Check(os.WriteFile(ready, nil, 0o600))
}

// settle waits until the screen has changed from before and then stayed
// the same for a moment, for at most three seconds: some keys change
// nothing, and on a loaded machine a key that moves to the next field can
// take over a second to show, so that a shorter wait let the next typing
// land in the field just left.
func (tm *terminal) settle(ts *testscript.TestScript, before string) {
	deadline := time.Now().Add(3 * time.Second)
	last, changed := before, false
	for time.Now().Before(deadline) {
		time.Sleep(40 * time.Millisecond)
		now := tm.capture(ts, false)
		if changed && now == last {
			return
		}
		changed = changed || now != before
		last = now
	}
	if !changed {
		ts.Logf("term key: the screen did not change within 3s")
	}
}

// hungUp reports whether the terminal was closed under its program.
func (tm *terminal) hungUp() bool {
	data, _ := os.ReadFile(filepath.Join(tm.dir, "status"))
	return string(data) == "hangup\n"
}

// stop ends the terminal and its tmux server.
func (tm *terminal) stop() {
	exec.Command("tmux", "-S", tm.socket, "kill-server").Run()
	os.RemoveAll(tm.dir)
	terminals.Delete(tm.work)
}

// tmux runs one tmux command against the script's server.
func (tm *terminal) tmux(ts *testscript.TestScript, args ...string) string {
	cmd := exec.Command("tmux", append([]string{"-u", "-S", tm.socket}, args...)...)
	cmd.Env = tm.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		ts.Fatalf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// capture returns the screen, or with history everything shown since the
// program started.
func (tm *terminal) capture(ts *testscript.TestScript, history bool) string {
	args := []string{"capture-pane", "-p", "-J", "-t", "t"}
	if history {
		args = append(args, "-S", "-")
	}
	lines := strings.Split(tm.tmux(ts, args...), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n") + "\n"
}

// focused reports whether text follows the focus bar huh draws beside
// the field that has the focus. The bar need not begin the line: capture
// joins a line the terminal wrapped to the next, so at 60 columns a page
// title filling its line and the focused question below it come as one.
func focused(screen, text string) bool {
	for _, line := range strings.Split(screen, "\n") {
		for _, after := range strings.Split(line, "┃")[1:] {
			if strings.HasPrefix(strings.TrimLeft(after, " "), text) {
				return true
			}
		}
	}
	return false
}

var (
	borders = strings.NewReplacer("┃", " ", "│", " ", "╭", " ", "╮", " ", "╰", " ", "╯", " ", "─", " ")
	spaces  = regexp.MustCompile(`\s+`)
)

// readable is text as a person reads it off the screen: borders dropped,
// lines joined, runs of spaces made one.
func readable(s string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(borders.Replace(s), " "))
}

// TestTerminalsGetTheScriptsVariables checks that the program in a test's
// terminal gets every folder and JOURNAL_ variable the scripting contract
// names, as the script set them: one left out would reach the user's own
// (their configuration, their unlock agent's socket) or be dropped.
func TestTerminalsGetTheScriptsVariables(t *testing.T) {
	for name := range readContract(t).env {
		if (strings.HasPrefix(name, "JOURNAL_") || strings.HasPrefix(name, "XDG_")) && !slices.Contains(termEnv, name) {
			t.Errorf("%s is not passed to the terminal of a test: add it to termEnv", name)
		}
	}
	for _, name := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR"} {
		if !slices.Contains(termEnv, name) {
			t.Errorf("%s is not passed to the terminal of a test: add it to termEnv", name)
		}
	}
}

// TestFocusedReadsTheFocusBar: term focus takes a field for focused only
// when its line carries huh's focus bar, not when its label is merely on
// the page.
func TestFocusedReadsTheFocusBar(t *testing.T) {
	blurred := "  The full account\n  He was standing by the door.\n\n  The words used\n  What they said or wrote\n"
	focusedScreen := "  The full account\n  He was standing by the door.\n\n┃ The words used\n┃ What they said or wrote\n"
	if focused(blurred, "The words used") {
		t.Error("a field whose label is on the page without the focus bar was taken for focused")
	}
	if !focused(focusedScreen, "The words used") {
		t.Error("the field with the focus bar was not taken for focused")
	}
	// At 60 columns a page's title fills its line, and capture joins the
	// focused question below it to it (seen in CI).
	joined := "What happened" + strings.Repeat(" ", 47) + "┃ In one line, what happened?\n┃ >\n  What kind of contact?\n"
	if !focused(joined, "In one line, what happened?") {
		t.Error("the focused field on a line joined to the page's title was not taken for focused")
	}
	if focused(joined, "What kind of contact?") || focused(joined, "What happened") {
		t.Error("a field without the focus bar, on a screen with a joined line, was taken for focused")
	}
}

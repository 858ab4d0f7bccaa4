package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/journal-dev/journal/internal/testwait"
)

// onTerminal runs journal with standard output on a terminal of the given
// size and returns what appeared on it.
func onTerminal(t *testing.T, cols, rows int, args ...string) string {
	t.Helper()
	ctrl, tty := openPTY(t, cols, rows)
	got := make(chan string)
	go func() {
		var b bytes.Buffer
		io.Copy(&b, ctrl) // ends with an error once tty is closed
		got <- b.String()
	}()
	var stderr bytes.Buffer
	code := run(args, &streams{in: strings.NewReader(""), out: tty, err: &stderr,
		openTTY: func() (*os.File, error) { return nil, os.ErrNotExist }})
	if code != 0 {
		t.Fatalf("journal %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
	}
	tty.Close()
	return testwait.Recv(t, got, "the terminal's output to be read to its end")
}

// newTestJournal makes a journal with incidents enough to fill a screen.
func newTestJournal(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("JOURNAL_FILE", filepath.Join(dir, "journal.db"))
	t.Setenv("JOURNAL_PASSPHRASE", "pass")
	t.Setenv("TERM", "xterm-256color")
	t.Setenv("NO_COLOR", "")
	// termenv turns colour off when CI is set, as .ci/run sets it.
	t.Setenv("CI", "")
	t.Setenv("JOURNAL_PAGER", "")
	quiet := &streams{in: strings.NewReader(""), out: io.Discard, err: io.Discard}
	if code := run([]string{"init", "--classic"}, quiet); code != 0 {
		t.Fatal("init failed")
	}
	for i := range 12 {
		args := []string{"add", "--when", fmt.Sprintf("2026-10-%02d 09:00", i+1), "--who", "John Smith (patient)",
			"--kind", "phone-call", "--summary", "Called the surgery again and asked for my home address, which they refused to give"}
		if i == 3 {
			args = append(args, "--reported", "Police; CAD 1234")
		}
		if code := run(args, quiet); code != 0 {
			t.Fatal("add failed")
		}
	}
}

var escapes = regexp.MustCompile(`\x1b\[[0-9;]*m`)

func TestTimelineOnTerminal(t *testing.T) {
	newTestJournal(t)

	out := onTerminal(t, 60, 200, "timeline")
	if !strings.Contains(out, "\x1b[") {
		t.Errorf("timeline on a terminal has no colour:\n%s", out)
	}
	plain := escapes.ReplaceAllString(out, "")
	if !strings.Contains(plain, "12 incidents, from 1 Oct 2026 to 12 Oct 2026") {
		t.Errorf("timeline on a terminal lacks the summary:\n%s", plain)
	}
	for _, line := range strings.Split(plain, "\n") {
		if n := len([]rune(line)); n > 60 {
			t.Errorf("line of %d columns on a terminal 60 wide: %q", n, line)
		}
	}

	t.Setenv("NO_COLOR", "1")
	out = onTerminal(t, 60, 200, "timeline")
	if strings.Contains(out, "\x1b") {
		t.Errorf("timeline with NO_COLOR has escape sequences:\n%q", out)
	}
	if !strings.Contains(out, "#1  Thu 1 Oct 2026 09:00  Called the surgery again and") {
		t.Errorf("timeline with NO_COLOR is not wrapped as expected:\n%s", out)
	}
}

func TestTimelinePager(t *testing.T) {
	newTestJournal(t)
	t.Setenv("NO_COLOR", "1")
	t.Setenv("JOURNAL_PAGER", "sed 's/^/paged: /'")

	// Longer than the screen: through the pager.
	out := onTerminal(t, 80, 10, "timeline")
	if !strings.HasPrefix(out, "paged: 12 incidents") {
		t.Errorf("long output did not go through the pager:\n%s", out)
	}
	// Fits on the screen: written directly.
	out = onTerminal(t, 80, 500, "timeline")
	if strings.Contains(out, "paged: ") || !strings.HasPrefix(out, "12 incidents") {
		t.Errorf("short output went through the pager:\n%s", out)
	}
	// JOURNAL_PAGER=cat, or empty: no pager.
	t.Setenv("JOURNAL_PAGER", "cat")
	out = onTerminal(t, 80, 10, "timeline")
	if strings.Contains(out, "paged: ") || !strings.HasPrefix(out, "12 incidents") {
		t.Errorf("JOURNAL_PAGER=cat still paged:\n%s", out)
	}
}

// TestCountsReadWithCommas: a count a person reads (backup, compact,
// verify, sync) has its thousands set off as the progress lines and the
// README set them off.
func TestCountsReadWithCommas(t *testing.T) {
	for n, want := range map[int]string{
		0: "0 records", 1: "1 record", 999: "999 records", 1000: "1,000 records",
		100054: "100,054 records", 1234567: "1,234,567 records",
	} {
		if got := countNoun(n, "record"); got != want {
			t.Errorf("countNoun(%d) = %q, want %q", n, got, want)
		}
	}
}

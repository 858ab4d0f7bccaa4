package pager

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lines renders n numbered lines.
func lines(n int) func(io.Writer) error {
	return func(w io.Writer) error {
		for i := range n {
			fmt.Fprintf(w, "line %d\n", i+1)
		}
		return nil
	}
}

// screenTo is a screen of height rows whose pager is command, writing to
// a file that is read back.
func screenTo(t *testing.T, height int, command string) (Screen, func() string) {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "screen"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return Screen{File: f, Width: 80, Height: height, Pager: command}, func() string {
		data, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
}

func TestShowPagesLongOutput(t *testing.T) {
	s, screen := screenTo(t, 5, "sed 's/^/paged: /'")
	if err := s.Show(s.File, lines(10)); err != nil {
		t.Fatal(err)
	}
	if got := screen(); !strings.HasPrefix(got, "paged: line 1\n") || strings.Count(got, "paged: ") != 10 {
		t.Errorf("10 lines on a screen of 5 went to the screen as:\n%s", got)
	}
}

func TestShowWritesShortOutput(t *testing.T) {
	s, screen := screenTo(t, 24, "sed 's/^/paged: /'")
	if err := s.Show(s.File, lines(3)); err != nil {
		t.Fatal(err)
	}
	if got := screen(); got != "line 1\nline 2\nline 3\n" {
		t.Errorf("3 lines on a screen of 24 went to the screen as:\n%s", got)
	}
}

func TestShowWithoutPagerOrTerminal(t *testing.T) {
	var out bytes.Buffer
	if err := (Screen{}).Show(&out, lines(100)); err != nil || strings.Count(out.String(), "\n") != 100 {
		t.Errorf("to a pipe: %d lines, %v", strings.Count(out.String(), "\n"), err)
	}
	s, screen := screenTo(t, 5, "")
	if err := s.Show(s.File, lines(10)); err != nil {
		t.Fatal(err)
	}
	if got := screen(); !strings.HasPrefix(got, "line 1\n") || strings.Count(got, "\n") != 10 {
		t.Errorf("without a pager, 10 lines went to the screen as:\n%s", got)
	}
}

func TestShowGivesLessItsOptions(t *testing.T) {
	t.Setenv("LESS", "")
	os.Unsetenv("LESS")
	s, screen := screenTo(t, 2, `echo "LESS=$LESS"`)
	if err := s.Show(s.File, lines(5)); err != nil {
		t.Fatal(err)
	}
	if got := screen(); got != "LESS=FRX\n" {
		t.Errorf("the pager was given %q, want LESS=FRX", got)
	}
	t.Setenv("LESS", "-S")
	s, screen = screenTo(t, 2, `echo "LESS=$LESS"`)
	s.Show(s.File, lines(5))
	if got := screen(); got != "LESS=-S\n" {
		t.Errorf("with LESS set the pager was given %q, want the person's own", got)
	}
}

func TestLookAtAFileOrPipe(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, w := range []io.Writer{f, &bytes.Buffer{}} {
		if s := Look(w, "PAGER"); s != (Screen{}) {
			t.Errorf("Look(%T) = %+v, want the zero screen", w, s)
		}
	}
}

// TestShowWithAMistypedPager checks that a pager that is not there (a
// slip in JOURNAL_PAGER) does not swallow the output.
func TestShowWithAMistypedPager(t *testing.T) {
	s, screen := screenTo(t, 2, "no-such-pager-here")
	if err := s.Show(s.File, lines(5)); err != nil {
		t.Fatal(err)
	}
	if got := screen(); !strings.HasPrefix(got, "line 1\n") || strings.Count(got, "\n") != 5 {
		t.Errorf("with a pager that is not there, the screen shows:\n%s", got)
	}
}

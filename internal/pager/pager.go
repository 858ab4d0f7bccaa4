// Package pager shows a command's output as git does: on a terminal,
// output longer than the screen goes through a pager (less, or the one
// the person chose); to a file or a pipe, or when it fits on the screen, it
// is written directly.
package pager

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"

	"golang.org/x/term"
)

// Screen is standard output as a person sees it. The zero Screen is
// output to a file or a pipe: plain, unwrapped, not paged.
type Screen struct {
	// File is the terminal; nil when the output is not a terminal.
	File *os.File
	// Width and Height are the terminal's size, in columns and rows.
	Width, Height int
	// Color says whether colour may be used.
	Color bool
	// Pager is the shell command that takes long output; "" for none.
	Pager string
}

// Look looks at w, where output goes. On a terminal, colour is allowed
// unless NO_COLOR is set or TERM=dumb, and the pager is the value of the
// first of vars that is set (such as the program's own variable, then
// PAGER), otherwise less; set to "" or "cat", there is none.
func Look(w io.Writer, vars ...string) Screen {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return Screen{}
	}
	s := Screen{File: f, Width: 80, Height: 24}
	if w, h, err := term.GetSize(int(f.Fd())); err == nil && w > 0 && h > 0 {
		s.Width, s.Height = w, h
	}
	s.Color = os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	s.Pager = "less"
	for _, name := range vars {
		if v, ok := os.LookupEnv(name); ok {
			s.Pager = strings.TrimSpace(v)
			break
		}
	}
	if s.Pager == "cat" {
		s.Pager = ""
	}
	return s
}

// Show writes what render writes to out. On a terminal, output longer
// than the screen goes through the pager; if the pager cannot be started,
// or run, the output is written directly. A pager quit early is not a
// failure.
func (s Screen) Show(out io.Writer, render func(io.Writer) error) error {
	if s.File == nil || s.Pager == "" {
		return render(out)
	}
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	if bytes.Count(buf.Bytes(), []byte("\n")) < s.Height {
		_, err := out.Write(buf.Bytes())
		return err
	}
	data := buf.Bytes()
	cmd := exec.Command("sh", "-c", s.Pager)
	cmd.Stdin = &buf
	cmd.Stdout = s.File
	cmd.Stderr = os.Stderr
	cmd.Env = os.Environ()
	if _, ok := os.LookupEnv("LESS"); !ok {
		// Quit at once if it fits after all, keep the colours, and
		// leave the text on the screen.
		cmd.Env = append(cmd.Env, "LESS=FRX")
	}
	if _, ok := os.LookupEnv("LV"); !ok {
		cmd.Env = append(cmd.Env, "LV=-c")
	}
	if err := cmd.Start(); err != nil {
		_, err := out.Write(data)
		return err
	}
	var exit *exec.ExitError
	if err := cmd.Wait(); errors.As(err, &exit) && (exit.ExitCode() == 126 || exit.ExitCode() == 127) {
		// The shell could not find or run the pager (a mistyped
		// JOURNAL_PAGER): it showed nothing, so show it directly.
		_, err := out.Write(data)
		return err
	}
	return nil
}

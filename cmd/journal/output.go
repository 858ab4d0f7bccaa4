package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"golang.org/x/term"

	"github.com/journal-dev/journal/export"
)

// screen says how standard output is shown: its size, whether to use
// colour, and which pager, if any, takes long output. A zero screen is
// output to a file or a pipe: plain, unwrapped, not paged.
type screen struct {
	file          *os.File
	width, height int
	color         bool
	pager         string
}

// outputScreen looks at standard output. Colour is used only on a
// terminal, never with NO_COLOR set or TERM=dumb. The pager is
// JOURNAL_PAGER, then PAGER, then less; set either to "" or "cat" for none.
func (g *globals) outputScreen() screen {
	f, ok := g.out.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return screen{}
	}
	t := screen{file: f, width: 80, height: 24}
	if w, h, err := term.GetSize(int(f.Fd())); err == nil && w > 0 && h > 0 {
		t.width, t.height = w, h
	}
	t.color = os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	t.pager = "less"
	for _, name := range []string{"JOURNAL_PAGER", "PAGER"} {
		if v, ok := os.LookupEnv(name); ok {
			t.pager = strings.TrimSpace(v)
			break
		}
	}
	if t.pager == "cat" {
		t.pager = ""
	}
	return t
}

// textOptions wraps the text timeline to the terminal's width and, where
// colour is allowed, dresses it.
func (t screen) textOptions() export.TextOptions {
	if t.file == nil {
		return export.TextOptions{}
	}
	opts := export.TextOptions{Width: max(t.width, 40)}
	if !t.color {
		return opts
	}
	r := lipgloss.NewRenderer(t.file)
	styles := map[export.Role]lipgloss.Style{
		export.Heading:  r.NewStyle().Bold(true),
		export.Emphasis: r.NewStyle().Bold(true),
		export.Muted:    r.NewStyle().Faint(true),
		export.Warning:  r.NewStyle().Foreground(lipgloss.Color("3")),
		export.Bar:      r.NewStyle().Foreground(lipgloss.Color("6")),
	}
	opts.Style = func(role export.Role, s string) string {
		if st, ok := styles[role]; ok {
			return st.Render(s)
		}
		return s
	}
	return opts
}

// show writes output to standard output. On a terminal, output longer
// than the screen goes through the pager, as git does; if the pager cannot
// be started, it is written directly.
func (t screen) show(out io.Writer, render func(io.Writer) error) error {
	if t.file == nil || t.pager == "" {
		return render(out)
	}
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	if bytes.Count(buf.Bytes(), []byte("\n")) < t.height {
		_, err := out.Write(buf.Bytes())
		return err
	}
	cmd := exec.Command("sh", "-c", t.pager)
	cmd.Stdin = &buf
	cmd.Stdout = t.file
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
	data := buf.Bytes()
	if err := cmd.Start(); err != nil {
		_, err := out.Write(data)
		return err
	}
	// A pager the user quits early is not a failure.
	cmd.Wait()
	return nil
}

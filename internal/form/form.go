// Package form asks for an incident on a terminal: the add form of the
// journal command, full-screen (huh) or one question a line for screen
// readers, and the question that settles a time that could be read two
// ways.
//
// The form reads and writes an incident only through the journal
// package's field table ([journal.FieldSpecs]): [Answers] are what the
// person typed, kept as typed, and [Answers.Fields] reads them into an
// incident, keeping exactly any value that came from a flag and was left
// as shown.
//
// The form never loses typing: whatever [Ask] returns, the answers hold
// what was typed, and a closed terminal, a stop or Ctrl+C twice end it
// with an error that says so. [Answers.Draft] writes them for a draft;
// sealing the draft and keeping it are the caller's.
package form

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
)

// Errors of the form. Whatever the form ends with, the answers it was
// given hold what was typed.
var (
	// ErrCancelled is returned when the person chose to discard the form.
	ErrCancelled = errors.New("cancelled")
	// ErrInputEnded is returned when the input ended before the form did.
	ErrInputEnded = errors.New("the input ended before the form was finished")
	// ErrInputEndedEmpty is ErrInputEnded when nothing had been typed.
	ErrInputEndedEmpty = errors.New("the input ended before anything was typed: nothing was recorded")
	// ErrKept is returned when the person left the form with Ctrl+C
	// twice: what was typed is to be kept in a draft.
	ErrKept = errors.New("you left the form before saving")
	// ErrStopped is returned when the terminal closed or the program was
	// stopped before the form was done.
	ErrStopped = errors.New("the form was stopped before it was saved")
)

// Terminal is where a form asks its questions.
type Terminal struct {
	// In gives what is typed.
	In io.Reader
	// Out is the terminal the form is drawn on.
	Out io.Writer
	// Lines asks one question a line, for screen readers and plain
	// terminals. A dumb terminal (TERM=dumb) is always asked so.
	Lines bool
}

func (t Terminal) lines() bool { return t.Lines || dumb() }

// Ask asks for an incident on the terminal, starting from the answers in
// a, until the person saves it (nil) or leaves: ErrCancelled, ErrKept,
// ErrStopped, ErrInputEnded or ErrInputEndedEmpty. Whatever it returns, a
// holds what was typed. now is the time times are read against;
// checkEvidence, if not nil, checks the evidence files' paths as they are
// typed.
//
// A closed terminal (SIGHUP), a request to stop (SIGTERM) or the end of
// ctx ends the form with ErrStopped; Ctrl+C asks before discarding what
// was typed, and a second Ctrl+C ends it with ErrKept. Ask catches these
// signals only while it runs.
func Ask(ctx context.Context, t Terminal, a *Answers, now time.Time, checkEvidence func(paths []string) error) error {
	start := *a
	start.Kinds = slices.Clone(a.Kinds)
	ctx, stop := signal.NotifyContext(ctx, stopSignals...)
	defer stop()
	pages := func() []page { return addPages(a, now, checkEvidence) }
	if t.lines() {
		return askByLine(ctx, t, a, &start, pages())
	}
	return askOnScreen(ctx, t, a, &start, pages)
}

// askByLine asks the pages one question a line (see runLineForm).
func askByLine(ctx context.Context, t Terminal, a, start *Answers, pages []page) error {
	// Ctrl+C cancels the question, so that the form can ask before
	// throwing away what was typed, as the full-screen form does.
	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, os.Interrupt)
	defer signal.Stop(interrupt)
	in := newLineInput(ctx, t.In, interrupt)
	defer in.close()
	err := runLineForm(in, t.Out, a, start, pages)
	if errors.Is(err, ErrInputEnded) && !a.typed(start) {
		return ErrInputEndedEmpty
	}
	return err
}

// askOnScreen asks the pages full-screen, a page at a time. Ctrl+C asks
// whether to discard what was typed; "Keep editing" comes back to the
// page it was on.
func askOnScreen(ctx context.Context, t Terminal, a, start *Answers, addPages func() []page) error {
	page := 0
	for {
		a.Save = true
		pages := addPages()
		f, pageOf := buildHuhForm(pages)
		err := runHuh(ctx, f, t.In, t.Out, shownBefore(pages, page))
		switch {
		case errors.Is(err, huh.ErrUserAborted):
			if !a.typed(start) {
				return ErrCancelled
			}
			page = pageOf[f.GetFocusedField()]
			discard := false
			err := runHuh(ctx, confirm("Discard what you typed?",
				"Nothing has been saved yet. Ctrl+C again keeps it in a draft for later.",
				"Discard it", "Keep editing", &discard), t.In, t.Out, 0)
			switch {
			case errors.Is(err, huh.ErrUserAborted):
				return ErrKept
			case err != nil:
				return err
			case discard:
				return ErrCancelled
			}
		case err != nil:
			return err
		case a.Save:
			return nil
		default:
			page = 0 // "Go back": from the start
		}
	}
}

// Confirm asks a question with two answers on the terminal and reports
// whether yes was chosen; value is the answer offered first. Leaving the
// question (Ctrl+C) is huh.ErrUserAborted, a closed terminal or a stop
// ErrStopped. On a line terminal it asks for y or n and reads no further
// than the answer's line, so what is typed after it is left to what comes
// next; the end of the input there is ErrInputEnded.
func Confirm(ctx context.Context, t Terminal, title, description, yes, no string, value bool) (bool, error) {
	if !t.lines() {
		err := runHuh(ctx, confirm(title, description, yes, no, &value), t.In, t.Out, 0)
		return value, err
	}
	fmt.Fprintln(t.Out, title)
	if description != "" {
		fmt.Fprintln(t.Out, description)
	}
	for {
		promptYesNo(t.Out, yes, no, value)
		line, err := readRawLine(t.In)
		if err != nil {
			return false, ErrInputEnded
		}
		answer, err := readYesNo(line, value)
		if err == nil {
			return answer, nil
		}
		fmt.Fprintf(t.Out, "Not accepted: %v. Please try again.\n", err)
	}
}

// confirm is a full-screen form of one question with two answers.
func confirm(title, description, yes, no string, value *bool) *huh.Form {
	return withTheme(huh.NewForm(huh.NewGroup(huh.NewConfirm().
		Title(title).Description(description).Affirmative(yes).Negative(no).Value(value))))
}

// runHuh runs a full-screen form from its page start, as a program that
// ends gracefully, also when it is left with Ctrl+C (CancelCmd is
// tea.Quit): huh's own Run ends it as killed, which leaves a reader of the
// terminal behind that takes the next key typed into the program after
// it. It returns huh.ErrUserAborted after Ctrl+C, and ErrStopped when ctx
// ends, the terminal closes or the program is asked to stop (it catches
// those signals while it runs) before the form is done. When its input
// ends or cannot be read (a terminal closed without a hang-up reaching
// the program), it returns ErrInputEnded or ErrTerminalClosed at once.
func runHuh(ctx context.Context, f *huh.Form, in io.Reader, out io.Writer, start int) error {
	ctx, stop := signal.NotifyContext(ctx, stopSignals...)
	defer stop()
	f.SubmitCmd = tea.Quit
	f.CancelCmd = tea.Quit
	watch := newWatchedInput()
	p := tea.NewProgram(startAt{f, start}, tea.WithInput(watch.wrap(in)), tea.WithOutput(out),
		tea.WithContext(ctx), tea.WithoutSignalHandler(), tea.WithFilter(typedAsText))
	ran := make(chan struct{})
	defer close(ran)
	go func() {
		select {
		case <-watch.ended:
			p.Quit()
		case <-ran:
		}
	}()
	m, err := p.Run()
	switch {
	case ctx.Err() != nil:
		return ErrStopped
	case watch.reason() != nil:
		return watch.reason()
	case err != nil:
		return fmt.Errorf("form: %w", err)
	}
	switch m.(startAt).Form.State {
	case huh.StateAborted:
		return huh.ErrUserAborted
	case huh.StateCompleted:
		return nil
	}
	return ErrStopped
}

// shownBefore counts the pages shown before page: how many times to go to
// the next page to reach it.
func shownBefore(pages []page, page int) int {
	n := 0
	for _, p := range pages[:page] {
		if p.hide == nil || !p.hide() {
			n++
		}
	}
	return n
}

// startAt is a form that opens at one of its pages: after "Keep editing",
// the page the person was on.
type startAt struct {
	*huh.Form
	page int
}

func (s startAt) Init() tea.Cmd {
	cmds := []tea.Cmd{s.Form.Init()}
	for range s.page {
		cmds = append(cmds, s.Form.NextGroup())
	}
	return tea.Sequence(cmds...)
}

func (s startAt) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if ws, ok := msg.(tea.WindowSizeMsg); ok && ws.Height > 1 {
		// huh fits a page's questions to the height less its title and
		// help, but draws a blank line more before the help: the page
		// would be a line taller than the terminal, and its title, at
		// the top, would scroll off. Give it one line less.
		ws.Height--
		msg = ws
	}
	if k, ok := msg.(tea.KeyMsg); ok && alreadyThere(s.Form.GetFocusedField(), k) {
		return s, nil
	}
	m, cmd := s.Form.Update(msg)
	s.Form = m.(*huh.Form)
	return s, cmd
}

// alreadyThere reports whether k is an arrow towards the answer of a
// two-answer question that is chosen already. huh's ← and → both toggle,
// so → on the right-hand answer would choose the left one: a person
// pressing → to stay on "Exact" got "Approximate". An arrow now moves
// towards its side, and stays there.
func alreadyThere(f huh.Field, k tea.KeyMsg) bool {
	c, ok := f.(*huh.Confirm)
	if !ok {
		return false
	}
	yes, _ := c.GetValue().(bool) // the answer on the left
	switch k.String() {
	case "left", "h":
		return yes
	case "right", "l":
		return !yes
	}
	return false
}

// typedAsText makes keys that arrive together as one burst of text (a
// paste without brackets, dictation, a slow link) into text: without it,
// the word "enter" typed quickly matches the Enter key's name and submits
// the field, and "down" or "left" move instead of being written.
func typedAsText(_ tea.Model, msg tea.Msg) tea.Msg {
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyRunes && len(k.Runes) > 1 && !k.Paste {
		k.Paste = true
		return k
	}
	return msg
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/journal-dev/journal/dates"
	"github.com/journal-dev/journal/journal"
)

// The kinds of question the form asks.
type questionKind int

const (
	askLine questionKind = iota
	askText
	askSelect
	askMulti
	askConfirm
	askNote
)

type choice struct{ label, value string }

// question is one question of the form. Exactly one of str, strs and b
// holds its answer, according to its kind.
type question struct {
	title, help string
	kind        questionKind
	str         *string
	strs        *[]string
	b           *bool
	choices     []choice
	yes, no     string
	validate    func(string) error
	// check, for a yes-or-no question, refuses an answer.
	check func(bool) error
	note  func() string
	// binding is what the note depends on, so that it is redrawn when
	// it changes.
	binding any
}

// page is a page of the form: a title and its questions, shown unless hide
// says otherwise.
type page struct {
	title     string
	questions []question
	hide      func() bool
}

// Page titles: the pseudo-terminal tests look for them, so keep them
// stable.
const (
	pageWhen     = "When and where"
	pageWho      = "Who was involved"
	pageWhat     = "What happened"
	pageToldBy   = "Who told you"
	pageEvidence = "Witnesses and evidence"
	pageAction   = "What you did"
	pageImpact   = "Impact"
	pageSave     = "Check and save"
)

// addPages are the pages of the add form, bound to a.
func addPages(a *answers, now time.Time) []page {
	relations := make([]choice, len(journal.Relations))
	for i, r := range journal.Relations {
		relations[i] = choice{r, r}
	}
	kinds := make([]choice, len(journal.Kinds))
	for i, k := range journal.Kinds {
		kinds[i] = choice{strings.ReplaceAll(k, "-", " "), k}
	}
	severities := []choice{{"not sure", ""}, {"low", "low"}, {"medium", "medium"}, {"high", "high"}}
	return []page{
		{title: pageWhen, questions: []question{
			{title: "When did it happen?", help: "For example: 24 Nov 14:30, yesterday 17.00, last Tuesday 9am, 30/11/26.",
				kind: askLine, str: &a.When, validate: func(s string) error {
					_, err := dates.Parse(s, now)
					return err
				}},
			{title: "When did it end?", help: "Only if it went on for a while; leave empty otherwise.",
				kind: askLine, str: &a.Until, validate: func(s string) error {
					if strings.TrimSpace(s) == "" {
						return nil
					}
					var o dates.Options
					t, err := dates.Parse(a.When, now)
					if err == nil {
						o.Start = t.Time
					}
					u, err2 := dates.ParseWith(s, now, o)
					if err2 != nil {
						return err2
					}
					if err == nil && u.Time.Before(t.Time) {
						return errors.New("the end is before the start")
					}
					return nil
				}},
			{title: "Is the time approximate?", kind: askConfirm, b: &a.Approx, yes: "Approximate", no: "Exact"},
			{title: "Where did it happen?", help: "The place, as precisely as you can: Reception, Riverside Surgery.",
				kind: askLine, str: &a.Where},
		}},
		{title: pageWho, questions: []question{
			{title: "Who was it?", help: "Their name, or how you would describe them if you do not know it.",
				kind: askLine, str: &a.Name},
			{title: "Who are they to you?", kind: askSelect, str: &a.Relation, choices: relations},
			{title: "What did they look like?", help: "Appearance, clothing, vehicle. Optional.",
				kind: askLine, str: &a.Description},
			{title: "Anyone else involved?", help: "Names, with the relation in brackets, separated by commas: Mary Smith (relative).",
				kind: askLine, str: &a.Others, validate: checkEach(journal.FieldWho, splitList)},
		}},
		{title: pageWhat, questions: []question{
			{title: "In one line, what happened?", kind: askLine, str: &a.Summary, validate: func(s string) error {
				if strings.TrimSpace(s) == "" {
					return errors.New("a one-line summary is needed")
				}
				return nil
			}},
			{title: "What kind of contact?", help: "Choose all that apply.", kind: askMulti, strs: &a.Kinds, choices: kinds},
			{title: "The full account", help: "What happened, in order, as you remember it.",
				kind: askText, str: &a.Details},
			{title: "The words used", help: "What they said or wrote, word for word, if you remember it.",
				kind: askText, str: &a.Words},
			{title: "Did you see or hear it yourself?", kind: askConfirm, b: &a.FirstHand,
				yes: "Yes, first-hand", no: "No, someone told me"},
		}},
		{title: pageToldBy, hide: func() bool { return a.FirstHand }, questions: []question{
			{title: "Who told you about it?", help: "Their name, and how to reach them.", kind: askLine, str: &a.ToldBy,
				validate: func(s string) error {
					if strings.TrimSpace(s) == "" {
						return errors.New("say who told you")
					}
					return nil
				}},
		}},
		{title: pageEvidence, questions: []question{
			{title: "Witnesses", help: "One a line: name; how to reach them. Add (chaperone) after a chaperone's name.",
				kind: askText, str: &a.Witnesses, validate: checkEach(journal.FieldWitness, lines)},
			{title: "Evidence files", help: "Screenshots, recordings, letters: one path a line (or drag the file here). They are sealed in the journal byte for byte.",
				kind: askText, str: &a.Evidence, validate: func(s string) error {
					files, err := openEvidence(evidencePaths(s))
					closeAll(files)
					return err
				}},
			{title: "How did you keep the evidence?", help: "For example: screenshot of the message, original letter kept, voicemail saved.",
				kind: askLine, str: &a.Kept},
		}},
		{title: pageAction, questions: []question{
			{title: "What did you do?", help: "One a line, for example: Told him the contact was not appropriate.",
				kind: askText, str: &a.Actions},
			{title: "Who did you report it to?", help: "One a line: who; reference; officer. For example: Police; CAD 1234 24/11; PC 123 Jones.",
				kind: askText, str: &a.Reported, validate: checkEach(journal.FieldReported, lines)},
		}},
		{title: pageImpact, questions: []question{
			{title: "How has it affected you?", help: "Sleep, work, feeling safe, changes to your routine.",
				kind: askText, str: &a.Impact},
			{title: "Has it changed your daily life?", help: "What you now do differently: a changed route, a stopped clinic, a move.",
				kind: askText, str: &a.DailyLife},
			{title: "How serious was it?", kind: askSelect, str: &a.Severity, choices: severities},
			{title: "Tags", help: "Words to find it by later, separated by commas. Optional.", kind: askLine, str: &a.Tags},
			{title: "Private notes", help: "For you only: they are never part of any report or export.", kind: askLine, str: &a.Private},
		}},
		{title: pageSave, questions: []question{
			{title: "Check before saving", kind: askNote, note: func() string { return a.review(now) }, binding: a},
			{title: "Save this incident?", kind: askConfirm, b: &a.Save, yes: "Save", no: "Go back",
				check: func(save bool) error {
					if !save {
						return nil
					}
					_, err := a.fields(now)
					return err
				}},
		}},
	}
}

// Errors of the form.
var (
	// errCancelled is returned when the person chose to discard the form.
	errCancelled = errors.New("cancelled")
	// errInputEnded is returned when the input ended before the form did.
	errInputEnded = errors.New("the input ended before the form was finished")
	// errKeep is returned when the person left the form with Ctrl+C
	// twice: what was typed is kept in a draft.
	errKeep = errors.New("you left the form before saving")
	// errStopped is returned when the terminal closed or the program was
	// stopped before the form was done.
	errStopped = errors.New("the form was stopped before it was saved")
	// errInputEndedEmpty is errInputEnded when nothing had been typed.
	errInputEndedEmpty = errors.New("the input ended before anything was typed: nothing was recorded")
)

// runForm asks the pages' questions on the terminal until the person saves
// or cancels, and returns errCancelled, errKeep, errStopped or
// errInputEnded otherwise. The answers in a are kept whatever happens.
func runForm(g *globals, a *answers, now time.Time, accessible bool) error {
	tty, err := g.openTTY()
	if err != nil {
		return usageError("--summary is required when not on a terminal")
	}
	defer tty.Close()
	start := *a
	start.Kinds = slices.Clone(a.Kinds)
	// A closed terminal (SIGHUP) or a stop (SIGTERM) ends the form, and
	// what was typed is kept.
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	defer stop()
	if accessible {
		// Ctrl+C cancels the question, so that the form can ask before
		// throwing away what was typed, as the full-screen form does.
		interrupt := make(chan os.Signal, 1)
		signal.Notify(interrupt, os.Interrupt)
		defer signal.Stop(interrupt)
		in := newLineInput(g.in, interrupt)
		defer in.close()
		err := runLineForm(in, tty, a, &start, addPages(a, now))
		if errors.Is(err, errInputEnded) && !a.typed(&start) {
			return errInputEndedEmpty
		}
		return err
	}
	page := 0
	for {
		a.Save = true
		pages := addPages(a, now)
		f, pageOf := buildHuhForm(pages)
		err := runHuh(ctx, f, g.in, tty, stepsTo(pages, page))
		switch {
		case errors.Is(err, huh.ErrUserAborted):
			if !a.typed(&start) {
				return errCancelled
			}
			page = pageOf[f.GetFocusedField()]
			discard := false
			err := runHuh(ctx, withTheme(huh.NewForm(huh.NewGroup(huh.NewConfirm().
				Title("Discard what you typed?").
				Description("Nothing has been saved yet. Ctrl+C again keeps it in a draft for later.").
				Affirmative("Discard it").Negative("Keep editing").Value(&discard)))), g.in, tty, 0)
			switch {
			case errors.Is(err, huh.ErrUserAborted):
				return errKeep
			case err != nil:
				return err
			case discard:
				return errCancelled
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

// runHuh runs a full-screen form from its page start, as a program that
// ends gracefully, also when it is left with Ctrl+C (CancelCmd is
// tea.Quit): huh's own Run ends it as killed, which leaves a reader of the
// terminal behind that takes the next key typed into the program after
// it. It returns huh.ErrUserAborted after Ctrl+C, and errStopped when ctx
// ends or the program stops before the form is done.
func runHuh(ctx context.Context, f *huh.Form, in io.Reader, out io.Writer, start int) error {
	f.SubmitCmd = tea.Quit
	f.CancelCmd = tea.Quit
	m, err := tea.NewProgram(startAt{f, start}, tea.WithInput(in), tea.WithOutput(out),
		tea.WithContext(ctx), tea.WithoutSignalHandler(), tea.WithFilter(typedAsText)).Run()
	switch {
	case ctx.Err() != nil:
		return errStopped
	case err != nil:
		return fmt.Errorf("form: %w", err)
	}
	switch m.(startAt).Form.State {
	case huh.StateAborted:
		return huh.ErrUserAborted
	case huh.StateCompleted:
		return nil
	}
	return errStopped
}

// stepsTo counts the pages shown before page: how many times to go to the
// next page to reach it.
func stepsTo(pages []page, page int) int {
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
	m, cmd := s.Form.Update(msg)
	s.Form = m.(*huh.Form)
	return s, cmd
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

// buildHuhForm makes the full-screen form of the pages, and says on which
// page each of its fields is.
func buildHuhForm(pages []page) (*huh.Form, map[huh.Field]int) {
	var groups []*huh.Group
	pageOf := map[huh.Field]int{}
	for n, p := range pages {
		var fields []huh.Field
		for i := range p.questions {
			q := &p.questions[i]
			f := huhField(q)
			pageOf[f] = n
			fields = append(fields, f)
		}
		gr := huh.NewGroup(fields...).Title(p.title)
		if p.hide != nil {
			gr = gr.WithHideFunc(p.hide)
		}
		groups = append(groups, gr)
	}
	return withTheme(huh.NewForm(groups...)), pageOf
}

// withTheme sets the form's theme: without colour (NO_COLOR, a dumb
// terminal), the chosen button is marked with brackets, so that it shows.
func withTheme(f *huh.Form) *huh.Form {
	if !noColor() {
		return f
	}
	t := huh.ThemeBase()
	mark := func(s string) string { return "[" + strings.TrimSpace(s) + "]" }
	pad := func(s string) string { return " " + strings.TrimSpace(s) + " " }
	t.Focused.FocusedButton = t.Focused.FocusedButton.Transform(mark)
	t.Focused.BlurredButton = t.Focused.BlurredButton.Transform(pad)
	t.Blurred.FocusedButton = t.Blurred.FocusedButton.Transform(mark)
	t.Blurred.BlurredButton = t.Blurred.BlurredButton.Transform(pad)
	return f.WithTheme(t)
}

// noColor reports whether the terminal shows no colour.
func noColor() bool {
	return os.Getenv("NO_COLOR") != "" || isDumbTerminal()
}

// multiHeight is the height of a list of choices, its title included.
const multiHeight = 8

func huhField(q *question) huh.Field {
	validate := func(s string) error {
		if q.validate == nil {
			return nil
		}
		return q.validate(s)
	}
	switch q.kind {
	case askText:
		return huh.NewText().Title(q.title).Description(q.help + " Alt+Enter starts a new line; Ctrl+E opens your editor.").
			Value(q.str).Validate(validate).Lines(4)
	case askSelect:
		opts := make([]huh.Option[string], len(q.choices))
		for i, c := range q.choices {
			opts[i] = huh.NewOption(c.label, c.value)
		}
		return huh.NewSelect[string]().Title(q.title).Description(q.help).Options(opts...).Value(q.str)
	case askMulti:
		opts := make([]huh.Option[string], len(q.choices))
		for i, c := range q.choices {
			opts[i] = huh.NewOption(c.label, c.value).Selected(slices.Contains(*q.strs, c.value))
		}
		help := q.help + " Space chooses, enter goes on."
		if len(opts) > multiHeight-2 {
			// The list shows a few at a time: say there are more.
			help += fmt.Sprintf(" %d choices: ↓ shows more.", len(opts))
		}
		return huh.NewMultiSelect[string]().Title(q.title).Description(help).
			Options(opts...).Value(q.strs).Height(multiHeight)
	case askConfirm:
		c := huh.NewConfirm().Title(q.title).Description(q.help).Affirmative(q.yes).Negative(q.no).Value(q.b)
		if q.check != nil {
			c = c.Validate(q.check)
		}
		return c
	case askNote:
		return huh.NewNote().Title(q.title).DescriptionFunc(q.note, q.binding)
	default:
		return huh.NewInput().Title(q.title).Description(q.help).Value(q.str).Validate(validate)
	}
}

// isDumbTerminal reports whether the terminal cannot show the full-screen
// form.
func isDumbTerminal() bool {
	return os.Getenv("TERM") == "dumb"
}

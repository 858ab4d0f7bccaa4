package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/dates"
	"github.com/journal-dev/journal/export"
	"github.com/journal-dev/journal/journal"
)

// answers are what the add form asks, as the person typed it, before it is
// read into an incident's fields. A draft keeps them as they are.
type answers struct {
	When        string   `json:"when"`
	Until       string   `json:"until"`
	Approx      bool     `json:"approx"`
	Where       string   `json:"where"`
	Name        string   `json:"name"`
	Relation    string   `json:"relation"`
	Description string   `json:"description"`
	Others      string   `json:"others"`
	Summary     string   `json:"summary"`
	Kinds       []string `json:"kinds"`
	Details     string   `json:"details"`
	Words       string   `json:"words"`
	FirstHand   bool     `json:"first_hand"`
	ToldBy      string   `json:"told_by"`
	Witnesses   string   `json:"witnesses"`
	Evidence    string   `json:"evidence"`
	Actions     string   `json:"actions"`
	Reported    string   `json:"reported"`
	Impact      string   `json:"impact"`
	Severity    string   `json:"severity"`
	Tags        string   `json:"tags"`
	DailyLife   string   `json:"daily_life"`
	Kept        string   `json:"evidence_kept"`
	Private     string   `json:"private_notes"`
	// Save is the answer to the last question.
	Save bool `json:"-"`
}

// answersFrom fills the form from fields given as flags and evidence files
// given with --attach.
func answersFrom(f *journal.Fields, attach []string) *answers {
	a := &answers{
		When: whenAnswer(f.OccurredAt, f.DateOnly), Approx: f.Approximate, Where: f.Place,
		Relation: "unknown", Summary: f.Summary, Kinds: slices.Clone(f.Kinds), Details: f.Details, Words: f.Words,
		FirstHand: f.ToldBy == "", ToldBy: f.ToldBy, Impact: f.Impact, Severity: f.Severity,
		DailyLife: f.DailyLife, Kept: f.EvidenceKept, Private: f.PrivateNotes,
		Tags: strings.Join(f.Tags, ", "), Evidence: strings.Join(attach, "\n"), Save: true,
	}
	if f.Until != nil {
		a.Until = whenAnswer(*f.Until, f.UntilDateOnly)
	}
	if a.Kinds == nil {
		a.Kinds = []string{}
	}
	for i, p := range f.People {
		if i == 0 {
			a.Name, a.Relation, a.Description = p.Name, p.Relation, p.Description
			continue
		}
		a.Others = joinNonEmpty(a.Others, p.String())
	}
	var lines []string
	for _, w := range f.Witnesses {
		s := w.Name
		if w.Chaperone {
			s += " (chaperone)"
		}
		if w.Contact != "" {
			s += "; " + w.Contact
		}
		lines = append(lines, s)
	}
	a.Witnesses = strings.Join(lines, "\n")
	a.Actions = strings.Join(f.Actions, "\n")
	lines = nil
	for _, r := range f.Reported {
		s := r.To
		if r.Reference != "" || r.Officer != "" {
			s += "; " + r.Reference
		}
		if r.Officer != "" {
			s += "; " + r.Officer
		}
		lines = append(lines, s)
	}
	a.Reported = strings.Join(lines, "\n")
	if a.Relation == "" {
		a.Relation = "unknown"
	}
	return a
}

// typed reports whether the person has typed anything beyond what the form
// started with.
func (a *answers) typed(start *answers) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(start)
	return string(x) != string(y)
}

// fields reads the answers into an incident's fields, checking each; the
// error names the question.
func (a *answers) fields(now time.Time) (journal.Fields, error) {
	var f journal.Fields
	when, err := dates.Parse(a.When, now)
	if err != nil {
		return f, fmt.Errorf("when: %w", err)
	}
	f.SetWhen(when)
	if strings.TrimSpace(a.Until) != "" {
		u, err := dates.Parse(a.Until, now)
		if err != nil {
			return f, fmt.Errorf("until: %w", err)
		}
		f.SetUntil(&u)
	}
	f.Approximate = f.Approximate || a.Approx
	f.Place = strings.TrimSpace(a.Where)
	if name := strings.TrimSpace(a.Name); name != "" {
		rel := a.Relation
		if rel == "" {
			rel = "unknown"
		}
		f.People = append(f.People, journal.Person{Name: name, Relation: rel, Description: strings.TrimSpace(a.Description)})
	}
	others, err := parsePeople(a.Others)
	if err != nil {
		return f, fmt.Errorf("others: %w", err)
	}
	f.People = append(f.People, others...)
	f.Summary = strings.TrimSpace(a.Summary)
	f.Kinds = slices.Clone(a.Kinds)
	f.Details = strings.TrimRight(a.Details, "\n ")
	f.Words = strings.TrimRight(a.Words, "\n ")
	f.FirstHand = a.FirstHand
	if !a.FirstHand {
		if f.ToldBy = strings.TrimSpace(a.ToldBy); f.ToldBy == "" {
			return f, errors.New("told by: say who told you")
		}
	}
	if f.Witnesses, err = parseWitnessLines(a.Witnesses); err != nil {
		return f, fmt.Errorf("witnesses: %w", err)
	}
	f.Actions = lines(a.Actions)
	if f.Reported, err = parseReportLines(a.Reported); err != nil {
		return f, fmt.Errorf("reported: %w", err)
	}
	f.Impact = strings.TrimRight(a.Impact, "\n ")
	f.DailyLife = strings.TrimRight(a.DailyLife, "\n ")
	f.EvidenceKept = strings.TrimSpace(a.Kept)
	f.PrivateNotes = strings.TrimRight(a.Private, "\n ")
	f.Severity = a.Severity
	f.Tags = splitList(a.Tags)
	if err := f.Validate(); err != nil {
		return f, err
	}
	return f, nil
}

// evidence returns the evidence files' paths, one a line.
func (a *answers) evidence() []string { return lines(a.Evidence) }

func parseWitnessLines(s string) ([]journal.Witness, error) {
	var out []journal.Witness
	for _, l := range lines(s) {
		w, err := journal.ParseWitness(l)
		if err != nil {
			return nil, err
		}
		if n, ok := cutSuffixFold(w.Name, "(chaperone)"); ok {
			w.Name, w.Chaperone = strings.TrimSpace(n), true
		}
		out = append(out, w)
	}
	return out, nil
}

func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}

// parseReportLines reads "to; reference; officer", one a line.
func parseReportLines(s string) ([]journal.Report, error) {
	var out []journal.Report
	for _, l := range lines(s) {
		parts := strings.SplitN(l, ";", 3)
		r := journal.Report{To: strings.TrimSpace(parts[0])}
		if len(parts) > 1 {
			r.Reference = strings.TrimSpace(parts[1])
		}
		if len(parts) > 2 {
			r.Officer = strings.TrimSpace(parts[2])
		}
		if r.To == "" {
			return nil, fmt.Errorf("no one named in %q", l)
		}
		out = append(out, r)
	}
	return out, nil
}

// lines splits text into its non-empty lines, trimmed.
func lines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// review is what the last page shows before saving: the time as it was
// understood, and the incident in short.
func (a *answers) review(now time.Time) string {
	f, err := a.fields(now)
	if err != nil {
		return "Not ready to save: " + err.Error() + ".\nGo back (shift+tab) to correct it."
	}
	var b strings.Builder
	row := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%-10s %s\n", name+":", value)
		}
	}
	when := sayWhen(dates.Result{Time: f.OccurredAt, DateOnly: f.DateOnly, Approximate: f.Approximate}, now)
	if f.Until != nil {
		until := dates.Result{Time: *f.Until, DateOnly: f.UntilDateOnly}
		if !f.DateOnly && !f.UntilDateOnly && f.Until.YearDay() == f.OccurredAt.YearDay() && f.Until.Year() == f.OccurredAt.Year() {
			when += ", until " + f.Until.Format("15:04")
		} else {
			when += "\n           until " + sayWhen(until, now)
		}
	}
	row("When", when)
	gap := now.Sub(f.OccurredAt)
	if f.Until != nil {
		gap = now.Sub(*f.Until)
	}
	rec := "now"
	if gap >= time.Minute {
		rec += ", " + export.Duration(gap) + " after it happened"
	}
	row("Recorded", rec)
	row("Where", f.Place)
	var who []string
	for _, p := range f.People {
		who = append(who, p.String())
	}
	row("Who", strings.Join(who, ", "))
	row("What", f.Summary)
	row("Kind", strings.Join(f.Kinds, ", "))
	row("Source", f.Source())
	if n := len(f.Witnesses); n > 0 {
		row("Witnesses", strconv.Itoa(n))
	}
	if n := len(a.evidence()); n > 0 {
		row("Evidence", fmt.Sprintf("%d file(s)", n))
	}
	row("Severity", f.Severity)
	return strings.TrimRight(b.String(), "\n")
}

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
					u, err := dates.Parse(s, now)
					if err != nil {
						return err
					}
					if t, err := dates.Parse(a.When, now); err == nil && u.Time.Before(t.Time) {
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
				kind: askLine, str: &a.Others, validate: func(s string) error {
					_, err := parsePeople(s)
					return err
				}},
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
				kind: askText, str: &a.Witnesses, validate: func(s string) error {
					_, err := parseWitnessLines(s)
					return err
				}},
			{title: "Evidence files", help: "Screenshots, recordings, letters: one path a line. They are sealed in the journal byte for byte.",
				kind: askText, str: &a.Evidence, validate: func(s string) error {
					files, err := openEvidence(lines(s))
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
				kind: askText, str: &a.Reported, validate: func(s string) error {
					_, err := parseReportLines(s)
					return err
				}},
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
	// errInputEndedEmpty is errInputEnded when nothing had been typed.
	errInputEndedEmpty = errors.New("the input ended before anything was typed: nothing was recorded")
)

// runForm asks the pages' questions on the terminal until the person saves
// or cancels, and returns errCancelled or errInputEnded otherwise. The
// answers in a are kept whatever happens.
func runForm(g *globals, a *answers, now time.Time, accessible bool) error {
	tty, err := g.openTTY()
	if err != nil {
		return usageError("--summary is required when not on a terminal")
	}
	defer tty.Close()
	start := *a
	start.Kinds = slices.Clone(a.Kinds)
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
	for {
		a.Save = true
		err := runHuh(buildHuhForm(addPages(a, now)), g.in, tty)
		switch {
		case errors.Is(err, huh.ErrUserAborted):
			if !a.typed(&start) {
				return errCancelled
			}
			discard := false
			err := runHuh(huh.NewForm(huh.NewGroup(huh.NewConfirm().
				Title("Discard what you typed?").
				Description("Nothing has been saved yet.").
				Affirmative("Discard it").Negative("Keep editing").Value(&discard))), g.in, tty)
			if errors.Is(err, huh.ErrUserAborted) || (err == nil && discard) {
				return errCancelled
			}
			if err != nil {
				return err
			}
		case err != nil:
			return err
		case a.Save:
			return nil
		}
	}
}

// runHuh runs a full-screen form as a program that ends gracefully, also
// when it is left with Ctrl+C (CancelCmd is tea.Quit). huh's own Run ends
// it as killed, which leaves a reader of the terminal behind that takes
// the next key typed into the program after it.
func runHuh(f *huh.Form, in io.Reader, out io.Writer) error {
	f.SubmitCmd = tea.Quit
	f.CancelCmd = tea.Quit
	m, err := tea.NewProgram(f, tea.WithInput(in), tea.WithOutput(out)).Run()
	if err != nil {
		return fmt.Errorf("form: %w", err)
	}
	if form, ok := m.(*huh.Form); ok && form.State == huh.StateAborted {
		return huh.ErrUserAborted
	}
	return nil
}

// buildHuhForm makes the full-screen form of the pages.
func buildHuhForm(pages []page) *huh.Form {
	var groups []*huh.Group
	for _, p := range pages {
		var fields []huh.Field
		for i := range p.questions {
			q := &p.questions[i]
			fields = append(fields, huhField(q))
		}
		gr := huh.NewGroup(fields...).Title(p.title)
		if p.hide != nil {
			gr = gr.WithHideFunc(p.hide)
		}
		groups = append(groups, gr)
	}
	return huh.NewForm(groups...)
}

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
		return huh.NewMultiSelect[string]().Title(q.title).Description(q.help + " Space chooses, enter goes on.").
			Options(opts...).Value(q.strs).Height(8)
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

// runLineForm asks the questions one line at a time, for screen readers and
// plain terminals. Every answer is checked before the next question; the
// end of the input stops the form with errInputEnded, never with a
// half-checked answer.
func runLineForm(in *lineInput, out io.Writer, a, start *answers, pages []page) error {
	fmt.Fprintln(out, "Recording an incident. Press enter to keep the value in brackets. Type 'cancel' as an answer to stop.")
form:
	for {
		a.Save = true
		n := 0
		for i := range pages {
			p := &pages[i]
			if p.hide != nil && p.hide() {
				continue
			}
			n++
			total := 0
			for _, q := range pages {
				if q.hide == nil || !q.hide() {
					total++
				}
			}
			fmt.Fprintf(out, "\nPage %d of %d: %s\n", n, total, p.title)
			for i := range p.questions {
				err := askLineQuestion(in, out, &p.questions[i])
				if errors.Is(err, errCancelled) && a.typed(start) {
					discard := false
					q := question{title: "Discard what you typed?", kind: askConfirm, b: &discard, yes: "discard", no: "keep editing"}
					if err := askLineQuestion(in, out, &q); err != nil {
						return err
					}
					if !discard {
						fmt.Fprintln(out, "Keeping it. Starting again from the first page, with your answers.")
						continue form
					}
				}
				if err != nil {
					return err
				}
			}
		}
		if a.Save {
			return nil
		}
		fmt.Fprintln(out, "Going back to the first page, with your answers.")
	}
}

// askLineQuestion asks one question until it has a valid answer.
func askLineQuestion(in *lineInput, out io.Writer, q *question) error {
	if q.kind == askNote {
		fmt.Fprintf(out, "%s:\n%s\n", q.title, q.note())
		return nil
	}
	fmt.Fprintln(out, q.title)
	if q.help != "" {
		fmt.Fprintln(out, q.help)
	}
	for {
		var err error
		switch q.kind {
		case askText:
			err = askTextLines(in, out, q)
		case askSelect:
			err = askChoice(in, out, q)
		case askMulti:
			err = askChoices(in, out, q)
		case askConfirm:
			err = askYesNo(in, out, q)
		default:
			fmt.Fprintf(out, "%s: ", bracket(*q.str))
			var line string
			if line, err = readLine(in); err == nil && line != "" {
				if q.validate != nil {
					err = q.validate(line)
				}
				if err == nil {
					*q.str = line
				}
			} else if err == nil && q.validate != nil {
				err = q.validate(*q.str)
			}
		}
		if err == nil || errors.Is(err, errInputEnded) || errors.Is(err, errCancelled) {
			return err
		}
		fmt.Fprintf(out, "Not accepted: %v. Please try again.\n", err)
	}
}

func bracket(s string) string {
	if s == "" {
		return "[empty]"
	}
	return "[" + s + "]"
}

// readLine reads one line. The end of the input is errInputEnded, even
// after a partial line, so that nothing half-typed is taken as an answer;
// "cancel" alone is errCancelled.
func readLine(in *lineInput) (string, error) {
	line, err := in.readLine()
	if err != nil {
		return "", err
	}
	line = strings.TrimSpace(line)
	if strings.EqualFold(line, "cancel") {
		return "", errCancelled
	}
	return line, nil
}

func askTextLines(in *lineInput, out io.Writer, q *question) error {
	if *q.str != "" {
		fmt.Fprintf(out, "Now: %s\n", strings.ReplaceAll(*q.str, "\n", " / "))
	}
	fmt.Fprintln(out, "Type as many lines as you need, then a line with a single dot. An empty first line keeps what is there.")
	var text []string
	for {
		line, err := in.readLine()
		if err != nil {
			return err
		}
		line = strings.TrimRight(line, "\r\n")
		if len(text) == 0 && strings.EqualFold(strings.TrimSpace(line), "cancel") {
			return errCancelled
		}
		if len(text) == 0 && line == "" {
			break
		}
		if strings.TrimSpace(line) == "." {
			break
		}
		text = append(text, line)
	}
	value := *q.str
	if len(text) > 0 {
		value = strings.Join(text, "\n")
	}
	if q.validate != nil {
		if err := q.validate(value); err != nil {
			return err
		}
	}
	*q.str = value
	return nil
}

func askChoice(in *lineInput, out io.Writer, q *question) error {
	def := 0
	for i, c := range q.choices {
		fmt.Fprintf(out, "%d. %s\n", i+1, c.label)
		if c.value == *q.str {
			def = i + 1
		}
	}
	prompt := fmt.Sprintf("Enter a number from 1 to %d", len(q.choices))
	if def > 0 {
		prompt += fmt.Sprintf(" [%d]", def)
	}
	fmt.Fprint(out, prompt+": ")
	line, err := readLine(in)
	if err != nil {
		return err
	}
	if line == "" && def > 0 {
		return nil
	}
	n, err := strconv.Atoi(line)
	if err != nil || n < 1 || n > len(q.choices) {
		return fmt.Errorf("give a number from 1 to %d", len(q.choices))
	}
	*q.str = q.choices[n-1].value
	return nil
}

func askChoices(in *lineInput, out io.Writer, q *question) error {
	for i, c := range q.choices {
		fmt.Fprintf(out, "%d. %s\n", i+1, c.label)
	}
	var now []string
	for i, c := range q.choices {
		if slices.Contains(*q.strs, c.value) {
			now = append(now, strconv.Itoa(i+1))
		}
	}
	fmt.Fprintf(out, "Enter the numbers that apply, separated by spaces, or 0 for none %s: ", bracket(strings.Join(now, " ")))
	line, err := readLine(in)
	if err != nil || line == "" {
		return err
	}
	var chosen []string
	for f := range strings.FieldsSeq(strings.ReplaceAll(line, ",", " ")) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n > len(q.choices) {
			return fmt.Errorf("%q is not a number from 1 to %d", f, len(q.choices))
		}
		if n > 0 && !slices.Contains(chosen, q.choices[n-1].value) {
			chosen = append(chosen, q.choices[n-1].value)
		}
	}
	if chosen == nil {
		chosen = []string{}
	}
	*q.strs = chosen
	return nil
}

func askYesNo(in *lineInput, out io.Writer, q *question) error {
	def := "n"
	if *q.b {
		def = "y"
	}
	fmt.Fprintf(out, "y for %s, n for %s [%s]: ", q.yes, q.no, def)
	line, err := readLine(in)
	if err != nil {
		return err
	}
	b := *q.b
	switch strings.ToLower(line) {
	case "":
	case "y", "yes":
		b = true
	case "n", "no":
		b = false
	default:
		return errors.New("answer y or n")
	}
	if q.check != nil {
		if err := q.check(b); err != nil {
			return err
		}
	}
	*q.b = b
	return nil
}

// parsePeople reads a comma-separated list of "Name (relation)".
func parsePeople(s string) ([]journal.Person, error) {
	var people []journal.Person
	for _, item := range splitList(s) {
		p, err := journal.ParsePerson(item)
		if err != nil {
			return nil, err
		}
		people = append(people, p)
	}
	return people, nil
}

// splitList splits on commas and drops empty items.
func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

func joinNonEmpty(a, b string) string {
	if a == "" {
		return b
	}
	return a + ", " + b
}

// isDumbTerminal reports whether the terminal cannot show the full-screen
// form.
func isDumbTerminal() bool {
	return os.Getenv("TERM") == "dumb"
}

// keepDraft seals the answers to the journal's recipients in a draft file
// beside the journal, readable only with the journal's key, and returns
// cause with a hint saying how to finish it. Times are kept as they were
// understood when typed, so "2 hours ago" does not move.
func keepDraft(g *globals, path string, sealer *crypto.Sealer, a *answers, now time.Time, cause error) error {
	d := *a
	if t, err := dates.Parse(d.When, now); err == nil {
		d.When = whenAnswer(t.Time, t.DateOnly)
	}
	if t, err := dates.Parse(d.Until, now); err == nil && strings.TrimSpace(d.Until) != "" {
		d.Until = whenAnswer(t.Time, t.DateOnly)
	}
	code, msg := describe(cause)
	plain, err := json.Marshal(&d)
	if err != nil {
		return cause
	}
	sealed, err := sealer.Seal(plain)
	if err != nil {
		return withHint(errors.New(msg), code, "and what you typed could not be kept: "+err.Error())
	}
	base := filepath.Join(filepath.Dir(path), filepath.Base(path)+".draft-"+now.Format("20060102-150405"))
	name := base
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	for i := 2; errors.Is(err, fs.ErrExist) && i < 100; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
		f, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	}
	if err == nil {
		_, err = f.Write(sealed)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(name)
		}
	}
	if err != nil {
		return withHint(errors.New(msg), code, "and what you typed could not be kept: "+err.Error())
	}
	return withHint(errors.New(msg), code,
		fmt.Sprintf("what you typed is kept, sealed, in %s: finish it with 'journal add --draft %s'", name, name))
}

// runAddDraft finishes an incident kept in a draft: on a terminal, in the
// form; otherwise as it stands. The draft is removed once it is recorded.
func runAddDraft(g *globals, o *addOptions, path string) error {
	data, err := os.ReadFile(o.draft)
	if err != nil {
		return withHint(fmt.Errorf("cannot read the draft: %w", err), exitUsage, "give the file named when it was kept")
	}
	m, err := g.readMeta()
	if err != nil {
		return err
	}
	sealer, err := g.unlock(m)
	if err != nil {
		return err
	}
	plain, err := sealer.Open(data)
	if err != nil {
		return withHint(fmt.Errorf("%s is not a draft of this journal: %w", o.draft, err), exitUsage, "give the file named when it was kept")
	}
	a := &answers{}
	if err := json.Unmarshal(plain, a); err != nil {
		return withHint(fmt.Errorf("%s is not a draft: %w", o.draft, err), exitUsage, "give the file named when it was kept")
	}
	a.Save = true
	now := g.now()
	keep := func(err error) error {
		code, msg := describe(err)
		return withHint(errors.New(msg), code, "the draft "+o.draft+" is kept as it was")
	}
	if g.interactive {
		err = addWithForm(g, path, sealer, a, now, o.accessible || isDumbTerminal(), keep)
	} else {
		err = saveAnswers(g, path, sealer, a, now, keep)
	}
	if err != nil {
		return err
	}
	if err := os.Remove(o.draft); err != nil {
		fmt.Fprintf(g.err, "The draft %s could not be removed (%v); it is recorded, so delete it.\n", o.draft, err)
	}
	return nil
}

// lineInput gives the accessible form its input a line at a time, read by
// a goroutine of its own so that an interrupt (Ctrl+C) can stop a question
// while a read is waiting.
type lineInput struct {
	lines     chan lineRead
	done      chan struct{}
	interrupt <-chan os.Signal
	ended     bool
}

type lineRead struct {
	line string
	err  error
}

func newLineInput(r io.Reader, interrupt <-chan os.Signal) *lineInput {
	l := &lineInput{lines: make(chan lineRead), done: make(chan struct{}), interrupt: interrupt}
	go func() {
		br := bufio.NewReader(r)
		for {
			line, err := br.ReadString('\n')
			select {
			case l.lines <- lineRead{line, err}:
			case <-l.done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return l
}

// readLine returns the next whole line. The end of the input, even after
// part of a line, is errInputEnded; an interrupt is errCancelled.
func (l *lineInput) readLine() (string, error) {
	if l.ended {
		return "", errInputEnded
	}
	select {
	case r := <-l.lines:
		if r.err != nil {
			l.ended = true
			return "", errInputEnded
		}
		return r.line, nil
	case <-l.interrupt:
		return "", errCancelled
	}
}

// close lets the reading goroutine end once its read returns.
func (l *lineInput) close() { close(l.done) }

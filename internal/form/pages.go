package form

import (
	"errors"
	"strings"
	"time"

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
func addPages(a *Answers, now time.Time, checkEvidence func(paths []string) error) []page {
	relations := make([]choice, len(journal.Relations))
	for i, r := range journal.Relations {
		relations[i] = choice{r, r}
	}
	kinds := make([]choice, len(journal.Kinds))
	for i, k := range journal.Kinds {
		kinds[i] = choice{kindLabel(k), k}
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
				kind: askLine, str: &a.Others, validate: checkEach(journal.FieldWho, splitList, now)},
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
				kind: askText, str: &a.Witnesses, validate: checkEach(journal.FieldWitness, lines, now)},
			{title: "Evidence files", help: "Screenshots, recordings, letters: one path a line (or drag the file here). They are sealed in the journal byte for byte.",
				kind: askText, str: &a.Evidence, validate: func(s string) error {
					if checkEvidence == nil {
						return nil
					}
					return checkEvidence(evidencePaths(s))
				}},
			{title: "How did you keep the evidence?", help: "For example: screenshot of the message, original letter kept, voicemail saved.",
				kind: askLine, str: &a.Kept},
		}},
		{title: pageAction, questions: []question{
			{title: "What did you do?", help: "One a line, for example: Told him the contact was not appropriate.",
				kind: askText, str: &a.Actions},
			{title: "Who did you report it to?", help: "One a line: who; reference; officer. For example: Police; CAD 1234 24/11; PC 123 Jones.",
				kind: askText, str: &a.Reported, validate: checkEach(journal.FieldReported, lines, now)},
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
					_, err := a.Fields(now)
					return err
				}},
		}},
	}
}

// kindLabel is a kind of contact as the form shows it: "phone call" for
// the word "phone-call" used on the command line.
func kindLabel(k string) string { return journal.KindLabel(k) }

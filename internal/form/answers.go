package form

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/journal-dev/journal/journal"
)

// Answers are what the add form asks, as the person typed it, before it is
// read into an incident's fields. A draft keeps them as they are. Each is
// one question's answer.
type Answers struct {
	When        string   `json:"when"`          // when it happened, as typed ("yesterday 15:00")
	Until       string   `json:"until"`         // when it ended, if it went on
	Approx      bool     `json:"approx"`        // the time is approximate
	Where       string   `json:"where"`         // the place
	Name        string   `json:"name"`          // the person it was: name or description
	Relation    string   `json:"relation"`      // who they are to the author (journal.Relations)
	Description string   `json:"description"`   // what they looked like
	Others      string   `json:"others"`        // anyone else involved: "Name (relation)", by commas
	Summary     string   `json:"summary"`       // what happened, in one line
	Kinds       []string `json:"kinds"`         // the kinds of contact (journal.Kinds)
	Details     string   `json:"details"`       // the full account
	Words       string   `json:"words"`         // the words used, word for word
	FirstHand   bool     `json:"first_hand"`    // the author saw or heard it
	ToldBy      string   `json:"told_by"`       // who told the author, when not first-hand
	Witnesses   string   `json:"witnesses"`     // "Name (chaperone); contact", one a line
	Evidence    string   `json:"evidence"`      // evidence files' paths, one a line
	Actions     string   `json:"actions"`       // what the author did, one a line
	Reported    string   `json:"reported"`      // "to; reference; officer", one a line
	Impact      string   `json:"impact"`        // how it has affected the author
	Severity    string   `json:"severity"`      // low, medium, high, or "" for not sure
	Tags        string   `json:"tags"`          // words to find it by, by commas
	DailyLife   string   `json:"daily_life"`    // what the author now does differently
	Kept        string   `json:"evidence_kept"` // how the evidence was kept
	Private     string   `json:"private_notes"` // notes never part of a report or export
	// Given are the fields the form started from (given as flags), as
	// they were typed: an answer left as the form wrote it keeps the
	// given value exactly, so that nothing is lost by writing it as text
	// and reading it back (a time's seconds and offset, a description
	// with commas).
	Given *journal.Fields `json:"given,omitempty"`
	// Save is the answer to the last question.
	Save bool `json:"-"`
}

// FromFields fills the form from fields given as flags and evidence files
// given with --attach. A time not given is now, to the minute.
func FromFields(f *journal.Fields, attach []string, now time.Time) *Answers {
	given := f.Clone()
	a := writeAnswers(&given)
	if f.OccurredAt.IsZero() {
		a.When = now.Format("2006-01-02 15:04")
		given.OccurredAt = time.Time{}
	}
	a.Evidence = strings.Join(attach, "\n")
	a.Given = &given
	a.Save = true
	return a
}

// writeAnswers writes fields as the form's answers.
func writeAnswers(f *journal.Fields) *Answers {
	each := func(name journal.Field) string {
		s, _ := journal.LookupField(name)
		return strings.Join(s.Values(f), "\n")
	}
	a := &Answers{
		When: whenAnswer(f.OccurredAt, f.DateOnly), Approx: f.Approximate, Where: f.Place,
		Relation: "unknown", Summary: f.Summary, Kinds: slices.Clone(f.Kinds), Details: f.Details, Words: f.Words,
		FirstHand: f.ToldBy == "", ToldBy: f.ToldBy, Impact: f.Impact, Severity: f.Severity,
		DailyLife: f.DailyLife, Kept: f.EvidenceKept, Private: f.PrivateNotes,
		Tags:      strings.Join(f.Tags, ", "),
		Witnesses: each(journal.FieldWitness), Actions: each(journal.FieldAction), Reported: each(journal.FieldReported),
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
	if a.Relation == "" {
		a.Relation = "unknown"
	}
	return a
}

// typed reports whether the person has typed anything beyond what the form
// started with.
func (a *Answers) typed(start *Answers) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(start)
	return string(x) != string(y)
}

// Fields reads the answers into an incident's fields, checking each; the
// error names the question. An answer left as the form wrote it from the
// given fields keeps the given value.
func (a *Answers) Fields(now time.Time) (journal.Fields, error) {
	var f journal.Fields
	var was *Answers
	if a.Given != nil {
		was = writeAnswers(a.Given)
	}
	// read sets one field from the answer, or keeps the given value.
	read := func(name journal.Field, values []string, unchanged func(w *Answers) bool) error {
		s, _ := journal.LookupField(name)
		if was != nil && unchanged(was) {
			s.Copy(&f, a.Given)
			return nil
		}
		if err := s.Set(&f, values, now); err != nil {
			return fmt.Errorf("%s: %w", strings.ToLower(s.Label), err)
		}
		return nil
	}
	checks := []error{
		read(journal.FieldWhen, []string{a.When}, func(w *Answers) bool { return w.When == a.When && !a.Given.OccurredAt.IsZero() }),
		read(journal.FieldUntil, []string{a.Until}, func(w *Answers) bool { return w.Until == a.Until }),
		read(journal.FieldWhere, []string{a.Where}, func(w *Answers) bool { return w.Where == a.Where }),
		read(journal.FieldWho, a.people(), func(w *Answers) bool {
			return w.Name == a.Name && w.Relation == a.Relation && w.Description == a.Description && w.Others == a.Others
		}),
		read(journal.FieldSummary, []string{a.Summary}, func(w *Answers) bool { return w.Summary == a.Summary }),
		read(journal.FieldDetails, []string{strings.TrimRight(a.Details, "\n ")}, func(w *Answers) bool { return w.Details == a.Details }),
		read(journal.FieldWords, []string{strings.TrimRight(a.Words, "\n ")}, func(w *Answers) bool { return w.Words == a.Words }),
		read(journal.FieldWitness, lines(a.Witnesses), func(w *Answers) bool { return w.Witnesses == a.Witnesses }),
		read(journal.FieldAction, lines(a.Actions), func(w *Answers) bool { return w.Actions == a.Actions }),
		read(journal.FieldReported, lines(a.Reported), func(w *Answers) bool { return w.Reported == a.Reported }),
		read(journal.FieldImpact, []string{strings.TrimRight(a.Impact, "\n ")}, func(w *Answers) bool { return w.Impact == a.Impact }),
		read(journal.FieldDailyLife, []string{strings.TrimRight(a.DailyLife, "\n ")}, func(w *Answers) bool { return w.DailyLife == a.DailyLife }),
		read(journal.FieldEvidenceKept, []string{a.Kept}, func(w *Answers) bool { return w.Kept == a.Kept }),
		read(journal.FieldPrivateNotes, []string{strings.TrimRight(a.Private, "\n ")}, func(w *Answers) bool { return w.Private == a.Private }),
		read(journal.FieldSeverity, []string{a.Severity}, func(w *Answers) bool { return w.Severity == a.Severity }),
		read(journal.FieldTag, splitList(a.Tags), func(w *Answers) bool { return w.Tags == a.Tags }),
		read(journal.FieldKind, a.Kinds, func(*Answers) bool { return false }),
	}
	if err := errors.Join(checks...); err != nil {
		return f, firstError(checks)
	}
	f.Approximate = f.Approximate || a.Approx
	f.FirstHand = a.FirstHand
	if !a.FirstHand {
		if f.ToldBy = strings.TrimSpace(a.ToldBy); f.ToldBy == "" {
			return f, errors.New("told by: say who told you")
		}
	}
	if err := f.Validate(); err != nil {
		return f, err
	}
	return f, nil
}

// people writes the answers about who was involved as one person a value.
func (a *Answers) people() []string {
	var out []string
	if name := strings.TrimSpace(a.Name); name != "" {
		out = append(out, journal.Person{Name: name, Relation: a.Relation, Description: strings.TrimSpace(a.Description)}.String())
	}
	return append(out, splitList(a.Others)...)
}

func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// EvidencePaths returns the evidence files' paths, one a line.
func (a *Answers) EvidencePaths() []string { return evidencePaths(a.Evidence) }

// evidencePaths reads the paths of evidence files, one a line, as people
// write them or drag them into a terminal: ~ for the home folder, the
// path in quotes, or spaces escaped with a backslash.
func evidencePaths(s string) []string {
	var out []string
	for _, l := range lines(s) {
		if n := len(l); n >= 2 && (l[0] == '\'' || l[0] == '"') && l[n-1] == l[0] {
			l = l[1 : n-1]
		} else if strings.Contains(l, `\`) && os.PathSeparator == '/' {
			l = unescape(l)
		}
		if home, err := os.UserHomeDir(); err == nil && (l == "~" || strings.HasPrefix(l, "~/")) {
			l = filepath.Join(home, l[1:])
		}
		out = append(out, l)
	}
	return out
}

// unescape removes the backslashes a shell puts before spaces and other
// characters of a path ("screen\ shot.png").
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// lines splits text into its non-empty lines, trimmed.
func lines(s string) []string { return items(s, "\n") }

// splitList splits on commas and drops empty items.
func splitList(s string) []string { return items(s, ",") }

// items splits a list typed as text on sep, trimming each item and
// dropping the empty ones.
func items(s, sep string) []string {
	var out []string
	for item := range strings.SplitSeq(s, sep) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// checkEach is a check of a form's answer that reads it as the field
// name does, against the time now.
func checkEach(name journal.Field, split func(string) []string, now time.Time) func(string) error {
	s, _ := journal.LookupField(name)
	return func(answer string) error {
		var f journal.Fields
		return s.Set(&f, split(answer), now)
	}
}

func joinNonEmpty(a, b string) string {
	if a == "" {
		return b
	}
	return a + ", " + b
}

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

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
	// Given are the fields the form started from (given as flags), as
	// they were typed: an answer left as the form wrote it keeps the
	// given value exactly, so that nothing is lost by writing it as text
	// and reading it back (a time's seconds and offset, a description
	// with commas).
	Given *journal.Fields `json:"given,omitempty"`
	// Save is the answer to the last question.
	Save bool `json:"-"`
}

// answersFrom fills the form from fields given as flags and evidence files
// given with --attach. A time not given is now, to the minute.
func answersFrom(f *journal.Fields, attach []string, now time.Time) *answers {
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
func writeAnswers(f *journal.Fields) *answers {
	each := func(name journal.Field) string {
		s, _ := journal.LookupField(name)
		return strings.Join(s.Values(f), "\n")
	}
	a := &answers{
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
func (a *answers) typed(start *answers) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(start)
	return string(x) != string(y)
}

// fields reads the answers into an incident's fields, checking each; the
// error names the question. An answer left as the form wrote it from the
// given fields keeps the given value.
func (a *answers) fields(now time.Time) (journal.Fields, error) {
	var f journal.Fields
	var was *answers
	if a.Given != nil {
		was = writeAnswers(a.Given)
	}
	// read sets one field from the answer, or keeps the given value.
	read := func(name journal.Field, values []string, unchanged func(w *answers) bool) error {
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
		read(journal.FieldWhen, []string{a.When}, func(w *answers) bool { return w.When == a.When && !a.Given.OccurredAt.IsZero() }),
		read(journal.FieldUntil, []string{a.Until}, func(w *answers) bool { return w.Until == a.Until }),
		read(journal.FieldWhere, []string{a.Where}, func(w *answers) bool { return w.Where == a.Where }),
		read(journal.FieldWho, a.people(), func(w *answers) bool {
			return w.Name == a.Name && w.Relation == a.Relation && w.Description == a.Description && w.Others == a.Others
		}),
		read(journal.FieldSummary, []string{a.Summary}, func(w *answers) bool { return w.Summary == a.Summary }),
		read(journal.FieldDetails, []string{strings.TrimRight(a.Details, "\n ")}, func(w *answers) bool { return w.Details == a.Details }),
		read(journal.FieldWords, []string{strings.TrimRight(a.Words, "\n ")}, func(w *answers) bool { return w.Words == a.Words }),
		read(journal.FieldWitness, lines(a.Witnesses), func(w *answers) bool { return w.Witnesses == a.Witnesses }),
		read(journal.FieldAction, lines(a.Actions), func(w *answers) bool { return w.Actions == a.Actions }),
		read(journal.FieldReported, lines(a.Reported), func(w *answers) bool { return w.Reported == a.Reported }),
		read(journal.FieldImpact, []string{strings.TrimRight(a.Impact, "\n ")}, func(w *answers) bool { return w.Impact == a.Impact }),
		read(journal.FieldDailyLife, []string{strings.TrimRight(a.DailyLife, "\n ")}, func(w *answers) bool { return w.DailyLife == a.DailyLife }),
		read(journal.FieldEvidenceKept, []string{a.Kept}, func(w *answers) bool { return w.Kept == a.Kept }),
		read(journal.FieldPrivateNotes, []string{strings.TrimRight(a.Private, "\n ")}, func(w *answers) bool { return w.Private == a.Private }),
		read(journal.FieldSeverity, []string{a.Severity}, func(w *answers) bool { return w.Severity == a.Severity }),
		read(journal.FieldTag, splitList(a.Tags), func(w *answers) bool { return w.Tags == a.Tags }),
		read(journal.FieldKind, a.Kinds, func(*answers) bool { return false }),
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
func (a *answers) people() []string {
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

// evidence returns the evidence files' paths, one a line.
func (a *answers) evidence() []string { return evidencePaths(a.Evidence) }

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
func lines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// checkEach is a check of a form's answer that reads it as the field
// name does.
func checkEach(name journal.Field, split func(string) []string) func(string) error {
	s, _ := journal.LookupField(name)
	return func(answer string) error {
		var f journal.Fields
		return s.Set(&f, split(answer), time.Now())
	}
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
	start := dates.Result{Time: f.OccurredAt, DateOnly: f.DateOnly, Approximate: f.Approximate}
	when := sayWhen(start, now)
	if f.Until != nil {
		until := dates.Result{Time: *f.Until, DateOnly: f.UntilDateOnly}
		if !f.DateOnly && !f.UntilDateOnly && f.Until.YearDay() == f.OccurredAt.YearDay() && f.Until.Year() == f.OccurredAt.Year() {
			when = dates.Format(start) + " until " + f.Until.Format("15:04") + ", " + dates.Relative(f.OccurredAt, now)
		} else {
			when += "\n           until " + sayWhen(until, now)
		}
	}
	row("When", when)
	end, dayOnly := f.OccurredAt, f.DateOnly
	if f.Until != nil {
		end, dayOnly = *f.Until, f.UntilDateOnly
	}
	rec := "when you save it"
	switch gap := now.Sub(end); {
	case dayOnly:
		rec += ", " + export.DaysLater(end, now)
	case gap >= time.Minute:
		rec += ", " + export.Duration(gap) + " after it happened"
	}
	row("Recorded", rec)
	row("Where", f.Place)
	var who []string
	for _, p := range f.People {
		who = append(who, journal.Person{Name: p.Name, Relation: p.Relation}.String())
	}
	row("Who", strings.Join(who, ", "))
	row("What", f.Summary)
	row("Kind", strings.Join(f.Kinds, ", "))
	row("Source", f.Source())
	if n := len(f.Witnesses); n > 0 {
		row("Witnesses", strconv.Itoa(n))
	}
	if n := len(a.evidence()); n > 0 {
		row("Evidence", count(n, "file", "files"))
	}
	row("Severity", f.Severity)
	return strings.TrimRight(b.String(), "\n")
}

// count says how many, with the word in the singular or the plural.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
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

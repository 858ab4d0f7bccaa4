package main

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/huh"

	"github.com/journal-dev/journal/journal"
)

// runAddForm asks on the terminal for the incident's fields, starting from
// what f already holds (from flags).
func runAddForm(g *globals, f *journal.Fields, now time.Time) error {
	when := f.OccurredAt.Format("2006-01-02 15:04")
	var who, witness string
	for _, p := range f.People {
		who = joinNonEmpty(who, p.String())
	}
	for _, w := range f.Witnesses {
		witness = joinNonEmpty(witness, w.Name)
	}
	kinds := slices.Clone(f.Kinds)
	kindOptions := make([]huh.Option[string], len(journal.Kinds))
	for i, k := range journal.Kinds {
		kindOptions[i] = huh.NewOption(strings.ReplaceAll(k, "-", " "), k)
	}
	form := huh.NewForm(
		huh.NewGroup(
			huh.NewInput().Title("When did it happen?").
				Description("For example 2026-11-24 14:30, or 24/11/2026 14:30.").
				Value(&when).
				Validate(func(s string) error { _, err := journal.ParseTime(s, now); return err }),
			huh.NewInput().Title("Where?").Value(&f.Place),
			huh.NewInput().Title("Who was involved?").
				Description("Name, and their relation in brackets: John Smith (patient). Separate people with commas.").
				Value(&who).
				Validate(func(s string) error { _, err := parsePeople(s); return err }),
			huh.NewMultiSelect[string]().Title("What kind of contact?").Options(kindOptions...).Value(&kinds),
		),
		huh.NewGroup(
			huh.NewInput().Title("In one line, what happened?").Value(&f.Summary).
				Validate(func(s string) error {
					if strings.TrimSpace(s) == "" {
						return errors.New("a summary is needed")
					}
					return nil
				}),
			huh.NewText().Title("The full account").
				Description("What happened, in order, as you remember it.").Value(&f.Details),
			huh.NewInput().Title("Witnesses").
				Description("Names, separated by commas.").Value(&witness),
		),
	)
	tty, err := g.openTTY()
	if err != nil {
		return usageError("--summary is required when not on a terminal")
	}
	defer tty.Close()
	if err := form.WithInput(g.in).WithOutput(tty).Run(); err != nil {
		if errors.Is(err, huh.ErrUserAborted) {
			return usageError("cancelled: nothing was recorded")
		}
		return err
	}
	t, err := journal.ParseTime(when, now)
	if err != nil {
		return usageError("%v", err)
	}
	f.OccurredAt = t
	if f.People, err = parsePeople(who); err != nil {
		return usageError("%v", err)
	}
	f.Kinds = kinds
	f.Witnesses = nil
	for _, name := range splitList(witness) {
		f.Witnesses = append(f.Witnesses, journal.Witness{Name: name})
	}
	f.Summary = strings.TrimSpace(f.Summary)
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

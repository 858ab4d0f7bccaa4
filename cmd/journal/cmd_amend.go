package main

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/journal"
)

type amendOptions struct {
	reason string
	fields fieldFlags
}

func newAmendCommand(g *globals) *cobra.Command {
	var o amendOptions
	cmd := &cobra.Command{
		Use:   "amend ID... --reason TEXT [field flags]",
		Short: "Correct an incident; the original stays in its history",
		Long: `Correct an incident, the way a police notebook is corrected: the fields you
give replace the current ones, the reason is recorded with the time, and
every earlier version stays readable in 'journal show ID'.

The field flags are those of 'journal add'. A repeatable flag (--who,
--witness, --kind...) replaces the whole list: give every item that should
remain.

Give one incident or several, and ranges ("3 7 15-25"), to make the same
correction to each: they are amended together or not at all.`,
		Example: `  journal amend 12 --reason "Wrong time: it was the afternoon" --when "2026-11-24 15:30"
  journal amend 12 --reason "Forgot the witness" --witness "Ann Lee; 01632 960123"
  journal amend 15-25 --reason "All at the surgery" --where "Riverside Surgery"`,
		Args: minArgs(1, "the incident numbers, like 12 or 15-25"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAmend(g, cmd, &o, args)
		},
	}
	cmd.Flags().StringVar(&o.reason, "reason", "", "why the correction is made, as `TEXT` (required)")
	o.fields.register(cmd.Flags())
	return cmd
}

func runAmend(g *globals, cmd *cobra.Command, o *amendOptions, args []string) error {
	ids, err := parseIDs(args)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(o.reason)
	if reason == "" {
		return usageError("--reason is required: say why the incident is corrected")
	}
	now := g.now()
	// Read the flags once before unlocking, so that a bad value fails
	// before the passphrase is asked for.
	var given journal.Fields
	changed, err := o.fields.apply(&given, cmd.Flags(), g, now)
	if err != nil {
		return err
	}
	if len(changed) == 0 {
		return usageError("nothing to correct: give the fields that change, like --when or --summary (see 'journal amend --help')")
	}
	s, sealer, st, total, err := g.openToChange(ids)
	if err != nil {
		return err
	}
	defer s.Close()
	c := journal.Correction{Fields: &given, Changed: changed, Reason: reason}
	if slices.Contains(changed, journal.FieldUntil) {
		c.UntilText = *o.fields.single[journal.FieldUntil]
	}
	if _, err := s.Amend(sealer, st, ids, c, now); err != nil {
		return correctionError(total, err, len(ids) > 1)
	}
	show := "journal show " + strconv.FormatUint(ids[0], 10)
	fmt.Fprintf(g.err, "Amended %s (%s). The earlier versions stay in the history: '%s'.\n",
		incidentsText(ids), fieldList(changed), show)
	return nil
}

// fieldList names fields for a message.
func fieldList(names []journal.Field) string {
	s := make([]string, len(names))
	for i, n := range names {
		s[i] = string(n)
	}
	return strings.Join(s, ", ")
}

// correctionError says why a correction was refused, as amend and void say
// it: the incident that does not exist, or that is void, or why its fields
// are refused, in a journal of total incidents. Nothing was written.
func correctionError(total int, err error, several bool) error {
	var ie *journal.IncidentError
	if !errors.As(err, &ie) {
		return err
	}
	ref := journal.IncidentRef(ie.ID)
	switch {
	case errors.Is(err, journal.ErrNoIncident):
		return usageError("there is no incident %s (the journal has %d)", ref, total)
	case errors.Is(err, journal.ErrIsVoid):
		return usageError("incident %s is void: it cannot be amended; nothing was changed", ref)
	case several:
		return usageError("incident %s: %v; nothing was changed", ref, ie.Err)
	}
	return usageError("%v", ie.Err)
}

package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/dates"
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
	s, sealer, st, err := g.openForChange()
	if err != nil {
		return err
	}
	defer s.Close()
	var recs []*journal.Record
	for _, id := range ids {
		in, err := findIncident(st, id)
		if err != nil {
			return err
		}
		if in.Void != nil {
			return usageError("incident %s is void: it cannot be amended; nothing was changed", journal.IncidentRef(id))
		}
		f := in.Fields.Clone()
		f.Take(&given, changed)
		if slices.Contains(changed, journal.FieldUntil) && !slices.Contains(changed, journal.FieldWhen) {
			// An end given as a time alone is on the day this incident
			// began, as it is when adding.
			text := strings.TrimSpace(*o.fields.single[journal.FieldUntil])
			if r, err := dates.ParseWith(text, now, dates.Options{Start: f.Start()}); text != "" && err == nil {
				f.SetUntil(&r)
			}
		}
		if err := f.Validate(); err != nil {
			if len(ids) > 1 {
				return usageError("incident %s: %v; nothing was changed", journal.IncidentRef(id), err)
			}
			return usageError("%v", err)
		}
		recs = append(recs, &journal.Record{Type: journal.TypeAmendment, RecordedAt: now.Truncate(time.Second), Incident: id,
			Fields: &f, Changed: changed, Reason: reason})
	}
	// All of them or none.
	if err := s.Append(sealer, recs...); err != nil {
		return err
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

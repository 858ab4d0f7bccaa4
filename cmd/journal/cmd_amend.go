package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

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
		Use:   "amend ID --reason TEXT [field flags]",
		Short: "Correct an incident; the original stays in its history",
		Long: `Correct an incident, the way a police notebook is corrected: the fields you
give replace the current ones, the reason is recorded with the time, and
every earlier version stays readable in 'journal show ID'.

The field flags are those of 'journal add'. A repeatable flag (--who,
--witness, --kind...) replaces the whole list: give every item that should
remain.`,
		Example: `  journal amend 12 --reason "Wrong time: it was the afternoon" --when "2026-11-24 15:30"
  journal amend 12 --reason "Forgot the witness" --witness "Ann Lee; 01632 960123"`,
		Args: exactArgs(1, "an incident number"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAmend(g, cmd, &o, args[0])
		},
	}
	cmd.Flags().StringVar(&o.reason, "reason", "", "why the correction is made, as `TEXT` (required)")
	o.fields.register(cmd.Flags())
	return cmd
}

func runAmend(g *globals, cmd *cobra.Command, o *amendOptions, arg string) error {
	id, err := parseID(arg)
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
	in, err := findIncident(st, id)
	if err != nil {
		return err
	}
	if in.Void != nil {
		return usageError("incident %d is void: it cannot be amended", id)
	}
	f := cloneFields(in.Fields)
	for _, name := range changed {
		copyField(&f, &given, name)
	}
	if err := f.Validate(); err != nil {
		return usageError("%v", err)
	}
	rec := &journal.Record{Type: journal.TypeAmendment, RecordedAt: now.Truncate(time.Second), Incident: id,
		Fields: &f, Changed: changed, Reason: reason}
	if err := s.Append(sealer, rec); err != nil {
		return err
	}
	fmt.Fprintf(g.err, "Amended incident %d (%s). The earlier version stays in its history: 'journal show %d'.\n",
		id, strings.Join(changed, ", "), id)
	return nil
}

// cloneFields copies fields, lists included, so that changing the copy
// leaves the original as it was.
func cloneFields(f journal.Fields) journal.Fields {
	c := f
	if f.Until != nil {
		u := *f.Until
		c.Until = &u
	}
	c.People = slices.Clone(f.People)
	c.Kinds = slices.Clone(f.Kinds)
	c.Witnesses = slices.Clone(f.Witnesses)
	c.Actions = slices.Clone(f.Actions)
	c.Reported = slices.Clone(f.Reported)
	c.Tags = slices.Clone(f.Tags)
	return c
}

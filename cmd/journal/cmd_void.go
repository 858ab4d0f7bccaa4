package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/journal"
)

type voidOptions struct {
	reason string
}

func newVoidCommand(g *globals) *cobra.Command {
	var o voidOptions
	cmd := &cobra.Command{
		Use:   "void ID... --reason TEXT",
		Short: "Withdraw incidents; they stay in the journal, marked void",
		Long: `Withdraw an incident entered by mistake. Nothing is erased: the incident
stays in the journal, marked void with the reason and the time, and is left
out of the timeline and reports unless --include-void is given.

Give one incident or several, and ranges: 12, "15-25", "3 7 15-25". They
are made void together or not at all.`,
		Example: `  journal void 12 --reason "Entered twice: see incident 13"
  journal void 15-25 --reason "Imported twice from the old diary"`,
		Args: minArgs(1, "the incident numbers, like 12 or 15-25"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVoid(g, o, args)
		},
	}
	cmd.Flags().StringVar(&o.reason, "reason", "", "why the incident is withdrawn, as `TEXT` (required)")
	return cmd
}

func runVoid(g *globals, o voidOptions, args []string) error {
	ids, err := parseIDs(args)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(o.reason)
	if reason == "" {
		return usageError("--reason is required: say why the incident is withdrawn")
	}
	s, sealer, st, err := g.openForChange()
	if err != nil {
		return err
	}
	defer s.Close()
	now := g.now().Truncate(time.Second)
	var recs []*journal.Record
	var already []uint64
	for _, id := range ids {
		in, err := findIncident(st, id)
		if err != nil {
			return err
		}
		if in.Void != nil {
			if len(ids) == 1 {
				return usageError("incident %d is already void (since %s: %s)", id, in.Void.RecordedAt.Format("2 Jan 2006 15:04"), in.Void.Reason)
			}
			already = append(already, id)
			continue
		}
		recs = append(recs, &journal.Record{Type: journal.TypeVoid, RecordedAt: now, Incident: id, Reason: reason})
	}
	if len(already) > 0 {
		return usageError("%s already void: leave %s out; nothing was changed", incidentsText(already), them(already))
	}
	// All of them or none.
	if err := s.Append(sealer, recs...); err != nil {
		return err
	}
	verb := "is"
	if len(ids) > 1 {
		verb = "are"
	}
	fmt.Fprintf(g.err, "%s %s void. Nothing is erased: 'journal timeline --include-void' shows %s.\n",
		capitalise(incidentsText(ids)), verb, them(ids))
	return nil
}

// them is "it" or "them".
func them(ids []uint64) string {
	if len(ids) == 1 {
		return "it"
	}
	return "them"
}

func capitalise(s string) string {
	return strings.ToUpper(s[:1]) + s[1:]
}

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
		Use:   "void ID --reason TEXT",
		Short: "Withdraw an incident; it stays in the journal, marked void",
		Long: `Withdraw an incident entered by mistake. Nothing is erased: the incident
stays in the journal, marked void with the reason and the time, and is left
out of the timeline and reports unless --include-void is given.`,
		Example: `  journal void 12 --reason "Entered twice: see incident 13"`,
		Args:    exactArgs(1, "an incident number"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVoid(g, o, args[0])
		},
	}
	cmd.Flags().StringVar(&o.reason, "reason", "", "why the incident is withdrawn, as `TEXT` (required)")
	return cmd
}

func runVoid(g *globals, o voidOptions, arg string) error {
	id, err := parseID(arg)
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
	in, err := findIncident(st, id)
	if err != nil {
		return err
	}
	if in.Void != nil {
		return usageError("incident %d is already void (since %s: %s)", id, in.Void.RecordedAt.Format("2 Jan 2006 15:04"), in.Void.Reason)
	}
	rec := &journal.Record{Type: journal.TypeVoid, RecordedAt: g.now().Truncate(time.Second), Incident: id, Reason: reason}
	if err := s.Append(sealer, rec); err != nil {
		return err
	}
	fmt.Fprintf(g.err, "Incident %s is void. It stays in the journal: 'journal timeline --include-void' shows it.\n", journal.IncidentRef(id))
	return nil
}

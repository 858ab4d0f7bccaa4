package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/journal"
)

type voidOptions struct {
	reason string
	// importN is the import whose incidents are all withdrawn.
	importN uint64
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
are made void together or not at all.

With --import N, every incident of import N that is not void already is
withdrawn, each void recorded as undoing that import: an import of the
wrong file is undone as a whole.`,
		Example: `  journal void 12 --reason "Entered twice: see incident 13"
  journal void 15-25 --reason "Imported twice from the old diary"
  journal void --import 2 --reason "Imported the wrong diary"`,
		Args: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("import") {
				if len(args) > 0 {
					return usageError("give either incident numbers or --import N, not both")
				}
				return nil
			}
			return minArgs(1, "the incident numbers, like 12 or 15-25 (or --import N)")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("import") {
				return runVoidImport(g, o)
			}
			return runVoid(g, o, args)
		},
	}
	cmd.Flags().StringVar(&o.reason, "reason", "", "why the incident is withdrawn, as `TEXT` (required)")
	cmd.Flags().Uint64Var(&o.importN, "import", 0, "withdraw every incident of import `N` (its number is printed by 'journal import')")
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
	s, sealer, st, total, err := g.openToChange(ids)
	if err != nil {
		return err
	}
	defer s.Close()
	// All of them or none.
	if _, err := s.Void(sealer, st, ids, reason, g.now()); err != nil {
		var av *journal.AlreadyVoidError
		if !errors.As(err, &av) {
			return correctionError(total, err, len(ids) > 1)
		}
		if len(ids) == 1 {
			in := st.Incident(ids[0])
			return usageError("incident %s is already void (since %s: %s)", journal.IncidentRef(ids[0]), in.Void.RecordedAt.Format("2 Jan 2006 15:04"), in.Void.Reason)
		}
		return usageError("%s already void: leave %s out; nothing was changed", incidentsText(av.IDs), them(av.IDs))
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

// runVoidImport withdraws every incident of one import. The voids are
// recorded a batch at a time; if it stops, running it again withdraws the
// rest.
func runVoidImport(g *globals, o voidOptions) error {
	reason := strings.TrimSpace(o.reason)
	if reason == "" {
		return usageError("--reason is required: say why the import is withdrawn")
	}
	if o.importN == 0 {
		return usageError("--import: give the number of an import, as 'journal import' printed it")
	}
	s, sealer, st, err := g.openForChange()
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.VoidImport(sealer, st, o.importN, reason, g.now())
	switch {
	case errors.Is(err, journal.ErrNoImport):
		return usageError("there is no import %d: the journal has %s", o.importN, importsText(st.LastImport()))
	case errors.Is(err, journal.ErrImportVoid):
		return usageError("every incident of import %d is void already", o.importN)
	case err != nil && res.Voided > 0:
		return fmt.Errorf("%w (%d of the incidents were withdrawn: run it again to withdraw the rest)", err, res.Voided)
	case err != nil:
		return err
	}
	fmt.Fprintf(g.err, "Withdrew import %d: %s (numbers %s to %s) now void. They stay in the journal: 'journal timeline --include-void' shows them.\n",
		o.importN, plural(res.Voided, "incident"), journal.IncidentRef(res.First), journal.IncidentRef(res.Last))
	return nil
}

// importsText says how many imports a journal has.
func importsText(n uint64) string {
	switch n {
	case 0:
		return "no imports"
	case 1:
		return "one import, number 1"
	}
	return fmt.Sprintf("imports 1 to %d", n)
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/exchange"
	"github.com/journal-dev/journal/internal/form"
	"github.com/journal-dev/journal/journal"
)

type repairOptions struct {
	yes bool
}

func newRepairCommand(g *globals) *cobra.Command {
	var o repairOptions
	cmd := &cobra.Command{
		Use:   "repair",
		Short: "Mend a damaged header page, or remove evidence no record names",
		Long: `Show what can be mended in the journal, then, once you agree, do it.

A damaged header page. The journal file has two header pages, written in
turn. If the newer one is damaged (a write interrupted by a power cut, a
failing disk), the latest change to the journal cannot be read, and every
command refuses the journal until you decide. Restoring a backup is best
when you have a recent one. Otherwise repair first keeps a copy of the
damaged file beside it (FILE.damaged-DATE), then goes on from the journal
as it was saved before its latest change: what that change added is in the
copy only. Anything added since is given new numbers.

Evidence no record names. An attach stopped before its record was written
(the computer was switched off, the process killed) leaves sealed evidence
bytes that nothing names; 'journal verify' lists them. Repair removes them
once you agree; this needs the passphrase, to be sure no record names them.

Nothing is changed without --yes or your answer on the terminal. Evidence
is never removed by any other command.`,
		Example: `  journal repair
  journal repair --yes`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRepair(g, o)
		},
	}
	cmd.Flags().BoolVar(&o.yes, "yes", false, "do the repair shown, without asking")
	return cmd
}

func runRepair(g *globals, o repairOptions) error {
	path, err := g.path()
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", path, journal.ErrNoJournal)
	}
	d, err := journal.FindHeaderDamage(path)
	if err != nil {
		return err
	}
	did := false
	if d != nil {
		keep := keepName(path, g)
		if d.Newer {
			fmt.Fprintf(g.err, "The newer header page (page %d) of %s is damaged: the latest change to the journal cannot be read.\n", d.Page, path)
			fmt.Fprintf(g.err, "Repair keeps a copy of the file as %s, then goes on from the journal as it was saved before that change: %s, fingerprint %s.\n",
				keep, countNoun(int(d.Records), "record"), d.Fingerprint)
			fmt.Fprintln(g.err, "If you have a backup made after that change, restoring it is better: answer no and copy the backup in place of the journal.")
		} else {
			fmt.Fprintf(g.err, "The older header page (page %d) of %s is damaged. Nothing is missing: the journal holds %s, fingerprint %s.\n",
				d.Page, path, countNoun(int(d.Records), "record"), d.Fingerprint)
			fmt.Fprintf(g.err, "Repair keeps a copy of the file as %s, then writes the sound page over the damaged one.\n", keep)
		}
		if err := confirmRepair(g, o, "Repair the header page?"); err != nil {
			return err
		}
		if _, err := journal.RepairHeader(path, keep); err != nil {
			return err
		}
		did = true
		fmt.Fprintf(g.err, "Repaired. The damaged file is kept as %s.\n", keep)
		if d.Newer {
			// The journal went back to before its latest change, as
			// the user agreed: this computer goes on from there.
			if err := journal.Repin(path); err != nil {
				return err
			}
		}
	}
	if err := repairOrphans(g, o); err != nil {
		return err
	}
	if !did {
		return nil
	}
	s, err := g.openStore(journal.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	seq, fp, err := s.Head()
	if err != nil {
		return err
	}
	fmt.Fprintf(g.err, "The journal holds %s. Check it with 'journal verify'.\n", countNoun(int(seq), "record"))
	fmt.Fprintf(g.out, "fingerprint: %s\n", fp)
	return nil
}

// repairOrphans lists the evidence no record names and removes it once
// the user agrees.
func repairOrphans(g *globals, o repairOptions) error {
	s, err := g.openStore(journal.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	has, err := s.HasBlobs()
	s.Close()
	if err != nil {
		return err
	}
	if !has {
		fmt.Fprintln(g.err, "No evidence is stored without a record naming it.")
		return nil
	}
	s, _, st, err := g.openForChange()
	if err != nil {
		return err
	}
	defer s.Close()
	all, err := s.OrphanBlobs(st)
	if err != nil {
		return err
	}
	// Evidence that came from the sync folder ahead of its record is
	// waiting for it, not left over: it is kept.
	early, orphans := exchange.Early(s, all)
	if len(early) > 0 {
		fmt.Fprintf(g.err, "%s (kept).\n", earlyEvidence(len(early)))
	}
	if len(orphans) == 0 {
		fmt.Fprintln(g.err, "No evidence is stored without a record naming it.")
		return nil
	}
	var total int64
	fmt.Fprintf(g.err, "%s stored that no record names, left by an attach that stopped before it was recorded:\n", orphanCount(len(orphans)))
	for _, o := range orphans {
		fmt.Fprintf(g.err, "  evidence %s: %s sealed\n", o.Key, byteSize(int(o.Size)))
		total += o.Size
	}
	fmt.Fprintln(g.err, "No incident shows them, and no report includes them. Removing them frees", byteSize(int(total))+".")
	if err := confirmRepair(g, o, "Remove them?"); err != nil {
		return err
	}
	if err := s.RemoveOrphans(st, orphans); err != nil {
		return err
	}
	fmt.Fprintf(g.err, "Removed %s.\n", countNoun(len(orphans), "evidence file"))
	return nil
}

// confirmRepair asks before a repair: --yes says yes; a person answers on
// the terminal; otherwise nothing is done.
func confirmRepair(g *globals, o repairOptions, question string) error {
	if o.yes {
		return nil
	}
	refused := usageError("nothing was changed: run 'journal repair --yes' to do this")
	if !g.interactive {
		return refused
	}
	tty, err := g.openTTY()
	if err != nil {
		return refused
	}
	defer tty.Close()
	// Asked on one line on any terminal, below the lines that explain it.
	yes, err := form.Confirm(context.Background(), form.Terminal{In: tty, Out: tty, Lines: true}, question, "", "yes", "no", false)
	if err != nil || !yes {
		return withHint(errors.New("nothing was changed"), exitUsage, "run 'journal repair' again when you have decided")
	}
	return nil
}

// keepName is a name beside path for a copy of the damaged file that is
// not taken yet.
func keepName(path string, g *globals) string {
	return keepNameWith(path, ".damaged-", g)
}

// keepNameWith is a name for a copy of the file at path, beside it, with
// the infix and the time, that no file has.
func keepNameWith(path, infix string, g *globals) string {
	base := path + infix + g.now().UTC().Format("20060102-150405")
	name := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			return name
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}

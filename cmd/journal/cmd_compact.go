package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/journal"
)

func newCompactCommand(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "compact",
		Short: "Rewrite the journal file without the space it no longer uses",
		Long: `Rewrite the journal file without its free space. A journal written by an
earlier version of journal kept a cache inside the file and left the space
of every old copy of it there; the file keeps that space, and every
'journal add' reads and writes the list of it, so adding is slower than it
need be. (A journal made by this version keeps its cache in a file beside
it and has little free space; compacting it changes little.)

Compact waits until no other journal command is using the journal and
keeps it to itself until it is done. It writes a compacted copy beside the
journal file, syncs it to the disk, checks that it holds every record and
value of the journal and that its chain is whole, and only then puts it in
the journal file's place. Stopped at any moment (Ctrl+C, a power cut), the
journal is the old file or the new one, each whole. No passphrase is
needed; the records are neither decrypted nor changed, and the
fingerprint stays the same.

'journal backup FILE' writes the same compacted copy to another file.`,
		Example: `  journal compact`,
		Args:    exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCompact(g)
		},
	}
}

func runCompact(g *globals) error {
	s, err := g.openStore(journal.Options{})
	if err != nil {
		return err
	}
	// Ctrl+C or a closed terminal removes the copy being made.
	stop := removeOnSignal()
	rep, err := s.Compact()
	stop()
	s.Close()
	if err != nil {
		return err
	}
	fmt.Fprintf(g.err, "Compacted %s: it holds the same %s, in %s (it was %s).\n",
		s.Path(), countNoun(int(rep.Records), "record"), backupSizeText(rep.After), backupSizeText(rep.Before))
	fmt.Fprintf(g.out, "fingerprint: %s\n", rep.Fingerprint)
	return nil
}

package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/journal"
)

type checkpointOptions struct {
	note      string
	out       string
	witnessed string
}

func newCheckpointCommand(g *globals) *cobra.Command {
	var o checkpointOptions
	cmd := &cobra.Command{
		Use:   "checkpoint",
		Short: "Print the fingerprint to give to someone, and record that it was taken",
		Long: `Check the whole journal as verify does, then print the fingerprint of
everything recorded so far and write a checkpoint record saying it was
taken.

Send the fingerprint to someone you trust (your defence organisation, a
colleague, yourself by email). Later, 'journal verify' lists every
checkpoint and shows that it still holds, and
'journal verify --fingerprint FINGERPRINT' shows anyone who holds it that
nothing recorded before it has changed since.`,
		Example: `  journal checkpoint
  journal checkpoint --note "sent to my defence adviser"
  journal checkpoint --out checkpoint.txt --note "for Jane Roe, MDU"
  journal checkpoint --witnessed checkpoint.txt.witnessed`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCheckpoint(g, o)
		},
	}
	cmd.Flags().StringVar(&o.note, "note", "", "a `TEXT` saying who the fingerprint is for, or why it was taken")
	cmd.Flags().StringVar(&o.out, "out", "", "also write the signed checkpoint to `FILE`, for a witness to countersign with 'journal witness'")
	cmd.Flags().StringVar(&o.witnessed, "witnessed", "", "record the countersigned checkpoint `FILE` a witness sent back (FILE.witnessed)")
	return cmd
}

func runCheckpoint(g *globals, o checkpointOptions) error {
	if o.witnessed != "" {
		if o.out != "" || o.note != "" {
			return usageError("--witnessed records a witness's file: give it alone")
		}
		return recordWitnessed(g, o.witnessed)
	}
	if o.out != "" {
		if err := checkOutput(o.out, false); err != nil {
			return err
		}
	}
	// A checkpoint is signed with the journal's owner key, which the
	// unlock agent does not give out: it asks for the passphrase.
	g.noAgent = true
	// Holding the journal for writing, nobody can add between the check
	// and the checkpoint.
	u := &unlocker{g: g}
	j, err := g.open(journal.ForAppend, u)
	if err != nil {
		return err
	}
	defer j.Close()
	s, sealer, m := j.Store, u.sealer, j.Meta
	rep, err := s.Verify(sealer)
	if err != nil {
		return err
	}
	st := rep.State
	_, covers, _, err := s.CoversAt(st.Seq)
	if err != nil {
		return err
	}
	rec := &journal.Record{
		Type:       journal.TypeCheckpoint,
		RecordedAt: g.now().Truncate(time.Second),
		Checkpoint: &journal.Checkpoint{Seq: st.Seq, Fingerprint: st.Fingerprint, Note: o.note},
	}
	if o.out != "" {
		err = writeCheckpointFile(o.out, s, m, sealer, rep, func() error { return s.Append(sealer, rec) })
	} else {
		err = s.Append(sealer, rec)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(g.err, "Checkpoint recorded. This fingerprint stands for records 1 to %d (%s):\n",
		st.Seq, countNoun(len(st.Incidents), "incident"))
	fmt.Fprintf(g.out, "fingerprint: %s\n", st.Fingerprint)
	if manyChains(covers) {
		// This computer's numbering is not another's: say it in the
		// devices' own, which every computer shares.
		fmt.Fprintf(g.err, "Records 1 to %d are every record this computer holds: %s.\n", st.Seq, coverText(covers, deviceNamer(s)))
	}
	if o.out != "" {
		fmt.Fprintf(g.err, "Wrote %s: send it to your witness, who runs 'journal witness %s' and sends back %s.witnessed.\n",
			o.out, filepath.Base(o.out), filepath.Base(o.out))
		return nil
	}
	fmt.Fprintln(g.err, "Give it to someone you trust. 'journal verify --fingerprint' shows later that nothing before it changed.")
	return nil
}

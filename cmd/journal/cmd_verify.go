package main

import (
	"errors"
	"fmt"
	"regexp"
	"sync"

	"github.com/spf13/cobra"
)

type verifyOptions struct {
	fingerprint string
}

func newVerifyCommand(g *globals) *cobra.Command {
	var o verifyOptions
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check that nothing in the journal was altered, and print its fingerprint",
		Long: `Check the whole journal file: the file's structure, then every record in
order: that it decrypts and authenticates, and that the chain of hashes from
the first record to the last is unbroken. Every checkpoint is checked
against the chain as it is now, and listed with its fingerprint.

The fingerprint printed at the end stands for everything recorded so far.
Anyone you gave an earlier fingerprint to can be shown that nothing before
it has changed: give it with --fingerprint. If something is wrong, the first
bad record is named and the exit status is 4.`,
		Example: `  journal verify
  journal verify --fingerprint abcd-efgh-ijkl-mnop-qrst-uvwx
  journal verify --identity ~/journal-key.txt`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runVerify(g, o)
		},
	}
	cmd.Flags().StringVar(&o.fingerprint, "fingerprint", "", "also check that `FINGERPRINT`, printed earlier by verify or checkpoint, still stands for the records it covered")
	return cmd
}

// fingerprintPattern is the shape of a fingerprint as a person may type it.
var fingerprintPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?i)[a-z2-7]{4}([- ]?[a-z2-7]{4}){5}$`) })

func runVerify(g *globals, o verifyOptions) error {
	if o.fingerprint != "" && !fingerprintPattern().MatchString(o.fingerprint) {
		return usageError("--fingerprint: %q is not a fingerprint: give six groups of four letters and digits, like abcd-efgh-ijkl-mnop-qrst-uvwx", o.fingerprint)
	}
	s, sealer, err := g.openForReading()
	if err != nil {
		return err
	}
	defer s.Close()
	op := g.progressOpener(s, sealer, "Verifying", "Verifying evidence files")
	rep, err := s.Verify(op)
	op.Done()
	if err != nil {
		return err
	}
	fmt.Fprintf(g.err, "%s, %s: every record authenticates and the chain is unbroken.\n",
		countNoun(int(rep.Records), "record"), countNoun(rep.Incidents, "incident"))
	if len(rep.Orphans) > 0 {
		fmt.Fprintf(g.err, "%s stored that no record names, left by an attach that stopped before it was recorded. They are kept; 'journal repair' shows them and can remove them:\n",
			orphanCount(len(rep.Orphans)))
		for _, o := range rep.Orphans {
			fmt.Fprintf(g.err, "  evidence %s: %s sealed\n", o.Key, byteSize(int(o.Size)))
		}
	}
	for i, c := range rep.Checkpoints {
		note := ""
		if c.Note != "" {
			note = " (" + c.Note + ")"
		}
		fmt.Fprintf(g.out, "checkpoint %d: %s, records 1 to %d, fingerprint %s: holds%s\n",
			i+1, c.RecordedAt.Local().Format("2 Jan 2006 15:04"), c.Seq, c.Fingerprint, note)
	}
	if err := checkStamps(g, rep); err != nil {
		return err
	}
	if len(rep.State.Cosigned) > 0 {
		m, err := s.Meta()
		if err != nil {
			return err
		}
		if err := checkWitnesses(g, m, sealer, rep); err != nil {
			return err
		}
	}
	if o.fingerprint != "" {
		seq, ok := rep.FindFingerprint(o.fingerprint)
		if !ok {
			return withHint(errors.New("the fingerprint "+o.fingerprint+" does not match this journal at any record"), exitIntegrity,
				"the records it stood for were changed, or it belongs to another journal or was mistyped")
		}
		fmt.Fprintf(g.err, "The fingerprint %s stands for records 1 to %d: nothing up to record %d has changed since it was taken.\n",
			rep.FingerprintAt(seq), seq, seq)
	}
	fmt.Fprintf(g.out, "fingerprint: %s\n", rep.State.Fingerprint)
	return nil
}

func countNoun(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// orphanCount says how many evidence files no record names.
func orphanCount(n int) string {
	if n == 1 {
		return "1 evidence file is"
	}
	return fmt.Sprintf("%d evidence files are", n)
}

package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newVerifyCommand(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "verify",
		Short: "Check that nothing in the journal was altered, and print its fingerprint",
		Long: `Check the whole journal file: the file's structure, then every record in
order: that it decrypts and authenticates, and that the chain of hashes from
the first record to the last is unbroken.

The fingerprint printed at the end stands for everything recorded so far.
Anyone you gave an earlier fingerprint to can be shown that nothing before
it has changed. If something is wrong, the first bad record is named and the
exit status is 4.`,
		Example: `  journal verify
  journal verify --identity ~/journal-key.txt`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runVerify(g)
		},
	}
}

func runVerify(g *globals) error {
	s, sealer, err := g.openForReading()
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := s.Verify(sealer)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.err, "%s, %s: every record authenticates and the chain is unbroken.\n",
		countNoun(int(rep.Records), "record"), countNoun(rep.Incidents, "incident"))
	fmt.Fprintf(g.out, "fingerprint: %s\n", rep.State.Fingerprint)
	return nil
}

func countNoun(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

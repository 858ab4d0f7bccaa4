package main

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/exchange"
	"github.com/journal-dev/journal/internal/progress"
	"github.com/journal-dev/journal/journal"
)

type verifyOptions struct {
	fingerprint    string
	acceptRollback bool
}

func newVerifyCommand(g *globals) *cobra.Command {
	var o verifyOptions
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check that nothing in the journal was altered, and print its fingerprint",
		Long: `Check the whole journal file: the file's structure; the manifest, in which
the journal's owner signed whom records are sealed to and which devices may
add them; then every record in order: that it is signed by an enrolled
device, follows that device's previous record, decrypts and authenticates.
Every checkpoint is checked against the chain as it is now, and listed with
its fingerprint. If something is wrong, the first bad record is named and
the exit status is 4.

The fingerprint printed at the end stands for everything recorded so far.
Anyone you gave an earlier fingerprint to can be shown that nothing before
it has changed: give it with --fingerprint. That needs no key: without a
passphrase or --identity, verify checks the chain and every signature up to
it without decrypting anything, so anyone with a copy of the file can do it.

This computer remembers the newest records it has seen. A journal that
holds fewer (an older copy put back) or other ones is reported as rolled
back or replaced by every command, until you confirm it with
--accept-rollback, for example after restoring a backup on purpose.

What a journal that verifies shows, and what it cannot:
` + claimsText("  "),
		Example: `  journal verify
  journal verify --fingerprint abcd-efgh-ijkl-mnop-qrst-uvwx
  journal verify --identity ~/journal-key.txt`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runVerify(g, o)
		},
	}
	cmd.Flags().StringVar(&o.fingerprint, "fingerprint", "", "also check that `FINGERPRINT`, printed earlier by verify or checkpoint, still stands for the records it covered (needs no key)")
	cmd.Flags().BoolVar(&o.acceptRollback, "accept-rollback", false, "accept the journal as it is, though it holds fewer or other records than this computer saw (after restoring a backup on purpose)")
	return cmd
}

// claimsText lays out the claims as a list, each line indented.
func claimsText(indent string) string {
	var b strings.Builder
	for _, c := range journal.Claims {
		b.WriteString(wrapText(c, 76, indent+"- ", indent+"  "))
	}
	return b.String()
}

// wrapText wraps s at width, the first line starting with first and the
// others with rest.
func wrapText(s string, width int, first, rest string) string {
	var b strings.Builder
	line := first
	for _, w := range strings.Fields(s) {
		if len(line)+1+len(w) > width && strings.TrimSpace(line) != strings.TrimSpace(first) {
			b.WriteString(line + "\n")
			line = rest
		}
		if line != first && line != rest {
			line += " "
		}
		line += w
	}
	return b.String() + line + "\n"
}

// fingerprintPattern is the shape of a fingerprint as a person may type it.
var fingerprintPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?i)[a-z2-7]{4}([- ]?[a-z2-7]{4}){5}$`) })

func runVerify(g *globals, o verifyOptions) error {
	if o.fingerprint != "" && !fingerprintPattern().MatchString(o.fingerprint) {
		return usageError("--fingerprint: %q is not a fingerprint: give six groups of four letters and digits, like abcd-efgh-ijkl-mnop-qrst-uvwx", o.fingerprint)
	}
	g.pinChecked = true
	if o.fingerprint != "" && !g.keyGiven() {
		return verifyWithoutKey(g, o)
	}
	s, sealer, err := g.openForChecking()
	if err != nil {
		return err
	}
	defer func() {
		// verify never writes to the file it checks: evidence read from
		// the sync folder in place of a damaged copy is only said.
		for _, m := range s.Mends() {
			fmt.Fprintf(g.err, "journal: note: the copy of the evidence file %q on this computer does not match its record: the good copy in the sync folder was checked instead, and the next 'journal evidence' or 'journal export' of it puts it in the journal (verify changes nothing)\n", m.Attachment.Name)
		}
		s.Close()
	}()
	if o.acceptRollback {
		// The cache beside an older copy put back was written from
		// the newer journal: it is not this one's.
		s.ForgetCache()
	}
	op := g.progressOpener(s, sealer, "Verifying", "Verifying evidence files")
	rep, err := s.Verify(op)
	op.Done()
	if err != nil {
		return err
	}
	if err := g.repin(s, o.acceptRollback); err != nil {
		s.DropCache() // a failed verify changes nothing
		return err
	}
	// The journal's own result first: a problem of the sync folder is
	// said after it, not instead of it.
	fmt.Fprintf(g.err, "%s, %s: every record authenticates and the chain is unbroken; %s.\n",
		countNoun(int(rep.Records), "record"), countNoun(rep.Incidents, "incident"), signedPhrase(rep.Records, rep.Unsigned))
	if err := g.verifyFolder(s); err != nil {
		return err
	}
	early, left := exchange.Early(s, rep.Orphans)
	if len(left) > 0 {
		fmt.Fprintf(g.err, "%s stored that no record names, left by an attach that stopped before it was recorded. They are kept; 'journal repair' shows them and can remove them:\n",
			orphanCount(len(left)))
		for _, o := range left {
			fmt.Fprintf(g.err, "  evidence %s: %s sealed\n", o.Key, byteSize(int(o.Size)))
		}
	}
	if len(early) > 0 {
		fmt.Fprintf(g.err, "%s:\n", earlyEvidence(len(early)))
		for _, o := range early {
			fmt.Fprintf(g.err, "  evidence %s: %s sealed\n", o.Key, byteSize(int(o.Size)))
		}
	}
	notArrived(g, rep.NotArrived)
	words, err := checkpointWords(s, rep)
	if err != nil {
		return err
	}
	for i, c := range rep.Checkpoints {
		note := ""
		if c.Note != "" {
			note = " (" + c.Note + ")"
		}
		fmt.Fprintf(g.out, "checkpoint %d: %s, %s, fingerprint %s: holds%s\n",
			i+1, c.RecordedAt.Local().Format("2 Jan 2006 15:04"), words[i], c.Fingerprint, note)
	}
	if err := checkStamps(g, s, rep); err != nil {
		return err
	}
	if len(rep.State.Cosigned) > 0 {
		m, err := s.Meta()
		if err != nil {
			return err
		}
		if err := checkWitnesses(g, m, rep, words); err != nil {
			return err
		}
	}
	if o.fingerprint != "" {
		seq, ok := rep.FindFingerprint(o.fingerprint)
		if !ok {
			return fingerprintNotFound(o.fingerprint)
		}
		fmt.Fprintf(g.err, "The fingerprint %s stands for records 1 to %d: nothing up to record %d has changed since it was taken.\n",
			rep.FingerprintAt(seq), seq, seq)
	}
	printClaims(g, rep.Unsigned)
	fmt.Fprintf(g.out, "fingerprint: %s\n", rep.State.Fingerprint)
	return nil
}

// earlyEvidence says that n evidence files came from the sync folder
// ahead of the records that name them.
func earlyEvidence(n int) string {
	if n == 1 {
		return "1 evidence file came from the sync folder before the record that names it; a later sync brings the record"
	}
	return fmt.Sprintf("%s evidence files came from the sync folder before the records that name them; a later sync brings the records", progress.Thousands(int64(n)))
}

// notArrived says which evidence files verify could not check because
// their bytes have not arrived from the sync folder yet. It is not damage,
// and not an error.
func notArrived(g *globals, files []*journal.NotArrivedError) {
	switch len(files) {
	case 0:
		return
	case 1:
		fmt.Fprintln(g.err, "1 evidence file is not checked: it has not arrived from the sync folder yet. The next sync brings it, and 'journal verify' checks it then:")
	default:
		fmt.Fprintf(g.err, "%s evidence files are not checked: they have not arrived from the sync folder yet. The next sync brings them, and 'journal verify' checks them then:\n", progress.Thousands(int64(len(files))))
	}
	for _, f := range files {
		fmt.Fprintf(g.err, "  %q, attached on %s\n", f.Name, strings.TrimPrefix(f.Device, "the device "))
	}
}

// verifyWithoutKey checks a fingerprint against the chain and the
// signatures alone.
func verifyWithoutKey(g *globals, o verifyOptions) error {
	s, err := g.openStore(journal.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	s.KeepUnchanged()
	rep, err := s.VerifyChain()
	if err != nil {
		return err
	}
	if err := g.repin(s, o.acceptRollback); err != nil {
		return err
	}
	seq, ok := rep.FindFingerprint(o.fingerprint)
	if !ok {
		return fingerprintNotFound(o.fingerprint)
	}
	fmt.Fprintf(g.err, "%s: the chain is unbroken; %s. Nothing was decrypted: the contents were not checked, only that they were not changed.\n",
		countNoun(int(rep.Records), "record"), signedPhrase(rep.Records, rep.Unsigned))
	fmt.Fprintf(g.err, "The fingerprint %s stands for records 1 to %d: nothing up to record %d has changed since it was taken.\n",
		rep.FingerprintAt(seq), seq, seq)
	printClaims(g, rep.Unsigned)
	fmt.Fprintf(g.out, "fingerprint: %s\n", rep.Fingerprint())
	return nil
}

func fingerprintNotFound(fp string) error {
	return withHint(errors.New("the fingerprint "+fp+" does not match this journal at any record"), exitIntegrity,
		"the records it stood for were changed, or it belongs to another journal or was mistyped")
}

// signedPhrase says how many records are signed.
func signedPhrase(records, unsigned uint64) string {
	switch {
	case records == 0:
		return "there are no records yet"
	case unsigned == 0:
		return "every record is signed by an enrolled device"
	case unsigned == records:
		return "every record was made before signing"
	}
	if unsigned == 1 {
		return "1 record was made before signing, every later one is signed by an enrolled device"
	}
	return fmt.Sprintf("%s records were made before signing, every later one is signed by an enrolled device", progress.Thousands(int64(unsigned)))
}

func printClaims(g *globals, unsigned uint64) {
	fmt.Fprintln(g.err, "What this shows, and what it cannot:")
	fmt.Fprint(g.err, claimsText(""))
	if unsigned > 0 {
		fmt.Fprint(g.err, wrapText(journal.ClaimBeforeSigning, 76, "- ", "  "))
	}
}

// keyGiven reports whether a key to unlock the journal was given without
// asking: --identity, JOURNAL_IDENTITY, JOURNAL_PASSPHRASE or
// --passphrase-file.
func (g *globals) keyGiven() bool {
	return g.identityFile != "" || os.Getenv("JOURNAL_IDENTITY") != "" ||
		os.Getenv("JOURNAL_PASSPHRASE") != "" || g.passphraseFile != ""
}

// repin compares the journal just verified with what this computer saw of
// it, and brings that forward; after --accept-rollback it starts again from
// the journal as it is.
func (g *globals) repin(s *journal.Store, accept bool) error {
	pin, err := journal.LoadPin(s.ID())
	if err != nil && !accept {
		return err
	}
	if !accept {
		if err := s.CheckPin(pin); err != nil {
			var rb *journal.RollbackError
			if errors.As(err, &rb) {
				return withHint(err, exitIntegrity, rollbackHint)
			}
			return err
		}
	}
	if accept {
		if err := s.ResetPin(); err != nil {
			return err
		}
		fmt.Fprintln(g.err, "This computer accepted the journal as it is now: it will compare it with this from now on.")
		return nil
	}
	s.UpdatePin(pin)
	return nil
}

// countNoun says n of word for a person: "1 record", "100,054 records".
func countNoun(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return progress.Thousands(int64(n)) + " " + word + "s"
}

// orphanCount says how many evidence files no record names.
func orphanCount(n int) string {
	if n == 1 {
		return "1 evidence file is"
	}
	return fmt.Sprintf("%s evidence files are", progress.Thousands(int64(n)))
}

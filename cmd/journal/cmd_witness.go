package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/witness"
)

type witnessOptions struct {
	name string
}

func newWitnessCommand(g *globals) *cobra.Command {
	var o witnessOptions
	cmd := &cobra.Command{
		Use:   "witness FILE",
		Short: "Countersign someone's journal checkpoint, as their witness",
		Long: `Countersign a checkpoint file that someone made with 'journal checkpoint
--out', as a witness (for example their defence adviser). No journal is
needed: only this program.

The checkpoint holds nothing of what they wrote: the number of records, a
hash of them, and for each of the journal's computers its public key, how
many records of it are covered and the hash of the last. Countersigning it states that you saw it at this time; if
anything recorded before it is later changed, the journal no longer matches
your signature. The first time, a witness key is made for you (kept in
your config folder, 0600) under the name you give with --name.

What you signed is also remembered (beside your key). The checkpoint
names each computer's newest record it covers: a checkpoint of the same
journal with other contents where you signed some, or with fewer records
of the computer that took it than you signed before, is refused (exit 4).
One from a computer that has not yet received every record of the others
contradicts nothing, and is signed.

Writes FILE.witnessed beside FILE, prints its path: send it back to them.`,
		Example: `  journal witness checkpoint.txt --name "Jane Roe, MDU"
  journal witness checkpoint.txt`,
		Args: exactArgs(1, "the checkpoint file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runWitness(g, o, args[0])
		},
	}
	cmd.Flags().StringVar(&o.name, "name", "", "your `NAME` as the journal's owner will see it (kept with your witness key on first use)")
	return cmd
}

// witnessKeyPath is where a witness's key is kept.
func witnessKeyPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding your config folder: %w", err)
	}
	return filepath.Join(dir, "journal", "witness.key"), nil
}

func runWitness(g *globals, o witnessOptions, path string) error {
	name := ""
	if o.name != "" {
		var err error
		if name, err = witness.KeyName(o.name); err != nil {
			return usageError("--name: %v", err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return withHint(plainFileError(err), exitUsage, "check the path of the checkpoint file")
	}
	out := path + ".witnessed"
	if err := checkOutput(out, false); err != nil {
		return err
	}
	keyPath, err := witnessKeyPath()
	if err != nil {
		return err
	}
	k, created, err := witness.LoadKey(keyPath, name, true)
	if err != nil {
		return usageError("%v", err)
	}
	c, signed, err := witness.Cosign(data, k, g.now())
	if err != nil {
		return withHint(fmt.Errorf("%s: %w", path, err), exitIntegrity, "ask for the checkpoint file again, as 'journal checkpoint --out' wrote it")
	}
	memory := filepath.Join(filepath.Dir(keyPath), "witnessed")
	if err := witness.CheckHistory(memory, c); err != nil {
		return withHint(fmt.Errorf("%s: %w", path, err), exitIntegrity, "nothing was signed; ask its owner why")
	}
	byKey := witness.ComparedByKeyOnly(memory, c)
	err = writeFileAtomic(out, false, func(w io.Writer) error {
		_, err := w.Write(signed)
		return err
	}, func(int64, [32]byte) error { return nil })
	if err != nil {
		return err
	}
	if err := witness.Remember(memory, c, g.now()); err != nil {
		return err
	}
	if created {
		fmt.Fprintf(g.err, "Made your witness key %s (kept in %s).\n", k.Fingerprint(), keyPath)
	}
	var h [32]byte = c.Hash
	records := fmt.Sprintf("records 1 to %d", c.Count)
	if c.Covers != nil && manyChains(c.Covers) {
		// Each computer numbers the records in the order it received them.
		records += " (from several computers, as the one that took it numbers them)"
	}
	fmt.Fprintf(g.err, "Witnessed as %s (key %s) on %s: %s of %s, fingerprint %s.\n",
		displayName(k.Name), k.Fingerprint(), g.now().Format("2 Jan 2006 15:04 MST"), records, c.Origin, journal.Fingerprint(h))
	if byKey > 0 {
		them := "those"
		if byKey == 1 {
			them = "it"
		}
		fmt.Fprintf(g.err, "Note: you witnessed this journal %s with an earlier version of journal, which kept no record of its computers: "+
			"this checkpoint, of a journal kept on several computers, was compared with %s by its key only, not by its records. "+
			"Every later checkpoint is compared with this one computer by computer.\n", countNoun(byKey, "time"), them)
	}
	fmt.Fprintln(g.out, out)
	return nil
}

// displayName is a witness key's name as a person wrote it.
func displayName(keyName string) string { return witness.DisplayName(keyName) }

// journalKey is the journal's checkpoint signing key: its owner key, the
// one that signs its manifest. It is the one place that says which key
// signs checkpoints.
func journalKey(m *journal.Meta, sealer *crypto.Sealer) (*witness.JournalKey, error) {
	owner := sealer.OwnerKey()
	if owner == nil {
		return nil, withHint(errors.New("a checkpoint is signed with the journal's owner key, which the unlock agent does not give out"),
			exitUnlock, "run 'journal lock', then the command again with the passphrase")
	}
	return witness.NewJournalKey(m.ID, owner), nil
}

// writeCheckpointFile writes the signed checkpoint of the log up to the
// report's state into path; record is called once the file is safely
// written, before it takes its name.
func writeCheckpointFile(path string, s *journal.Store, m *journal.Meta, sealer *crypto.Sealer, rep *journal.VerifyReport, record func() error) error {
	k, err := journalKey(m, sealer)
	if err != nil {
		return err
	}
	seq := rep.State.Seq
	if seq == 0 {
		return usageError("the journal is empty: there is nothing to witness yet")
	}
	// The journal head of every record this computer holds, which the
	// checkpoint record's fingerprint stands for: the same on every
	// computer (a record's position is not), spelled out per device so
	// that the witness can tell a computer that lags from a history that
	// was changed.
	head, covers, device, err := s.CoversAt(seq)
	if err != nil {
		return err
	}
	signed, err := k.SignCovering(m.ID, seq, head, covers, device)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, false, func(w io.Writer) error {
		_, err := w.Write(signed)
		return err
	}, func(int64, [32]byte) error { return record() })
}

// recordWitnessed checks a witnessed checkpoint against this journal and
// records it.
func recordWitnessed(g *globals, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return withHint(plainFileError(err), exitUsage, "check the path of the checkpoint file")
	}
	c, cs, err := witness.OpenWitnessed(data)
	if err != nil {
		return withHint(fmt.Errorf("%s: %w", path, err), exitIntegrity, "nothing was recorded; ask the witness for the file 'journal witness' wrote")
	}
	u := &unlocker{g: g}
	j, err := g.open(journal.ForAppend, u)
	if err != nil {
		return err
	}
	s, sealer, m := j.Store, u.sealer, j.Meta
	closed := false
	defer func() {
		if !closed {
			s.Close()
		}
	}()
	rep, err := s.Verify(sealer)
	if err != nil {
		return err
	}
	if err := checkCosigned(m, rep, c); err != nil {
		return withHint(fmt.Errorf("%s: %w", path, err), exitIntegrity, "nothing was recorded")
	}
	for _, w := range rep.State.Cosigned {
		if w.Key == cs.Key && w.Seq == c.Count && w.Time.Equal(cs.Time) {
			return usageError("%s is already recorded (%s)", path, w.RecordedAt.Local().Format("2 Jan 2006 15:04"))
		}
	}
	words, err := checkpointWords(s, rep)
	if err != nil {
		return err
	}
	covers := witnessedWords(rep, c, words)
	rec := &journal.Record{Type: journal.TypeWitness, RecordedAt: g.now().Truncate(time.Second), Witness: &journal.Cosigned{
		Seq: c.Count, Head: hex.EncodeToString(c.Hash[:]), Name: cs.Name, Key: cs.Key, Time: cs.Time, Note: data}}
	if err := s.AppendStamps(sealer, rec); err != nil {
		return err
	}
	closed = true
	s.Close()
	putProofFiles(g, []*journal.Record{rec})
	fmt.Fprintf(g.out, "witnessed by %s (key %s) on %s, %s: holds\n",
		displayName(cs.Name), cs.Fingerprint(), cs.Time.Local().Format("2 Jan 2006 15:04 MST"), covers)
	return nil
}

// checkCosigned checks that a witnessed checkpoint is this journal's, signed
// with its owner key (the public one, from the manifest: no secret is
// needed), and that the records it covers still have its hash.
func checkCosigned(m *journal.Meta, rep *journal.VerifyReport, c *witness.Checkpoint) error {
	owner, err := journal.ParseDeviceName(m.Owner)
	if err != nil {
		return fmt.Errorf("the journal's owner key cannot be read: %w", err)
	}
	if c.Origin != witness.Origin(m.ID) || c.Key != witness.JournalVerifier(m.ID, owner) {
		return errors.New("it is the checkpoint of another journal")
	}
	// The head of a checkpoint made here or on another computer, whose
	// own record verify checked; or, in a file made before checkpoints
	// named the head of every record held, the hash at position Count.
	if made, ok := rep.MadeCheckpoint(c.Hash); ok && made.Seq == c.Count {
		return nil
	}
	head, ok := rep.StampHead(c.Count)
	if !ok {
		return fmt.Errorf("it covers records 1 to %d, but this journal has only %d: records were removed", c.Count, rep.Records)
	}
	if head != c.Hash {
		return fmt.Errorf("records 1 to %d were changed since it was witnessed", c.Count)
	}
	return nil
}

// witnessedWords says which records a witnessed checkpoint covers here:
// those of the checkpoint it witnessed (words, from checkpointWords), or
// records 1 to its count for a file made before checkpoints named the head
// of every record held.
func witnessedWords(rep *journal.VerifyReport, c *witness.Checkpoint, words []string) string {
	if made, ok := rep.MadeCheckpoint(c.Hash); ok {
		if i := slices.IndexFunc(rep.Checkpoints, func(e journal.CheckpointEntry) bool { return e.At == made.At }); i >= 0 {
			return words[i]
		}
	}
	return fmt.Sprintf("records 1 to %d", c.Count)
}

// checkWitnesses checks every witnessed checkpoint against the chain as it
// is now, and lists each one.
// words are what each checkpoint covers here (checkpointWords).
func checkWitnesses(g *globals, m *journal.Meta, rep *journal.VerifyReport, words []string) error {
	for i, w := range rep.State.Cosigned {
		c, cs, err := witness.OpenWitnessed(w.Note)
		if err == nil {
			err = checkCosigned(m, rep, c)
		}
		if err == nil && (c.Count != w.Seq || cs.Key != w.Key || !cs.Time.Equal(w.Time)) {
			err = errors.New("the record says other than the file it keeps")
		}
		if err != nil {
			return &journal.IntegrityError{Seq: w.At, Reason: fmt.Sprintf("witnessed checkpoint %d (by %s) does not hold: %v",
				i+1, displayName(w.Name), err)}
		}
		covers := witnessedWords(rep, c, words)
		fmt.Fprintf(g.out, "witnessed by %s (key %s) on %s, %s: holds\n",
			displayName(cs.Name), cs.Fingerprint(), cs.Time.Local().Format("2 Jan 2006 15:04 MST"), covers)
	}
	return nil
}

package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

func newKeyCommand(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "key",
		Short: "Export the journal's key, or add a recovery key",
		Long: `The journal has its own age key, kept in the journal file and encrypted
with your passphrase. If you lose the passphrase, only an exported copy of
the key, or a recovery key added beforehand, can open the journal again.`,
		Example: `  journal key export -o /media/usb/journal-key.txt
  journal key add-recipient age1pq1...`,
		Args: exactArgs(0, "a subcommand: export or add-recipient"),
	}
	cmd.AddCommand(newKeyExportCommand(g), newKeyAddRecipientCommand(g))
	return cmd
}

type keyExportOptions struct {
	output string
}

func newKeyExportCommand(g *globals) *cobra.Command {
	var o keyExportOptions
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Print the journal's secret key, for safe keeping offline",
		Long: `Print the journal's age identity (its secret key), after unlocking.

Anyone who has this key can read every entry without the passphrase. Keep
it on paper or a USB stick somewhere safe and offline. With it you can
open the journal with --identity FILE if the passphrase is lost, set a new
passphrase with 'journal passphrase --identity FILE', and decrypt any
record with the age tool.`,
		Example: `  journal key export -o /media/usb/journal-key.txt
  journal key export > journal-key.txt`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runKeyExport(g, o)
		},
	}
	cmd.Flags().StringVarP(&o.output, "output", "o", "", "write the key to `FILE` (created 0600; never overwritten)")
	return cmd
}

func runKeyExport(g *globals, o keyExportOptions) error {
	m, err := g.readMeta()
	if err != nil {
		return err
	}
	id, err := g.ownIdentity(m, "unlock with the passphrase to export the journal's own key")
	if err != nil {
		return err
	}
	path, err := g.path()
	if err != nil {
		return err
	}
	text := fmt.Sprintf("# the key of the journal %s\n# exported: %s\n# public key: %s\n%s\n",
		path, g.now().UTC().Format(time.RFC3339), id.Recipient(), id.String())
	var w io.Writer = g.out
	if o.output != "" {
		f, err := os.OpenFile(o.output, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return alreadyExists(o.output, "it was left untouched; give another file name")
		}
		if err != nil {
			return fmt.Errorf("writing the key: %w", err)
		}
		if _, err := io.WriteString(f, text); err != nil {
			f.Close()
			os.Remove(o.output)
			return fmt.Errorf("writing the key: %w", err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return fmt.Errorf("writing the key: %w", err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("writing the key: %w", err)
		}
		fmt.Fprintf(g.err, "Wrote the journal's key to %s.\n", o.output)
	} else if _, err := io.WriteString(w, text); err != nil {
		return err
	}
	fmt.Fprintln(g.err, `Warning: this is the secret key of your journal. Anyone who has it can
read every entry, without the passphrase. Keep it on paper or a USB stick
somewhere safe and offline; never email it or keep it in the cloud.`)
	return nil
}

func newKeyAddRecipientCommand(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "add-recipient RECIPIENT",
		Short: "Also encrypt new records to another age key, for recovery",
		Long: `Also encrypt every new record to RECIPIENT, an age public key (age1...),
for example a recovery key you made with age-keygen and keep offline. Its
secret key then opens the journal with --identity FILE.

Records made before the recipient is added are not encrypted to it: it
reads only what is recorded from then on. Add a recovery key right after
'journal init', or keep the journal's own key ('journal key export').

A post-quantum journal (the default) takes post-quantum recipients
(age1pq1..., made with 'age-keygen -pq'); a classic journal (init --classic)
takes classic ones: age does not mix the two in one file.`,
		Example: `  # make a recovery key with age's own tool: age-keygen -pq -o recovery-key.txt
  journal key add-recipient age1pq1...`,
		Args: exactArgs(1, "an age recipient (a public key, age1...)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runKeyAddRecipient(g, strings.TrimSpace(args[0]))
		},
	}
}

func runKeyAddRecipient(g *globals, recipient string) error {
	classic, err := crypto.ParseRecipient(recipient)
	if err != nil {
		return usageError("%v: give a public key like the one age-keygen prints, starting age1", err)
	}
	m, err := g.readMeta()
	if err != nil {
		return err
	}
	journalClassic, err := crypto.ParseRecipient(m.Recipients[0])
	if err != nil {
		return &journal.IntegrityError{Reason: "its own recipient cannot be read"}
	}
	if classic != journalClassic {
		if journalClassic {
			return usageError("%s is a post-quantum recipient, but this journal's key is classic (X25519): age does not mix post-quantum and classic recipients, so give a classic one (age-keygen without -pq)", shortRecipient(recipient))
		}
		return usageError("%s is a classic recipient, but this journal's key is post-quantum: age does not mix post-quantum and classic recipients, because that would lose the post-quantum protection; give a post-quantum one (age-keygen -pq)", shortRecipient(recipient))
	}
	if slices.Contains(m.Recipients, recipient) {
		fmt.Fprintf(g.err, "%s is already a recipient of this journal: nothing to do.\n", shortRecipient(recipient))
		return nil
	}
	// Only the journal's owner may add a reader.
	if _, err := g.identity(m); err != nil {
		return err
	}
	recipients := append(slices.Clone(m.Recipients), recipient)
	sealer, err := crypto.NewSealer(recipients)
	if err != nil {
		return usageError("%v", err)
	}
	if _, err := sealer.Seal([]byte("trial")); err != nil {
		return usageError("age cannot encrypt to these recipients together: %v", err)
	}
	s, err := g.openStore(journal.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	seq, _, err := s.Head()
	if err != nil {
		return err
	}
	if err := s.SetRecipients(recipients); err != nil {
		return err
	}
	fmt.Fprintf(g.err, "New records will also be encrypted to %s.\n", shortRecipient(recipient))
	if seq > 0 {
		fmt.Fprintf(g.err, "The %s made before now are not: its key reads only what is recorded from now on.\n", countNoun(int(seq), "record"))
	}
	return nil
}

// shortRecipient abbreviates a long recipient for a message.
func shortRecipient(r string) string {
	if len(r) <= 24 {
		return r
	}
	return r[:16] + "..." + r[len(r)-6:]
}

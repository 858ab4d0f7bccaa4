package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/internal/form"
	"github.com/journal-dev/journal/journal"
)

func newKeyCommand(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "key",
		Short: "Export the journal's key, list or change what unlocks it",
		Long: `The journal has its own age key, kept in the journal file and encrypted
with your passphrase. If you lose the passphrase, only an exported copy of
the key, or a recovery key added beforehand, can open the journal again.`,
		Example: `  journal key export -o /media/usb/journal-key.txt
  journal key add-recipient age1pq1...`,
		Args: exactArgs(0, "a subcommand: export, add-recipient, remove-recipient or list"),
	}
	cmd.AddCommand(newKeyExportCommand(g), newKeyAddRecipientCommand(g), newKeyListCommand(g), newKeyRemoveRecipientCommand(g))
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
	u := g.ownKey("unlock with the passphrase to export the journal's own key")
	if _, err := g.unlockOnly(u); err != nil {
		return err
	}
	id := u.id
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

type keyAddRecipientOptions struct {
	acceptClassic bool
}

func newKeyAddRecipientCommand(g *globals) *cobra.Command {
	var o keyAddRecipientOptions
	cmd := &cobra.Command{
		Use:   "add-recipient RECIPIENT",
		Short: "Let another age key, kept offline, unlock the journal",
		Long: `Let RECIPIENT, an age public key (age1...), unlock the journal: for example
a recovery key you made with age-keygen and keep offline. The journal's own
key is wrapped to it and kept in the journal file, so its secret key reads
every record, those made before it was added too: give it with
--identity FILE to any command that reads, or unwrap the journal's key with
the age command ('journal key list' says how).

Records themselves are sealed only to the journal's own key, which the
owner signed; a recovery key reads them by unwrapping that key.

A post-quantum journal (the default) wrapped to a classic key (age1...,
or a hardware key) is only as safe as that classic key against a future
quantum computer: add-recipient says so and asks, or, without a terminal,
needs --accept-classic.`,
		Example: `  # make a recovery key with age's own tool: age-keygen -pq -o recovery-key.txt
  journal key add-recipient age1pq1...`,
		Args: exactArgs(1, "an age recipient (a public key, age1...)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runKeyAddRecipient(g, strings.TrimSpace(args[0]), o)
		},
	}
	cmd.Flags().BoolVar(&o.acceptClassic, "accept-classic", false, "wrap a post-quantum journal's key to a classic recipient without asking")
	return cmd
}

func runKeyAddRecipient(g *globals, recipient string, o keyAddRecipientOptions) error {
	classic, err := crypto.ParseRecipient(recipient)
	if err != nil {
		return usageError("%v: give a public key like the one age-keygen prints, starting age1", err)
	}
	u := g.ownKey("unlock with the passphrase or the journal's key")
	u.upgraded = true
	u.check = func(m *journal.Meta) error {
		journalClassic, err := crypto.ParseRecipient(m.Recipients[0])
		if err != nil {
			return &journal.IntegrityError{Reason: "its own recipient cannot be read"}
		}
		for _, u := range m.Unlocks {
			if u.Recipient == recipient {
				fmt.Fprintf(g.err, "%s already unlocks this journal: nothing to do.\n", shortRecipient(recipient))
				return errNothingToDo
			}
		}
		if classic && !journalClassic && !o.acceptClassic {
			return confirmClassic(g, recipient)
		}
		return nil
	}
	j, err := g.open(journal.ForAppend, u)
	if err != nil {
		return err
	}
	defer j.Close()
	s := j.Store
	wrapped, err := crypto.WrapTo(u.id, recipient)
	if err != nil {
		return usageError("%v", err)
	}
	seq, _, err := s.Head()
	if err != nil {
		return err
	}
	if err := s.AddUnlock(journal.Unlock{Recipient: recipient, Wrapped: wrapped}); err != nil {
		return err
	}
	fmt.Fprintf(g.err, "%s now unlocks this journal: its secret key reads every record", shortRecipient(recipient))
	if seq > 0 {
		fmt.Fprintf(g.err, ", the %s made before now too", countNoun(int(seq), "record"))
	}
	fmt.Fprintln(g.err, ".")
	return nil
}

// confirmClassic asks before a post-quantum journal's key is wrapped to a
// classic recipient; without a terminal it refuses.
func confirmClassic(g *globals, recipient string) error {
	const what = "is a classic recipient: wrapping this post-quantum journal's key to it makes every record only as safe as that key against a future quantum computer"
	if !g.interactive {
		return usageError("%s %s; to do it all the same, add --accept-classic", shortRecipient(recipient), what)
	}
	fmt.Fprintf(g.err, "%s %s.\n", shortRecipient(recipient), what)
	tty, err := g.openTTY()
	if err != nil {
		return usageError("%s %s; to do it all the same, add --accept-classic", shortRecipient(recipient), what)
	}
	defer tty.Close()
	ok, err := form.Confirm(context.Background(), g.terminal(tty), "Wrap the journal's key to this classic key all the same?", "",
		"Wrap it", "Cancel", false)
	if err != nil || !ok {
		return usageError("cancelled: nothing was changed")
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

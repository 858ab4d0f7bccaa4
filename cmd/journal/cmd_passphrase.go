package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/internal/form"
	"github.com/journal-dev/journal/journal"
)

func newPassphraseCommand(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "passphrase",
		Short: "Change the passphrase",
		Long: `Change the journal's passphrase, for example when it may have been seen.

Unlock with the current passphrase (or --identity with the journal's
exported key, if the passphrase is lost), then choose the new one. Only the
journal's key is re-encrypted; no record is touched. The key wrapped with
the old passphrase is wiped from the file (the free pages it may stay in
are cleared). Afterwards the old passphrase no longer opens this journal,
but it still opens any backup made before the change: if the old
passphrase may have been seen, run 'journal rekey' too.

Without a terminal, the new passphrase is taken from JOURNAL_NEW_PASSPHRASE.`,
		Example: `  journal passphrase
  journal passphrase --identity ~/journal-key.txt`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPassphrase(g)
		},
	}
}

func runPassphrase(g *globals) error {
	u := g.ownKey("unlock with the current passphrase, or with the key 'journal key export' wrote")
	m, pass, err := g.unlockToReplace(u)
	if err != nil {
		return err
	}
	id := u.id
	if m.Version >= journal.FormatVersion && g.interactive && askSeen(g) {
		return rekey(g, m, id, pass)
	}
	done := g.workingOnTerminal("Changing the passphrase...")
	defer done()
	wrapped, err := crypto.Wrap(id, pass)
	if err != nil {
		return err
	}
	// Never store a wrap that does not open again.
	back, err := crypto.Unwrap(wrapped, pass)
	if err != nil || back.Recipient() != id.Recipient() {
		return fmt.Errorf("the key did not re-encrypt correctly, so the passphrase was not changed: %v", err)
	}
	s, err := g.openStore(journal.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.SetWrappedIdentity(wrapped); err != nil {
		return err
	}
	// The key wrapped with the old passphrase must not stay readable in a
	// free page of the file.
	if err := s.ClearFreePages(); err != nil {
		return err
	}
	done()
	fmt.Fprintln(g.err, `Passphrase changed, and the key wrapped with the old one wiped from the file.
The old passphrase no longer opens this journal, but backups made before now
still open with it: make a new backup with 'journal backup' and destroy the
old ones, and if the old passphrase may have been seen, run 'journal rekey'
so that what you record from now on needs a new key.`)
	return nil
}

// askSeen asks, on a terminal, whether the old passphrase may have been
// seen: then the journal needs a new key ('journal rekey'), not only a new
// passphrase.
func askSeen(g *globals) bool {
	tty, err := g.openTTY()
	if err != nil {
		return false
	}
	defer tty.Close()
	seen, err := form.Confirm(context.Background(), g.terminal(tty), "Might someone have seen or guessed the old passphrase?",
		"If so, the journal also gets a new key, so that a copy of the file taken before "+
			"opens nothing you record from now on ('journal rekey').",
		"Yes, make a new key", "No", false)
	return err == nil && seen
}

// unlockToReplace unlocks the journal with u, then asks for the passphrase
// that replaces the current one (passphrase, rekey).
func (g *globals) unlockToReplace(u *unlocker) (*journal.Meta, string, error) {
	m, err := g.unlockOnly(u)
	if err != nil {
		return nil, "", err
	}
	pass, err := g.replacementPassphrase()
	if err != nil {
		return nil, "", err
	}
	return m, pass, nil
}

// replacementPassphrase asks for the new passphrase (twice on a terminal),
// or takes it from JOURNAL_NEW_PASSPHRASE. --passphrase-file holds the
// current passphrase, never the new one.
func (g *globals) replacementPassphrase() (string, error) {
	g2 := *g
	g2.passphraseFile = ""
	if g.interactive && os.Getenv("JOURNAL_NEW_PASSPHRASE") == "" {
		fmt.Fprintln(g.err, "Now choose the new passphrase.")
	}
	return g2.newPassphrase("JOURNAL_NEW_PASSPHRASE")
}

package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

func newRekeyCommand(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rekey",
		Short: "Give the journal a new key, when the passphrase may have been seen",
		Long: `Make a new key for the journal, for everything recorded from now on, and
choose a new passphrase for it: do this when the passphrase may have been
seen. A copy of the journal file made before, with the old passphrase,
opens only what was recorded until now; nothing recorded after the rekey.

The old key is kept in the journal, sealed to the new one, so the new
passphrase (or a recovery key, which is moved to the new key) reads every
record. The key wrapped with the old passphrase is wiped from the file. An
exported key ('journal key export') is the old one afterwards: export the
new one.

Without a terminal, the new passphrase is taken from JOURNAL_NEW_PASSPHRASE.`,
		Example: `  journal rekey
  journal rekey --identity ~/journal-key.txt`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRekey(g)
		},
	}
}

func runRekey(g *globals) error {
	u := g.ownKey("unlock with the current passphrase, or with the journal's key")
	u.upgraded = true
	m, pass, err := g.unlockToReplace(u)
	if err != nil {
		return err
	}
	return rekey(g, m, u.id, pass)
}

// rekey gives the journal a new identity wrapped with pass; the old one,
// and every earlier one, are kept sealed to it.
func rekey(g *globals, m *journal.Meta, id *crypto.Identity, pass string) error {
	olds, err := withOldKeys(m, id)
	if err != nil {
		return err
	}
	next, err := crypto.Generate(id.Classic())
	if err != nil {
		return err
	}
	done := g.workingOnTerminal("Making the new key...")
	wrapped, err := crypto.Wrap(next, pass)
	if err != nil {
		done()
		return err
	}
	back, err := crypto.Unwrap(wrapped, pass)
	done()
	if err != nil || back.Recipient() != next.Recipient() {
		return fmt.Errorf("the new key did not wrap correctly, so nothing was changed: %v", err)
	}
	k := &journal.Rekey{Owner: id.OwnerKey(), NewOwner: next.OwnerKey(),
		Recipient: next.Recipient(), Wrapped: wrapped}
	for _, old := range olds {
		sealed, err := crypto.WrapTo(old, next.Recipient())
		if err != nil {
			return err
		}
		k.OldKeys = append(k.OldKeys, sealed)
	}
	for _, u := range m.Unlocks {
		w, err := crypto.WrapTo(next, u.Recipient)
		if err != nil {
			return fmt.Errorf("wrapping the new key to %s: %w", shortRecipient(u.Recipient), err)
		}
		k.Unlocks = append(k.Unlocks, journal.Unlock{Recipient: u.Recipient, Wrapped: w})
	}
	s, err := g.openStore(journal.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	man, err := s.Manifest()
	if err != nil {
		return err
	}
	if err := s.Rekey(man.HeadRef(), k); err != nil {
		return err
	}
	// Evidence is named under the new key's address key from now on.
	journal.SaveAddressKey(m.ID, next.AddressKey())
	if pin, err := journal.LoadPin(m.ID); err == nil {
		s.UpdatePin(pin)
	}
	fmt.Fprintln(g.err, `The journal has a new key and passphrase. What you record from now on needs
them: a copy of the file made before opens only what was recorded until now.
The new passphrase reads every record; so do its recovery keys. Export the
new key with 'journal key export': an exported copy of the old one reads
nothing recorded from now on.`)
	return nil
}

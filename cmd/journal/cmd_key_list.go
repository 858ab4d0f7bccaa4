package main

import (
	"crypto/ed25519"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/journal"
)

func newKeyListCommand(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Show what unlocks the journal and which devices may add to it",
		Long: `Show the ways to unlock the journal (its passphrase, and each recovery or
hardware key its key is wrapped to), the key records are sealed to, and
the devices its owner enrolled, which may add records. It needs no key:
all of it is public.`,
		Example: `  journal key list`,
		Args:    exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runKeyList(g)
		},
	}
}

func runKeyList(g *globals) error {
	m, err := g.readUpgradedMeta()
	if err != nil {
		return err
	}
	s, err := g.openStore(journal.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	man, err := s.Manifest()
	if err != nil {
		return err
	}
	var mine ed25519.PublicKey
	if dev, err := journal.LoadDevice(m.ID); err == nil {
		mine = dev.Public()
	}
	head := man.Head()
	fmt.Fprintln(g.out, "Unlocks the journal:")
	fmt.Fprintln(g.out, "  the passphrase")
	for _, u := range m.Unlocks {
		fmt.Fprintf(g.out, "  %s (recovery key)\n", u.Recipient)
	}
	fmt.Fprintf(g.out, "Records are sealed to:\n  %s\n", head.Recipient)
	fmt.Fprintln(g.out, "Devices that may add records:")
	for _, d := range head.Devices {
		var notes []string
		if d.RetiredAt != nil {
			notes = append(notes, "retired "+d.RetiredAt.Local().Format("2 Jan 2006"))
		}
		if mine != nil && d.Key == journal.DeviceName(mine) {
			notes = append(notes, "this computer")
		}
		note := ""
		if len(notes) > 0 {
			note = " (" + strings.Join(notes, ", ") + ")"
		}
		// The key as 'journal devices' shows it, so the two can be compared.
		key := d.Key
		if pub, err := journal.ParseDeviceName(d.Key); err == nil {
			key = keyFingerprint(pub)
		}
		fmt.Fprintf(g.out, "  %s: key %s, enrolled %s%s\n", d.Name, key, d.EnrolledAt.Local().Format("2 Jan 2006 15:04"), note)
	}
	return nil
}

func newKeyRemoveRecipientCommand(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "remove-recipient RECIPIENT",
		Short: "Stop another age key from unlocking the journal",
		Long: `Remove the journal's key wrapped to RECIPIENT, after unlocking: that key no
longer unlocks this journal file, and the wrap is wiped from the file. A
copy of the file made before still holds it: if the key may have been
lost or stolen, run 'journal rekey' too, so that it reads nothing recorded
from then on.`,
		Example: `  journal key list
  journal key remove-recipient age1pq1...`,
		Args: exactArgs(1, "an age recipient that unlocks the journal ('journal key list' shows them)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runKeyRemoveRecipient(g, strings.TrimSpace(args[0]))
		},
	}
}

func runKeyRemoveRecipient(g *globals, recipient string) error {
	u := g.ownKey("unlock with the passphrase or the journal's key")
	u.upgraded = true
	u.check = func(m *journal.Meta) error {
		for _, u := range m.Unlocks {
			if u.Recipient == recipient {
				return nil
			}
		}
		return usageError("%s does not unlock this journal: 'journal key list' shows what does", shortRecipient(recipient))
	}
	j, err := g.open(journal.ForAppend, u)
	if err != nil {
		return err
	}
	defer j.Close()
	s := j.Store
	if err := s.RemoveUnlock(recipient); err != nil {
		return err
	}
	if err := s.ClearFreePages(); err != nil {
		return err
	}
	fmt.Fprintf(g.err, "%s no longer unlocks this journal. A copy of the file made before still lets it in: if the key may have been lost, run 'journal rekey' too.\n", shortRecipient(recipient))
	return nil
}

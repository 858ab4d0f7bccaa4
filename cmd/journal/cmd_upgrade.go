package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

type upgradeOptions struct {
	name string
}

func newUpgradeCommand(g *globals) *cobra.Command {
	var o upgradeOptions
	cmd := &cobra.Command{
		Use:   "upgrade",
		Short: "Bring a journal made by an earlier version up to date",
		Long: `Upgrade a journal made by an earlier version of journal (format version
1) to the current one, after unlocking: first the whole journal is checked
and a copy of it is kept beside it, then its owner signs which key records
are sealed to and makes this computer its first device. Every old record
and its chain stay exactly as they are; they are shown as made before
signing. From then on every record is signed by the device that adds it.

A journal made by a newer version than this program is refused: update
journal instead.`,
		Example: `  journal upgrade
  journal upgrade --identity ~/journal-key.txt --name "home laptop"`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runUpgrade(g, o)
		},
	}
	cmd.Flags().StringVar(&o.name, "name", "", "the `NAME` this computer is known by among the journal's devices (default: its host name)")
	return cmd
}

func runUpgrade(g *globals, o upgradeOptions) error {
	path, err := g.path()
	if err != nil {
		return err
	}
	u := g.ownKey("unlock with the passphrase or the journal's key")
	u.check = func(m *journal.Meta) error {
		if m.Version >= journal.FormatVersion {
			fmt.Fprintf(g.err, "The journal is already of format version %d: nothing to do.\n", m.Version)
			return errNothingToDo
		}
		return nil
	}
	j, err := g.open(journal.ForAppend, u)
	if err != nil {
		return err
	}
	defer j.Close()
	start := time.Now()
	s, m, id, sealer := j.Store, j.Meta, u.id, u.sealer
	op := g.progressOpener(s, sealer, "Checking the journal before upgrading it", "Checking evidence files")
	rep, err := s.Verify(op)
	op.Done()
	if err != nil {
		return fmt.Errorf("the journal was not upgraded, because it does not verify: %w", err)
	}
	backup := backupName(path, g)
	if _, err := s.Backup(backup); err != nil {
		return fmt.Errorf("the journal was not upgraded: keeping a copy first failed: %w", err)
	}
	name := o.name
	if name == "" {
		name = hostName()
	}
	dev, err := journal.LoadDevice(m.ID)
	if errors.Is(err, journal.ErrNotEnrolled) {
		dev, err = journal.NewDevice(m.ID, name)
	}
	if err != nil {
		return err
	}
	var wraps []journal.Unlock
	for _, r := range m.Recipients[1:] {
		w, err := crypto.WrapTo(id, r)
		if err != nil {
			return fmt.Errorf("the journal was not upgraded: wrapping its key to a recovery key: %w", err)
		}
		wraps = append(wraps, journal.Unlock{Recipient: r, Wrapped: w})
	}
	if err := s.Upgrade(id.OwnerKey(), id.Recipient(), []journal.DeviceEntry{dev.Entry(g.now())}, wraps); err != nil {
		return err
	}
	journal.SaveAddressKey(m.ID, id.AddressKey())
	pin, err := journal.LoadPin(m.ID)
	if err != nil {
		return err
	}
	if _, err := s.UpdatePin(pin); err != nil {
		return err
	}
	fmt.Fprintf(g.err, `Upgraded the journal to format version %d in %.1f s. Its %s stay as they were,
shown as made before signing; from now on every record is signed by the
device that adds it, and this computer is one, as %q.
A copy of the journal as it was is kept at %s.
`, journal.FormatVersion, time.Since(start).Seconds(), countNoun(int(rep.Records), "record"), dev.Name, backup)
	if len(wraps) > 0 {
		fmt.Fprintf(g.err, "Its %s now unlock the journal's key, so they read every record.\n", countNoun(len(wraps), "recovery key"))
	}
	return nil
}

// backupName is where upgrade keeps a copy of the journal as it was.
func backupName(path string, g *globals) string {
	return keepNameWith(path, ".v1-backup-", g)
}

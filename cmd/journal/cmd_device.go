package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/journal"
)

func newDeviceCommand(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "device",
		Short: "Make this computer one of the journal's devices",
		Long: `Every record is signed by the device (computer) that added it. The
journal's owner signs which devices may add records; a computer that is not
one of them can read the journal with the passphrase, but cannot add to it.`,
		Example: `  journal device enrol --name "home laptop"`,
		Args:    exactArgs(0, "a subcommand: enrol, approve or retire"),
	}
	cmd.AddCommand(newDeviceEnrolCommand(g), newDeviceApproveCommand(g), newDeviceRetireCommand(g))
	return cmd
}

type deviceEnrolOptions struct {
	name string
}

func newDeviceEnrolCommand(g *globals) *cobra.Command {
	var o deviceEnrolOptions
	cmd := &cobra.Command{
		Use:   "enrol",
		Short: "Let this computer add records to the journal",
		Long: `Make this computer one of the journal's devices, after unlocking: it gets
its own signing key, kept in your configuration folder (never in the
journal file), and the journal's owner signs that it may add records.
'journal add' then works here without the passphrase.`,
		Example: `  journal device enrol
  journal device enrol --name "surgery PC"`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDeviceEnrol(g, o)
		},
	}
	cmd.Flags().StringVar(&o.name, "name", "", "the `NAME` this computer is known by among the journal's devices (default: its host name)")
	return cmd
}

func runDeviceEnrol(g *globals, o deviceEnrolOptions) error {
	var dev *journal.Device
	u := g.ownKey("unlock with the passphrase or the journal's key")
	u.upgraded = true
	u.check = func(m *journal.Meta) (err error) {
		dev, err = journal.LoadDevice(m.ID)
		if err != nil && !errors.Is(err, journal.ErrNotEnrolled) {
			return err
		}
		if dev != nil && g.checkCanAdd(m) == nil {
			fmt.Fprintf(g.err, "This computer is already a device of this journal, as %q: nothing to do.\n", dev.Name)
			return errNothingToDo
		}
		return nil
	}
	j, err := g.open(journal.ForAppend, u)
	if err != nil {
		return err
	}
	defer j.Close()
	s, m, id := j.Store, j.Meta, u.id
	keepAddressKey(m, id.AddressKey())
	name := o.name
	if name == "" {
		name = hostName()
	}
	if dev == nil {
		if dev, err = journal.NewDevice(m.ID, name); err != nil {
			return err
		}
	}
	man, err := s.Manifest()
	if err != nil {
		return err
	}
	st := *man.Head()
	st.Devices = append(append([]journal.DeviceEntry(nil), st.Devices...), dev.Entry(g.now()))
	st.At = g.now().UTC().Truncate(1e9)
	st.Change = "enrolled " + name
	if err := s.AppendStatement(id.OwnerKey(), man.HeadRef(), &st); err != nil {
		return err
	}
	pin, err := journal.LoadPin(m.ID)
	if err != nil {
		return err
	}
	if _, err := s.UpdatePin(pin); err != nil {
		return err
	}
	fmt.Fprintf(g.err, "This computer is now a device of the journal, as %q: it can add records without the passphrase.\n", name)
	return nil
}

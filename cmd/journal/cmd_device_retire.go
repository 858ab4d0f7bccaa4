package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

func newDeviceRetireCommand(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "retire NAME",
		Short: "Stop a computer from adding to the journal",
		Long: `Retire the device NAME, for a computer that was lost, sold or stolen: the
journal's owner signs that records it makes from now on are refused. What it
recorded before stays. Run it on a computer that reads the journal.`,
		Example: `  journal device retire "old laptop"`,
		Args:    exactArgs(1, "the NAME of the device, as 'journal devices' shows it"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDeviceRetire(g, args[0])
		},
	}
}

func runDeviceRetire(g *globals, name string) error {
	err := g.changeDevices(func(s *journal.Store, _ *syncfolder.Folder, head *journal.Statement) (*journal.Statement, error) {
		self, _ := journal.LoadDevice(s.ID())
		devs := append([]journal.DeviceEntry{}, head.Devices...)
		var target *journal.DeviceEntry
		for i := range devs {
			if devs[i].Name == name && devs[i].RetiredAt == nil {
				if target != nil {
					return nil, usageError("two devices are called %q", name)
				}
				target = &devs[i]
			}
		}
		if target == nil {
			return nil, withHint(fmt.Errorf("no device is called %q", name), exitUsage, "see 'journal devices' for their names")
		}
		pub, err := journal.ParseDeviceName(target.Key)
		if err != nil {
			return nil, err
		}
		if self != nil && pub.Equal(self.Public()) {
			return nil, usageError("this computer cannot retire itself: run it on another of the journal's computers")
		}
		place, err := s.DeviceHead(pub)
		if err != nil {
			return nil, err
		}
		ref := &journal.HeadJSON{N: place}
		if place > 0 {
			recs, err := s.DeviceRecords(pub, place, place)
			if err != nil {
				return nil, err
			}
			ref = journal.JSONRef(journal.ChainRef{N: place, Hash: journal.RecordHash(recs[0])})
		}
		now := g.now().UTC().Truncate(time.Second)
		target.RetiredAt, target.RetiredAfter = &now, ref
		return &journal.Statement{Devices: devs, Change: "retired " + name}, nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(g.err, "Retired %q: records it makes from now on are refused. What it recorded before stays.\n", name)
	return nil
}

// forgetRetired removes this computer's device key for the journal once
// the journal says the owner retired it, and any retired key an earlier
// version set aside, and says so: nothing needs a retired key (see
// journal.Store.ForgetRetiredKeys). It runs after each exchange with the
// sync folder, where a retirement arrives. A key that cannot be removed is
// a warning; the command goes on.
func (g *globals) forgetRetired(s *journal.Store) {
	retired, setAside, err := s.ForgetRetiredKeys()
	for _, name := range setAside {
		fmt.Fprintf(g.err, "A device key of this computer that was retired from the journal was overwritten and removed: %s\n", name)
	}
	if retired != nil {
		fmt.Fprintf(g.err, "This computer was retired from the journal on %s: it can no longer add to it, and what it recorded before stays. "+
			"Its device key, which could only sign records the other computers now refuse, was overwritten and removed.\n",
			retired.Local().Format("2 January 2006"))
	}
	if err != nil {
		fmt.Fprintf(g.err, "journal: warning: %s\n", oneLine(err.Error()))
	}
}

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/exchange"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

func newDeviceApproveCommand(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "approve CODE",
		Short: "Let in a computer that joined to add only",
		Long: `Let in a computer that ran 'journal join DIR --add-only': give the code it
printed. It can then add incidents to the journal, never read them.`,
		Example: `  journal device approve k3j5x-q7a2m`,
		Args:    exactArgs(1, "the CODE that 'journal join --add-only' printed"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDeviceApprove(g, args[0])
		},
	}
}

// changeDevices unlocks the journal, brings it level with its sync
// folder, and lets change make the next manifest statement from the head,
// which it signs with the owner key and writes to the folder.
func (g *globals) changeDevices(change func(s *journal.Store, f *syncfolder.Folder, head *journal.Statement) (*journal.Statement, error)) error {
	// The other computers' records first: a retirement covers what the
	// device wrote until now, including what this computer had not
	// pulled yet ("what it recorded before stays").
	g.autoSync()
	u := g.ownKey("unlock with the passphrase: changing the devices needs the journal's own key")
	j, err := g.open(journal.ForAppend, u)
	if err != nil {
		return err
	}
	defer j.Close()
	s, id := j.Store, u.id
	f, err := exchange.Folder(s)
	if err != nil {
		return err
	}
	if f != nil {
		if _, err := exchange.Manifest(s, f); err != nil {
			return err
		}
	}
	man, err := s.Manifest()
	if err != nil {
		return err
	}
	if man == nil {
		return notUpgraded()
	}
	st, err := change(s, f, man.Head())
	if err != nil {
		return err
	}
	st.Recipient, st.Owner, st.At = man.Head().Recipient, man.Head().Owner, g.now().UTC().Truncate(time.Second)
	if err := s.AppendStatement(id.OwnerKey(), man.HeadRef(), st); err != nil {
		return err
	}
	s.AdvancePin()
	if f != nil {
		if _, err := exchange.Manifest(s, f); err != nil {
			fmt.Fprintf(g.err, "journal: warning: %s; it is written at the next 'journal sync'\n", oneLine(err.Error()))
		}
	}
	return nil
}

func runDeviceApprove(g *globals, code string) error {
	code = strings.ToLower(strings.TrimSpace(code))
	var name string
	err := g.changeDevices(func(s *journal.Store, f *syncfolder.Folder, head *journal.Statement) (*journal.Statement, error) {
		if f == nil {
			return nil, withHint(errors.New("this journal has no sync folder, so no computer can ask to join it"), exitUsage,
				"set one with 'journal sync init DIR'")
		}
		req, err := findRequest(f, s, code)
		if err != nil {
			return nil, err
		}
		pub, err := journal.ParseDeviceName(req.Key)
		if err != nil {
			return nil, err
		}
		if head.Device(pub) != nil {
			return nil, withHint(fmt.Errorf("the computer %q is already one of the journal's devices", req.Name), exitUsage, "see 'journal devices'")
		}
		name = req.Name
		entry := journal.DeviceEntry{Key: req.Key, Name: req.Name, EnrolledAt: g.now().UTC().Truncate(time.Second), AddOnly: true, Tag: head.TagFor(pub)}
		// The evidence address key, sealed to the computer, so that it
		// names evidence as every other computer does.
		if k, err := journal.LoadAddressKeys(s.ID()); err == nil && k.Key != nil && req.Recipient != "" {
			if entry.AddressKey, err = sealGrant(k.Key, req.Recipient); err != nil {
				return nil, fmt.Errorf("sealing the evidence address key to %q: %w", req.Name, err)
			}
		}
		return &journal.Statement{Devices: append(append([]journal.DeviceEntry{}, head.Devices...), entry),
			Change: "approved " + req.Name + " to add only"}, nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(g.err, "Approved %q: it can add incidents to the journal, never read them. It learns of it through the sync folder.\n", name)
	return nil
}

// findRequest finds the request to join whose code is code.
func findRequest(f *syncfolder.Folder, s *journal.Store, code string) (*joinRequest, error) {
	entries, err := f.Requests()
	if err != nil {
		return nil, err
	}
	var found []*joinRequest
	for _, rel := range entries {
		b, err := f.Read(rel)
		if err != nil {
			continue
		}
		var r joinRequest
		if json.Unmarshal(b, &r) != nil || r.Journal != s.JournalIDHex() {
			continue
		}
		pub, err := journal.ParseDeviceName(r.Key)
		if err != nil || syncfolder.DirRequests+"/"+syncfolder.DeviceDir(pub) != rel || !r.checkSignature(pub) {
			continue
		}
		if approvalCode(pub) == code {
			found = append(found, &r)
		}
	}
	switch len(found) {
	case 0:
		return nil, withHint(fmt.Errorf("no computer asked to join with the code %s", code), exitUsage,
			"check the code, and wait for your sync program to bring the other computer's request, then try again")
	case 1:
		return found[0], nil
	}
	return nil, withHint(fmt.Errorf("more than one request has the code %s", code), exitIntegrity, "someone may be trying to join in its place: approve nothing, and join again")
}

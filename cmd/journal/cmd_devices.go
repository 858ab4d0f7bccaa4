package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

type devicesOptions struct{ format string }

func newDevicesCommand(g *globals) *cobra.Command {
	var o devicesOptions
	cmd := &cobra.Command{
		Use:   "devices",
		Short: "List the computers that may add to the journal",
		Long: `List the journal's devices: the computers the owner enrolled, each with
its name, its key's fingerprint, when it was enrolled, whether it can only
add (not read), whether it was retired, its newest record this computer
holds, and when its records last arrived in the sync folder.

It needs no passphrase: the list is signed by the journal's owner key and
holds no record's content.`,
		Example: `  journal devices
  journal devices --format json`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDevices(g, o)
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "text", "output `FORMAT`: text or json")
	return cmd
}

// deviceInfo is one device as 'journal devices --format json' gives it.
type deviceInfo struct {
	Name        string     `json:"name"`
	Fingerprint string     `json:"fingerprint"`
	EnrolledAt  time.Time  `json:"enrolled_at"`
	AddOnly     bool       `json:"add_only"`
	Retired     bool       `json:"retired"`
	RetiredAt   *time.Time `json:"retired_at"`
	// NewestRecord is the place, in the device's own chain, of its newest
	// record this computer holds (0: none).
	NewestRecord uint64 `json:"newest_record"`
	// LastSeen is when the device's newest file in the sync folder was
	// written there, as the folder says; null without a folder.
	LastSeen   *time.Time `json:"last_seen"`
	ThisDevice bool       `json:"this_device"`
}

func runDevices(g *globals, o devicesOptions) error {
	if o.format != "text" && o.format != "json" {
		return usageError("--format: unknown format %q: use text or json", o.format)
	}
	g.autoSync()
	s, err := g.openStore(journal.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := listDevices(s)
	if err != nil {
		return err
	}
	if o.format == "json" {
		enc := json.NewEncoder(g.out)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	w := tabwriter.NewWriter(g.out, 2, 4, 2, ' ', 0)
	for _, d := range list {
		name := d.Name
		if d.ThisDevice {
			name += " (this computer)"
		}
		what := "reads and adds"
		switch {
		case d.Retired:
			what = "retired " + d.RetiredAt.Local().Format("2 Jan 2006")
		case d.AddOnly:
			what = "adds only"
		}
		seen := "not seen in the sync folder"
		if d.LastSeen != nil {
			seen = "last seen " + d.LastSeen.Local().Format("2 Jan 2006 15:04")
		}
		fmt.Fprintf(w, "%s\t%s\tenrolled %s\t%s\t%s\t%s\n", name, d.Fingerprint, d.EnrolledAt.Local().Format("2 Jan 2006"),
			what, countNoun(int(d.NewestRecord), "record"), seen)
	}
	return w.Flush()
}

// listDevices reads the devices from the manifest, with what this computer
// holds of each and when the sync folder last heard of it.
func listDevices(s *journal.Store) ([]deviceInfo, error) {
	m, err := s.Manifest()
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, notUpgraded()
	}
	var self ed25519.PublicKey
	if dev, err := journal.LoadDevice(s.ID()); err == nil {
		self = dev.Public()
	}
	dir, _ := s.SyncFolder()
	list := []deviceInfo{}
	for _, d := range m.Head().Devices {
		pub, err := journal.ParseDeviceName(d.Key)
		if err != nil {
			return nil, err
		}
		info := deviceInfo{Name: d.Name, Fingerprint: keyFingerprint(pub), EnrolledAt: d.EnrolledAt,
			AddOnly: d.AddOnly, Retired: d.RetiredAt != nil, RetiredAt: d.RetiredAt, ThisDevice: pub.Equal(self)}
		if info.NewestRecord, err = s.DeviceHead(pub); err != nil {
			return nil, err
		}
		if dir != "" {
			info.LastSeen = newestFileTime(filepath.Join(dir, syncfolder.DirDevices, syncfolder.DeviceDir(pub)))
		}
		list = append(list, info)
	}
	return list, nil
}

// keyFingerprint is a device key as a person can compare it: like a
// journal's fingerprint, six groups of four letters and digits.
func keyFingerprint(pub ed25519.PublicKey) string {
	return journal.Fingerprint(sha256.Sum256(append([]byte("journal device key\x00"), pub...)))
}

// newestFileTime is the modification time of the newest file in dir.
func newestFileTime(dir string) *time.Time {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var newest time.Time
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() && fi.ModTime().After(newest) {
			newest = fi.ModTime()
		}
	}
	if newest.IsZero() {
		return nil
	}
	newest = newest.UTC().Truncate(time.Second)
	return &newest
}

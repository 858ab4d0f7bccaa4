package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/exchange"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

func newSyncCommand(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Exchange records with your other computers now",
		Long: `Exchange records with the journal's other computers through its sync
folder: write this computer's new records there, and bring in theirs.

You rarely need it: once a sync folder is set ('journal sync init'), every
command that reads brings in the other computers' records first (but
'journal verify', which checks the file as it is), and 'add' writes its
record to the folder as soon as it is saved. Use it to check that everything
arrived, or before you switch computers.

The folder only ever gains files, each written once and never changed, so
any program that copies files can carry it: Syncthing, a cloud drive, a git
repository, a USB stick.`,
		Example: `  journal sync`,
		Args:    exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSync(g)
		},
	}
	cmd.AddCommand(newSyncInitCommand(g))
	return cmd
}

func runSync(g *globals) error {
	g.synced = true // this command does the exchange itself
	s, err := g.openStore(journal.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	f, err := exchange.Folder(s)
	if gone := folderGone(s, err); gone != "" {
		return withHint(errors.New(gone), exitFailure, "connect it, or run 'journal sync' again once it is back; the journal on this computer is unchanged")
	}
	if err != nil {
		return withHint(err, exitFailure, "check that the folder is there and readable; the journal on this computer is unchanged")
	}
	if f == nil {
		if m, err := s.Meta(); err == nil && m.SyncFolder != "" {
			// A copy of the journal file: it is not the one that syncs.
			path, _ := g.path()
			return withHint(errors.New("this journal file does not sync on this computer: nothing was taken from or written to the sync folder"),
				exitUsage, copyHint(m, path))
		}
		return withHint(fmt.Errorf("this journal has no sync folder"), exitUsage, "set one with 'journal sync init DIR', or join one with 'journal join DIR'")
	}
	n, err := exchange.Rewrite(s, f)
	if err != nil {
		return fmt.Errorf("writing this computer's records to the sync folder again: %w", err)
	}
	if n > 0 {
		fmt.Fprintf(g.err, "Wrote %s again under new names: their files in the sync folder were damaged.\n", countNoun(n, "record"))
	}
	p := g.newProgress("Bringing in records", 0, "records")
	done := 0
	res, err := exchange.Run(s, f, func(n int) { p.Add(int64(n - done)); done = n })
	p.Done()
	g.forgetRetired(s)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.err, "Synced with %s: %s brought in, %s written.\n", f.Root(),
		countNoun(res.Pulled, "record"), countNoun(res.Pushed, "record"))
	return g.problems(s, res.Report, false)
}

type syncInitOptions struct {
	name string
	move bool
}

func newSyncInitCommand(g *globals) *cobra.Command {
	var o syncInitOptions
	cmd := &cobra.Command{
		Use:   "init DIR",
		Short: "Keep this journal in step with your other computers through DIR",
		Long: `Make DIR this journal's sync folder, and write everything this computer
has recorded into it.

DIR is a folder that a program you trust copies between your computers:
a Syncthing folder, a cloud drive's folder, a git clone, a USB stick. It may
already hold that program's own files. Only records, sealed as they are in
the journal, and the journal's key wrapped with your passphrase go there;
the journal file itself stays on this computer. On the other computer, run
'journal join DIR'.

A journal that already syncs through another folder keeps it: your other
computers use that one. To move it, add --move, and run the same command on
each of your other computers.`,
		Example: `  journal sync init ~/Sync/journal
  journal sync init /media/usb/journal --name "home laptop"
  journal sync init ~/Nextcloud/journal --move`,
		Args: exactArgs(1, "the sync folder DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSyncInit(g, args[0], o)
		},
	}
	cmd.Flags().BoolVar(&o.move, "move", false, "move a journal that already syncs through another folder to DIR; do the same on each of your other computers")
	cmd.Flags().StringVar(&o.name, "name", "", "the `NAME` this computer is known by among the journal's devices: it must be the one it was given when it was enrolled ('journal devices' shows it)")
	return cmd
}

func runSyncInit(g *globals, dir string, o syncInitOptions) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	g.synced = true
	s, err := g.openStore(journal.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	if s.Version() < journal.FormatVersion {
		return notUpgraded()
	}
	dev, err := journal.LoadDevice(s.ID())
	if err != nil {
		return notEnrolled()
	}
	if o.name != "" && o.name != dev.Name {
		// A device's name is in the owner-signed manifest, given when it
		// was enrolled; it is not changed here.
		return withHint(fmt.Errorf("this computer is already the device %q of this journal: --name names a computer when it is enrolled", dev.Name),
			exitUsage, "run it again without --name (or with --name "+shellWord(dev.Name)+"); nothing was written")
	}
	if err := keepFolder(s, dir, o.move); err != nil {
		return err
	}
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return withHint(fmt.Errorf("%s is a file, not a folder", dir), exitUsage, "choose an empty folder, or the folder of this journal")
	}
	f, err := syncfolder.Create(dir, s.ID())
	if err != nil {
		return withHint(err, exitFailure, "choose an empty folder, or the folder of this journal")
	}
	if err := s.SetSyncFolder(dir); err != nil {
		return err
	}
	res, err := exchange.Run(s, f, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.err, "The journal now syncs through %s: %s written, %s brought in.\n", dir,
		countNoun(res.Pushed, "record"), countNoun(res.Pulled, "record"))
	fmt.Fprintln(g.err, "On your other computer, run: journal join "+dir)
	return g.problems(s, res.Report, false)
}

// keepFolder refuses to make dir the sync folder of a journal that
// already syncs through another folder, unless move is set: the other
// computers still use the first one, and would silently stop seeing this
// one.
func keepFolder(s *journal.Store, dir string, move bool) error {
	old, err := s.SyncFolder()
	if err != nil || old == "" || move || sameFolder(old, dir) {
		return err
	}
	return withHint(fmt.Errorf("this journal already syncs through %s: your other computers use it, and would stop seeing this one", old),
		exitUsage, "run 'journal sync' to exchange now; to move the journal to "+shellWord(dir)+", add --move, and do the same on each of your other computers; nothing was written")
}

// sameFolder says whether two paths name one folder.
func sameFolder(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// shellWord writes s as one word for a POSIX shell, quoted only when it
// needs to be, for a hint the user may copy.
func shellWord(s string) string {
	plain := s != ""
	for _, r := range s {
		plain = plain && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-/", r))
	}
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

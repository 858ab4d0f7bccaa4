package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/journal"
)

type backupOptions struct {
	force bool
}

func newBackupCommand(g *globals) *cobra.Command {
	var o backupOptions
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Copy the journal, still encrypted, to another file",
		Long: `Write a consistent copy of the journal to FILE, even while another journal
command is reading it. The copy is still encrypted with the same key and
passphrase: it is itself a journal, which you can check with
'journal verify --file FILE' and use with --file.

The copy is compacted: it holds every record, evidence file and setting
of the journal, without the space the journal file no longer uses (and
without a cache an earlier version kept inside it). It is written to a
temporary file beside FILE, synced to the disk, compared with the journal
and checked, and only then renamed to FILE, so FILE is never left half
written. No passphrase is needed. An existing FILE is replaced only with
--force.`,
		Example: `  journal backup /media/usb/journal-backup.db
  journal backup --force ~/Backups/journal.db`,
		Args: exactArgs(1, "the file to write the backup to"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBackup(g, o, args[0])
		},
	}
	cmd.Flags().BoolVar(&o.force, "force", false, "replace FILE if it exists")
	return cmd
}

func runBackup(g *globals, o backupOptions, target string) error {
	path, err := g.path()
	if err != nil {
		return err
	}
	if sameFile(path, target) {
		return usageError("%s is the journal itself: give another file for the backup", target)
	}
	info, err := os.Stat(target)
	switch {
	case err == nil && info.IsDir():
		return usageError("%s is a folder: give a file name, like %s", target, filepath.Join(target, "journal-backup.db"))
	case err == nil && !o.force:
		return alreadyExists(target, "it was left untouched; use --force to replace it")
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("checking %s: %w", target, err)
	}
	if dir := filepath.Dir(target); dir != "." {
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return usageError("the folder %s does not exist: create it first, or give another place", dir)
		}
	}
	s, err := g.openStore(journal.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	stop := removeOnSignal()
	rep, err := s.Backup(target)
	stop()
	if err != nil {
		return err
	}
	fmt.Fprintf(g.err, "Backed up %s to %s (%s).\n", countNoun(int(rep.Records), "record"), target, backupSizeText(rep.Size))
	fmt.Fprintf(g.err, "It opens with the same passphrase. Check it with: journal verify --file %s\n", target)
	fmt.Fprintf(g.out, "fingerprint: %s\n", rep.Fingerprint)
	return nil
}

// sameFile reports whether two paths name the same file.
func sameFile(a, b string) bool {
	ia, err1 := os.Stat(a)
	ib, err2 := os.Stat(b)
	if err1 == nil && err2 == nil {
		return os.SameFile(ia, ib)
	}
	aa, _ := filepath.Abs(a)
	ab, _ := filepath.Abs(b)
	return aa == ab
}

// backupSizeText writes a file size for a person.
func backupSizeText(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
}

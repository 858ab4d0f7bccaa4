package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/journal-dev/journal/exchange"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

// A journal with a sync folder exchanges records through it: reading
// commands pull first, `add` and the other writing commands push after
// they commit, and `journal sync` does both now. The work is the exchange
// package's; here it is only started and what it left out is said.

// problems says what an exchange left out: foreign segments as warnings
// (the command still succeeds), segments that wait as one line, and
// damaged or forked ones as an integrity error naming the files (exit 4),
// which the caller returns once its own work is done. With always set
// (verify), files refused by earlier commands are named again.
func (g *globals) problems(s *journal.Store, r *syncfolder.Report, always bool) error {
	p, err := exchange.Review(s, r, always)
	if err != nil {
		return err
	}
	for _, err := range p.Foreign {
		fmt.Fprintf(g.err, "journal: warning: %s\n", oneLine(err.Error()))
	}
	if len(p.Waiting) > 0 {
		fmt.Fprintf(g.err, "Waiting for earlier records of %s to arrive in the sync folder; what came after them is not shown yet.\n",
			strings.Join(p.Waiting, ", "))
	}
	if p.Earlier > 0 {
		fmt.Fprintf(g.err, "journal: warning: %s of the sync folder refused earlier %s still left out; 'journal verify' names them\n",
			countNoun(p.Earlier, "file"), map[bool]string{true: "is", false: "are"}[p.Earlier == 1])
	}
	if len(p.Refused) == 0 {
		return nil
	}
	msgs := make([]string, len(p.Refused))
	for i, err := range p.Refused {
		msgs[i] = err.Error()
	}
	hint := "nothing of it was merged; the rest was. If a sync program damaged it, copy it again from the computer that wrote it"
	if p.Fork {
		hint = "two different records claim the same place of one device's chain (a restored backup, or a device key copied to another computer): nothing of the other record was merged; run 'journal verify'"
	}
	return withHint(errors.New(strings.Join(msgs, "; ")), exitIntegrity, hint)
}

// autoSync pulls (and pushes) before a command reads, when the journal
// has a sync folder. It never stops the command: a folder that cannot be
// reached is a warning, and a journal in use is left for next time.
// Damaged or forked segments are kept in g.syncErr, which the command
// returns (exit 4) after doing its work with the rest.
func (g *globals) autoSync() {
	if g.synced {
		return
	}
	g.synced = true
	s := g.syncStore()
	if s == nil {
		return
	}
	defer s.Close()
	f, err := exchange.Folder(s)
	if err != nil {
		g.folderWarned = true
		if gone := folderGone(s, err); gone != "" {
			fmt.Fprintf(g.err, "journal: warning: %s: showing what this computer has\n", gone)
			return
		}
		fmt.Fprintf(g.err, "journal: warning: the sync folder cannot be read (%s): showing what this computer has\n", oneLine(err.Error()))
		return
	}
	if f == nil {
		return
	}
	res, err := exchange.Run(s, f, nil)
	g.forgetRetired(s)
	if err != nil {
		// Two computers changing the devices at once is said as the
		// command's error, after its work; anything else is a warning.
		var mf *journal.ManifestForkError
		if errors.As(err, &mf) {
			g.syncErr = err
			return
		}
		fmt.Fprintf(g.err, "journal: warning: %s\n", oneLine(err.Error()))
		return
	}
	g.syncErr = g.problems(s, res.Report, false)
}

// syncStore opens the journal for an exchange with its sync folder before
// a command: nil when it has no folder, is in use (left for next time) or
// is of an earlier format (upgrade first).
func (g *globals) syncStore() *journal.Store {
	if !g.hasSyncFolder() {
		return nil
	}
	s, err := g.openStore(journal.Options{})
	if err != nil {
		return nil
	}
	if s.Version() < journal.FormatVersion {
		s.Close()
		return nil
	}
	return s
}

// pushPending writes to the sync folder what a command committed, after
// it has done its work. A folder that is missing, read-only or full is a
// warning (once a command: not again when the sync before it said so):
// the records are in the journal, and the next command that reaches the
// folder writes them.
func (g *globals) pushPending() {
	if !g.wrote || !g.hasSyncFolder() {
		return
	}
	s := g.kept
	if s == nil {
		var err error
		if s, err = g.openStore(journal.Options{}); err != nil {
			return
		}
		defer s.Close()
	}
	f, err := exchange.Folder(s)
	if err == nil && f != nil {
		err = exchange.Push(s, f)
	}
	switch gone := folderGone(s, err); {
	case err == nil || g.folderWarned:
	case gone != "":
		fmt.Fprintf(g.err, "journal: warning: %s: what this command recorded is kept in this computer's journal, and the next command that reaches the folder writes it there\n", gone)
	default:
		fmt.Fprintf(g.err, "journal: warning: not written to the sync folder yet (%s); it is kept in this computer's journal, and the next command that reaches the folder writes it there\n",
			oneLine(err.Error()))
	}
}

// folderGone says, in place of the file system's words ("stat ...: no
// such file or directory"), that the sync folder is not there, as when
// the drive it is on is not connected; "" for any other error.
func folderGone(s *journal.Store, err error) string {
	if !errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	dir, derr := s.SyncFolder()
	if derr != nil || dir == "" {
		return ""
	}
	return "the sync folder " + dir + " is not there (a drive not connected?)"
}

// pullManifestWith brings in the sync folder's newer manifest statements
// before an add, into s (opened for writing): a computer that joined to
// add only learns that it was approved, and any computer that it was
// retired. It says whether the journal has a sync folder.
func (g *globals) pullManifestWith(s *journal.Store) bool {
	f, err := exchange.Folder(s)
	if err != nil || f == nil {
		return false
	}
	exchange.PullManifest(s, f)
	g.forgetRetired(s)
	return true
}

// verifyFolder checks, for `journal verify`, every segment of the sync
// folder against the journal: a fork (two different records at one place
// of a device's chain) or a damaged segment is an integrity error naming
// the device, the place and the file. Records the folder holds that the
// file has not brought in are said, not brought in: verify changes
// nothing. A folder that is not there (a drive not connected) is said in
// one plain line, exit 1: the journal itself was checked before it.
func (g *globals) verifyFolder(s *journal.Store) error {
	f, err := exchange.Folder(s)
	if gone := folderGone(s, err); gone != "" {
		return withHint(errors.New(gone), exitFailure,
			"the journal on this computer holds, but the folder's files were not checked: connect it and run 'journal verify' again")
	}
	if err != nil || f == nil {
		return err
	}
	problems, err := exchange.Check(s, f)
	if err != nil {
		return err
	}
	if exchange.Newer(s, f) {
		fmt.Fprintln(g.err, "The sync folder holds records of your other computers that this file has not brought in yet: verify checks the file as it is, and changes nothing; 'journal sync' brings them in.")
	}
	return g.problems(s, &syncfolder.Report{Refused: problems}, true)
}

// keepFolder keeps, from the journal's meta, whether it syncs on this
// computer, for hasSyncFolder.
func (g *globals) keepFolder(m *journal.Meta) {
	dir := ""
	if m.SyncHere {
		dir = m.SyncFolder
	}
	g.folder = &dir
}

// noteCopy says, once per copy, that a journal file naming a sync folder
// is not the one that syncs on this computer (a copy: a backup, a file
// given to an adviser), so nothing is taken from or written to the
// folder for it, and how to make it the one if that is meant.
func (g *globals) noteCopy(m *journal.Meta) {
	if m.SyncFolder == "" || m.SyncHere {
		return
	}
	path, err := g.path()
	if err != nil || !journal.TellCopyOnce(m.ID, path) {
		return
	}
	fmt.Fprintln(g.err, copyNote(m, path))
}

// refuseCopy refuses a change to a journal file that is not the one that
// syncs on this computer ([journal.Meta.RefuseCopy]), before anything is
// asked or typed.
func (g *globals) refuseCopy(m *journal.Meta) error {
	path, err := g.path()
	if err != nil {
		return err
	}
	return m.RefuseCopy(path)
}

// copyRefusalHint says what to do after a change was refused on a copy;
// what is what the command would have done to that file ("add to",
// "export from").
func copyRefusalHint(e *journal.CopyError, what string) string {
	folder := "DIR"
	if e.Folder != "" {
		folder = shellWord(e.Folder)
	}
	init := "'journal sync init " + folder + " --file " + shellWord(e.Path) + "'"
	if e.Moved() {
		return "if this file is your journal, moved, run " + init + " first: it syncs from here then, and adds"
	}
	return what + " that file (--file " + shellWord(e.File) + "); if this file is now your journal (that one lost), run " + init +
		" first: it brings in what that file sent to the folder, then this file adds"
}

// copyNote is what noteCopy says.
func copyNote(m *journal.Meta, path string) string {
	what := "this journal file names the sync folder " + m.SyncFolder + ", but it does not sync on this computer"
	if _, err := os.Stat(m.SyncFile); m.SyncFile != "" && err != nil {
		what = "this journal file does not sync on this computer: the journal was set up to sync through " + m.SyncFolder + " from " + m.SyncFile + ", which is no longer there (moved?)"
	} else if m.SyncFile != "" {
		what = "this journal file is a copy: on this computer the journal syncs through " + m.SyncFolder + " from " + m.SyncFile + ", not from this file"
	}
	return "Note: " + what + ". It is read as it is, and nothing is taken from or written to the folder. " + capitalise(copyHint(m, path)) + "."
}

// copyHint says how to make a copy of the journal file (at path) sync.
func copyHint(m *journal.Meta, path string) string {
	if m.SyncFile == "" {
		return "to keep the journal on this computer too, run 'journal join " + shellWord(m.SyncFolder) + "' (it makes a file of its own)"
	}
	return "if this file is now your journal, run 'journal sync init " + shellWord(m.SyncFolder) + " --file " + shellWord(path) + "'"
}

// hasSyncFolder says, from a read-only look (or the journal the command
// kept open, or its meta as the command last read it), whether the
// journal has a sync folder: a journal without one is never opened for writing by the
// sync machinery.
func (g *globals) hasSyncFolder() bool {
	if g.kept != nil {
		dir, err := g.kept.SyncFolderHere()
		return err == nil && dir != ""
	}
	if g.folder != nil {
		return *g.folder != ""
	}
	path, err := g.path()
	return err == nil && exchange.HasFolder(path)
}

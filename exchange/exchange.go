// Package exchange keeps a journal and its sync folder level: it brings
// the other computers' records, manifest statements and evidence from the
// folder into the journal, and writes this computer's into the folder.
//
// It joins the two packages that know nothing of each other: [journal],
// which checks and merges records, and [syncfolder], which knows only
// files. A command that reads calls [Run] first; a command that adds calls
// [Push] after it commits; `journal verify` calls [Check]. What an exchange
// leaves out (damaged or forked files, files of other journals, records
// that wait for earlier ones) is in its report, and [Review] sorts it for
// the person at the keyboard. Nothing here prints.
package exchange

import (
	"errors"
	"fmt"
	"time"

	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

// Result is what an exchange did.
type Result struct {
	// Pulled counts the records brought in, Pushed those written to the
	// folder, Statements the manifest statements brought in.
	Pulled, Pushed, Statements int
	// Report says what the pull left out.
	Report *syncfolder.Report
}

// Folder opens the journal's sync folder; it returns nil if the journal
// has none, or if this file is not the one that syncs on this computer
// (a copy: [journal.Store.SyncFolderHere]).
func Folder(s *journal.Store) (*syncfolder.Folder, error) {
	dir, err := s.SyncFolderHere()
	if err != nil || dir == "" {
		return nil, err
	}
	f, err := syncfolder.Open(dir)
	if err != nil {
		return nil, err
	}
	if string(f.JournalID) != string(s.ID()) {
		return nil, fmt.Errorf("%s: %w", dir, syncfolder.ErrOtherJournal)
	}
	return f, nil
}

// lookWait is how long HasFolder waits for a journal in use.
const lookWait = 10 * time.Millisecond

// HasFolder says, from a read-only look at the journal at path, whether
// it syncs through a sync folder on this computer. A journal in use is not waited for: the caller's
// own open waits for it, and says so.
func HasFolder(path string) bool {
	s, err := journal.Open(path, journal.Options{ReadOnly: true, LockWait: lookWait})
	if err != nil {
		return false
	}
	defer s.Close()
	dir, err := s.SyncFolderHere()
	return err == nil && dir != ""
}

// Run brings the journal and its sync folder level: the manifest both
// ways, the journal's key, records from before signing, evidence, then
// the other devices' records in and this device's out. A segment that is
// damaged or a fork is left out and named in the result's report; the
// rest merges. progress, if not nil, is called with the records merged so
// far. Two different manifest statements with one number are a
// [*journal.ManifestForkError].
func Run(s *journal.Store, f *syncfolder.Folder, progress func(int)) (*Result, error) {
	res := &Result{}
	n, err := Manifest(s, f)
	if err != nil {
		return nil, err
	}
	res.Statements = n
	if err := putKey(s, f); err != nil {
		return nil, err
	}
	old, err := exchangeV1(s, f)
	if err != nil {
		return nil, err
	}
	// Evidence first: a record that names a blob arrives after it, when
	// the sync program keeps the order files were written in.
	refused, err := exchangeBlobs(s, f)
	if err != nil {
		return nil, err
	}
	res.Report, err = syncfolder.Pull(f, chains{s}, progress)
	if err != nil {
		return nil, err
	}
	res.Report.Refused = append(res.Report.Refused, refused...)
	res.Pulled = res.Report.Merged + old
	dev, err := journal.LoadDevice(s.ID())
	if err != nil && !errors.Is(err, journal.ErrNotEnrolled) {
		return res, err
	}
	if dev != nil { // a computer that is not a device has nothing to write
		res.Pushed, err = syncfolder.Push(f, chains{s}, dev.Public())
		var fe *syncfolder.ForkError
		if errors.As(err, &fe) {
			res.Report.Refused = append(res.Report.Refused, err)
		} else if err != nil {
			return res, fmt.Errorf("writing this computer's records to the sync folder: %w", err)
		}
	}
	if res.Pulled > 0 {
		s.AdvancePin()
	}
	return res, nil
}

// Push writes this device's evidence and new records to the folder, after
// a command committed them.
func Push(s *journal.Store, f *syncfolder.Folder) error {
	dev, err := journal.LoadDevice(s.ID())
	if err != nil {
		return err
	}
	if err := pushBlobs(s, f); err != nil {
		return err
	}
	// A new passphrase reaches the folder as soon as it is set.
	if err := putKey(s, f); err != nil {
		return err
	}
	_, err = syncfolder.Push(f, chains{s}, dev.Public())
	return err
}

// PullManifest brings in the folder's newer manifest statements only, as
// an add does first: a computer that joined to add only learns that it
// was approved, and any computer that it was retired.
func PullManifest(s *journal.Store, f *syncfolder.Folder) error {
	n, err := Manifest(s, f)
	if err == nil && n > 0 {
		s.AdvancePin()
	}
	return err
}

// Rewrite writes again, under new names, this device's segments that are
// damaged in the folder, from the journal's copy, and returns how many
// records it wrote (see [syncfolder.Rewrite]).
func Rewrite(s *journal.Store, f *syncfolder.Folder) (int, error) {
	dev, err := journal.LoadDevice(s.ID())
	if errors.Is(err, journal.ErrNotEnrolled) {
		return 0, nil // a computer that is not a device has nothing to write
	}
	if err != nil {
		return 0, err
	}
	return syncfolder.Rewrite(f, chains{s}, dev.Public())
}

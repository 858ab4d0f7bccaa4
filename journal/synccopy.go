package journal

import (
	"os"
)

// CopyError is a change refused on a journal file that is not the one
// that syncs on this computer (a copy: a backup, a file handed to an
// adviser, or the journal file moved): a record added there would be
// signed as this computer's device at a place in its chain that the file
// that syncs may use too, and if the copy were later made the one that
// syncs, the sync folder would hold two records at one place, a fork.
type CopyError struct {
	// Path is the copy; File is the file that syncs on this computer,
	// through Folder.
	Path, File, Folder string
}

// Moved says that the file that syncs is no longer where it was set up:
// the copy may be that file, moved.
func (e *CopyError) Moved() bool {
	_, err := os.Stat(e.File)
	return err != nil
}

func (e *CopyError) Error() string {
	if e.Moved() {
		return "this journal file does not sync on this computer: the journal was set up to sync" + e.through() + " from " + e.File +
			", which is no longer there (moved?), so nothing is added here; nothing was written"
	}
	return "this journal file is a copy: on this computer the journal syncs" + e.through() + " from " + e.File +
		", so nothing is added to the copy (its records would fork from that file's); nothing was written"
}

// through says the folder the journal syncs through, when it is known.
func (e *CopyError) through() string {
	if e.Folder == "" {
		return ""
	}
	return " through " + e.Folder
}

// RefuseCopy returns a [*CopyError] when path, the file m was read from,
// is not the journal file that syncs on this computer, which syncs
// another: a copy that names the sync folder (made since the journal was
// set to sync), or one that names none (a backup made before). Commands
// call it to say so before anything is asked or typed; the store checks
// it again when it writes.
func (m *Meta) RefuseCopy(path string) error {
	return copyError(m.ID, path, m.SyncFolder, m.SyncHere, m.SyncFile)
}

// refuseCopy is [Meta.RefuseCopy] for the file the store holds.
func (s *Store) refuseCopy() error {
	folder, err := s.SyncFolder()
	if err != nil {
		return err
	}
	here, file := false, ""
	if folder != "" {
		here, file = s.syncsHere()
	}
	return copyError(s.ID(), s.path, folder, here, file)
}

// copyError is the refusal of a change to the journal file at path, which
// names folder as its sync folder; here says it is the file that syncs on
// this computer, file the one that does. A file that names no folder is
// a copy when this computer has the journal sync from another file.
func copyError(journalID []byte, path, folder string, here bool, file string) error {
	if folder == "" {
		rec, err := loadSyncRecord(journalID)
		if err != nil || rec == nil || rec.File == "" || sameFile(rec.File, path) {
			return nil
		}
		file, folder = rec.File, rec.Folder
	} else if here {
		return nil
	}
	if file == "" {
		return nil
	}
	return &CopyError{Path: absPath(path), File: file, Folder: folder}
}

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

// SyncsElsewhere returns the journal file that syncs on this computer,
// and the folder it syncs through ("" when not known), when that is not
// the file at path: a copy of the journal, also one made before the
// journal was set to sync (it names no folder). It reads this computer's
// configuration only, and returns "" when the journal does not sync here.
func SyncsElsewhere(journalID []byte, path string) (file, folder string) {
	rec, err := loadSyncRecord(journalID)
	if err != nil || rec == nil || rec.File == "" || sameFile(rec.File, path) {
		return "", ""
	}
	return rec.File, rec.Folder
}

// refuseCopy returns a [*CopyError] when this computer has the journal
// sync from another file: this file names the sync folder (a copy made
// since), or none (a backup made before the journal was set to sync).
func (s *Store) refuseCopy() error {
	dir, err := s.SyncFolder()
	if err != nil {
		return err
	}
	if dir == "" {
		file, folder := SyncsElsewhere(s.ID(), s.path)
		if file == "" {
			return nil
		}
		return &CopyError{Path: absPath(s.path), File: file, Folder: folder}
	}
	here, file := s.syncsHere()
	if here || file == "" {
		return nil
	}
	return &CopyError{Path: absPath(s.path), File: file, Folder: dir}
}

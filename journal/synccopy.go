package journal

import (
	"os"
	"path/filepath"
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
		return "this journal file does not sync on this computer: the journal was set up to sync through " + e.Folder + " from " + e.File +
			", which is no longer there (moved?), so nothing is added here; nothing was written"
	}
	return "this journal file is a copy: on this computer the journal syncs through " + e.Folder + " from " + e.File +
		", so nothing is added to the copy (its records would fork from that file's); nothing was written"
}

// refuseCopy returns a [*CopyError] when this file names a sync folder
// and this computer has the journal sync from another file.
func (s *Store) refuseCopy() error {
	dir, err := s.SyncFolder()
	if err != nil || dir == "" {
		return err
	}
	here, file := s.syncsHere()
	if here || file == "" {
		return nil
	}
	abs, err := filepath.Abs(s.path)
	if err != nil {
		abs = s.path
	}
	return &CopyError{Path: abs, File: file, Folder: dir}
}

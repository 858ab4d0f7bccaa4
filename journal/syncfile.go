package journal

// # Which file syncs
//
// The sync folder is kept in the journal file's meta, so every copy of the
// file names it: a backup, a copy given to an adviser, the output of
// `journal backup`. A copy must not take records from the folder when it
// is read (a copy of evidence that changes when it is checked is poor
// evidence), nor write to it as this computer's device (two files
// recording as one device fork). So only one file a computer holds syncs:
// the one `journal sync init` or `journal join` set up, whose path this
// computer's configuration keeps beside the device key and the pin
// (sync.json). Any other file of the journal, here or on another
// computer, is read as it is.
//
// A journal file that an earlier version set up to sync has no such
// record: the first file of the journal this version opens on a computer
// that holds a device key for it is taken as the one.

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// keySyncFolder is the meta key of the folder the journal syncs through.
var keySyncFolder = []byte("sync_folder")

// syncFileName is the file, in the journal's configuration folder, that
// names the journal file that syncs on this computer.
const syncFileName = "sync.json"

// toldMax bounds how many copies the configuration remembers having told.
const toldMax = 32

type syncRecord struct {
	Journal string `json:"journal"`
	// File is the absolute path of the journal file that syncs, through
	// Folder (empty in a record an earlier version wrote).
	File   string `json:"file"`
	Folder string `json:"folder,omitempty"`
	// Told lists copies already told, once, that they do not sync.
	Told []string `json:"told,omitempty"`
}

// SyncFolder returns the sync folder the journal file names, or "". The
// file syncs through it only if it is the one set up to on this computer:
// see [Store.SyncFolderHere].
func (s *Store) SyncFolder() (dir string, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		dir = string(tx.Bucket(bucketMeta).Get(keySyncFolder))
		return nil
	})
	return dir, err
}

// SetSyncFolder sets the folder the journal syncs through, and makes this
// file the one that syncs on this computer ([BindSync]).
func (s *Store) SetSyncFolder(dir string) error {
	err := s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySyncFolder, []byte(dir))
	})
	if err != nil {
		return err
	}
	return bindSync(s.ID(), s.path, dir)
}

// SyncFolderHere returns the sync folder when this file is the one that
// syncs through it on this computer, else "".
func (s *Store) SyncFolderHere() (string, error) {
	dir, err := s.SyncFolder()
	if err != nil || dir == "" {
		return "", err
	}
	if here, _ := s.syncsHere(); !here {
		return "", nil
	}
	return dir, nil
}

// syncsHere says whether this journal file is the one that syncs on this
// computer, and which file does ("" when none was set up here).
func (s *Store) syncsHere() (here bool, file string) {
	rec, err := loadSyncRecord(s.ID())
	if err != nil {
		// A sync.json that cannot be read is made again as for a
		// journal an earlier version set up: every file taken for a
		// copy, with no word of why, would stop the journal syncing.
		rec = nil
	}
	if rec == nil {
		// Set up by an earlier version, on a computer enrolled in the
		// journal: the file it writes is the one (legacySyncFile).
		if _, err := LoadDevice(s.ID()); err != nil {
			return false, ""
		}
		file := s.legacySyncFile()
		if BindSync(s.ID(), file) != nil {
			return false, ""
		}
		abs, _ := filepath.Abs(file)
		return sameFile(file, s.path), abs
	}
	return sameFile(rec.File, s.path), rec.File
}

// legacySyncFile is the file that syncs on a computer an earlier version
// set the journal up on, which kept no record of it: the file this
// computer's pin was brought forward at, the one it writes, when it is
// still there (so that a copy read first after the update, a backup, is
// not taken for it); else this file, the first one opened.
func (s *Store) legacySyncFile() string {
	if p, err := LoadPin(s.ID()); err == nil && p != nil && p.Path != "" {
		if info, err := os.Stat(p.Path); err == nil && info.Mode().IsRegular() {
			return p.Path
		}
	}
	return s.path
}

// BindSync makes the journal file at path the one that syncs on this
// computer: any other file of the journal, a copy, no longer does.
func BindSync(journalID []byte, path string) error {
	return bindSync(journalID, path, "")
}

// bindSync is BindSync, noting the folder the file syncs through when it
// is known.
func bindSync(journalID []byte, path, folder string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	rec, _ := loadSyncRecord(journalID)
	if rec == nil {
		rec = &syncRecord{}
	}
	if rec.File != abs || folder != "" {
		rec.Folder = folder
	}
	rec.Journal, rec.File = hex.EncodeToString(journalID), abs
	rec.Told = slices.DeleteFunc(rec.Told, func(p string) bool { return p == abs })
	return saveSyncRecord(journalID, rec)
}

// TellCopyOnce says whether a copy at path, a file of the journal that
// does not sync on this computer, is to be told so: true the first time
// only (remembered in this computer's configuration).
func TellCopyOnce(journalID []byte, path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return true
	}
	rec, err := loadSyncRecord(journalID)
	if err != nil {
		return true
	}
	if rec == nil {
		rec = &syncRecord{Journal: hex.EncodeToString(journalID)}
	}
	if slices.Contains(rec.Told, abs) {
		return false
	}
	rec.Told = append(rec.Told, abs)
	if len(rec.Told) > toldMax {
		rec.Told = rec.Told[len(rec.Told)-toldMax:]
	}
	saveSyncRecord(journalID, rec)
	return true
}

// loadSyncRecord reads which file syncs on this computer: nil when none
// was set up here.
func loadSyncRecord(journalID []byte) (*syncRecord, error) {
	dir, err := ConfigDir(journalID)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(dir, syncFileName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rec syncRecord
	if err := json.Unmarshal(data, &rec); err != nil || rec.Journal != hex.EncodeToString(journalID) {
		return nil, errors.New(filepath.Join(dir, syncFileName) + " is damaged")
	}
	return &rec, nil
}

func saveSyncRecord(journalID []byte, rec *syncRecord) error {
	dir, err := ConfigDir(journalID)
	if err != nil {
		return err
	}
	data, _ := json.MarshalIndent(rec, "", "  ")
	return writeConfigFile(dir, syncFileName, append(data, '\n'))
}

// sameFile says whether two paths name one file: the same absolute path,
// or two names of one file (a link).
func sameFile(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	aa, err1 := filepath.Abs(a)
	ab, err2 := filepath.Abs(b)
	if err1 == nil && err2 == nil && aa == ab {
		return true
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// Package syncfolder keeps a journal's sync folder: a folder of files that
// are written once and never changed or deleted, so that any engine that
// copies files (Syncthing, a cloud drive, a git repository, a USB stick) can
// carry them between a user's devices without ever making a conflict.
//
// The layout:
//
//	manifest/<n>-<hash>            owner-signed statements
//	devices/<device>/<seq>-<hash>  segments: records of one device
//	blobs/<address>-<hash>         evidence, sealed, by keyed content address
//	stamps/<name>                  timestamp tokens and countersignatures
//	keys/<n>-<hash>                the identity, wrapped with the passphrase
//	requests/<device>              a computer asking to be enrolled to add only
//
// Every name is used by one writer only, and every file is written to a
// temporary name in the same folder and linked into place, so a reader
// never sees half a file under a real name. A file whose name ends in the
// SHA-256 of its content ([Folder.Put] with [HashName]) is checked when it
// is read: a changed or truncated file is named and refused.
//
// Names that are not ours are ignored: a sync engine's conflict copies
// ("x.sync-conflict-20261201-120000-ABCDEFG", "x (conflicted copy)"),
// temporary and partial files (".syncthing.x.tmp", "x.part"), and cloud
// placeholders (".x.icloud"). The package knows nothing of records or keys:
// a segment's records are opaque bytes (see [Segment]).
package syncfolder

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The folders of the layout.
const (
	DirManifest = "manifest"
	DirDevices  = "devices"
	DirBlobs    = "blobs"
	DirStamps   = "stamps"
	// DirKeys holds the journal's identity wrapped with the passphrase, so
	// that a computer can join with the passphrase alone.
	DirKeys = "keys"
	// DirOldKeys holds the journal's earlier keys ('journal rekey'), each
	// sealed to a later key's recipient, so that a computer that joins
	// after a change of key reads the records from before it too. Builds
	// from before it was added pass it over.
	DirOldKeys = "oldkeys"
	// DirRequests holds the requests of computers that joined to add
	// only, waiting for an enrolled device to approve them.
	DirRequests = "requests"
)

// markerName is the file that says a folder is a journal's sync folder. It
// holds the journal's identifier and is written once, by `sync init`.
const markerName = "journal-sync"

// markerMagic begins the marker file.
const markerMagic = "journal sync folder 1\n"

// Errors of the folder.
var (
	// ErrNotSyncFolder: the folder is not (or no longer) a sync folder.
	ErrNotSyncFolder = errors.New("not a journal sync folder")
	// ErrOtherJournal: the folder belongs to another journal.
	ErrOtherJournal = errors.New("the sync folder belongs to another journal")
	// ErrNameTaken: a file of that name is there with other content. A
	// name is written once; this is never overwritten.
	ErrNameTaken = errors.New("a different file of that name is already there")
)

// DamagedError reports a file of the folder whose content does not match
// its name, or does not decode: changed or truncated after it was written.
type DamagedError struct {
	// Path is the file's path relative to the folder, with slashes.
	Path   string
	Reason string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("sync folder file %s is damaged or was changed: %s", e.Path, e.Reason)
}

// Folder is a sync folder on disk.
type Folder struct {
	root string
	// JournalID is the identifier of the journal the folder belongs to.
	JournalID []byte
}

// Root is the folder's path.
func (f *Folder) Root() string { return f.root }

// Create makes dir the sync folder of the journal id: it writes the marker
// and the layout's folders. dir may exist and hold other files (a sync
// engine's ".stfolder", a git repository's ".git"); a folder already set up
// for the same journal is accepted as it is, one of another journal is
// refused with [ErrOtherJournal].
func Create(dir string, journalID []byte) (*Folder, error) {
	if len(journalID) == 0 {
		return nil, errors.New("creating sync folder: no journal identifier")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating sync folder: %w", err)
	}
	f := &Folder{root: dir, JournalID: journalID}
	marker := []byte(markerMagic + hex.EncodeToString(journalID) + "\n")
	if err := f.Put(markerName, marker, ""); errors.Is(err, ErrNameTaken) {
		g, gerr := Open(dir)
		if gerr != nil {
			return nil, gerr
		}
		if !bytes.Equal(g.JournalID, journalID) {
			return nil, fmt.Errorf("%s: %w", dir, ErrOtherJournal)
		}
	} else if err != nil {
		return nil, err
	}
	for _, d := range []string{DirManifest, DirDevices, DirBlobs, DirStamps, DirKeys, DirRequests} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			return nil, fmt.Errorf("creating sync folder: %w", err)
		}
	}
	return f, nil
}

// Open opens the sync folder at dir and reads which journal it belongs to.
func Open(dir string) (*Folder, error) {
	b, err := os.ReadFile(filepath.Join(dir, markerName))
	if errors.Is(err, fs.ErrNotExist) {
		if _, serr := os.Stat(dir); serr != nil {
			return nil, fmt.Errorf("sync folder %s: %w", dir, serr)
		}
		return nil, fmt.Errorf("%s: %w (it has no %s file)", dir, ErrNotSyncFolder, markerName)
	}
	if err != nil {
		return nil, fmt.Errorf("reading sync folder: %w", err)
	}
	id, ok := parseMarker(b)
	if !ok {
		return nil, &DamagedError{Path: markerName, Reason: "it is not a sync folder marker"}
	}
	return &Folder{root: dir, JournalID: id}, nil
}

// parseMarker reads the marker file strictly: the magic line, then the
// journal identifier in hex on one line, and nothing else.
func parseMarker(b []byte) ([]byte, bool) {
	rest, ok := bytes.CutPrefix(b, []byte(markerMagic))
	if !ok || len(rest) < 2 || rest[len(rest)-1] != '\n' {
		return nil, false
	}
	h := string(rest[:len(rest)-1])
	if h != strings.ToLower(h) || len(h) > 128 {
		return nil, false
	}
	id, err := hex.DecodeString(h)
	if err != nil || len(id) == 0 {
		return nil, false
	}
	return id, true
}

// HashName returns the hex SHA-256 of data, the part of a file's name that
// lets a reader check the file is whole and unchanged.
func HashName(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Put writes data under rel (slash-separated, relative to the folder) once:
// to a temporary file in the same folder, synced, then linked to its name,
// so the name appears whole or not at all. If the name is already there
// with the same bytes, Put does nothing; with other bytes it fails with
// [ErrNameTaken] and changes nothing. owner tags the temporary file's name
// so a device only ever cleans up its own left-overs ([Folder.CleanTemp]).
func (f *Folder) Put(rel string, data []byte, owner string) error {
	path := filepath.Join(f.root, filepath.FromSlash(rel))
	if same, err := sameContent(path, data); err != nil || same {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("writing %s to the sync folder: %w", rel, err)
	}
	tmp, err := os.CreateTemp(dir, tempPrefix+owner+"-*")
	if err != nil {
		return fmt.Errorf("writing %s to the sync folder: %w", rel, err)
	}
	defer os.Remove(tmp.Name())
	if err := writeSync(tmp, data); err != nil {
		return fmt.Errorf("writing %s to the sync folder: %w", rel, err)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return fmt.Errorf("writing %s to the sync folder: %w", rel, err)
	}
	if err := placeOnce(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			if same, serr := sameContent(path, data); serr == nil && same {
				return nil
			}
			return fmt.Errorf("%s: %w", rel, ErrNameTaken)
		}
		return fmt.Errorf("writing %s to the sync folder: %w", rel, err)
	}
	syncDir(dir)
	return nil
}

// tempPrefix begins the name of every temporary file this package writes.
const tempPrefix = ".journal-tmp-"

func writeSync(tmp *os.File, data []byte) error {
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	return tmp.Close()
}

// placeOnce gives the temporary file its final name without ever replacing
// a file there: a hard link fails if the name exists. Where links are not
// supported (some removable and network file systems), it renames after
// checking, which can only race with a writer of the same name, and a name
// has one writer.
func placeOnce(tmp, path string) error {
	err := os.Link(tmp, path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	if _, serr := os.Lstat(path); serr == nil {
		return fs.ErrExist
	}
	return os.Rename(tmp, path)
}

// sameContent says whether path holds exactly data; false with no error if
// there is no file there.
func sameContent(path string, data []byte) (bool, error) {
	fh, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading the sync folder: %w", err)
	}
	defer fh.Close()
	got, err := io.ReadAll(io.LimitReader(fh, int64(len(data))+1))
	if err != nil {
		return false, fmt.Errorf("reading the sync folder: %w", err)
	}
	if bytes.Equal(got, data) {
		return true, nil
	}
	return false, fmt.Errorf("%s: %w", path, ErrNameTaken)
}

// syncDir makes a new name durable. Some file systems cannot sync a
// folder; the file itself is synced already.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Read returns the content of the file rel. For a name that ends in a hash
// (see [HashName]) the content is checked against it, and a mismatch is a
// [*DamagedError] naming the file.
func (f *Folder) Read(rel string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(f.root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, fmt.Errorf("reading the sync folder: %w", err)
	}
	base := rel[strings.LastIndexByte(rel, '/')+1:]
	if _, h, ok := splitName(base); ok && HashName(b) != h {
		reason := "its content does not match its name"
		if len(b) == 0 {
			reason = "it is empty"
		}
		return nil, &DamagedError{Path: rel, Reason: reason}
	}
	return b, nil
}

// CleanTemp removes the temporary files that owner left in the folder
// (a process killed while writing). Only files whose names begin with this
// package's prefix and owner's tag are touched; nothing else is ever
// removed.
func (f *Folder) CleanTemp(owner string) {
	if owner == "" {
		return
	}
	filepath.WalkDir(f.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasPrefix(d.Name(), tempPrefix+owner+"-") {
			os.Remove(path)
		}
		return nil
	})
}

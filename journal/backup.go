package journal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"

	"github.com/journal-dev/journal/privatefile"
)

// BackupReport says what [Store.Backup] wrote.
type BackupReport struct {
	Path string
	// Records is how many records the copy holds, and Fingerprint the
	// fingerprint of its log: the same as the journal's when it was copied.
	Records     uint64
	Fingerprint string
	Size        int64
}

// Backup writes a consistent copy of the journal to path, still encrypted:
// the journal as one read transaction sees it, so a journal in use by
// readers can be copied, and writers wait until the copy is made. The copy
// is compacted (see compact.go): it holds every key and value of the
// journal file but the cache an earlier version kept there, and none of its
// free pages. It is written to a temporary file in path's folder, synced to
// disk, compared with the journal key by key and checked (bbolt's
// consistency check and the whole chain, which need no key) before it is
// renamed over path, so path is never a half-written file. It is 0600, and
// once compared, is given an identifier of its own (cachebind.go).
// A cache file beside path, made from the file it replaces, is removed.
func (s *Store) Backup(path string) (rep *BackupReport, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("writing backup: %w", err)
	}
	name := tmp.Name()
	untrack := privatefile.Temporary(name)
	defer func() {
		if err != nil {
			os.Remove(name)
		}
		untrack()
	}()
	err = tmp.Chmod(0o600)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("writing backup: %w", err)
	}
	rep = &BackupReport{Path: path}
	err = s.view(func(tx *bolt.Tx) error {
		seq, h, err := head(tx)
		if err != nil {
			return err
		}
		rep.Records, rep.Fingerprint = seq, Fingerprint(h)
		return compactCopy(tx, name, skipOldCache)
	})
	var ie *IntegrityError
	if errors.As(err, &ie) && ie.Seq != 0 {
		// Found while finding the head: the file is damaged there.
		return nil, &IntegrityError{Reason: fmt.Sprintf("record %d: %s", ie.Seq, ie.Reason), Err: ie.Err}
	}
	var me *mismatchError
	switch {
	case errors.As(err, &ie):
		return nil, err
	case errors.As(err, &me):
		return nil, fmt.Errorf("the backup does not check out, so it was not kept: %w", err)
	case err != nil:
		return nil, fmt.Errorf("writing backup: %w", err)
	}
	if info, err := os.Stat(name); err == nil {
		rep.Size = info.Size()
	}
	// The copy is a journal file of its own: its own identifier, so that
	// a cache made for this file is never believed beside it
	// (cachebind.go). The records, and so the fingerprint, are the same.
	if err := giveFileID(name); err != nil {
		return nil, fmt.Errorf("writing backup: %w", err)
	}
	// Check the copy as it is on disk, not as it was meant to be. The
	// journal is damaged if its copy is: bbolt copies what it reads.
	seq, fp, err := checkCopy(name)
	if err != nil {
		var ie *IntegrityError
		if errors.As(err, &ie) {
			reason := ie.Reason
			if ie.Seq != 0 {
				reason = fmt.Sprintf("record %d: %s", ie.Seq, ie.Reason)
			}
			return nil, &IntegrityError{Reason: "the backup does not check out, so it was not kept: " + reason, Err: ie.Err}
		}
		return nil, fmt.Errorf("the backup does not check out, so it was not kept: %w", err)
	}
	if seq != rep.Records || fp != rep.Fingerprint {
		return nil, fmt.Errorf("the backup does not check out, so it was not kept: it has %d records with fingerprint %s, the journal had %d with %s",
			seq, fp, rep.Records, rep.Fingerprint)
	}
	if err := os.Rename(name, path); err != nil {
		return nil, fmt.Errorf("writing backup: %w", err)
	}
	// A cache beside path was made from the file just replaced (--force):
	// it is not this copy's, whose first read makes its own.
	if info, err := os.Lstat(CachePath(path)); err == nil && info.Mode().IsRegular() {
		os.Remove(CachePath(path))
	}
	syncDir(dir)
	return rep, nil
}

// giveFileID gives the journal file at path a new identifier of its own.
func giveFileID(path string) error {
	c, err := Open(path, Options{})
	if err != nil {
		return err
	}
	if err := c.NewFileID(); err != nil {
		c.Close()
		return err
	}
	return c.Close()
}

// checkCopy opens a journal file read-only and checks what can be checked
// without its key: the file's structure and the chain of every record. It
// returns the position and fingerprint of the last record.
func checkCopy(path string) (seq uint64, fp string, err error) {
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		return 0, "", err
	}
	defer s.Close()
	if err := s.checkFile(); err != nil {
		return 0, "", err
	}
	if err := s.Scan(0, func(uint64, *Envelope, [32]byte) error { return nil }); err != nil {
		return 0, "", err
	}
	return s.Head()
}

package exchange

import (
	"fmt"

	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

// Manifest adds the folder's newer manifest statements to the journal and
// writes the journal's into the folder. It returns how many it added. Two
// different statements with one number (two computers changed the
// journal's devices at the same time) are a [*journal.ManifestForkError].
func Manifest(s *journal.Store, f *syncfolder.Folder) (int, error) {
	entries, err := f.Numbered(syncfolder.DirManifest)
	if err != nil {
		return 0, err
	}
	var stored [][]byte
	for i, e := range entries {
		if e.Seq != uint64(i+1) {
			if e.Seq == uint64(i) {
				return 0, &journal.ManifestForkError{N: e.Seq}
			}
			break // a statement has not arrived yet: take those before it
		}
		b, err := f.Read(e.Path())
		if err != nil {
			return 0, err
		}
		stored = append(stored, b)
	}
	added, err := s.ImportStatements(stored)
	if err != nil {
		return 0, err
	}
	mine, err := s.Statements()
	if err != nil {
		return 0, err
	}
	for i, b := range mine[min(len(stored), len(mine)):] {
		if _, err := f.PutNumbered(syncfolder.DirManifest, uint64(len(stored)+i+1), b, "manifest"); err != nil {
			return 0, fmt.Errorf("writing the manifest to the sync folder: %w", err)
		}
	}
	return added, nil
}

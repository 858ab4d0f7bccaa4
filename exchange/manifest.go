package exchange

import (
	"fmt"

	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

// Manifest adds the folder's manifest statements the journal does not hold
// and writes the journal's into the folder. It returns how many it added.
// Statements made at the same time on two computers merge (see
// journal/manifestmerge.go); two that contradict each other (a new key
// made on one computer while another changed the devices) are a
// [*journal.ManifestForkError], and nothing of them is added.
func Manifest(s *journal.Store, f *syncfolder.Folder) (int, error) {
	entries, err := f.Numbered(syncfolder.DirManifest)
	if err != nil {
		return 0, err
	}
	stored, err := Statements(f, entries)
	if err != nil {
		return 0, err
	}
	added, err := s.ImportStatements(stored)
	if err != nil {
		return 0, err
	}
	mine, err := s.Statements()
	if err != nil {
		return 0, err
	}
	have := map[string]bool{}
	for _, e := range entries {
		have[e.Path()] = true
	}
	for _, b := range mine {
		st, _, err := journal.DecodeStatement(b)
		if err != nil {
			return 0, err
		}
		e := syncfolder.Entry{Dir: syncfolder.DirManifest, Seq: st.N, Hash: syncfolder.HashName(b)}
		if have[e.Path()] {
			continue
		}
		if _, err := f.PutNumbered(syncfolder.DirManifest, st.N, b, "manifest"); err != nil {
			return 0, fmt.Errorf("writing the manifest to the sync folder: %w", err)
		}
	}
	return added, nil
}

// Statements reads the manifest statements the folder's entries name.
func Statements(f *syncfolder.Folder, entries []syncfolder.Entry) ([][]byte, error) {
	var stored [][]byte
	for _, e := range entries {
		b, err := f.Read(e.Path())
		if err != nil {
			return nil, err
		}
		stored = append(stored, b)
	}
	return stored, nil
}

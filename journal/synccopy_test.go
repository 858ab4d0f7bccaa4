package journal_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

// TestACopyOfTheFileThatSyncsTakesNoRecord checks the store's own refusal,
// whatever command calls it: once a journal file syncs on this computer,
// a byte copy of it (a backup) names the same folder, but appending to it
// is a CopyError, CanAdd says so before anyone types, and nothing is
// written. The file that syncs still takes records.
func TestACopyOfTheFileThatSyncsTakesNoRecord(t *testing.T) {
	path, sealer := newJournal(t)
	s := open(t, path, false)
	if err := s.SetSyncFolder(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(copyPath, data, 0o600); err != nil {
		t.Fatal(err)
	}

	c := open(t, copyPath, false)
	var ce *journal.CopyError
	if err := c.CanAdd(); !errors.As(err, &ce) {
		t.Errorf("CanAdd on a copy = %v, want a CopyError", err)
	} else if abs, _ := filepath.Abs(path); ce.File != abs {
		t.Errorf("the CopyError names %q as the file that syncs, want %q", ce.File, abs)
	}
	if err := c.Append(sealer, incidentRecord("Only in the backup")); !errors.As(err, &ce) {
		t.Errorf("Append to a copy = %v, want a CopyError", err)
	}
	c.Close()
	after, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(data) {
		t.Error("the copy changed although nothing was added to it")
	}

	s = open(t, path, false)
	if err := s.Append(sealer, incidentRecord("In the journal")); err != nil {
		t.Errorf("Append to the file that syncs = %v", err)
	}
}

// incidentRecord is an incident to append, summarised by summary.
func incidentRecord(summary string) *journal.Record {
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	return &journal.Record{Type: journal.TypeIncident, RecordedAt: at,
		Fields: &journal.Fields{OccurredAt: at.Add(-time.Hour), Summary: summary}}
}

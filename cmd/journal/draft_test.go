package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWriteDraftNeverReplaces checks that two drafts kept in the same
// second are two files, each private and whole.
func TestWriteDraftNeverReplaces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.db")
	now := time.Date(2026, 11, 24, 14, 30, 5, 0, time.UTC)
	first, err := writeDraft(path, []byte("first"), now)
	if err != nil {
		t.Fatal(err)
	}
	second, err := writeDraft(path, []byte("second"), now)
	if err != nil {
		t.Fatal(err)
	}
	if first != path+".draft-20261124-143005" || second != first+"-2" {
		t.Errorf("drafts named %s and %s", first, second)
	}
	for name, want := range map[string]string{first: "first", second: "second"} {
		data, err := os.ReadFile(name)
		if err != nil || string(data) != want {
			t.Errorf("%s holds %q, %v; want %q", name, data, err, want)
		}
		if info, err := os.Stat(name); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, %v; want 0600", name, info.Mode().Perm(), err)
		}
	}
	if got := drafts(path); len(got) != 2 || got[0] != second {
		t.Errorf("drafts = %q, want the newest first", got)
	}
}

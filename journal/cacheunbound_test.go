package journal_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

// TestAnOlderFileSaysWhenItsCacheMayBeAnotherCopys: two copies of a
// journal made by an earlier version (no identifier of their own) go on
// with other records; the cache of one, bound to the journal alone, is
// copied beside the other. A read cannot tell that cache from the file's
// own over a rewritten log: it stops (the log is not believed rewritten
// in silence), names the cache file and says what to do; once the cache
// is deleted as it says, the read gives the whole journal, and the file
// gets its identifier, so that such a cache is not believed again.
func TestAnOlderFileSaysWhenItsCacheMayBeAnotherCopys(t *testing.T) {
	a, sealer := newJournal(t)
	appendRecords(t, a, sealer, 2, 0, false)
	b := filepath.Join(t.TempDir(), "copy.db")
	data, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, data, 0o600); err != nil {
		t.Fatal(err)
	}
	fileID(t, a, true)
	fileID(t, b, true)
	add := func(path, what string) {
		w, err := openDevice(path)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		if err := w.Append(sealer, incident(what, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))); err != nil {
			t.Fatal(err)
		}
	}
	add(a, "recorded in the first copy")
	add(b, "recorded in the second copy")
	os.Remove(journal.CachePath(b))
	// verify writes no identifier: the cache it leaves is bound to the
	// journal alone, as an earlier version's was.
	s, err := journal.Open(a, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	s.KeepUnchanged()
	_, err = s.Verify(sealer)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	cache, err := os.ReadFile(journal.CachePath(a))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(journal.CachePath(b), cache, 0o600); err != nil {
		t.Fatal(err)
	}
	read := func() (*journal.State, error) {
		s, err := journal.Open(b, journal.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		return s.Load(sealer)
	}
	_, err = read()
	var ie *journal.IntegrityError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "delete "+journal.CachePath(b)) || !strings.Contains(err.Error(), "another copy's") {
		t.Fatalf("a read beside another copy's cache: %v; want an integrity error that names the cache to delete", err)
	}
	os.Remove(journal.CachePath(b))
	st, err := read()
	if err != nil {
		t.Fatal(err)
	}
	if last := st.Incidents[len(st.Incidents)-1]; last.Summary != "recorded in the second copy" {
		t.Errorf("the read after the cache was deleted ends with %q", last.Summary)
	}
	if fileID(t, b, false) == "" {
		t.Error("the read after the cache was deleted gave the file no identifier")
	}
}

package journal_test

import (
	"crypto/ed25519"
	"path/filepath"
	"testing"
	"time"

	"github.com/journal-dev/journal/crypto"
	exch "github.com/journal-dev/journal/exchange"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

// addOne adds one incident to the journal at path, as 'journal add' does:
// without the key, then, when the journal has a sync folder, its segment.
func addOne(t *testing.T, path string, public *crypto.Sealer, f *syncfolder.Folder, i int) {
	t.Helper()
	s, err := openDevice(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	r := &journal.Record{Type: journal.TypeIncident, RecordedAt: at,
		Fields: &journal.Fields{OccurredAt: at.Add(-time.Hour), Summary: "incident"}}
	if err := s.Append(public, r); err != nil {
		t.Fatal(err)
	}
	if f != nil {
		if err := exch.Push(s, f); err != nil {
			t.Fatal(err)
		}
	}
}

// keptForSending returns how many lists of file keys the journal at path
// keeps for the sync folder.
func keptForSending(t *testing.T, path string, dev ed25519.PublicKey) int {
	t.Helper()
	s := open(t, path, true)
	defer s.Close()
	l, err := s.SealedKeys(dev, 1, 1<<62)
	if err != nil {
		t.Fatal(err)
	}
	return len(l)
}

func TestRecordsAddedOneAtATimeTravelWithTheirFileKeys(t *testing.T) {
	// The first computer: 4 incidents before 'sync init', 20 after, each
	// added alone and written to the folder as its own segment.
	path, sealer := newJournal(t)
	public := publicSealer(t, path)
	for i := range 4 {
		addOne(t, path, public, nil, i)
	}
	s, err := openDevice(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "sync")
	f, err := syncfolder.Create(dir, s.ID())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSyncFolder(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := exch.Run(s, f, nil); err != nil {
		t.Fatal(err)
	}
	m, err := s.Meta()
	if err != nil {
		t.Fatal(err)
	}
	statements, err := s.Statements()
	if err != nil {
		t.Fatal(err)
	}
	dev, err := journal.LoadDevice(s.ID())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for i := 4; i < 24; i++ {
		addOne(t, path, public, f, i)
	}

	// A read there seals one list of their 24 keys; a second read seals
	// nothing more; the next add's segment carries the list.
	for range 2 {
		if _, err := load(t, path, sealer); err != nil {
			t.Fatal(err)
		}
	}
	if n := keptForSending(t, path, dev.Public()); n != 1 {
		t.Fatalf("after two reads, %d lists of file keys are kept for the sync folder, want 1", n)
	}
	addOne(t, path, public, f, 24)
	if n := keptForSending(t, path, dev.Public()); n != 0 {
		t.Fatalf("after the add wrote its segment, %d lists are kept, want 0", n)
	}
	want, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}

	// The second computer builds its journal from the folder alone.
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	other := filepath.Join(t.TempDir(), "journal.db")
	if err := journal.Create(other, &journal.Meta{ID: m.ID, WrappedIdentity: m.WrappedIdentity, Statements: statements}); err != nil {
		t.Fatal(err)
	}
	s2 := open(t, other, false)
	res, err := exch.Run(s2, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if res.Pulled != 25 {
		t.Fatalf("the second computer pulled %d records, want 25", res.Pulled)
	}

	// Its first read opens the list once, the 24 records it names with
	// their keys, and only the last add with the identity.
	c := &countingKey{Sealer: sealer}
	st, err := load(t, other, c)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := mustJSON(t, st.Incidents), mustJSON(t, want.Incidents); got != want {
		t.Fatal("the second computer reads other incidents than the first")
	}
	if c.withID.Load() != 2 || c.withKey.Load() != 24 {
		t.Errorf("first read on the second computer: %d opened with the identity, %d with a carried key; want 2 (the list, the last add) and 24",
			c.withID.Load(), c.withKey.Load())
	}
}

func TestAddsBeforeAnImportStillGetAList(t *testing.T) {
	// 20 single adds, then an import: the import's list is of its own
	// records only, so the first read seals one for the adds as well.
	path, sealer := newJournal(t)
	public := publicSealer(t, path)
	s := open(t, path, false)
	if err := s.SetSyncFolder(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	dev, err := journal.LoadDevice(s.ID())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for i := range 20 {
		addOne(t, path, public, nil, i)
	}
	appendRecords(t, path, public, 70, 3, false)
	if n := keptForSending(t, path, dev.Public()); n != 1 {
		t.Fatalf("after the import, %d lists are kept for the sync folder, want 1", n)
	}
	if _, err := load(t, path, sealer); err != nil {
		t.Fatal(err)
	}
	if n := keptForSending(t, path, dev.Public()); n != 2 {
		t.Fatalf("after a read, %d lists are kept for the sync folder, want 2 (the import's, and the read's for the adds)", n)
	}
}

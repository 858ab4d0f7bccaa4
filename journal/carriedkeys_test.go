package journal_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"testing"

	"github.com/journal-dev/journal/journal"
)

// importedWithFolder makes a journal with a sync folder and imports n
// incidents into it without a key, as 'journal import' does. It returns
// the path, the sealer, this device's key and the lists of file keys kept
// for the folder.
func importedWithFolder(t *testing.T, n int) (string, *countingKey, ed25519.PublicKey, [][]byte) {
	t.Helper()
	path, sealer := newJournal(t)
	public := publicSealer(t, path)
	s := open(t, path, false)
	if err := s.SetSyncFolder(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	appendRecords(t, path, public, n, 3, false)
	s = open(t, path, false)
	defer s.Close()
	dev, err := journal.LoadDevice(s.ID())
	if err != nil {
		t.Fatal(err)
	}
	head, err := s.DeviceHead(dev.Public())
	if err != nil {
		t.Fatal(err)
	}
	lists, err := s.SealedKeys(dev.Public(), 1, head)
	if err != nil || len(lists) != 1 {
		t.Fatalf("lists kept for the sync folder after an import: %d, %v; want 1", len(lists), err)
	}
	return path, &countingKey{Sealer: sealer}, dev.Public(), lists
}

// asPulled makes the journal at path look like one that pulled its
// records from a sync folder: no provisional keys of its own, and the
// lists that came with the segment.
func asPulled(t *testing.T, path string, device ed25519.PublicKey, lists [][]byte) {
	t.Helper()
	s := open(t, path, false)
	defer s.Close()
	if err := journal.DropProvisionalForTest(s); err != nil {
		t.Fatal(err)
	}
	head, err := s.DeviceHead(device)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddSealedKeys(device, 1, head, lists); err != nil {
		t.Fatal(err)
	}
}

func TestCarriedFileKeysOpenPulledRecords(t *testing.T) {
	path, c, dev, lists := importedWithFolder(t, 200)
	want, err := load(t, path, openerOnly{c.Sealer})
	if err != nil {
		t.Fatal(err)
	}
	asPulled(t, path, dev, lists)

	// The first read opens the list once, then every record with its key.
	st, err := load(t, path, c)
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, st) != mustJSON(t, want) {
		t.Fatal("read with the carried file keys, the journal differs from the log")
	}
	if c.withID.Load() != 1 || c.withKey.Load() != int64(want.Seq) {
		t.Errorf("first read: %d opened with the identity, %d with a file key; want 1 (the list) and %d",
			c.withID.Load(), c.withKey.Load(), want.Seq)
	}
	// The cache now holds the keys, and the list is gone: the next read
	// opens the cache alone.
	c.withID.Store(0)
	if _, err := load(t, path, c); err != nil {
		t.Fatal(err)
	}
	if c.withID.Load() != 1 {
		t.Errorf("second read opened %d files with the identity, want 1 (the cache)", c.withID.Load())
	}
}

func TestCarriedFileKeysAreKeptUntilWritten(t *testing.T) {
	path, _, dev, _ := importedWithFolder(t, 100)
	s := open(t, path, false)
	head, err := s.DeviceHead(dev)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.KeysWritten(dev, head-1); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.SealedKeys(dev, 1, head); len(l) != 1 {
		t.Fatalf("the list was dropped before its last record was written: %d left", len(l))
	}
	if err := s.KeysWritten(dev, head); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.SealedKeys(dev, 1, head); len(l) != 0 {
		t.Fatalf("the list is kept after its records were written: %d left", len(l))
	}
}

func TestForgedCarriedKeysChangeNothing(t *testing.T) {
	path, c, dev, lists := importedWithFolder(t, 100)
	want, err := load(t, path, openerOnly{c.Sealer})
	if err != nil {
		t.Fatal(err)
	}
	public := publicSealer(t, path)
	s := open(t, path, false)
	// Anyone who knows the public recipient can seal a list of keys.
	forgedKeys := make([][]byte, want.Seq)
	for i := range forgedKeys {
		forgedKeys[i] = make([]byte, 16)
		rand.Read(forgedKeys[i])
	}
	forged, err := journal.SealCarriedForTest(s, public, dev, 1, forgedKeys)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// And the true list, brought in a segment of another device, is
	// not used for this device's records.
	other, _, _ := ed25519.GenerateKey(rand.Reader)
	asPulled(t, path, dev, [][]byte{forged})
	s = open(t, path, false)
	if err := s.AddSealedKeys(other, 1, want.Seq, lists); err != nil {
		t.Fatal(err)
	}
	s.Close()

	st, err := load(t, path, c)
	if err != nil {
		t.Fatalf("forged lists of keys made the read fail: %v", err)
	}
	if mustJSON(t, st) != mustJSON(t, want) {
		t.Fatal("forged lists of keys changed what the journal reads")
	}
	// Every forged key was tried and opened nothing: every record was
	// opened with the identity, and both lists.
	if c.withID.Load() != int64(want.Seq)+2 {
		t.Errorf("%d opened with the identity, want every record and the two lists (%d)", c.withID.Load(), want.Seq+2)
	}
}

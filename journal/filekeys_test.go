package journal_test

import (
	"crypto/rand"
	"io"
	"sync/atomic"
	"testing"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

// countingKey counts what a read costs: files opened with the identity
// (public-key work) and records opened with a known file key.
type countingKey struct {
	*crypto.Sealer
	withID, withKey atomic.Int64
}

func (c *countingKey) Open(ct []byte) ([]byte, error) {
	c.withID.Add(1)
	return c.Sealer.Open(ct)
}

func (c *countingKey) OpenKeyed(ct []byte) ([]byte, []byte, error) {
	c.withID.Add(1)
	return c.Sealer.OpenKeyed(ct)
}

func (c *countingKey) OpenReaderAt(src io.ReaderAt, size int64) (io.ReaderAt, int64, []byte, error) {
	c.withID.Add(1)
	return c.Sealer.OpenReaderAt(src, size)
}

func (c *countingKey) OpenWithKey(ct, key []byte) ([]byte, error) {
	c.withKey.Add(1)
	return c.Sealer.OpenWithKey(ct, key)
}

func TestLargeAppendLeavesFileKeysForTheFirstRead(t *testing.T) {
	path, sealer := newJournal(t)
	public := publicSealer(t, path)
	appendRecords(t, path, public, 200, 3, false) // as an import: no key
	want, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	records := int64(want.Seq)

	// The first read opens the sealed list of keys, then no record with
	// the identity.
	c := &countingKey{Sealer: sealer}
	st, err := load(t, path, c)
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, st) != mustJSON(t, want) {
		t.Fatal("read with the import's file keys, the journal differs from the log")
	}
	if c.withID.Load() != 1 || c.withKey.Load() != records {
		t.Errorf("first read: %d opened with the identity, %d with a file key; want 1 (the list) and %d",
			c.withID.Load(), c.withKey.Load(), records)
	}

	// Then the cache: one file opened, and verify opens every record with
	// the key the cache keeps.
	c = &countingKey{Sealer: sealer}
	if _, err := load(t, path, c); err != nil {
		t.Fatal(err)
	}
	if c.withID.Load() != 1 || c.withKey.Load() != 0 {
		t.Errorf("second read: %d opened with the identity, %d with a file key; want the cache alone", c.withID.Load(), c.withKey.Load())
	}
	c = &countingKey{Sealer: sealer}
	s := open(t, path, true)
	rep, err := s.Verify(c)
	if err != nil {
		t.Fatal(err)
	}
	if c.withKey.Load() != records || c.withID.Load() > 2 {
		t.Errorf("verify: %d opened with the identity, %d with a file key; want the cache (twice at most) and %d",
			c.withID.Load(), c.withKey.Load(), records)
	}
	if mustJSON(t, rep.State) != mustJSON(t, want) {
		t.Error("verify with file keys read another journal than the log")
	}
}

func TestForgedFileKeysChangeNothing(t *testing.T) {
	path, sealer := newJournal(t)
	public := publicSealer(t, path)
	// Small appends leave no list of keys of their own.
	for i := range 3 {
		appendRecords(t, path, public, 20, uint64(1+20*i), false)
	}
	want, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	// Anyone who knows the public recipient can store a list of keys.
	forged := make([][]byte, want.Seq)
	for i := range forged {
		forged[i] = make([]byte, 16)
		rand.Read(forged[i])
	}
	s := open(t, path, false)
	if err := journal.PutProvisionalForTest(s, public, 1, forged); err != nil {
		t.Fatal(err)
	}
	s.Close()
	c := &countingKey{Sealer: sealer}
	st, err := load(t, path, c)
	if err != nil {
		t.Fatalf("a forged list of keys made the read fail: %v", err)
	}
	if mustJSON(t, st) != mustJSON(t, want) {
		t.Fatal("a forged list of keys changed what the journal reads")
	}
	// Every key was tried, none opened its record: all were opened with
	// the identity.
	if c.withID.Load() != int64(want.Seq)+1 {
		t.Errorf("%d opened with the identity, want every record and the list (%d)", c.withID.Load(), want.Seq+1)
	}
}

// publicSealer seals to the journal's recipients without any key, as
// 'journal add' and 'journal import' do.
func publicSealer(t *testing.T, path string) *crypto.Sealer {
	t.Helper()
	s := open(t, path, true)
	m, err := s.Meta()
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	public, err := crypto.NewSealer(m.Recipients)
	if err != nil {
		t.Fatal(err)
	}
	return public
}

// TestOtherSchemaKeepsFileKeys checks that a cache written when State had
// another shape, whose state cannot be read, still gives the rebuild its
// file keys: the first read after an upgrade does no public-key work per
// record, and gives what the log gives.
func TestOtherSchemaKeepsFileKeys(t *testing.T) {
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 50, 3)
	want, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	records := int64(want.Seq)
	restore := journal.OtherSchemaForTest()
	if _, err := load(t, path, sealer); err != nil { // writes the other version's cache
		t.Fatal(err)
	}
	restore()

	c := &countingKey{Sealer: sealer}
	st, err := load(t, path, c)
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, st) != mustJSON(t, want) {
		t.Fatal("rebuilt after a change of schema, the journal differs from the log")
	}
	if c.withID.Load() != 1 || c.withKey.Load() != records {
		t.Errorf("rebuild: %d opened with the identity, %d with a file key; want 1 (the old cache) and %d",
			c.withID.Load(), c.withKey.Load(), records)
	}
	// The cache is now of this version: read alone.
	c = &countingKey{Sealer: sealer}
	if st, err = load(t, path, c); err != nil {
		t.Fatal(err)
	}
	if c.withID.Load() != 1 || c.withKey.Load() != 0 || mustJSON(t, st) != mustJSON(t, want) {
		t.Errorf("after the rebuild: %d opened with the identity, %d with a file key; want the cache alone", c.withID.Load(), c.withKey.Load())
	}
}

package journal_test

import (
	"strings"
	"testing"
	"time"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

// usedCache reads the journal with c and reports whether its cache was
// used: one file opened with the identity (the cache) and no record.
func usedCache(t *testing.T, path string, sealer *crypto.Sealer, want string) bool {
	t.Helper()
	c := &countingKey{Sealer: sealer}
	st, err := load(t, path, c)
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, st) != want {
		t.Fatal("the journal read differs from the log")
	}
	return c.withID.Load() == 1 && c.withKey.Load() == 0
}

// TestCacheOfFormat3GivesItsKeys: a cache written by the version before
// (an HMAC of its whole plaintext at its end) is read once for its file
// keys, so the rebuild opens no record with the identity; then the cache
// is of this format.
func TestCacheOfFormat3GivesItsKeys(t *testing.T) {
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 30, 3)
	st, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	want := mustJSON(t, st)
	s := open(t, path, false)
	old, err := journal.SealCacheV3ForTest(s, sealer, sealer, st)
	if err == nil {
		err = journal.PutCacheCiphertextForTest(s, old)
	}
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	c := &countingKey{Sealer: sealer}
	got, err := load(t, path, c)
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, got) != want {
		t.Fatal("rebuilt from a cache of format 3, the journal differs from the log")
	}
	if c.withID.Load() != 1 || c.withKey.Load() != int64(st.Seq) {
		t.Errorf("rebuild: %d opened with the identity, %d with a file key; want 1 (the old cache) and %d",
			c.withID.Load(), c.withKey.Load(), st.Seq)
	}
	if !usedCache(t, path, sealer, want) {
		t.Error("the cache written after the rebuild was not used")
	}
}

// TestCacheSplicedOrCutIgnored is the attacker of the cache's tag, which
// marks the file key the cache is sealed with rather than its plaintext:
// whoever can write the journal file, without its identity, cuts the
// cache short, splices in the chunks of an older cache, or seals the
// cache's plaintext again (its tag with it) under a file key of their
// own. Each is ignored, read whole or incident by incident, and rebuilt.
func TestCacheSplicedOrCutIgnored(t *testing.T) {
	defer journal.StreamFromForTest(1)()
	path, sealer := newJournal(t)
	long := strings.Repeat("a long account of what was said, ", 120)
	appendLong := func(n int) {
		s := open(t, path, false)
		defer s.Close()
		at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		for i := range n {
			f := journal.Fields{OccurredAt: at.Add(time.Duration(i) * time.Hour), Summary: "incident", Details: long}
			if err := s.Append(sealer, &journal.Record{Type: journal.TypeIncident, RecordedAt: at, Fields: &f}); err != nil {
				t.Fatal(err)
			}
		}
	}
	appendLong(60)
	if _, err := load(t, path, sealer); err != nil {
		t.Fatal(err)
	}
	s := open(t, path, true)
	older := journal.CacheCiphertextForTest(s)
	s.Close()
	appendLong(60)
	st, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	want := mustJSON(t, st)
	if _, err := load(t, path, sealer); err != nil { // the cache of 120
		t.Fatal(err)
	}
	s = open(t, path, true)
	genuine := journal.CacheCiphertextForTest(s)
	s.Close()
	plain, err := sealer.Open(genuine)
	if err != nil {
		t.Fatal(err)
	}
	resealed, err := sealer.Seal(plain)
	if err != nil {
		t.Fatal(err)
	}
	// age: the header, a 16-byte nonce, then chunks of 64 KiB and a tag.
	const chunk = 64<<10 + 16
	hdrEnd := strings.Index(string(genuine), "\n--- ") + len("\n--- ") + 44
	oldHdrEnd := strings.Index(string(older), "\n--- ") + len("\n--- ") + 44
	if len(genuine)-hdrEnd < 16+2*chunk || len(older)-oldHdrEnd < 16+chunk+1 {
		t.Fatalf("caches of %d and %d bytes: too short for the test", len(genuine), len(older))
	}
	cut := genuine[:hdrEnd+16+chunk]
	spliced := append(append([]byte{}, genuine[:hdrEnd+16+chunk]...), older[oldHdrEnd+16+chunk:]...)

	check := func(name string, ct []byte, used bool) {
		t.Helper()
		s := open(t, path, false)
		if err := journal.PutCacheCiphertextForTest(s, ct); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s = open(t, path, true)
		sel, err := s.Select(sealer, journal.Query{IncludeVoid: true})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if journal.StreamedForTest(sel) != used {
			t.Errorf("%s: read incident by incident: %v, want %v", name, !used, used)
		}
		sel.Close()
		s.Close()
		s = open(t, path, false)
		if err := journal.PutCacheCiphertextForTest(s, ct); err != nil {
			t.Fatal(err)
		}
		s.Close()
		if got := usedCache(t, path, sealer, want); got != used {
			t.Errorf("%s: the cache was used: %v, want %v", name, got, used)
		}
	}
	check("the genuine cache", genuine, true)
	check("cut after its first chunk", cut, false)
	check("spliced with an older cache's chunks", spliced, false)
	check("sealed again under another file key", resealed, false)
}

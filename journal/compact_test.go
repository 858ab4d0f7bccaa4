package journal_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/internal/testwait"
	"github.com/journal-dev/journal/journal"
)

// oldJournal makes a journal of n incidents whose file holds the free pages
// an earlier version's cache left (8 MB written and deleted), and returns
// its path, sealer and size.
func oldJournal(t *testing.T, n int) (string, *crypto.Sealer, int64) {
	t.Helper()
	path, sealer := newJournal(t)
	s := open(t, path, false)
	for i := range n {
		if err := s.Append(sealer, incident(fmt.Sprintf("incident %d %s", i, strings.Repeat("words ", 10*(i%5))), t0)); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if err := journal.PutOldCacheForTest(path, 8<<20, true); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, sealer, info.Size()
}

func headOf(t *testing.T, path string) (uint64, string) {
	t.Helper()
	s := open(t, path, true)
	defer s.Close()
	seq, fp, err := s.Head()
	if err != nil {
		t.Fatal(err)
	}
	return seq, fp
}

func sizeOf(t *testing.T, path string) int64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

// TestCompactGivesTheSameJournalSmaller compacts a journal whose file an
// earlier version's cache left full of free pages: the same records and
// fingerprint, every record still opens, the file is smaller, still 0600,
// and the journal takes new records after.
func TestCompactGivesTheSameJournalSmaller(t *testing.T) {
	path, sealer, before := oldJournal(t, 40)
	seq, fp := headOf(t, path)
	s := open(t, path, false)
	rep, err := s.Compact()
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records != seq || rep.Fingerprint != fp || rep.Before != before {
		t.Errorf("report %+v, want %d records, %s, %d bytes before", rep, seq, fp, before)
	}
	after := sizeOf(t, path)
	if rep.After != after || after > before/4 {
		t.Errorf("compacted from %d to %d bytes (report %d): the free pages were not left out", before, after, rep.After)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("the compacted journal is %#o", info.Mode().Perm())
	}
	if s, f := headOf(t, path); s != seq || f != fp {
		t.Errorf("after compacting: %d records %s, want %d %s", s, f, seq, fp)
	}
	s = open(t, path, true)
	vr, err := s.Verify(sealer)
	s.Close()
	if err != nil || vr.Incidents != 40 || vr.Records != seq {
		t.Fatalf("verifying the compacted journal: %v", err)
	}
	s = open(t, path, false)
	if err := s.Append(sealer, incident("after compacting", t0)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, _ := headOf(t, path); s != seq+1 {
		t.Errorf("a record added after compacting is not there: %d records", s)
	}
	if names := hidden(t, filepath.Dir(path)); len(names) > 0 {
		t.Errorf("compacting left %v", names)
	}
}

// hidden lists the hidden files in dir.
func hidden(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	return names
}

// TestCompactStoppedLeavesTheJournal stops Compact at each of its steps, as
// an interruption would: the journal file is left as it was, byte for byte.
// A hidden copy a killed compaction left is removed by the next one.
func TestCompactStoppedLeavesTheJournal(t *testing.T) {
	path, _, _ := oldJournal(t, 10)
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer journal.SetCompactStageForTest(nil)
	stop := errors.New("stopped")
	for _, at := range []string{"copy", "check", "rename"} {
		journal.SetCompactStageForTest(func(stage string) error {
			if stage == at {
				return stop
			}
			return nil
		})
		s := open(t, path, false)
		_, err := s.Compact()
		s.Close()
		if !errors.Is(err, stop) {
			t.Fatalf("stopped at %s: %v", at, err)
		}
		if got, _ := os.ReadFile(path); !bytes.Equal(got, want) {
			t.Fatalf("stopped at %s: the journal file changed", at)
		}
	}
	journal.SetCompactStageForTest(nil)
	left := filepath.Join(filepath.Dir(path), ".journal.db.compact-123")
	if err := os.WriteFile(left, want[:4096], 0o600); err != nil {
		t.Fatal(err)
	}
	s := open(t, path, false)
	if _, err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if names := hidden(t, filepath.Dir(path)); len(names) > 0 {
		t.Errorf("after a compaction: %v", names)
	}
}

// TestAWriterThatWaitedWritesToTheCompactedJournal has a second writer open
// the journal file while Compact holds it, and wait for its lock: once the
// compacted file is in place, its record must be in it, not in the old
// file no name leads to.
func TestAWriterThatWaitedWritesToTheCompactedJournal(t *testing.T) {
	defer func(d time.Duration) { journal.LockTimeout = d }(journal.LockTimeout)
	journal.LockTimeout = time.Minute
	path, sealer, _ := oldJournal(t, 10)
	seq, _ := headOf(t, path)
	a := open(t, path, false)
	opened := make(chan struct{})
	var once sync.Once
	journal.SetOpenedHookForTest(func() { once.Do(func() { close(opened) }) })
	defer journal.SetOpenedHookForTest(nil)
	done := make(chan error, 1)
	go func() {
		b, err := openDevice(path)
		if err != nil {
			done <- err
			return
		}
		err = b.Append(sealer, incident("written by the one that waited", t0))
		if cerr := b.Close(); err == nil {
			err = cerr
		}
		done <- err
	}()
	testwait.Recv(t, opened, "the second writer to open the journal file")
	if _, err := a.Compact(); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if err := testwait.Recv(t, done, "the second writer to add its record after the compaction"); err != nil {
		t.Fatal(err)
	}
	if got, _ := headOf(t, path); got != seq+1 {
		t.Fatalf("the journal holds %d records after the waiting writer added one to %d: its record was lost", got, seq)
	}
}

// TestBackupIsCompactedWithoutTheOldCache backs up a journal whose file
// holds an earlier version's cache and the free pages of its rewrites: the
// copy has the same records and fingerprint, no cache, and no free pages.
func TestBackupIsCompactedWithoutTheOldCache(t *testing.T) {
	path, _, before := oldJournal(t, 20)
	if err := journal.PutOldCacheForTest(path, 1<<20, false); err != nil {
		t.Fatal(err)
	}
	seq, fp := headOf(t, path)
	target := filepath.Join(t.TempDir(), "backup.db")
	s := open(t, path, true)
	rep, err := s.Backup(target)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records != seq || rep.Fingerprint != fp {
		t.Errorf("backup report %d %s, want %d %s", rep.Records, rep.Fingerprint, seq, fp)
	}
	if s, f := headOf(t, target); s != seq || f != fp {
		t.Errorf("the backup holds %d records %s, want %d %s", s, f, seq, fp)
	}
	if journal.HasOldCacheForTest(target) {
		t.Error("the backup holds the cache the journal file held")
	}
	if !journal.HasOldCacheForTest(path) {
		t.Error("the backup took the journal's own cache out of it")
	}
	if after := sizeOf(t, target); after > before/4 || rep.Size != after {
		t.Errorf("backup of %d bytes is %d (report %d): not compacted", before, after, rep.Size)
	}
}

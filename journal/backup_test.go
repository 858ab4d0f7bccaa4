package journal_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/journal-dev/journal/journal"
)

// TestBackupOfDamagedFiles backs up damaged copies of a journal. When the
// copy fails its check, Backup says so and leaves no file behind, never a
// panic (it once crashed exactly then, when the message told the user to
// restore from a backup).
func TestBackupOfDamagedFiles(t *testing.T) {
	path, sealer := newJournal(t)
	s := open(t, path, false)
	for i := range 60 {
		r := incident(fmt.Sprintf("incident %d %s", i, strings.Repeat("words ", 20*(i%7))), t0)
		if err := s.Append(sealer, r); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(12, 34))
	dir := t.TempDir()
	damaged := filepath.Join(dir, "damaged.db")
	refused, failed, kept := 0, 0, 0
	for i := range 150 {
		b := slices.Clone(good)
		off := 2*4096 + rng.IntN(len(b)-2*4096)
		if i%2 == 0 {
			// A whole run of garbage, as a bad sector gives.
			for j := off; j < min(off+64, len(b)); j++ {
				b[j] = byte(rng.Uint32())
			}
		} else {
			b[off] ^= 1 << rng.IntN(8)
		}
		if err := os.WriteFile(damaged, b, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := journal.Open(damaged, journal.Options{ReadOnly: true})
		if err != nil {
			refused++
			continue
		}
		target := filepath.Join(dir, "backup.db")
		_, err = s.Backup(target)
		s.Close()
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if err != nil {
			failed++
			if len(names) != 1 {
				t.Fatalf("a failed backup left files behind: %v (%v)", names, err)
			}
			if !strings.Contains(err.Error(), "the backup does not check out") && !strings.Contains(err.Error(), "damaged") {
				t.Errorf("a failed backup says %q, not why", err)
			}
			continue
		}
		kept++
		os.Remove(target)
	}
	t.Logf("150 damaged copies: %d refused on opening, %d backups refused by their check, %d backed up", refused, failed, kept)
	if failed == 0 {
		t.Error("no backup failed its check: the test did not reach the case it is for")
	}
}

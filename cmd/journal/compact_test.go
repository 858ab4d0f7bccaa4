package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCompactInterrupted stops 'journal compact' at random moments with
// Ctrl+C (SIGINT), SIGTERM or SIGKILL, while a 'journal add' started just
// after it waits for the journal. Afterwards the journal checks out whole
// and holds every record it held and the one added: none lost, whether the
// compaction was stopped before it put the new file in place or after; and
// a compaction stopped by Ctrl+C or SIGTERM leaves no copy behind.
func TestCompactInterrupted(t *testing.T) {
	runs := 6
	if slowTests() {
		runs = 30
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 5))
	t.Logf("seed %d", seed)
	dir := t.TempDir()
	env := journalEnv(dir)
	path := filepath.Join(dir, "journal.db")
	mustJournal(t, env, "init")
	details := strings.Repeat("He waited by the car again. ", 500)
	for i := range 10 {
		mustJournal(t, env, "add", "--summary", fmt.Sprintf("incident %d", i+1), "--details", details)
	}
	letter := filepath.Join(dir, "letter.txt")
	if err := os.WriteFile(letter, bytes.Repeat([]byte("a line of the letter\n"), 200000), 0o600); err != nil {
		t.Fatal(err)
	}
	mustJournal(t, env, "attach", "1", letter)
	want := len(verifyInProcess(t, path).Incidents)
	signals := []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGKILL}
	replaced := 0
	for i := range runs {
		before, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		// A copy an earlier run's SIGKILL left stays until a compaction
		// gets as far as removing it, which this one may not.
		leftBefore := compactCopies(dir)
		compact := exec.Command("journal", "compact")
		compact.Env = env
		if err := compact.Start(); err != nil {
			t.Fatal(err)
		}
		add := exec.Command("journal", "add", "--summary", fmt.Sprintf("added during run %d", i))
		// It waits for the compaction however long a loaded machine
		// takes over it.
		add.Env = append(env, "JOURNAL_TEST_LOCK_TIMEOUT=1m")
		var addErr bytes.Buffer
		add.Stderr = &addErr
		if err := add.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.IntN(120)) * time.Millisecond)
		sig := signals[rng.IntN(len(signals))]
		compact.Process.Signal(sig)
		compact.Wait()
		if err := add.Wait(); err != nil {
			t.Fatalf("run %d: the add beside a compaction stopped by %v failed: %v\n%s", i, sig, err, addErr.String())
		}
		want++
		st := verifyInProcess(t, path)
		if len(st.Incidents) != want {
			t.Fatalf("run %d (%v): the journal holds %d incidents, want %d: a record was lost", i, sig, len(st.Incidents), want)
		}
		if after, err := os.Stat(path); err == nil && !os.SameFile(before, after) {
			replaced++
		}
		if sig != syscall.SIGKILL {
			// Ctrl+C or SIGTERM: the copy being made is removed.
			for _, name := range compactCopies(dir) {
				if !slices.Contains(leftBefore, name) {
					t.Fatalf("run %d (%v): the copy %s was left beside the journal", i, sig, name)
				}
			}
		}
	}
	mustJournal(t, env, "compact")
	if left := compactCopies(dir); len(left) > 0 {
		t.Errorf("a compaction left %v after the next one", left)
	}
	t.Logf("%d stopped compactions, %d after the new file was in place", runs, replaced)
}

// compactCopies lists the copies a compaction left in dir.
func compactCopies(dir string) []string {
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".compact-") {
			names = append(names, e.Name())
		}
	}
	return names
}

package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/journal-dev/journal/internal/testwait"
)

// TestImportResumes kills 'journal import' at a random moment and runs it
// again: the journal then holds every row of the diary exactly once, the
// rows recorded before the kill skipped by the second run. Every other
// round the journal already holds an earlier import, read since (so the
// second run finds the rows in the journal's cache and the records after
// it).
func TestImportResumes(t *testing.T) {
	rounds, rows := 2, 5000
	if slowTests() {
		rounds = 6
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 3))
	t.Logf("seed %d", seed)
	for round := range rounds {
		dir := t.TempDir()
		env := journalEnv(dir)
		mustJournal(t, env, "init", "--classic")
		if round%2 == 1 {
			earlier := filepath.Join(dir, "earlier.csv")
			if err := os.WriteFile(earlier, []byte("date,description\n2019-05-01,An earlier entry\n2019-05-02,Another earlier entry\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			mustJournal(t, env, "import", earlier)
			mustJournal(t, env, "timeline")
		}
		var b strings.Builder
		b.WriteString("date,time,description\n")
		start := time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC)
		for i := range rows {
			at := start.Add(time.Duration(i) * time.Hour)
			// Every hundredth row is the one before again: both stay.
			n := i
			if i%100 == 99 {
				n, at = i-1, start.Add(time.Duration(i-1)*time.Hour)
			}
			fmt.Fprintf(&b, "%s,%s,Row %d of the diary\n", at.Format("2006-01-02"), at.Format("15:04"), n)
		}
		diary := filepath.Join(dir, "diary.csv")
		if err := os.WriteFile(diary, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "journal.db")
		before, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("journal", "import", diary)
		cmd.Env = env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill it once it has begun to record: after its first batch,
		// at a random moment.
		testwait.Until(t, "the import to record its first batch", func() bool {
			info, err := os.Stat(path)
			return err == nil && !info.ModTime().Equal(before.ModTime())
		})
		time.Sleep(time.Duration(rng.IntN(400)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		r := mustJournal(t, env, "import", diary)
		added := strings.Count(r.stdout, "\n")
		mustJournal(t, env, "verify")
		out := mustJournal(t, env, "timeline", "--format", "csv").stdout
		got := map[string]int{}
		for _, line := range strings.Split(out, "\n") {
			if i := strings.Index(line, "Row "); i >= 0 {
				got[strings.Fields(line[i:])[1]]++
			}
		}
		total := 0
		for _, c := range got {
			total += c
		}
		if total != rows {
			t.Fatalf("round %d: the journal has %d rows of the diary's %d after a kill and a second import", round, total, rows)
		}
		for i := range rows {
			want := 1
			if i%100 == 98 {
				want = 2
			} else if i%100 == 99 {
				want = 0
			}
			if k := fmt.Sprint(i); got[k] != want {
				t.Fatalf("round %d: row %d is in the journal %d times, want %d", round, i, got[k], want)
			}
		}
		t.Logf("round %d: %d rows recorded before the kill, %d by the second import", round, rows-added, added)
	}
}

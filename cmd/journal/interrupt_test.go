package main

import (
	"bytes"
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

// TestInterruptedWrites interrupts 'journal export' and 'journal evidence
// -o' at random moments, with Ctrl+C (SIGINT), SIGTERM or SIGKILL, some of
// them while another process holds the journal so that the export waits to
// record its disclosure with the whole report written. Afterwards the
// output folder holds the finished file or nothing: no temporary file, and
// no byte of plaintext anywhere but in a finished file.
func TestInterruptedWrites(t *testing.T) {
	runs := 12
	if slowTests() {
		runs = 60
	}
	const secret = "ZEBRA-CROSSING-PLAINTEXT-7731"
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 12))
	t.Logf("seed %d", seed)
	dir := t.TempDir()
	env := journalEnv(dir)
	path := filepath.Join(dir, "journal.db")
	mustJournal(t, env, "init")
	details := strings.Repeat("He said the words "+secret+" again. ", 2000)
	for i := range 5 {
		mustJournal(t, env, "add", "--summary", fmt.Sprintf("incident %d", i+1), "--details", details)
	}
	evidence := filepath.Join(dir, "letter.txt")
	if err := os.WriteFile(evidence, bytes.Repeat([]byte(secret+" letter line\n"), 200000), 0o600); err != nil {
		t.Fatal(err)
	}
	mustJournal(t, env, "attach", "1", evidence)
	if err := os.Remove(evidence); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o700); err != nil {
		t.Fatal(err)
	}
	signals := []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGKILL}
	finished := 0
	for i := range runs {
		target := filepath.Join(out, fmt.Sprintf("file-%d", i))
		args := []string{"export", "--markdown", "-o", target}
		switch i % 3 {
		case 1:
			args = []string{"evidence", "1", "letter.txt", "-o", target}
		case 2:
			args = []string{"export", "--pdf", "-o", target}
		}
		var holder *exec.Cmd
		if i%2 == 0 {
			// Another process holds the journal: the export waits for it
			// to record the disclosure, with the report written.
			ready := filepath.Join(dir, "ready")
			os.Remove(ready)
			holder = exec.Command("holdlock", path, ready)
			if err := holder.Start(); err != nil {
				t.Fatal(err)
			}
			testwait.Until(t, "another process to hold the journal", func() bool {
				_, err := os.Stat(ready)
				return err == nil
			})
		}
		cmd := exec.Command("journal", args...)
		cmd.Env = env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.IntN(600)) * time.Millisecond)
		sig := signals[rng.IntN(len(signals))]
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		if holder != nil {
			holder.Process.Kill()
			holder.Wait()
		}
		entries, _ := os.ReadDir(out)
		for _, e := range entries {
			if e.Name() != filepath.Base(target) && !strings.HasPrefix(e.Name(), "file-") {
				t.Fatalf("run %d (%v after %s): %s is left in the folder", i, sig, args[0], e.Name())
			}
		}
		if _, serr := os.Stat(target); serr == nil {
			if err != nil && sig != syscall.SIGKILL {
				// Finished just as the signal came: it must be whole.
				t.Logf("run %d: %s finished as %v arrived", i, args[0], sig)
			}
			finished++
		}
	}
	// No plaintext anywhere but in the finished files.
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || strings.HasPrefix(p, out+string(filepath.Separator)+"file-") {
			return nil
		}
		data, _ := os.ReadFile(p)
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("plaintext found in %s", p)
		}
		return nil
	})
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "file-") {
			t.Errorf("left in the output folder: %s", e.Name())
		}
	}
	t.Logf("%d interrupted runs: %d finished before the signal, %d left nothing", runs, finished, runs-finished)
}

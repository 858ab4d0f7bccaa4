package main

// Fault tests: real journal processes killed at random moments, racing
// each other, filling a disk, and reading damaged files. The long loops
// run when JOURNAL_SLOW_TESTS=1, as CI sets it.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/internal/testwait"
	"github.com/journal-dev/journal/journal"
)

const faultPassphrase = "blue heron at dawn"

// slowTests reports whether the long fault loops should run.
func slowTests() bool { return os.Getenv("JOURNAL_SLOW_TESTS") == "1" }

// journalEnv is the environment of journal processes working on dir's
// journal.db.
func journalEnv(dir string) []string {
	return append(os.Environ(),
		"HOME="+dir,
		// The device key and pin live outside the journal's folder, as
		// they do in a user's configuration folder.
		"XDG_CONFIG_HOME="+dir+".config",
		"TZ=UTC",
		"JOURNAL_FILE="+filepath.Join(dir, "journal.db"),
		"JOURNAL_PASSPHRASE="+faultPassphrase,
		"JOURNAL_IDENTITY=",
	)
}

// result is how a journal process ended.
type result struct {
	stdout, stderr string
	code           int
}

// runJournal runs the journal program (this test binary, through
// testscript's PATH) and waits at most a minute for it.
func runJournal(t *testing.T, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "journal", args...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("journal %s did not finish within a minute", strings.Join(args, " "))
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("running journal: %v", err)
	}
	return result{out.String(), errb.String(), cmd.ProcessState.ExitCode()}
}

// mustJournal runs the journal program and fails the test unless it
// succeeds.
func mustJournal(t *testing.T, env []string, args ...string) result {
	t.Helper()
	r := runJournal(t, env, args...)
	if r.code != 0 {
		t.Fatalf("journal %s: exit status %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

// verifyInProcess opens the journal at path, checks it whole and returns
// its state.
func verifyInProcess(t *testing.T, path string) *journal.State {
	t.Helper()
	s, err := journal.Open(path, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	defer s.Close()
	m, err := s.Meta()
	if err != nil {
		t.Fatal(err)
	}
	id, err := crypto.Unwrap(m.WrappedIdentity, faultPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := crypto.NewSealer(m.Recipients, id)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Verify(sealer)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return rep.State
}

// summaries returns the summary of every incident.
func summaries(st *journal.State) map[string]int {
	m := map[string]int{}
	for _, in := range st.Incidents {
		m[in.Summary]++
	}
	return m
}

// addLoop is a journal process that adds incidents one after another, as
// fast as it can, and prints each one's summary on standard output once
// the add has reported success:
//
//	addloop PREFIX COUNT [EVIDENCE]
//
// COUNT 0 means forever. Every fourth incident has a long account, so that
// records of more than one page are written too; every tenth, starting with
// the second, has the EVIDENCE file attached, which is stored in a
// transaction of its own before the record. It stops at the first failed
// add, with that add's exit status.
func addLoop() {
	prefix := os.Args[1]
	count, _ := strconv.Atoi(os.Args[2])
	evidence := ""
	if len(os.Args) > 3 {
		evidence = os.Args[3]
	}
	long := strings.Repeat("He stood by the car and would not move. ", 200)
	// Several loops add at once, each waiting for the others' lock: on a
	// loaded machine one can wait longer than a person is asked to, and
	// the tests check that no add is lost, not how long one waits.
	journal.LockTimeout = testwait.Limit
	for i := 1; count == 0 || i <= count; i++ {
		summary := fmt.Sprintf("%s-%d", prefix, i)
		args := []string{"add", "--summary", summary, "--who", "John Smith (patient)", "--kind", "in-person"}
		if i%4 == 0 {
			args = append(args, "--details", long)
		}
		if evidence != "" && i%10 == 2 {
			args = append(args, "--attach", evidence)
		}
		var errb bytes.Buffer
		code := run(args, &streams{in: strings.NewReader(""), out: io.Discard, err: &errb,
			openTTY: func() (*os.File, error) { return nil, errors.New("no terminal") }})
		if code != 0 {
			os.Stderr.Write(errb.Bytes())
			os.Exit(code)
		}
		// One write call: once it returns, the line is in the pipe even
		// if the process is killed right after.
		os.Stdout.WriteString(summary + "\n")
	}
}

// TestCrash kills a process that adds incidents in a loop at random
// moments, many times. Afterwards the journal verifies and every add that
// reported success is there.
func TestCrash(t *testing.T) {
	iterations := 10
	if slowTests() {
		iterations = 300
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 6))
	t.Logf("seed %d", seed)
	dir := t.TempDir()
	env := journalEnv(dir)
	path := filepath.Join(dir, "journal.db")
	mustJournal(t, env, "init")
	evidence := filepath.Join(dir, "voicemail.bin")
	data := make([]byte, 300<<10)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	if err := os.WriteFile(evidence, data, 0o600); err != nil {
		t.Fatal(err)
	}

	reported := map[string]bool{}
	var killedMidway int
	for it := range iterations {
		cmd := exec.Command("addloop", fmt.Sprintf("crash%d", it), "0", evidence)
		cmd.Env = env
		var errb bytes.Buffer
		cmd.Stderr = &errb
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Once the process is adding, kill it at a random moment.
		select {
		case line, ok := <-lines:
			if ok {
				reported[line] = true
			}
		case <-time.After(time.Minute):
			t.Fatalf("iteration %d: no add finished within a minute", it)
		}
		time.Sleep(time.Duration(rng.IntN(250)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		for line := range lines {
			reported[line] = true
		}
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("iteration %d: the adding process stopped by itself (%v):\n%s", it, err, errb.String())
		}
		killedMidway++
		// Check the whole journal every tenth kill; the last check below
		// catches the rest.
		if it%10 != 0 {
			continue
		}
		got := summaries(verifyInProcess(t, path))
		for s := range reported {
			if got[s] != 1 {
				t.Fatalf("iteration %d: %q was reported added but the journal has it %d times", it, s, got[s])
			}
		}
	}
	r := mustJournal(t, env, "verify")
	st := verifyInProcess(t, path)
	attached := 0
	for _, in := range st.Incidents {
		attached += len(in.Attachments)
	}
	lost, got := 0, summaries(st)
	for s := range reported {
		if got[s] != 1 {
			lost++
			t.Errorf("%q was reported added but the journal has it %d times", s, got[s])
		}
	}
	// Evidence stored by a process killed before its record was appended
	// is named by nothing; repair removes it and the journal is unchanged.
	orphans := strings.Count(r.stderr, "\n  evidence ")
	mustJournal(t, env, "repair", "--yes")
	if again := mustJournal(t, env, "verify"); again.stdout != r.stdout || strings.Contains(again.stderr, "no record names") {
		t.Fatalf("removing left-over evidence changed the journal: %s, was %s\n%s", again.stdout, r.stdout, again.stderr)
	}
	t.Logf("crash: %d processes killed with SIGKILL at random moments; %d adds reported success, %d incidents (%d with evidence) in the journal, %d lost; %d left-over evidence blobs listed by verify and removed by repair; %s",
		killedMidway, len(reported), len(st.Incidents), attached, lost, orphans, strings.TrimSpace(r.stdout))
}

// TestConcurrentAdds runs processes that add incidents at the same time:
// each waits for the others' lock, every add succeeds, and none is lost.
func TestConcurrentAdds(t *testing.T) {
	procs, each := 2, 15
	if slowTests() {
		procs, each = 4, 50
	}
	dir := t.TempDir()
	env := journalEnv(dir)
	mustJournal(t, env, "init")
	cmds := make([]*exec.Cmd, procs)
	outs := make([]*bytes.Buffer, procs)
	errs := make([]*bytes.Buffer, procs)
	for p := range procs {
		cmds[p] = exec.Command("addloop", fmt.Sprintf("proc%d", p), strconv.Itoa(each))
		cmds[p].Env = env
		outs[p], errs[p] = &bytes.Buffer{}, &bytes.Buffer{}
		cmds[p].Stdout, cmds[p].Stderr = outs[p], errs[p]
	}
	start := time.Now()
	for _, c := range cmds {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	succeeded := 0
	for p, c := range cmds {
		err := c.Wait()
		n := strings.Count(outs[p].String(), "\n")
		succeeded += n
		if err != nil {
			t.Errorf("process %d stopped after %d of %d adds: %v: %s", p, n, each, err, errs[p].String())
		}
	}
	elapsed := time.Since(start)
	st := verifyInProcess(t, filepath.Join(dir, "journal.db"))
	got := summaries(st)
	for p := range procs {
		for i := 1; i <= each; i++ {
			if s := fmt.Sprintf("proc%d-%d", p, i); got[s] != 1 {
				t.Errorf("%s is in the journal %d times, want once", s, got[s])
			}
		}
	}
	mustJournal(t, env, "verify")
	t.Logf("concurrent: %d processes, %d adds attempted, %d succeeded, %d incidents in the journal, in %v",
		procs, procs*each, succeeded, len(st.Incidents), elapsed.Round(time.Millisecond))
}

// TestFullDisk fills a small tmpfs: the add that does not fit fails with a
// clear message, nothing half-written is left, the journal still verifies,
// and adding works again once there is room.
func TestFullDisk(t *testing.T) {
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", dir).CombinedOutput()
	if err != nil {
		msg := fmt.Sprintf("cannot mount a small tmpfs to fill (needs root and mount): %v: %s", err, bytes.TrimSpace(out))
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	env := journalEnv(dir)
	mustJournal(t, env, "init")
	// Room that can be given back later.
	filler := filepath.Join(dir, "filler")
	if err := os.WriteFile(filler, bytes.Repeat([]byte{'x'}, 128<<10), 0o600); err != nil {
		t.Fatal(err)
	}

	long := strings.Repeat("He stood by the car and would not move. ", 500)
	var added []string
	var failed result
	for i := 1; ; i++ {
		if i > 500 {
			t.Fatal("the disk never filled")
		}
		summary := fmt.Sprintf("full-%d", i)
		r := runJournal(t, env, "add", "--summary", summary, "--details", long)
		if r.code != 0 {
			failed = r
			break
		}
		added = append(added, summary)
	}
	t.Logf("full disk: %d adds fitted, then: %s", len(added), strings.TrimSpace(failed.stderr))
	if failed.code != exitFailure {
		t.Errorf("the add that did not fit exited %d, want %d", failed.code, exitFailure)
	}
	if !strings.HasPrefix(failed.stderr, "journal: ") || strings.Count(failed.stderr, "\n") != 1 ||
		!strings.Contains(failed.stderr, "no space left on device") || !strings.Contains(failed.stderr, "nothing was recorded") {
		t.Errorf("the add that did not fit said %q, want one line saying the disk is full and nothing was recorded", failed.stderr)
	}
	if failed.stdout != "" {
		t.Errorf("the add that did not fit printed %q on standard output", failed.stdout)
	}

	// The journal verifies and holds exactly what was reported added.
	checkHolds := func(want []string) {
		t.Helper()
		mustJournal(t, env, "verify")
		st := verifyInProcess(t, filepath.Join(dir, "journal.db"))
		var got []string
		for _, in := range st.Incidents {
			got = append(got, in.Summary)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("the journal holds %v, want %v", got, want)
		}
	}
	checkHolds(added)

	// A backup to the full disk fails plainly and leaves no partial file;
	// so does a new journal.
	r := runJournal(t, env, "backup", filepath.Join(dir, "backup.db"))
	if r.code == 0 || !strings.Contains(r.stderr, "no space left on device") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("backup to a full disk: exit %d, %q", r.code, r.stderr)
	}
	r = runJournal(t, env, "init", "--file", filepath.Join(dir, "second.db"))
	if r.code == 0 || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("init on a full disk: exit %d, %q", r.code, r.stderr)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"filler", "journal.db"}) {
		t.Errorf("after the failures the folder holds %v, want only filler and journal.db", names)
	}

	// Room again: adding works, and nothing was lost.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	mustJournal(t, env, "add", "--summary", "after freeing space")
	checkHolds(append(added, "after freeing space"))
}

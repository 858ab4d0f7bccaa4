package main

// Fault tests of the sync folder: processes killed while they add or
// sync, a sync folder that is missing, read-only or full. Nothing is lost,
// nothing half-written reaches the other computer, and the local journal
// keeps working.

import (
	"bufio"
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

// deviceEnv is the environment of a computer whose home is dir: its own
// home, configuration (device key, pin) and data folders.
func deviceEnv(dir string) []string {
	return append(journalEnv(dir),
		"XDG_CONFIG_HOME="+filepath.Join(dir, ".config"),
		"XDG_DATA_HOME="+filepath.Join(dir, ".local", "share"),
		"XDG_RUNTIME_DIR="+filepath.Join(dir, ".run"),
	)
}

// twoDevices makes a laptop with a journal and a sync folder, and a work
// PC that joined it through the same folder (as if a sync program copied
// it at once). It returns their environments and the folder.
func twoDevices(t *testing.T) (laptop, pc []string, folder string) {
	t.Helper()
	root := t.TempDir()
	laptop, pc = deviceEnv(filepath.Join(root, "laptop")), deviceEnv(filepath.Join(root, "pc"))
	folder = filepath.Join(root, "sync")
	mustJournal(t, laptop, "init", "--name", "laptop")
	mustJournal(t, laptop, "add", "--summary", "first")
	mustJournal(t, laptop, "sync", "init", folder)
	mustJournal(t, pc, "join", folder, "--name", "work PC")
	return laptop, pc, folder
}

// shownSummaries returns the summaries of every incident a computer shows.
func shownSummaries(t *testing.T, env []string) map[string]bool {
	t.Helper()
	out := mustJournal(t, env, "timeline", "--format", "csv").stdout
	got := map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		for _, f := range strings.Split(line, ",") {
			got[f] = true
		}
	}
	return got
}

// TestSyncCrash kills processes that add on the laptop and processes that
// sync on the PC, at random moments. Afterwards every add that reported
// success reaches the PC, both verify with the same fingerprint, and no
// file of the folder was ever refused as damaged.
func TestSyncCrash(t *testing.T) {
	iterations := 6
	if slowTests() {
		iterations = 60
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 16))
	t.Logf("seed %d", seed)
	laptop, pc, _ := twoDevices(t)
	reported := map[string]bool{}
	for it := range iterations {
		add := exec.Command("addloop", fmt.Sprintf("kill%d", it), "0")
		add.Env = laptop
		stdout, err := add.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var errb bytes.Buffer
		add.Stderr = &errb
		if err := add.Start(); err != nil {
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
		if line := testwait.Recv(t, lines, "the laptop's first add"); line != "" {
			reported[line] = true
		}
		// Sync on the PC while the laptop adds, and kill both.
		syncer := exec.Command("journal", "sync")
		syncer.Env = pc
		var syncErr bytes.Buffer
		syncer.Stderr = &syncErr
		syncer.Start()
		time.Sleep(time.Duration(rng.IntN(120)) * time.Millisecond)
		add.Process.Signal(syscall.SIGKILL)
		syncer.Process.Signal(syscall.SIGKILL)
		for line := range lines {
			reported[line] = true
		}
		add.Wait()
		syncer.Wait()
		if strings.Contains(syncErr.String(), "damaged") {
			t.Fatalf("iteration %d: the PC met a half-written file: %s", it, syncErr.String())
		}
	}
	// The next commands write what the killed ones had not.
	mustJournal(t, laptop, "sync")
	r := mustJournal(t, pc, "sync")
	if strings.Contains(r.stderr, "refused") || strings.Contains(r.stderr, "warning") {
		t.Fatalf("the PC's sync: %s", r.stderr)
	}
	got := shownSummaries(t, pc)
	for s := range reported {
		if !got[s] {
			t.Errorf("%s was reported added on the laptop but never reached the PC", s)
		}
	}
	fp1 := mustJournal(t, laptop, "verify").stdout
	fp2 := mustJournal(t, pc, "verify").stdout
	if fp1 != fp2 {
		t.Fatalf("the two computers verify differently:\nlaptop: %s\npc: %s", fp1, fp2)
	}
	t.Logf("%d adds reported, all on both computers", len(reported))
}

// TestSyncFolderMissing: with the folder gone (a USB stick pulled out),
// add and timeline work and say so on one plain line, without Go's file
// error text (sync and verify fail on one, verify after saying that the
// journal itself holds), and the record is written by the next command that reaches
// the folder once it is back (here an add, not a sync).
func TestSyncFolderMissing(t *testing.T) {
	laptop, pc, folder := twoDevices(t)
	away := folder + ".away"
	if err := os.Rename(folder, away); err != nil {
		t.Fatal(err)
	}
	plain := func(what, stderr string) {
		t.Helper()
		if strings.Count(stderr, "journal: warning") > 1 || strings.Contains(stderr, "stat ") || strings.Contains(stderr, "no such file") {
			t.Errorf("%s without the folder: not one plain line: %q", what, stderr)
		}
	}
	r := mustJournal(t, laptop, "add", "--summary", "while the stick was out")
	want := "journal: warning: the sync folder " + folder + " is not there (a drive not connected?): " +
		"what this command recorded is kept in this computer's journal, and the next command that reaches the folder writes it there\n"
	if !strings.Contains(r.stderr, want) {
		t.Errorf("add without the folder: %q, want the line %q", r.stderr, want)
	}
	plain("add", r.stderr)
	r = mustJournal(t, laptop, "timeline")
	if !strings.Contains(r.stdout, "while the stick was out") ||
		!strings.Contains(r.stderr, "the sync folder "+folder+" is not there (a drive not connected?): showing what this computer has") {
		t.Errorf("timeline without the folder: %q %q", r.stdout, r.stderr)
	}
	plain("timeline", r.stderr)
	r = runJournal(t, laptop, "sync")
	if r.code != 1 || !strings.Contains(r.stderr, "journal: the sync folder "+folder+" is not there (a drive not connected?): connect it") {
		t.Errorf("sync without the folder: %d %q", r.code, r.stderr)
	}
	plain("sync", r.stderr)
	r = runJournal(t, laptop, "verify")
	if r.code != 1 || !strings.Contains(r.stderr, "the sync folder "+folder+" is not there (a drive not connected?)") ||
		!strings.Contains(r.stderr, "the journal on this computer holds, but the folder's files were not checked: connect it and run 'journal verify' again") {
		t.Errorf("verify without the folder: %d %q", r.code, r.stderr)
	}
	// The journal's own result comes first, then what the folder lacks.
	result := strings.Index(r.stderr, "every record authenticates and the chain is unbroken")
	if result < 0 || result > strings.Index(r.stderr, "journal: the sync folder "+folder+" is not there") {
		t.Errorf("verify without the folder does not say the journal's result before the folder's problem: %q", r.stderr)
	}
	plain("verify", r.stderr)
	if err := os.Rename(away, folder); err != nil {
		t.Fatal(err)
	}
	mustJournal(t, laptop, "add", "--summary", "once the stick was back")
	got := shownSummaries(t, pc)
	if !got["while the stick was out"] || !got["once the stick was back"] {
		t.Errorf("the next add did not write the record to the folder: the other computer shows %v", got)
	}
}

// TestSyncFolderReadOnlyOrFull: a folder that cannot be written (mounted
// read-only, or on a full disk) does not stop add; the record is written
// once the folder can take it.
func TestSyncFolderReadOnlyOrFull(t *testing.T) {
	if os.Geteuid() != 0 {
		msg := "needs root to mount a read-only folder and a small tmpfs"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Run("read-only", func(t *testing.T) {
		laptop, pc, folder := twoDevices(t)
		mount(t, "--bind", folder, folder)
		mount(t, "-o", "remount,bind,ro", folder)
		r := mustJournal(t, laptop, "add", "--summary", "while read-only")
		if !strings.Contains(r.stderr, "read-only file system") {
			t.Errorf("add on a read-only folder: %q", r.stderr)
		}
		umount(t, folder)
		mustJournal(t, laptop, "sync")
		if !shownSummaries(t, pc)["while read-only"] {
			t.Error("the record never reached the other computer")
		}
	})
	t.Run("full", func(t *testing.T) {
		root := t.TempDir()
		mount(t, "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", root)
		laptop, pc := deviceEnv(filepath.Join(root, "laptop")), deviceEnv(filepath.Join(t.TempDir(), "pc"))
		// The journals live elsewhere; only the folder is on the small disk.
		laptop = append(laptop, "JOURNAL_FILE="+filepath.Join(t.TempDir(), "laptop.db"))
		folder := filepath.Join(root, "sync")
		mustJournal(t, laptop, "init", "--name", "laptop")
		mustJournal(t, laptop, "sync", "init", folder)
		mustJournal(t, pc, "join", folder, "--name", "work PC")
		filler := filepath.Join(root, "filler")
		f, _ := os.Create(filler)
		f.Write(make([]byte, 1<<20)) // fails when the disk is full, as meant
		f.Close()
		r := mustJournal(t, laptop, "add", "--summary", "on a full disk")
		if !strings.Contains(r.stderr, "no space left") {
			t.Errorf("add with the folder's disk full: %q", r.stderr)
		}
		if r := runJournal(t, pc, "timeline"); strings.Contains(r.stderr, "damaged") || r.code != 0 {
			t.Errorf("the other computer met a half-written file: %d %q", r.code, r.stderr)
		}
		os.Remove(filler)
		mustJournal(t, laptop, "sync")
		if !shownSummaries(t, pc)["on a full disk"] {
			t.Error("the record never reached the other computer")
		}
	})
}

func mount(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("mount", args...).CombinedOutput(); err != nil {
		t.Fatalf("mount %s: %v: %s", strings.Join(args, " "), err, out)
	}
	t.Cleanup(func() { exec.Command("umount", args[len(args)-1]).Run() })
}

func umount(t *testing.T, dir string) {
	t.Helper()
	if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
		t.Fatalf("umount %s: %v: %s", dir, err, out)
	}
}

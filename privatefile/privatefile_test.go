package privatefile

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/journal-dev/journal/internal/testwait"
)

// both runs a test with the unnamed file (where the system has it) and
// with the named temporary file.
func both(t *testing.T, fn func(t *testing.T)) {
	t.Run("unnamed", func(t *testing.T) { fn(t) })
	t.Run("named", func(t *testing.T) {
		unnamed = false
		defer func() { unnamed = true }()
		fn(t)
	})
}

// names lists a folder.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestCommit(t *testing.T) {
	both(t, func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "report.pdf")
		f, err := Create(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("secret report"))
		if got := names(t, dir); len(got) > 0 && unnamed && runtime.GOOS == "linux" {
			t.Errorf("while writing, the folder holds %v, want nothing", got)
		}
		ran := false
		if err := f.Commit(func() error { ran = true; return nil }); err != nil {
			t.Fatal(err)
		}
		f.Abort()
		data, err := os.ReadFile(path)
		if err != nil || string(data) != "secret report" || !ran {
			t.Fatalf("after Commit: %q, %v, hook ran %v", data, err, ran)
		}
		info, _ := os.Stat(path)
		if info.Mode().Perm() != 0o600 {
			t.Errorf("mode %#o, want 0600", info.Mode().Perm())
		}
		if got := names(t, dir); len(got) != 1 {
			t.Errorf("the folder holds %v, want only report.pdf", got)
		}
	})
}

func TestNeverReplacesWithoutForce(t *testing.T) {
	both(t, func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "report.pdf")
		f, err := Create(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("new"))
		// Someone takes the name while the report is written.
		os.WriteFile(path, []byte("theirs"), 0o644)
		ran := false
		if err := f.Commit(func() error { ran = true; return nil }); !errors.Is(err, ErrExists) {
			t.Fatalf("Commit over a file = %v, want ErrExists", err)
		}
		if data, _ := os.ReadFile(path); string(data) != "theirs" || ran {
			t.Fatalf("the file was changed (%q) or the hook ran (%v)", data, ran)
		}
		if got := names(t, dir); len(got) != 1 {
			t.Errorf("the folder holds %v", got)
		}
		g, _ := Create(path, Options{Force: true})
		g.Write([]byte("replaced"))
		if err := g.Commit(nil); err != nil {
			t.Fatal(err)
		}
		if data, _ := os.ReadFile(path); string(data) != "replaced" {
			t.Fatalf("with Force: %q", data)
		}
		if got := names(t, dir); len(got) != 1 {
			t.Errorf("the folder holds %v", got)
		}
	})
}

func TestAbortLeavesNothing(t *testing.T) {
	both(t, func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "evidence.png")
		f, _ := Create(path, Options{})
		f.Write([]byte("plaintext"))
		f.Abort()
		g, _ := Create(path, Options{})
		g.Write([]byte("plaintext"))
		if err := g.Commit(func() error { return errors.New("journal in use") }); err == nil {
			t.Fatal("Commit succeeded though its hook failed")
		}
		h, _ := Create(path, Options{})
		h.Write([]byte("plaintext"))
		RemoveAll() // as on a signal
		if got := names(t, dir); len(got) != 0 {
			t.Fatalf("the folder holds %v, want nothing", got)
		}
	})
}

// TestKilled kills a process while it writes a private file: nothing is
// left, not even a temporary file, on Linux. (Elsewhere only signals that
// can be caught are covered, by RemoveAll.)
func TestKilled(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("unnamed files are Linux only")
	}
	if os.Getenv("PRIVATEFILE_CHILD") != "" {
		f, err := Create(os.Getenv("PRIVATEFILE_CHILD"), Options{})
		if err != nil {
			os.Exit(3)
		}
		f.Write([]byte("plaintext written before the kill"))
		os.Stdout.Write([]byte("ready\n"))
		time.Sleep(time.Minute)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestKilled$")
	cmd.Env = append(os.Environ(), "PRIVATEFILE_CHILD="+filepath.Join(dir, "report.pdf"))
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	line := testwait.Line(t, out, "the child process to write its private file")
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if line != "ready" {
		t.Fatalf("the child did not start writing: %q", line)
	}
	if got := names(t, dir); len(got) != 0 {
		t.Fatalf("after SIGKILL the folder holds %v, want nothing", got)
	}
}

package hometest

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestIsolate checks that after Isolate no folder a program keeps files in
// is the user's, and no JOURNAL_ variable a user sets is left.
func TestIsolate(t *testing.T) {
	real := map[string]string{}
	for _, name := range Folders {
		real[name] = os.Getenv(name)
	}
	t.Setenv("JOURNAL_FILE", "/home/someone/journal.db")
	t.Setenv("JOURNAL_PASSPHRASE", "their passphrase")
	t.Setenv("JOURNAL_SLOW_TESTS", "1")
	for _, name := range Folders {
		t.Setenv(name, real[name]) // restored after the test
	}
	remove := Isolate()
	for _, name := range Folders {
		got := os.Getenv(name)
		if got == "" || got == real[name] || !strings.HasPrefix(got, os.TempDir()) {
			t.Errorf("%s = %q after Isolate, want a new folder in %s", name, got, os.TempDir())
		}
		if info, err := os.Stat(got); err != nil || !info.IsDir() || info.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v, want a folder 0700", name, err)
		}
	}
	for _, name := range []string{"JOURNAL_FILE", "JOURNAL_PASSPHRASE"} {
		if v, ok := os.LookupEnv(name); ok {
			t.Errorf("%s = %q after Isolate, want it unset", name, v)
		}
	}
	if os.Getenv("JOURNAL_SLOW_TESTS") != "1" {
		t.Error("JOURNAL_SLOW_TESTS was unset: it is the tests' own setting")
	}
	home := os.Getenv("HOME")
	remove()
	if _, err := os.Stat(home); !os.IsNotExist(err) {
		t.Errorf("the test home %s is still there after remove: %v", home, err)
	}
}

// TestEveryPackageThatKeepsFilesIsolates checks that every package whose
// tests can reach the user's files (through the journal, the unlock agent
// or the sync folder) runs them in a home of its own: its TestMain calls
// Isolate.
func TestEveryPackageThatKeepsFilesIsolates(t *testing.T) {
	reaches := []string{`"github.com/journal-dev/journal/journal"`, `"github.com/journal-dev/journal/agent"`,
		`"github.com/journal-dev/journal/exchange"`, `"github.com/journal-dev/journal/syncfolder"`}
	dirs := map[string][]string{}
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != "../..") {
			return filepath.SkipDir
		}
		if strings.HasSuffix(path, ".go") {
			dirs[filepath.Dir(path)] = append(dirs[filepath.Dir(path)], path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir, files := range dirs {
		var src strings.Builder
		tests := false
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			src.Write(data)
			tests = tests || strings.HasSuffix(f, "_test.go")
		}
		all := src.String()
		reach := slices.Contains([]string{"journal", "agent", "exchange", "syncfolder"}, filepath.Base(dir))
		for _, imp := range reaches {
			reach = reach || strings.Contains(all, imp)
		}
		if tests && reach && !strings.Contains(all, "hometest.Isolate()") && dir != "." {
			t.Errorf("the tests of %s can reach the user's files: give them a TestMain that calls hometest.Isolate", strings.TrimPrefix(dir, "../../"))
		}
	}
}

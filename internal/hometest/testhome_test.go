package hometest

import (
	"os"
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

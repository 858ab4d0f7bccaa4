// Package hometest gives a test binary a home of its own, so that no test
// reads or writes the real user's journal, configuration (device keys,
// pins) or unlock agent, whatever the person running the tests has set.
//
// Call [Isolate] from TestMain before the tests run:
//
//	func TestMain(m *testing.M) {
//		done := hometest.Isolate()
//		code := m.Run()
//		done()
//		os.Exit(code)
//	}
package hometest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Folders are the variables that name where a program keeps its files;
// Isolate points each into a new temporary folder.
var Folders = []string{"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"}

// Isolate points HOME and the XDG folders into a new temporary folder
// (each made, 0700) and unsets every JOURNAL_ variable a user may have
// set, keeping only the tests' own settings (names with TEST in them, and
// JOURNAL_DAMAGE_SEED). It returns the function that removes the folder.
// It panics if the folder cannot be made: no test should run then.
func Isolate() (remove func()) {
	root, err := os.MkdirTemp("", "journal-test-home-")
	if err != nil {
		panic(fmt.Sprintf("hometest: %v", err))
	}
	for _, name := range Folders {
		dir := filepath.Join(root, strings.ToLower(name))
		if err := os.Mkdir(dir, 0o700); err != nil {
			panic(fmt.Sprintf("hometest: %v", err))
		}
		os.Setenv(name, dir)
	}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "JOURNAL_") && !TestSetting(name) {
			os.Unsetenv(name)
		}
	}
	return func() { os.RemoveAll(root) }
}

// TestSetting reports whether the JOURNAL_ variable name is a setting of
// the tests themselves (JOURNAL_SLOW_TESTS, JOURNAL_DAMAGE_SEED, the
// helpers' own), not one a user sets for journal.
func TestSetting(name string) bool {
	return strings.Contains(name, "TEST") || name == "JOURNAL_DAMAGE_SEED"
}

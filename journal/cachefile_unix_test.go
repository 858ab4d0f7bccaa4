//go:build unix

package journal_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/journal-dev/journal/journal"
)

// An attacker who can write the journal's folder puts a named pipe where
// the cache file goes: a read that opened it would wait for ever. It is
// not opened; the journal is read from the log, and the pipe replaced by
// a cache.
func TestCacheFileAPipeIgnored(t *testing.T) {
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 3, 2)
	want, err := load(t, path, openerOnly{sealer})
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(journal.CachePath(path), 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	got, err := load(t, path, sealer)
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, got) != mustJSON(t, want) {
		t.Fatal("the state read with a pipe as the cache is not the log's")
	}
	info, err := os.Lstat(journal.CachePath(path))
	if err != nil || !info.Mode().IsRegular() {
		t.Fatalf("the pipe was not replaced by a cache: %v %v", info.Mode(), err)
	}
}

// A link planted where the cache file goes, to another file of the user's:
// the link is not followed, neither to read nor to write; the other file
// stays as it was, and the cache is a file of its own.
func TestCacheFileALinkNotFollowed(t *testing.T) {
	path, sealer := newJournal(t)
	appendAll(t, path, sealer, 3, 2)
	victim := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(victim, []byte("the user's own notes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, journal.CachePath(path)); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if _, err := load(t, path, sealer); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "the user's own notes\n" {
		t.Fatalf("the linked file was changed: %q %v", b, err)
	}
	info, err := os.Lstat(journal.CachePath(path))
	if err != nil || !info.Mode().IsRegular() || info.Mode().Perm() != 0o600 {
		t.Fatalf("the cache is not a file of its own, 0600: %v %v", info.Mode(), err)
	}
}

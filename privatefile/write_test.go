package privatefile

import (
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteHashesWhatItWrites: Write gives commit the size and SHA-256 of
// the bytes the file holds, and the file only after commit.
func TestWriteHashesWhatItWrites(t *testing.T) {
	both(t, func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "report.json")
		text := strings.Repeat("an incident, written out\n", 40000) // more than the buffer
		var size int64
		var sum [32]byte
		err := Write(path, Options{}, func(w io.Writer) error {
			_, err := io.WriteString(w, text)
			return err
		}, func(n int64, s [32]byte) error {
			if _, err := os.Stat(path); err == nil {
				t.Error("the file has its name before commit ran")
			}
			size, sum = n, s
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(path)
		if string(data) != text || size != int64(len(text)) || sum != sha256.Sum256(data) {
			t.Errorf("file of %d bytes, commit told %d bytes and %x; want %d and %x", len(data), size, sum, len(text), sha256.Sum256(data))
		}
	})
}

// TestWriteLeavesNothing: a write or commit that fails, or a taken name,
// leaves no file, and a taken name is ErrExists with commit not run.
func TestWriteLeavesNothing(t *testing.T) {
	both(t, func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "report.md")
		boom := errors.New("boom")
		write := func(w io.Writer) error { _, err := io.WriteString(w, "secret"); return err }
		if err := Write(path, Options{}, func(io.Writer) error { return boom }, nil); !errors.Is(err, boom) {
			t.Errorf("a failed write: %v, want boom", err)
		}
		if err := Write(path, Options{}, write, func(int64, [32]byte) error { return boom }); !errors.Is(err, boom) {
			t.Errorf("a failed commit: %v, want boom", err)
		}
		if got := names(t, dir); len(got) != 0 {
			t.Fatalf("after failures the folder holds %v", got)
		}
		os.WriteFile(path, []byte("kept"), 0o600)
		ran := false
		err := Write(path, Options{}, write, func(int64, [32]byte) error { ran = true; return nil })
		if !errors.Is(err, ErrExists) || ran {
			t.Errorf("over a taken name: %v, commit ran %v; want ErrExists, not run", err, ran)
		}
		if data, _ := os.ReadFile(path); string(data) != "kept" {
			t.Errorf("the file there became %q", data)
		}
		if err := Write(path, Options{Force: true}, write, nil); err != nil {
			t.Fatal(err)
		}
		if data, _ := os.ReadFile(path); string(data) != "secret" {
			t.Errorf("with Force the file holds %q", data)
		}
	})
}

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

// TestWriteHashesInAnyPieces: whatever the sizes of the writes (a byte, a
// buffer and one more, several buffers at once), the file and its hash are
// of the bytes in the order they were given.
func TestWriteHashesInAnyPieces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.pdf")
	var want []byte
	var sum [32]byte
	var size int64
	err := Write(path, Options{}, func(w io.Writer) error {
		for i, n := range []int{1, hashBuffer - 1, 1, hashBuffer + 1, 3*hashBuffer + 7, 10, hashBuffer} {
			piece := strings.Repeat(string(rune('a'+i)), n)
			want = append(want, piece...)
			if i%2 == 0 {
				if _, err := w.Write([]byte(piece)); err != nil {
					return err
				}
			} else if _, err := io.WriteString(w, piece); err != nil {
				return err
			}
		}
		return nil
	}, func(n int64, s [32]byte) error { size, sum = n, s; return nil })
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if string(data) != string(want) || size != int64(len(want)) || sum != sha256.Sum256(want) {
		t.Errorf("file of %d bytes (%d given), commit told %d bytes and %x, want %x", len(data), len(want), size, sum, sha256.Sum256(want))
	}
}

// failingDisk accepts left bytes, then fails, as a disk that fills up.
type failingDisk struct{ left int }

var errDiskFull = errors.New("no space left on device")

func (d *failingDisk) Write(p []byte) (int, error) {
	if len(p) > d.left {
		n := d.left
		d.left = 0
		return n, errDiskFull
	}
	d.left -= len(p)
	return len(p), nil
}

// TestWriteStopsWhenTheDiskFails: a disk that fails while a long report
// is written ends the writing with its error (the renderer is not left to
// write the rest for nothing), and the error stays.
func TestWriteStopsWhenTheDiskFails(t *testing.T) {
	for _, left := range []int{0, hashBuffer / 2, 3 * hashBuffer} {
		hw := &hashingWriter{w: &failingDisk{left: left}, h: sha256.New()}
		piece := make([]byte, 4096)
		written, err := 0, error(nil)
		for err == nil && written < 100*hashBuffer {
			var n int
			n, err = hw.Write(piece)
			written += n
		}
		if !errors.Is(err, errDiskFull) || written >= 100*hashBuffer {
			t.Errorf("disk failing after %d bytes: writing stopped after %d bytes with %v, want the disk's error within a few buffers", left, written, err)
		}
		if err := hw.finish(); !errors.Is(err, errDiskFull) {
			t.Errorf("disk failing after %d bytes: finish gave %v, want the disk's error", left, err)
		}
		if _, err := hw.Write(piece); !errors.Is(err, errDiskFull) {
			t.Errorf("disk failing after %d bytes: a write after finish gave %v", left, err)
		}
	}
}

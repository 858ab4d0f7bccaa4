package syncfolder

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/journal-dev/journal/internal/testwait"
)

// TestFullDiskLeavesNoSegment fills a small tmpfs: the segment that does
// not fit fails with "no space", and nothing appears under its name.
func TestFullDiskLeavesNoSegment(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		msg := fmt.Sprintf("cannot mount a small tmpfs to fill (needs root and mount): %v: %s", err, bytes.TrimSpace(out))
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	f, err := Create(filepath.Join(dir, "sync"), testID)
	if err != nil {
		t.Fatal(err)
	}
	dev := newDevice(t)
	big := string(bytes.Repeat([]byte("x"), 60<<10))
	var full error
	for i := uint64(1); i < 20 && full == nil; i++ {
		_, full = f.PutSegment(segment(t, dev, i, big))
	}
	if !errors.Is(full, syscall.ENOSPC) {
		t.Fatalf("filling the disk: got %v, want ENOSPC", full)
	}
	l, err := f.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range l.Segments[DeviceDir(dev)] {
		if _, err := f.ReadSegment(e); err != nil {
			t.Fatalf("a half-written segment is visible: %v", err)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(f.Root(), "devices", DeviceDir(dev)))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

func TestReadOnlyOrMissingFolderIsAClearError(t *testing.T) {
	if os.Geteuid() == 0 {
		// root writes through permissions: use a read-only bind mount.
		dir := t.TempDir()
		f, err := Create(filepath.Join(dir, "sync"), testID)
		if err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("mount", "--bind", "-o", "ro", f.Root(), f.Root()).CombinedOutput(); err != nil {
			t.Skipf("cannot make a read-only mount: %v: %s", err, out)
		}
		exec.Command("mount", "-o", "remount,bind,ro", f.Root()).Run()
		t.Cleanup(func() { exec.Command("umount", f.Root()).Run() })
		_, err = f.PutSegment(segment(t, newDevice(t), 1, "x"))
		if !errors.Is(err, syscall.EROFS) || !strings.Contains(err.Error(), "writing devices/") {
			t.Fatalf("read-only folder: %v", err)
		}
	}
	f := newFolder(t)
	os.RemoveAll(f.Root())
	if _, err := f.List(); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), f.Root()) {
		t.Fatalf("missing folder: %v", err)
	}
}

// TestKilledWriterLeavesNothingHalfWritten kills a process that writes
// segments as fast as it can; every name in the folder holds a whole
// segment, and the writer's next start cleans its temporary files.
func TestKilledWriterLeavesNothingHalfWritten(t *testing.T) {
	if os.Getenv("SYNCFOLDER_WRITER") != "" {
		writeForever(os.Getenv("SYNCFOLDER_WRITER"))
		return
	}
	rounds := 5
	if os.Getenv("JOURNAL_SLOW_TESTS") == "1" {
		rounds = 30
	}
	f := newFolder(t)
	for i := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriterLeavesNothingHalfWritten$")
		cmd.Env = append(os.Environ(), "SYNCFOLDER_WRITER="+f.Root())
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The first round is killed after its first whole segment, so that
		// the folder holds one however slow the writer is (the race
		// detector, a loaded machine); the others at any moment.
		if i == 0 {
			testwait.Line(t, out, "the writer's first whole segment")
		}
		time.Sleep(time.Duration(20+i*7%50) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		l, err := f.List()
		if err != nil {
			t.Fatal(err)
		}
		for _, segs := range l.Segments {
			for _, e := range segs {
				if _, err := f.ReadSegment(e); err != nil {
					t.Fatalf("round %d: %v", i, err)
				}
			}
		}
	}
	l, _ := f.List()
	if len(l.Segments) == 0 {
		t.Fatal("the writer wrote nothing before it was killed")
	}
	// Each round is a new device, and a round killed before its first
	// segment was linked has only a temporary file: clean every device's
	// folder, not only those that hold a segment.
	devs, err := os.ReadDir(filepath.Join(f.Root(), "devices"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range devs {
		f.CleanTemp(d.Name())
	}
	filepath.WalkDir(f.Root(), func(p string, d fs.DirEntry, _ error) error {
		if strings.HasPrefix(d.Name(), tempPrefix) {
			t.Errorf("temporary file left after cleaning: %s", p)
		}
		return nil
	})
}

func writeForever(root string) {
	f, err := Open(root)
	if err != nil {
		os.Exit(1)
	}
	dev := newDevice(&testing.T{})
	big := string(bytes.Repeat([]byte("y"), 256<<10))
	for i := uint64(1); ; i++ {
		f.PutSegment(&Segment{JournalID: f.JournalID, Device: dev, First: i, Records: [][]byte{[]byte(big)}})
		if i == 1 {
			fmt.Println("wrote a segment")
		}
	}
}

package journal

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestForgetDeviceKeyOverwritesIt checks that a retired device key is
// overwritten before it is removed: a second name for the same file (a
// hard link, as a backup tool or a snapshot might keep) then reads zeros,
// not the key.
func TestForgetDeviceKeyOverwritesIt(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	id := NewID()
	if _, err := NewDevice(id, "old laptop"); err != nil {
		t.Fatal(err)
	}
	dir, _ := ConfigDir(id)
	path := filepath.Join(dir, deviceFileName)
	other := filepath.Join(t.TempDir(), "same-file")
	if err := os.Link(path, other); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	before, _ := os.ReadFile(other)
	if err := ForgetDeviceKey(id); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the device key is still there: %v", err)
	}
	after, err := os.ReadFile(other)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) || !bytes.Equal(after, make([]byte, len(before))) {
		t.Errorf("the key's bytes after ForgetDeviceKey = %q, want %d zeros", after, len(before))
	}
	if _, err := LoadDevice(id); err != ErrNotEnrolled {
		t.Errorf("LoadDevice after ForgetDeviceKey = %v, want ErrNotEnrolled", err)
	}
	// A key that is not there is no error.
	if err := ForgetDeviceKey(id); err != nil {
		t.Errorf("ForgetDeviceKey of a key already gone = %v", err)
	}
}

package journal

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// A pin saved again unchanged is not rewritten (every reading command
// saves it; a rewrite costs a sync of the disk), and a changed pin, or a
// pin file whose mode was opened to others, is.
func TestPinSaveRewritesOnlyWhatChanged(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	id := []byte("0123456789abcdef")
	p := &Pin{Journal: "30313233343536373839616263646566", Heads: map[string]HeadJSON{}, Records: 3}
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	dir, err := ConfigDir(id)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, pinFileName)
	first, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}

	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	again, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(first, again) {
		t.Errorf("saving an unchanged pin replaced its file")
	}

	p.Records = 4
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	got, err := LoadPin(id)
	if err != nil || got == nil || got.Records != 4 {
		t.Fatalf("LoadPin after a change = %+v, %v; want 4 records", got, err)
	}

	if runtime.GOOS == "windows" {
		return // no Unix modes to open to others
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("pin file mode after saving = %v, want 0600", fi.Mode().Perm())
	}
}

// The evidence address key is a secret: a file of it whose mode was
// opened to others is closed again when the key is saved, even when the
// key in it is the same, and the key reads back unchanged.
func TestAddressKeySaveClosesAnOpenedFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes to open to others")
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	id := []byte("0123456789abcdef")
	key := make([]byte, 32)
	key[0] = 7
	if err := SaveAddressKey(id, key); err != nil {
		t.Fatal(err)
	}
	dir, err := ConfigDir(id)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, addressFileName)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := SaveAddressKey(id, key); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("address key file mode after saving = %v, want 0600", fi.Mode().Perm())
	}
	got, err := LoadAddressKeys(id)
	if err != nil || got == nil || len(got.Key) != 32 || got.Key[0] != 7 {
		t.Fatalf("LoadAddressKeys = %+v, %v; want the key saved", got, err)
	}
}

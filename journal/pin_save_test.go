package journal

import (
	"encoding/json"
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

// What this process read or wrote of a pin is given again only while the
// file is that same file: a pin another process saved (a new file renamed
// into place) or one edited in place is read from the disk.
func TestPinReadAgainWhenAnotherChangedIt(t *testing.T) {
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
	load := func(want uint64) {
		t.Helper()
		got, err := LoadPin(id)
		if err != nil || got == nil || got.Records != want {
			t.Fatalf("LoadPin = %+v, %v; want %d records", got, err, want)
		}
	}
	// Another process saves the pin as Save does.
	other := *p
	other.Records = 5
	data, _ := json.MarshalIndent(&other, "", "  ")
	if err := writeConfigFile(dir, pinFileName, append(data, '\n')); err != nil {
		t.Fatal(err)
	}
	load(5)
	// Edited in place, as a person might.
	other.Records = 1234
	data, _ = json.MarshalIndent(&other, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, pinFileName), data, 0o600); err != nil {
		t.Fatal(err)
	}
	load(1234)
}

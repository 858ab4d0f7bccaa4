package syncfolder

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var testID = []byte("0123456789abcdef")

func newDevice(t testing.TB) ed25519.PublicKey {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

func newFolder(t *testing.T) *Folder {
	t.Helper()
	f, err := Create(filepath.Join(t.TempDir(), "sync"), testID)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestCreateAcceptsEngineMarkersAndRefusesOtherJournal(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, ".stfolder"), 0o700)
	os.Mkdir(filepath.Join(dir, ".git"), 0o700)
	if _, err := Create(dir, testID); err != nil {
		t.Fatalf("create over a sync engine's markers: %v", err)
	}
	if _, err := Create(dir, testID); err != nil {
		t.Fatalf("create again for the same journal: %v", err)
	}
	if _, err := Create(dir, []byte("another journal!")); !errors.Is(err, ErrOtherJournal) {
		t.Fatalf("create for another journal: got %v, want ErrOtherJournal", err)
	}
	f, err := Open(dir)
	if err != nil || !bytes.Equal(f.JournalID, testID) {
		t.Fatalf("open: %v, id %q", err, f.JournalID)
	}
	if _, err := Open(t.TempDir()); !errors.Is(err, ErrNotSyncFolder) {
		t.Fatalf("open an empty folder: got %v", err)
	}
	for _, d := range []string{"manifest", "devices", "blobs", "stamps"} {
		if fi, err := os.Stat(filepath.Join(dir, d)); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v %v", d, fi, err)
		}
	}
}

func TestPutWritesOnceAndNeverReplaces(t *testing.T) {
	f := newFolder(t)
	if err := f.Put("stamps/a", []byte("one"), "dev"); err != nil {
		t.Fatal(err)
	}
	if err := f.Put("stamps/a", []byte("one"), "dev"); err != nil {
		t.Fatalf("the same bytes again: %v", err)
	}
	if err := f.Put("stamps/a", []byte("two"), "dev"); !errors.Is(err, ErrNameTaken) {
		t.Fatalf("other bytes under the same name: got %v", err)
	}
	b, _ := os.ReadFile(filepath.Join(f.Root(), "stamps", "a"))
	if string(b) != "one" {
		t.Fatalf("the file was changed to %q", b)
	}
	fi, _ := os.Stat(filepath.Join(f.Root(), "stamps", "a"))
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Join(f.Root(), "stamps"))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestCleanTempRemovesOnlyOwnLeftovers(t *testing.T) {
	f := newFolder(t)
	dir := filepath.Join(f.Root(), "blobs")
	mine := filepath.Join(dir, tempPrefix+"aaaa-123")
	theirs := filepath.Join(dir, tempPrefix+"bbbb-456")
	real := filepath.Join(dir, "xyz")
	for _, p := range []string{mine, theirs, real} {
		os.WriteFile(p, []byte("x"), 0o600)
	}
	f.CleanTemp("aaaa")
	for p, want := range map[string]bool{mine: false, theirs: true, real: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: exists=%v, want %v", filepath.Base(p), err == nil, want)
		}
	}
}

func segment(t testing.TB, dev ed25519.PublicKey, first uint64, recs ...string) *Segment {
	s := &Segment{JournalID: testID, Device: dev, First: first}
	for _, r := range recs {
		s.Records = append(s.Records, []byte(r))
	}
	return s
}

func TestSegmentsListedInOrderAndEnginesLeftoversIgnored(t *testing.T) {
	f := newFolder(t)
	dev := newDevice(t)
	e2, err := f.PutSegment(segment(t, dev, 3, "c", "d"))
	if err != nil {
		t.Fatal(err)
	}
	e1, err := f.PutSegment(segment(t, dev, 1, "a", "b"))
	if err != nil {
		t.Fatal(err)
	}
	devDir := filepath.Join(f.Root(), "devices", e1.Device)
	full, _ := os.ReadFile(filepath.Join(f.Root(), filepath.FromSlash(e1.Path())))
	base := filepath.Base(e1.Path())
	leftovers := []string{
		base + ".sync-conflict-20261201-120000-ABCDEFG",
		strings.TrimSuffix(base, "0") + " (Sam's conflicted copy 2026-12-01)",
		".syncthing." + base + ".tmp",
		base + ".part",
		"." + base + ".icloud",
		"~syncthing~" + base + ".tmp",
		"notes.txt",
	}
	for _, n := range leftovers {
		os.WriteFile(filepath.Join(devDir, n), full[:len(full)/2], 0o600)
	}
	os.MkdirAll(filepath.Join(f.Root(), "devices", "Not A Device (conflicted copy)"), 0o700)
	l, err := f.List()
	if err != nil {
		t.Fatal(err)
	}
	got := l.Segments[e1.Device]
	if !slices.Equal(got, []Entry{e1, e2}) {
		t.Fatalf("segments %v, want %v", got, []Entry{e1, e2})
	}
	if len(l.Skipped) != len(leftovers) {
		t.Errorf("skipped %d names, want %d: %q", len(l.Skipped), len(leftovers), l.Skipped)
	}
	for _, e := range got {
		s, err := f.ReadSegment(e)
		if err != nil {
			t.Fatal(err)
		}
		if s.First != e.Seq || !bytes.Equal(s.Device, dev) {
			t.Errorf("segment %s read back wrong", e.Path())
		}
	}
}

func TestChangedOrTruncatedSegmentIsNamed(t *testing.T) {
	f := newFolder(t)
	dev := newDevice(t)
	e, err := f.PutSegment(segment(t, dev, 1, "alpha", "beta"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(f.Root(), filepath.FromSlash(e.Path()))
	orig, _ := os.ReadFile(path)
	for name, content := range map[string][]byte{
		"truncated": orig[:len(orig)-3],
		"changed":   append(bytes.Clone(orig[:len(orig)-1]), 'X'),
		"empty":     {},
	} {
		os.Chmod(path, 0o600)
		os.WriteFile(path, content, 0o600)
		_, err := f.ReadSegment(e)
		var de *DamagedError
		if !errors.As(err, &de) || de.Path != e.Path() || !strings.Contains(err.Error(), e.Path()) {
			t.Errorf("%s: got %v, want a DamagedError naming %s", name, err, e.Path())
		}
	}
}

func TestForeignSegmentsAreNamed(t *testing.T) {
	f := newFolder(t)
	dev, other := newDevice(t), newDevice(t)
	// A segment of another journal, placed in this journal's folder.
	g := &Folder{root: f.Root(), JournalID: []byte("another journal!")}
	s := segment(t, dev, 1, "x")
	s.JournalID = g.JournalID
	e, err := g.PutSegment(s)
	if err != nil {
		t.Fatal(err)
	}
	var fe *ForeignError
	if _, err := f.ReadSegment(e); !errors.As(err, &fe) || !strings.Contains(err.Error(), "another journal") {
		t.Errorf("another journal's segment: %v", err)
	}
	// A segment copied into another device's folder.
	e, err = f.PutSegment(segment(t, dev, 1, "y"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(f.Root(), filepath.FromSlash(e.Path())))
	moved := Entry{Dir: "devices/" + DeviceDir(other), Device: DeviceDir(other), Seq: 1, Hash: e.Hash}
	if err := f.Put(moved.Path(), b, "t"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReadSegment(moved); !errors.As(err, &fe) || !strings.Contains(err.Error(), moved.Path()) {
		t.Errorf("a segment in another device's folder: %v", err)
	}
}

func TestSegmentRoundTrip(t *testing.T) {
	s := segment(t, newDevice(t), 7, "one", "two", strings.Repeat("z", 70000))
	b, err := s.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeSegment(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.First != 7 || got.Last() != 9 || len(got.Records) != 3 || string(got.Records[2]) != string(s.Records[2]) {
		t.Fatalf("round trip: %+v", got)
	}
	for i := range b {
		if _, err := DecodeSegment(b[:i]); err == nil {
			t.Fatalf("a segment cut to %d bytes decoded", i)
		}
	}
	if _, err := DecodeSegment(append(bytes.Clone(b), 0)); err == nil {
		t.Fatal("a segment with a byte after it decoded")
	}
}

func TestDeviceDirIsStableAndValid(t *testing.T) {
	pub := ed25519.PublicKey(bytes.Repeat([]byte{1}, 32))
	if got := DeviceDir(pub); got != DeviceDir(pub) || !validDeviceDir(got) || len(got) != 16 {
		t.Fatalf("DeviceDir = %q", got)
	}
}

func FuzzDecodeSegment(f *testing.F) {
	dev := ed25519.PublicKey(bytes.Repeat([]byte{7}, 32))
	for _, s := range []*Segment{segment(f, dev, 1, "a"), segment(f, dev, 99, "abc", "defg", "h")} {
		b, _ := s.Encode()
		f.Add(b)
	}
	withKeys := segment(f, dev, 5, "rec")
	withKeys.Keys = [][]byte{[]byte("sealed"), []byte("k")}
	b, _ := withKeys.Encode()
	f.Add(b)
	f.Add([]byte(segmentMagic))
	f.Add([]byte(keysMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeSegment(b)
		if err != nil {
			return
		}
		again, err := s.Encode()
		if err != nil {
			t.Fatalf("a decoded segment does not encode: %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatal("decoding is not strict: two encodings of one segment")
		}
	})
}

func FuzzNames(f *testing.F) {
	f.Add("000000000001-" + strings.Repeat("a", 64))
	f.Add(markerMagic + "00ff\n")
	f.Add("x.sync-conflict-20261201-120000-ABCDEFG")
	f.Fuzz(func(t *testing.T, s string) {
		if n, h, ok := splitName(s); ok {
			if (Entry{Dir: "d", Seq: n, Hash: h}).Path() != "d/"+s {
				t.Fatalf("name %q does not round-trip", s)
			}
			if Ignored(s) != "" {
				t.Fatalf("a name of ours is ignored: %q", s)
			}
		}
		if id, ok := parseMarker([]byte(s)); ok {
			if markerMagic+hex.EncodeToString(id)+"\n" != s {
				t.Fatalf("marker %q is not strict", s)
			}
		}
	})
}

func TestBlobsAreWrittenOnceAndChecked(t *testing.T) {
	f := newFolder(t)
	data := bytes.Repeat([]byte("sealed evidence "), 10000)
	put := func(w io.Writer) error { _, err := w.Write(data); return err }
	if err := f.PutBlob("00ff", put, "dev"); err != nil {
		t.Fatal(err)
	}
	if err := f.PutBlob("00ff", func(io.Writer) error { t.Fatal("written twice"); return nil }, "dev"); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(f.Root(), "blobs", "00ff-"+strings.Repeat("a", 64)+".sync-conflict-20261201-120000-ABCDEFG"), []byte("x"), 0o600)
	have, err := f.Blobs()
	if err != nil || len(have) != 1 {
		t.Fatalf("blobs %v %v", have, err)
	}
	r, err := f.OpenBlob(have["00ff"])
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back: %v", err)
	}
	path := filepath.Join(f.Root(), filepath.FromSlash(have["00ff"].Path()))
	os.WriteFile(path, data[:100], 0o600)
	r, _ = f.OpenBlob(have["00ff"])
	_, err = io.ReadAll(r)
	var de *DamagedError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), have["00ff"].Path()) {
		t.Fatalf("a truncated blob: %v", err)
	}
}

package witness

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/journal-dev/journal/journal"
)

var (
	testID = bytes.Repeat([]byte{0x3f}, 16)
	laptop = journal.DeviceName(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32)).Public().(ed25519.PublicKey))
	pc     = journal.DeviceName(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{2}, 32)).Public().(ed25519.PublicKey))
)

// recordHash stands for the chain hash of a device's record at a place;
// tag tells two histories apart.
func recordHash(device string, place uint64, tag string) string {
	h := sha256.Sum256([]byte(device + tag + string(rune(place))))
	return hex.EncodeToString(h[:])
}

// heads makes the checkpoint of the records up to each place, taken by
// madeBy.
func heads(t *testing.T, madeBy string, places map[string]uint64, tag map[string]string) *Checkpoint {
	t.Helper()
	cv := &journal.Covers{Devices: []journal.CoveredDevice{}}
	var n uint64
	for _, d := range []string{laptop, pc} {
		if p := places[d]; p > 0 {
			cv.Devices = append(cv.Devices, journal.CoveredDevice{Device: d, Place: p, Hash: recordHash(d, p, tag[d])})
			n += p
		}
	}
	h, err := cv.Head(testID)
	if err != nil {
		t.Fatal(err)
	}
	k := NewJournalKey(testID, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)))
	return &Checkpoint{Origin: Origin(testID), Count: n, Hash: h, Key: k.Verifier(), Covers: cv, MadeBy: madeBy}
}

func TestCoversRoundTrip(t *testing.T) {
	want := heads(t, pc, map[string]uint64{laptop: 3, pc: 1}, nil)
	k := NewJournalKey(testID, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)))
	file, err := k.SignCovering(testID, want.Count, want.Hash, want.Covers, want.MadeBy)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(file, []byte("\ndevice "+laptop+" 3 ")) || !bytes.Contains(file, []byte("\nmade-by "+pc+"\n")) {
		t.Fatalf("file does not name each computer's records:\n%s", file)
	}
	c, _, err := Open(file)
	if err != nil {
		t.Fatal(err)
	}
	if c.MadeBy != pc || c.Count != 4 || len(c.Covers.Devices) != 2 || c.Covers.Place(laptop) != 3 || c.Covers.Place(pc) != 1 {
		t.Errorf("Open = %+v %+v, want laptop 3, pc 1, made by pc", c, c.Covers)
	}
	// A later version may add lines of its own: they are read past.
	extended := signText(t, strings.Replace(want.text(), "made-by ", "something-new 1 2 3\nmade-by ", 1))
	if _, _, err := Open(extended); err != nil {
		t.Errorf("a file with an unknown extension line: %v, want it read", err)
	}
}

// signText signs any note text with the journal key, as an owner who
// writes the file by hand could.
func signText(t *testing.T, text string) []byte {
	t.Helper()
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	s, err := note.NewSigner(signerKey(journalKeyName(testID), priv))
	if err != nil {
		t.Fatal(err)
	}
	file, err := note.Sign(&note.Note{Text: text}, s)
	if err != nil {
		t.Fatal(err)
	}
	return file
}

// TestCoversMustMakeTheHash is the owner who signs a list of each
// computer's records that is not the head the checkpoint states (to
// make a witness take a changed history for one that lags).
func TestCoversMustMakeTheHash(t *testing.T) {
	c := heads(t, pc, map[string]uint64{laptop: 3, pc: 1}, nil)
	text := c.text()
	bent := map[string]string{
		"a lower place":   strings.Replace(text, "device "+laptop+" 3 ", "device "+laptop+" 2 ", 1),
		"another hash":    strings.Replace(text, hexToBase64(recordHash(pc, 1, "")), hexToBase64(recordHash(pc, 1, "x")), 1),
		"a device left":   strings.Replace(text, "device "+pc+" 1 "+hexToBase64(recordHash(pc, 1, ""))+"\n", "", 1),
		"a wrong count":   strings.Replace(text, "\n4\n", "\n5\n", 1),
		"a place of zero": strings.Replace(text, "device "+laptop+" 3 ", "device "+laptop+" 0 ", 1),
		"a bad device":    strings.Replace(text, "made-by "+pc, "made-by nobody", 1),
		"made-by alone":   Origin(testID) + "\n4\n" + strings.Split(text, "\n")[2] + "\n" + strings.Split(text, "\n")[3] + "\nmade-by " + pc + "\n",
	}
	for name, text := range bent {
		if _, _, err := Open(signText(t, text)); err == nil {
			t.Errorf("%s: Open passed a list that does not make the checkpoint's hash", name)
		}
	}
	k := NewJournalKey(testID, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)))
	if _, err := k.SignCovering(testID, c.Count+1, c.Hash, c.Covers, pc); err == nil {
		t.Error("SignCovering signed a count its list does not make")
	}
}

// TestHistoryBeforeSigning: a journal made before signing names no
// computer (its records 1 to N are the same everywhere): fewer records
// than witnessed, or other ones at the same count, is still refused.
func TestHistoryBeforeSigning(t *testing.T) {
	path := filepath.Join(t.TempDir(), "witnessed")
	v1 := func(n uint64, tag string) *Checkpoint {
		cv := &journal.Covers{V1: n, V1Hash: recordHash("", n, tag), Devices: []journal.CoveredDevice{}}
		h, err := cv.Head(testID)
		if err != nil {
			t.Fatal(err)
		}
		return &Checkpoint{Origin: Origin(testID), Count: n, Hash: h, Key: "k", Covers: cv}
	}
	if err := Remember(path, v1(5, ""), time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := CheckHistory(path, v1(7, "")); err != nil {
		t.Errorf("more records: %v", err)
	}
	for name, c := range map[string]*Checkpoint{"fewer": v1(4, ""), "other": v1(5, "rewritten")} {
		var fe *ForkError
		if err := CheckHistory(path, c); !errors.As(err, &fe) {
			t.Errorf("%s: CheckHistory = %v, want a ForkError", name, err)
		}
	}
}

// TestHistoryByDevice: a computer that has not received every record is
// no contradiction; other contents at a place the witness saw is, and so
// is the computer that took a checkpoint holding fewer of its own records.
func TestHistoryByDevice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "witnessed")
	first := heads(t, pc, map[string]uint64{laptop: 3, pc: 1}, nil)
	if err := Remember(path, first, time.Now()); err != nil {
		t.Fatal(err)
	}
	ok := map[string]*Checkpoint{
		"the same":                       first,
		"a laptop that lacks pc's":       heads(t, laptop, map[string]uint64{laptop: 4}, nil),
		"the same count, other records":  heads(t, laptop, map[string]uint64{laptop: 4}, nil),
		"the pc lagging behind":          heads(t, pc, map[string]uint64{laptop: 2, pc: 2}, nil),
		"both further":                   heads(t, laptop, map[string]uint64{laptop: 9, pc: 5}, map[string]string{laptop: "later", pc: "later"}),
		"an older file, no computers":    {Origin: first.Origin, Count: 2, Hash: sha256.Sum256([]byte("old")), Key: first.Key},
		"another journal with less of a": {Origin: "journal 40", Count: 1, Key: "k"},
	}
	for name, c := range ok {
		if err := CheckHistory(path, c); err != nil {
			t.Errorf("%s: CheckHistory = %v, want nil", name, err)
		}
	}
	rekeyed := heads(t, pc, map[string]uint64{laptop: 3, pc: 2}, nil)
	rekeyed.Key = "k2"
	bad := map[string]*Checkpoint{
		"laptop's record 3 changed": heads(t, laptop, map[string]uint64{laptop: 3, pc: 1}, map[string]string{laptop: "rewritten"}),
		"pc's record 1 changed":     heads(t, laptop, map[string]uint64{laptop: 5, pc: 1}, map[string]string{pc: "rewritten"}),
		"the pc put back":           heads(t, pc, map[string]uint64{laptop: 3}, nil),
		"another key":               rekeyed,
	}
	for name, c := range bad {
		var fe *ForkError
		if err := CheckHistory(path, c); !errors.As(err, &fe) {
			t.Errorf("%s: CheckHistory = %v, want a ForkError", name, err)
		}
	}
}

// TestHistoryAcrossTheUpgrade: a witness who countersigned checkpoints
// before files named computers remembers counts only. A newer file of a
// journal kept on one computer that holds fewer records than witnessed is
// a cut history, refused; more records are signed.
func TestHistoryAcrossTheUpgrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "witnessed")
	before := heads(t, laptop, map[string]uint64{laptop: 5}, nil)
	old := &Checkpoint{Origin: before.Origin, Count: 5, Hash: sha256.Sum256([]byte("record 5")), Key: before.Key}
	if err := Remember(path, old, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := CheckHistory(path, heads(t, laptop, map[string]uint64{laptop: 7}, nil)); err != nil {
		t.Errorf("more records: %v, want it signed", err)
	}
	var fe *ForkError
	if err := CheckHistory(path, heads(t, laptop, map[string]uint64{laptop: 3}, nil)); !errors.As(err, &fe) {
		t.Errorf("fewer records: %v, want a ForkError", err)
	}
	// Two computers: a computer that lags is no contradiction of a count.
	if err := CheckHistory(path, heads(t, pc, map[string]uint64{laptop: 2, pc: 1}, nil)); err != nil {
		t.Errorf("two computers: %v, want it signed", err)
	}
}

// TestComparedByKeyOnlyIsSaid checks what the witness is told about the
// comparison CheckHistory could not make: a line an earlier version kept
// (no computers) against a checkpoint of a journal on several computers is
// counted, and no longer once a line naming computers is remembered.
func TestComparedByKeyOnlyIsSaid(t *testing.T) {
	path := filepath.Join(t.TempDir(), "witnessed")
	before := heads(t, laptop, map[string]uint64{laptop: 5}, nil)
	old := &Checkpoint{Origin: before.Origin, Count: 5, Hash: sha256.Sum256([]byte("record 5")), Key: before.Key}
	if err := Remember(path, old, time.Now()); err != nil {
		t.Fatal(err)
	}
	if n := ComparedByKeyOnly(path, heads(t, laptop, map[string]uint64{laptop: 7}, nil)); n != 0 {
		t.Errorf("one computer (compared by count): %d lines by key only, want 0", n)
	}
	two := heads(t, pc, map[string]uint64{laptop: 2, pc: 1}, nil)
	if n := ComparedByKeyOnly(path, two); n != 1 {
		t.Errorf("two computers: %d lines by key only, want 1", n)
	}
	if err := Remember(path, two, time.Now()); err != nil {
		t.Fatal(err)
	}
	if n := ComparedByKeyOnly(path, heads(t, pc, map[string]uint64{laptop: 3, pc: 2}, nil)); n != 0 {
		t.Errorf("after a checkpoint naming computers was signed: %d lines by key only, want 0", n)
	}
}

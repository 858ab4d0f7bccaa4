package witness

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

func checkpointFile(t *testing.T) ([]byte, []byte, [32]byte) {
	t.Helper()
	id := bytes.Repeat([]byte{0x3f}, 16)
	jk := NewJournalKey(id, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)))
	hash := sha256.Sum256([]byte("head"))
	file, err := jk.Sign(id, 42, hash)
	if err != nil {
		t.Fatal(err)
	}
	return file, id, hash
}

func TestRoundTrip(t *testing.T) {
	file, id, hash := checkpointFile(t)
	c, _, err := Open(file)
	if err != nil {
		t.Fatalf("Open(checkpoint) = %v", err)
	}
	if c.Origin != Origin(id) || c.Count != 42 || c.Hash != hash {
		t.Errorf("Open = %+v", c)
	}
	k, created, err := LoadKey(filepath.Join(t.TempDir(), "witness.key"), "Jane_Roe", true)
	if err != nil || !created {
		t.Fatalf("LoadKey = %v, %v", created, err)
	}
	at := time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)
	_, witnessed, err := Cosign(file, k, at)
	if err != nil {
		t.Fatalf("Cosign = %v", err)
	}
	c2, cs, err := OpenWitnessed(witnessed)
	if err != nil {
		t.Fatalf("OpenWitnessed = %v\n%s", err, witnessed)
	}
	if *c2 != *c || cs.Name != "Jane_Roe" || !cs.Time.Equal(at) || cs.Key != k.Verifier() || cs.Fingerprint() != k.Fingerprint() {
		t.Errorf("OpenWitnessed = %+v, %+v", c2, cs)
	}
	// The checkpoint alone is not a witnessed file; a witnessed file is
	// not witnessed twice.
	if _, _, err := OpenWitnessed(file); err == nil {
		t.Error("OpenWitnessed(unwitnessed) passed")
	}
	if _, _, err := Cosign(witnessed, k, at); err == nil {
		t.Error("Cosign(witnessed) passed")
	}
}

// TestTampered is the attacker: any change to a witnessed file, to what
// it states, when, or by whom, is refused.
func TestTampered(t *testing.T) {
	file, _, _ := checkpointFile(t)
	dir := t.TempDir()
	k, _, _ := LoadKey(filepath.Join(dir, "a.key"), "Jane_Roe", true)
	other, _, _ := LoadKey(filepath.Join(dir, "b.key"), "Mallory", true)
	_, witnessed, err := Cosign(file, k, time.Unix(1764585000, 0))
	if err != nil {
		t.Fatal(err)
	}
	_, forged, _ := Cosign(file, other, time.Unix(1764585000, 0))
	forgedKey := forged[bytes.LastIndex(forged, []byte("witness key ")):]
	s := string(witnessed)
	for name, bad := range map[string]string{
		"count":       strings.Replace(s, "\n42\n", "\n43\n", 1),
		"hash":        strings.Replace(s, "\n42\n", "\n42\n", 1)[:0] + flipHash(s),
		"other key":   s[:strings.LastIndex(s, "witness key ")] + string(forgedKey),
		"no trailer":  s[:strings.LastIndex(s, "witness key ")],
		"renamed":     strings.Replace(s, "witness key Jane_Roe+", "witness key Jane_Rox+", 1),
		"garbage":     "hello\n",
		"empty":       "",
		"journal key": strings.Replace(s, "key journal-", "key journal-x", 1),
	} {
		if _, _, err := OpenWitnessed([]byte(bad)); err == nil {
			t.Errorf("%s: a tampered witnessed file passed", name)
		}
	}
	// The witness's time is part of what is signed.
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "— Jane_Roe ") {
			lines[i] = l[:len(l)-20] + strings.Repeat("A", 20)
		}
	}
	if _, _, err := OpenWitnessed([]byte(strings.Join(lines, "\n"))); err == nil {
		t.Error("a changed cosignature passed")
	}
}

func flipHash(s string) string {
	lines := strings.SplitN(s, "\n", 4)
	b := []byte(lines[2])
	if b[0] == 'A' {
		b[0] = 'B'
	} else {
		b[0] = 'A'
	}
	lines[2] = string(b)
	return strings.Join(lines, "\n")
}

// TestAnyKey: every key round-trips, whatever its base64 holds ('+', '/').
func TestAnyKey(t *testing.T) {
	file, _, _ := checkpointFile(t)
	dir := t.TempDir()
	plus := false
	for i := range 40 {
		k, _, err := LoadKey(filepath.Join(dir, strconv.Itoa(i)), "Jane_Roe,_MDU", true)
		if err != nil {
			t.Fatal(err)
		}
		plus = plus || strings.Contains(k.Verifier()[len("Jane_Roe,_MDU+00000000+"):], "+")
		_, witnessed, err := Cosign(file, k, time.Unix(1764585000, 0))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := OpenWitnessed(witnessed); err != nil {
			t.Fatalf("key %s: OpenWitnessed = %v", k.Verifier(), err)
		}
	}
	if !plus {
		t.Log("no key had '+' in its base64 this time")
	}
}

func TestKeyName(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k")
	if _, _, err := LoadKey(path, "", true); err == nil {
		t.Error("a key was made without a name")
	}
	k, _, _ := LoadKey(path, "Jane_Roe", true)
	again, created, err := LoadKey(path, "", true)
	if err != nil || created || again.Verifier() != k.Verifier() {
		t.Errorf("LoadKey again = %v, %v", created, err)
	}
	if _, _, err := LoadKey(path, "Someone_Else", true); err == nil {
		t.Error("a key was loaded under another name")
	}
	if n, err := KeyName("  Jane   Roe, MDU "); err != nil || n != "Jane_Roe,_MDU" {
		t.Errorf("KeyName = %q, %v", n, err)
	}
	if _, err := KeyName("a+b"); err == nil {
		t.Error("KeyName accepted '+'")
	}
}

// FuzzOpenWitnessed: no file, however crafted, crashes the reader or
// passes without both signatures.
func FuzzOpenWitnessed(f *testing.F) {
	id := bytes.Repeat([]byte{0x3f}, 16)
	jk := NewJournalKey(id, ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)))
	file, _ := jk.Sign(id, 42, sha256.Sum256([]byte("head")))
	k := &Key{Name: "Jane_Roe", priv: ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32))}
	_, witnessed, _ := Cosign(file, k, time.Unix(1764585000, 0))
	f.Add(witnessed)
	f.Add(file)
	// A file that names each computer's records (extension lines), so
	// that the fuzzer starts from their parser too.
	cv := &journal.Covers{V1: 2, V1Hash: strings.Repeat("ab", 32), Devices: []journal.CoveredDevice{
		{Device: journal.DeviceName(jk.priv.Public().(ed25519.PublicKey)), Place: 3, Hash: strings.Repeat("cd", 32)}}}
	head, _ := cv.Head(id)
	covering, err := jk.SignCovering(id, 5, head, cv, cv.Devices[0].Device)
	if err != nil {
		f.Fatal(err)
	}
	_, witnessedCovering, _ := Cosign(covering, k, time.Unix(1764585000, 0))
	if c, _, err := OpenWitnessed(witnessedCovering); err != nil || c.Covers == nil || c.MadeBy == "" {
		f.Fatalf("the seed naming each computer's records does not open as such: %v", err)
	}
	f.Add(witnessedCovering)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, cs, err := OpenWitnessed(data)
		if err == nil && (c == nil || cs == nil) {
			t.Fatal("OpenWitnessed passed without a result")
		}
		if err == nil && !bytes.Contains(data, []byte(cs.Key)) {
			t.Fatal("passed with a key the file does not hold")
		}
		if err != nil {
			return
		}
		// What was read is what its text says, read again.
		again, err := parseText(c.text())
		if err != nil || again.text() != c.text() {
			t.Fatalf("the checkpoint read does not read back the same: %v\n%s", err, c.text())
		}
	})
}

// TestHistory is the attacker who shows a witness two histories: other
// records at a count already witnessed, fewer records than before, or the
// same journal under another key.
func TestHistory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "witnessed")
	c := &Checkpoint{Origin: "journal 3f", Count: 5, Hash: sha256.Sum256([]byte("a")), Key: "k1"}
	if err := CheckHistory(path, c); err != nil {
		t.Fatalf("first checkpoint: %v", err)
	}
	if err := Remember(path, c, time.Now()); err != nil {
		t.Fatal(err)
	}
	longer := *c
	longer.Count, longer.Hash = 7, sha256.Sum256([]byte("b"))
	same := *c
	other := *c
	other.Origin = "journal 40"
	other.Count = 1
	for _, ok := range []*Checkpoint{c, &same, &longer, &other} {
		if err := CheckHistory(path, ok); err != nil {
			t.Errorf("CheckHistory(%+v) = %v, want nil", ok, err)
		}
	}
	fork := *c
	fork.Hash = sha256.Sum256([]byte("forged"))
	fewer := *c
	fewer.Count = 4
	rekeyed := longer
	rekeyed.Key = "k2"
	for name, bad := range map[string]*Checkpoint{"fork": &fork, "fewer": &fewer, "another key": &rekeyed} {
		var fe *ForkError
		if err := CheckHistory(path, bad); !errors.As(err, &fe) {
			t.Errorf("%s: CheckHistory = %v, want a ForkError", name, err)
		}
	}
}

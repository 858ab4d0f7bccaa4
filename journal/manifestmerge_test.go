package journal_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

// twoComputers makes a journal and a copy of it, as two computers that
// both hold its manifest, and returns both, and the owner key.
func twoComputers(t *testing.T) (a, b *journal.Store, owner ed25519.PrivateKey) {
	t.Helper()
	path, sealer := newJournal(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), "journal.db")
	if err := os.WriteFile(copyPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return open(t, path, false), open(t, copyPath, false), sealer.OwnerKey()
}

// change signs, on s, the next statement: the manifest in force with
// edit applied.
func change(t *testing.T, s *journal.Store, owner ed25519.PrivateKey, what string, edit func(st *journal.Statement)) {
	t.Helper()
	m, err := s.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	st := *m.Head()
	st.Devices = slices.Clone(st.Devices)
	st.Change, st.At = what, time.Now().UTC().Truncate(time.Second)
	edit(&st)
	if err := s.AppendStatement(owner, m.HeadRef(), &st); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func newEntry(t *testing.T, st *journal.Statement, name string) journal.DeviceEntry {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	return journal.DeviceEntry{Key: journal.DeviceName(pub), Name: name, EnrolledAt: time.Now().UTC().Truncate(time.Second), Tag: st.TagFor(pub)}
}

// exchange gives each computer the other's statements.
func exchange(t *testing.T, a, b *journal.Store) {
	t.Helper()
	for _, p := range [][2]*journal.Store{{a, b}, {b, a}} {
		stored, err := p[0].Statements()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p[1].ImportStatements(stored); err != nil {
			t.Fatalf("importing the other computer's statements: %v", err)
		}
	}
}

// devices is the manifest in force, by name: retired or not, and letter.
func devices(t *testing.T, s *journal.Store) map[string]journal.DeviceEntry {
	t.Helper()
	m, err := s.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]journal.DeviceEntry{}
	for _, d := range m.Head().Devices {
		out[d.Name] = d
	}
	return out
}

// Two computers change the devices at the same moment: one approves a
// computer and retires another, the other enrols a third. Both statements
// stand on both, the retirement wins, the letters differ, and the next
// statement joins them again.
func TestConcurrentStatementsMerge(t *testing.T) {
	a, b, owner := twoComputers(t)
	change(t, a, owner, "enrolled old phone", func(st *journal.Statement) {
		st.Devices = append(st.Devices, newEntry(t, st, "old phone"))
	})
	exchange(t, a, b)

	change(t, a, owner, "approved work PC, retired old phone", func(st *journal.Statement) {
		st.Devices = append(st.Devices, newEntry(t, st, "work PC"))
		for i := range st.Devices {
			if st.Devices[i].Name == "old phone" {
				now := time.Now().UTC().Truncate(time.Second)
				st.Devices[i].RetiredAt = &now
				st.Devices[i].RetiredAfter = &journal.HeadJSON{N: 0}
			}
		}
	})
	change(t, b, owner, "enrolled tablet", func(st *journal.Statement) {
		st.Devices = append(st.Devices, newEntry(t, st, "tablet"))
	})
	exchange(t, a, b)

	for _, s := range []*journal.Store{a, b} {
		d := devices(t, s)
		if len(d) != 4 || d["work PC"].Key == "" || d["tablet"].Key == "" {
			t.Fatalf("devices after the merge = %v, want test, old phone, work PC, tablet", d)
		}
		if d["old phone"].RetiredAt == nil {
			t.Fatal("the retirement made at the same time as an enrolment was lost")
		}
		if d["work PC"].Tag == d["tablet"].Tag || d["work PC"].Tag == 0 || d["tablet"].Tag == 0 {
			t.Fatalf("letters: work PC %d, tablet %d; want two different ones", d["work PC"].Tag, d["tablet"].Tag)
		}
	}
	if da, db := devices(t, a), devices(t, b); !sameDevices(da, db) {
		t.Fatalf("the two computers disagree: %v and %v", da, db)
	}
	ma, _ := a.Manifest()
	mb, _ := b.Manifest()
	for i := range ma.Head().Devices {
		if ma.Head().Devices[i].Key != mb.Head().Devices[i].Key {
			t.Fatalf("device %d: %q on one computer, %q on the other", i, ma.Head().Devices[i].Name, mb.Head().Devices[i].Name)
		}
	}

	// The next statement, on either, joins both: one leaf again.
	change(t, b, owner, "enrolled desk", func(st *journal.Statement) {
		st.Devices = append(st.Devices, newEntry(t, st, "desk"))
	})
	exchange(t, a, b)
	for _, s := range []*journal.Store{a, b} {
		m, _ := s.Manifest()
		if h := m.Head(); len(h.Devices) != 5 || h.Change != "enrolled desk" {
			t.Fatalf("after the merging statement the manifest in force is %q with %d devices", h.Change, len(h.Devices))
		}
	}
}

// A new key made on one computer while another changes the devices cannot
// be merged: a fork, and nothing of it is taken.
func TestContradictingStatementsAreAFork(t *testing.T) {
	a, b, owner := twoComputers(t)
	change(t, a, owner, "approved work PC", func(st *journal.Statement) {
		st.Devices = append(st.Devices, newEntry(t, st, "work PC"))
	})
	change(t, b, owner, "rekeyed", func(st *journal.Statement) {
		st.Recipient = "age1" + st.Recipient[4:8] + "changed"
	})
	stored, err := b.Statements()
	if err != nil {
		t.Fatal(err)
	}
	before, _ := a.Statements()
	_, err = a.ImportStatements(stored)
	var fork *journal.ManifestForkError
	if !errors.As(err, &fork) {
		t.Fatalf("ImportStatements = %v, want a fork", err)
	}
	if after, _ := a.Statements(); len(after) != len(before) {
		t.Fatalf("the fork left %d statements, want %d", len(after), len(before))
	}
}

func sameDevices(a, b map[string]journal.DeviceEntry) bool {
	if len(a) != len(b) {
		return false
	}
	for k, d := range a {
		e := b[k]
		if d.Key != e.Key || d.Tag != e.Tag || (d.RetiredAt == nil) != (e.RetiredAt == nil) {
			return false
		}
	}
	return true
}

// Letters are drawn from the device's key, never one a device holds; two
// computers enrolled at the same time that drew the same one (1 chance in
// 650) are told apart: the one whose key sorts first keeps it, and the
// other may not add.
func TestLetters(t *testing.T) {
	a, b, owner := twoComputers(t)
	m, _ := a.Manifest()
	pubX, _, _ := ed25519.GenerateKey(rand.Reader)
	pubY, _, _ := ed25519.GenerateKey(rand.Reader)
	tag := m.Head().TagFor(pubX)
	if tag < 26 || tag > 675 || m.Head().TagFor(pubX) != tag {
		t.Fatalf("TagFor = %d, want the same two letters (26 to 675) each time", tag)
	}
	taken := *m.Head()
	taken.Devices = append(slices.Clone(taken.Devices), journal.DeviceEntry{Key: journal.DeviceName(pubY), Tag: tag})
	if taken.TagFor(pubX) == tag {
		t.Fatal("TagFor gave a letter another device holds")
	}

	enrol := func(s *journal.Store, pub ed25519.PublicKey, name string) {
		change(t, s, owner, "enrolled "+name, func(st *journal.Statement) {
			st.Devices = append(st.Devices, journal.DeviceEntry{Key: journal.DeviceName(pub), Name: name, EnrolledAt: time.Now().UTC(), Tag: tag})
		})
	}
	enrol(a, pubX, "x")
	enrol(b, pubY, "y")
	exchange(t, a, b)
	keeps, loses := pubX, pubY
	if journal.DeviceName(pubY) < journal.DeviceName(pubX) {
		keeps, loses = pubY, pubX
	}
	for _, s := range []*journal.Store{a, b} {
		m, _ := s.Manifest()
		if m.TagClash(keeps) != nil || m.TagClash(loses) == nil {
			t.Fatalf("TagClash: the device that keeps the letter %v, the other %v", m.TagClash(keeps), m.TagClash(loses))
		}
	}
}

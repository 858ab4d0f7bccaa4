package journal_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

// keyUnlocker gives the journal's keys, and checks, while it does, that
// nobody holds the journal: a person may take minutes to type a
// passphrase.
type keyUnlocker struct {
	t      *testing.T
	path   string
	sealer *crypto.Sealer
	err    error
	calls  int
}

func (u *keyUnlocker) Unlock(m *journal.Meta) (journal.Keys, error) {
	u.calls++
	if len(m.Recipients) == 0 {
		u.t.Errorf("Unlock was given a meta without recipients")
	}
	s, err := journal.Open(u.path, journal.Options{LockWait: 10 * time.Millisecond})
	if err != nil {
		u.t.Errorf("while unlocking, opening the journal for writing = %v; no lock may be held", err)
	} else {
		s.Close()
	}
	if u.err != nil {
		return nil, u.err
	}
	return u.sealer, nil
}

// pinnedRecords is how many records this computer's pin says it has seen.
func pinnedRecords(t *testing.T, s *journal.Store) uint64 {
	t.Helper()
	pin, err := journal.LoadPin(s.ID())
	if err != nil {
		t.Fatal(err)
	}
	if pin == nil {
		return 0
	}
	return pin.Records
}

func TestOpenJournalModes(t *testing.T) {
	path, sealer := newJournal(t)
	u := &keyUnlocker{t: t, path: path, sealer: sealer}
	for mode, want := range map[journal.Mode]struct {
		writes, state bool
	}{
		journal.ForReading:  {false, true},
		journal.ForChange:   {true, true},
		journal.ForAppend:   {true, false},
		journal.ForChecking: {false, false},
	} {
		j, err := journal.OpenJournal(path, mode, u, journal.OpenOptions{})
		if err != nil {
			t.Fatalf("mode %d: %v", mode, err)
		}
		if (j.State != nil) != want.state || j.Meta == nil || j.Keys == nil {
			t.Errorf("mode %d: state %v, meta %v, keys %v; want the state read: %v", mode, j.State != nil, j.Meta != nil, j.Keys != nil, want.state)
		}
		if want.writes {
			if err := j.Append(j.Keys, incident("letter", t0)); err != nil {
				t.Errorf("mode %d: Append = %v, want it signed with this computer's device key and written", mode, err)
			}
		} else if _, _, err := j.PutBlob(j.Keys, "note.txt", strings.NewReader("a note"), t0); !errors.Is(err, journal.ErrReadOnly) {
			t.Errorf("mode %d: PutBlob = %v, want ErrReadOnly", mode, err)
		}
		j.Close()
	}
	if u.calls != 4 {
		t.Errorf("Unlock called %d times for 4 openings", u.calls)
	}
}

func TestOpenJournalUnlockFails(t *testing.T) {
	path, sealer := newJournal(t)
	wrong := errors.New("incorrect passphrase")
	u := &keyUnlocker{t: t, path: path, sealer: sealer, err: wrong}
	if j, err := journal.OpenJournal(path, journal.ForChange, u, journal.OpenOptions{}); err != wrong || j != nil {
		t.Fatalf("OpenJournal with a failing unlocker = %v, %v; want its error as it is", j, err)
	}
	// Nothing is left open.
	s, err := journal.Open(path, journal.Options{LockWait: 10 * time.Millisecond})
	if err != nil {
		t.Fatalf("after a failed unlock, opening for writing = %v", err)
	}
	s.Close()
}

func TestOpenJournalPin(t *testing.T) {
	path, sealer := newJournal(t)
	u := &keyUnlocker{t: t, path: path, sealer: sealer}
	j, err := journal.OpenJournal(path, journal.ForAppend, u, journal.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sum := range []string{"letter", "voicemail"} {
		if err := j.Append(sealer, incident(sum, t0)); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()
	older, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	j, err = journal.OpenJournal(path, journal.ForAppend, u, journal.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append(sealer, incident("email", t0)); err != nil {
		t.Fatal(err)
	}
	j.Close()
	// Reading it whole brings the pin forward.
	j, err = journal.OpenJournal(path, journal.ForReading, u, journal.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := pinnedRecords(t, j.Store); n != j.State.Seq || len(j.State.Incidents) != 3 {
		t.Errorf("after reading %d records the pin has seen %d", j.State.Seq, n)
	}
	j.Close()
	// An older copy put back is a rollback, for every mode, unless the
	// client checks the pin itself.
	if err := os.WriteFile(path, older, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []journal.Mode{journal.ForReading, journal.ForChange, journal.ForAppend, journal.ForChecking} {
		var rb *journal.RollbackError
		if j, err := journal.OpenJournal(path, mode, u, journal.OpenOptions{}); !errors.As(err, &rb) {
			if j != nil {
				j.Close()
			}
			t.Errorf("mode %d on an older copy = %v, want a RollbackError", mode, err)
		}
	}
	j, err = journal.OpenJournal(path, journal.ForChecking, u, journal.OpenOptions{NoPin: true})
	if err != nil {
		t.Fatalf("with NoPin, opening an older copy = %v", err)
	}
	j.Close()
	// The user accepts the older copy: it is compared with from now on.
	if err := journal.Repin(path); err != nil {
		t.Fatal(err)
	}
	j, err = journal.OpenJournal(path, journal.ForChange, u, journal.OpenOptions{})
	if err != nil {
		t.Fatalf("after ResetPin, opening the older copy = %v", err)
	}
	if n := len(j.State.Incidents); n != 2 {
		t.Errorf("the older copy holds %d incidents, want 2", n)
	}
	j.Close()
}

func TestCanAdd(t *testing.T) {
	path, _ := newJournal(t)
	s := open(t, path, true)
	if err := s.CanAdd(); err != nil {
		t.Errorf("CanAdd on the computer that made the journal = %v", err)
	}
	// Opened for writing, the store checks the device key it holds.
	s.Close()
	w, err := journal.OpenPinned(path, journal.Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.CanAdd(); err != nil {
		t.Errorf("CanAdd on a store opened for writing = %v", err)
	}
	w.Close()
	// Another computer: no device key of its own for this journal.
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, readOnly := range []bool{true, false} {
		s, err := journal.Open(path, journal.Options{ReadOnly: readOnly})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CanAdd(); !errors.Is(err, journal.ErrNotEnrolled) {
			t.Errorf("CanAdd on another computer (read-only %v) = %v, want ErrNotEnrolled", readOnly, err)
		}
		s.Close()
	}
}

// TestMetaSaysTheSyncFolder: a command decides from the meta it reads
// before unlocking whether to sync first, so the meta names the folder.
func TestMetaSaysTheSyncFolder(t *testing.T) {
	path, _ := newJournal(t)
	m, err := journal.ReadMeta(path, false)
	if err != nil {
		t.Fatal(err)
	}
	if m.SyncFolder != "" {
		t.Errorf("a journal that does not sync: meta names the folder %q", m.SyncFolder)
	}
	dir := t.TempDir()
	s := open(t, path, false)
	if err := s.SetSyncFolder(dir); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if m, err = journal.ReadMeta(path, false); err != nil {
		t.Fatal(err)
	}
	if m.SyncFolder != dir {
		t.Errorf("meta names the sync folder %q, want %q", m.SyncFolder, dir)
	}
}

// quickUnlocker gives the keys at once, as a key file does: the caller
// may keep the journal open while it unlocks.
type quickUnlocker struct {
	sealer *crypto.Sealer
	err    error
}

func (u quickUnlocker) Unlock(*journal.Meta) (journal.Keys, error) { return u.sealer, u.err }

// TestOpenJournalLooked: a store the caller read the meta from is read
// from, not opened again, by the read-only modes; the other modes, and a
// failed unlock, close it, so that nothing keeps the journal from a
// writer.
func TestOpenJournalLooked(t *testing.T) {
	path, sealer := newJournal(t)
	defer func(d time.Duration) { journal.LockTimeout = d }(journal.LockTimeout)
	journal.LockTimeout = 200 * time.Millisecond
	look := func() (*journal.Store, *journal.Meta) {
		s, err := journal.OpenPinned(path, journal.Options{ReadOnly: true}, false)
		if err != nil {
			t.Fatal(err)
		}
		m, err := s.Meta()
		if err != nil {
			t.Fatal(err)
		}
		return s, m
	}
	writable := func(when string) {
		t.Helper()
		s, err := journal.Open(path, journal.Options{})
		if err != nil {
			t.Fatalf("%s, opening the journal for writing = %v: the look was left open", when, err)
		}
		s.Close()
	}
	for _, mode := range []journal.Mode{journal.ForReading, journal.ForChecking} {
		s, m := look()
		j, err := journal.OpenJournal(path, mode, quickUnlocker{sealer: sealer}, journal.OpenOptions{Meta: m, Looked: s})
		if err != nil {
			t.Fatal(err)
		}
		if j.Store != s {
			t.Errorf("mode %d opened the journal again instead of reading the look", mode)
		}
		j.Close()
		writable("after reading")
	}
	for _, mode := range []journal.Mode{journal.ForChange, journal.ForAppend} {
		s, m := look()
		j, err := journal.OpenJournal(path, mode, quickUnlocker{sealer: sealer}, journal.OpenOptions{Meta: m, Looked: s})
		if err != nil {
			t.Fatalf("mode %d with a look open = %v", mode, err)
		}
		j.Close()
	}
	s, m := look()
	refused := errors.New("refused")
	if _, err := journal.OpenJournal(path, journal.ForReading, quickUnlocker{err: refused}, journal.OpenOptions{Meta: m, Looked: s}); !errors.Is(err, refused) {
		t.Fatalf("a failed unlock = %v, want its error", err)
	}
	writable("after a failed unlock")
}

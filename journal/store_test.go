package journal_test

import (
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

func init() { crypto.TestUseLowScryptWorkFactor() }

// newJournal creates a journal in a temporary folder and returns its path
// and a sealer that can both seal and open its records.
func newJournal(t testing.TB) (string, *crypto.Sealer) {
	t.Helper()
	id, err := crypto.Generate(false)
	if err != nil {
		t.Fatal(err)
	}
	wrapped, err := crypto.Wrap(id, "pass")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sub", "journal.db")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if _, err := journal.CreateWithDevice(path, &journal.Meta{WrappedIdentity: wrapped, Recipients: []string{id.Recipient()}}, id.OwnerKey(), "test"); err != nil {
		t.Fatal(err)
	}
	sealer, err := crypto.NewSealer([]string{id.Recipient()}, id)
	if err != nil {
		t.Fatal(err)
	}
	return path, sealer
}

func open(t testing.TB, path string, readOnly bool) *journal.Store {
	t.Helper()
	s, err := journal.Open(path, journal.Options{ReadOnly: readOnly})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if dev, err := journal.LoadDevice(s.ID()); err == nil {
		s.UseDevice(dev, nil)
	}
	return s
}

// openDevice opens a journal for writing, signing with this computer's
// device key for it.
func openDevice(path string) (*journal.Store, error) {
	s, err := journal.Open(path, journal.Options{})
	if err != nil {
		return nil, err
	}
	dev, err := journal.LoadDevice(s.ID())
	if err != nil {
		s.Close()
		return nil, err
	}
	s.UseDevice(dev, nil)
	return s, nil
}

func incident(summary string, at time.Time) *journal.Record {
	return &journal.Record{Type: journal.TypeIncident, RecordedAt: at,
		Fields: &journal.Fields{OccurredAt: at, Summary: summary}}
}

var t0 = time.Date(2026, 11, 24, 14, 30, 0, 0, time.UTC)

func TestCreate(t *testing.T) {
	path, _ := newJournal(t)
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s has mode %#o, want %#o", p, got, want)
		}
	}
	before, _ := os.ReadFile(path)
	err := journal.Create(path, &journal.Meta{WrappedIdentity: []byte("x"), Recipients: []string{"y"}, OwnerKey: make(ed25519.PrivateKey, 64)})
	if !errors.Is(err, journal.ErrExists) {
		t.Errorf("Create over a journal = %v, want ErrExists", err)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Error("Create over a journal changed it")
	}
}

func TestAppendLoad(t *testing.T) {
	path, sealer := newJournal(t)
	s := open(t, path, false)
	a, b := incident("first", t0), incident("second", t0.Add(-time.Hour))
	b.RecordedAt = t0
	if err := s.Append(sealer, a, b); err != nil {
		t.Fatal(err)
	}
	if a.Incident != 1 || b.Incident != 2 {
		t.Errorf("incidents numbered %d, %d; want 1, 2", a.Incident, b.Incident)
	}
	amended := journal.Fields{OccurredAt: t0, Summary: "first, corrected"}
	err := s.Append(sealer,
		&journal.Record{Type: journal.TypeAmendment, RecordedAt: t0, Incident: 1, Fields: &amended, Reason: "typo", Changed: []journal.Field{"summary"}},
		&journal.Record{Type: journal.TypeVoid, RecordedAt: t0, Incident: 2, Reason: "duplicate"},
		incident("third", t0.Add(time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Load(sealer)
	if err != nil {
		t.Fatal(err)
	}
	if st.Seq != 5 || len(st.Incidents) != 3 {
		t.Fatalf("Load: %d records, %d incidents; want 5, 3", st.Seq, len(st.Incidents))
	}
	first := st.Incident(1)
	if first.Summary != "first, corrected" || len(first.Amendments) != 1 || first.Amendments[0].Previous.Summary != "first" {
		t.Errorf("amended incident = %q with history %+v", first.Summary, first.Amendments)
	}
	if st.Incident(2).Void == nil || st.Incident(2).Void.Reason != "duplicate" {
		t.Error("incident 2 is not void")
	}
	if st.Incident(3).ID != 3 {
		t.Errorf("third incident has ID %d", st.Incident(3).ID)
	}
	got := st.Select(journal.Query{})
	if len(got) != 2 || got[0].ID != 1 || got[1].ID != 3 {
		t.Errorf("Select without void = %v", ids(got))
	}
	got = st.Select(journal.Query{IncludeVoid: true})
	if len(got) != 3 || got[0].ID != 2 {
		t.Errorf("Select with void, in time order = %v, want [2 1 3]", ids(got))
	}
	_, fp, err := s.Head()
	if err != nil || fp != st.Fingerprint {
		t.Errorf("Head fingerprint %q, Load fingerprint %q (%v)", fp, st.Fingerprint, err)
	}
}

func ids(ins []*journal.Incident) []uint64 {
	var out []uint64
	for _, in := range ins {
		out = append(out, in.ID)
	}
	return out
}

func TestAppendWithoutIdentity(t *testing.T) {
	path, reader := newJournal(t)
	s := open(t, path, false)
	m, err := s.Meta()
	if err != nil {
		t.Fatal(err)
	}
	writer, _ := crypto.NewSealer(m.Recipients)
	if err := s.Append(writer, incident("sealed to the public key alone", t0)); err != nil {
		t.Fatal(err)
	}
	st, err := s.Load(reader)
	if err != nil || st.Incident(1).Summary != "sealed to the public key alone" {
		t.Fatalf("Load = %v", err)
	}
}

func TestReadOnly(t *testing.T) {
	path, sealer := newJournal(t)
	s := open(t, path, true)
	if err := s.Append(sealer, incident("x", t0)); !errors.Is(err, journal.ErrReadOnly) {
		t.Errorf("Append on a read-only store = %v, want ErrReadOnly", err)
	}
	// Two readers at once are fine.
	open(t, path, true)
}

func TestInUse(t *testing.T) {
	defer func(d time.Duration) { journal.LockTimeout = d }(journal.LockTimeout)
	journal.LockTimeout = 200 * time.Millisecond
	path, _ := newJournal(t)
	open(t, path, false)
	start := time.Now()
	_, err := openDevice(path)
	if !errors.Is(err, journal.ErrInUse) {
		t.Errorf("second Open = %v, want ErrInUse", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("second Open hung")
	}
	if _, err := journal.Open(path, journal.Options{ReadOnly: true}); !errors.Is(err, journal.ErrInUse) {
		t.Errorf("read-only Open while a writer holds it = %v, want ErrInUse", err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage")
	os.WriteFile(garbage, []byte("not a journal at all, just some text that is long enough"), 0o600)
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, nil, 0o600)
	other := filepath.Join(dir, "other.db")
	db, _ := bolt.Open(other, 0o600, nil)
	db.Close()
	tests := []struct {
		path string
		want error
	}{
		{filepath.Join(dir, "missing"), journal.ErrNoJournal},
		{garbage, journal.ErrNotJournal},
		{empty, journal.ErrNotJournal},
		{other, journal.ErrNotJournal},
	}
	for _, tt := range tests {
		if _, err := journal.Open(tt.path, journal.Options{ReadOnly: true}); !errors.Is(err, tt.want) {
			t.Errorf("Open(%s) = %v, want %v", filepath.Base(tt.path), err, tt.want)
		}
	}
	if info, _ := os.Stat(empty); info.Size() != 0 {
		t.Error("Open changed an empty file")
	}
}

// tamper changes the stored log directly, as someone with the file could.
func tamper(t *testing.T, path string, fn func(b *bolt.Bucket)) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error { fn(tx.Bucket([]byte("log"))); return nil }); err != nil {
		t.Fatal(err)
	}
}

func key(n uint64) []byte {
	return []byte{0, 0, 0, 0, 0, 0, 0, byte(n)}
}

func TestIntegrity(t *testing.T) {
	tests := []struct {
		name    string
		change  func(b *bolt.Bucket)
		wantSeq uint64
	}{
		{"ciphertext byte", func(b *bolt.Bucket) {
			v := append([]byte(nil), b.Get(key(2))...)
			v[len(v)-5] ^= 1
			b.Put(key(2), v)
		}, 2},
		{"previous hash", func(b *bolt.Bucket) {
			v := append([]byte(nil), b.Get(key(3))...)
			v[1] ^= 1
			b.Put(key(3), v)
		}, 3},
		{"record removed", func(b *bolt.Bucket) { b.Delete(key(2)) }, 2},
		{"records swapped", func(b *bolt.Bucket) {
			v1, v2 := append([]byte(nil), b.Get(key(1))...), append([]byte(nil), b.Get(key(2))...)
			b.Put(key(1), v2)
			b.Put(key(2), v1)
		}, 1},
		{"envelope version", func(b *bolt.Bucket) {
			v := append([]byte(nil), b.Get(key(1))...)
			v[0] = 9
			b.Put(key(1), v)
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, sealer := newJournal(t)
			s, err := openDevice(path)
			if err != nil {
				t.Fatal(err)
			}
			s.Append(sealer, incident("a", t0), incident("b", t0), incident("c", t0))
			s.Close()
			tamper(t, path, tt.change)
			s = open(t, path, true)
			_, err = s.Verify(sealer)
			var ie *journal.IntegrityError
			if !errors.As(err, &ie) || ie.Seq != tt.wantSeq {
				t.Errorf("Verify = %v, want an integrity error at record %d", err, tt.wantSeq)
			}
		})
	}
}

// BenchmarkAdd times what one `journal add` does to the store after 1,000
// incidents: open, seal to the public recipient, append, commit, close.
func BenchmarkAdd(b *testing.B) {
	path, sealer := newJournal(b)
	s, _ := openDevice(path)
	recs := make([]*journal.Record, 1000)
	for i := range recs {
		recs[i] = incident("an incident of a typical length, with a place and a person", t0)
	}
	if err := s.Append(sealer, recs...); err != nil {
		b.Fatal(err)
	}
	m, _ := s.Meta()
	s.Close()
	writer, _ := crypto.NewSealer(m.Recipients)
	b.ResetTimer()
	for b.Loop() {
		s, err := openDevice(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Append(writer, incident("one more", t0)); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// A journal damaged where it says what it is (its meta bucket or format
// version) is damaged, not another program's file: the user is told to
// restore it, not to check the path.
func TestDamagedMetaIsDamageNotAnotherFile(t *testing.T) {
	for name, damage := range map[string]func(tx *bolt.Tx) error{
		"format changed": func(tx *bolt.Tx) error { return tx.Bucket([]byte("meta")).Put([]byte("format"), []byte("\xff")) },
		"meta lost":      func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte("meta")) },
	} {
		path, _ := newJournal(t)
		db, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Update(damage); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		db.Close()
		_, err = journal.Open(path, journal.Options{ReadOnly: true})
		var ie *journal.IntegrityError
		if !errors.As(err, &ie) || errors.Is(err, journal.ErrNotJournal) {
			t.Errorf("%s: Open = %v, want an integrity error", name, err)
		}
	}
}

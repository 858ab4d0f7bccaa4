package journal

import (
	"encoding/binary"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/journal-dev/journal/crypto"
)

// damageableJournal writes a journal of 120 incidents, some long enough
// to take pages of their own, and returns its path and bytes.
func damageableJournal(t testing.TB) (string, []byte) {
	crypto.TestUseLowScryptWorkFactor()
	id, err := crypto.Generate(true)
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := crypto.NewSealer([]string{id.Recipient()}, id)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	path := filepath.Join(dir, "journal.db")
	dev, err := CreateWithDevice(path, &Meta{WrappedIdentity: []byte("x"), Recipients: []string{id.Recipient()}}, id.OwnerKey(), "test")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{Device: dev})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 24, 14, 30, 0, 0, time.UTC)
	for i := range 120 {
		f := &Fields{OccurredAt: at, Summary: "incident"}
		if i%5 == 0 {
			f.Details = strings.Repeat("a long account ", 400)
		}
		if err := s.Append(sealer, &Record{Type: TypeIncident, RecordedAt: at, Fields: f}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, good
}

// TestCheckFileDamage damages a journal file in ways that make bbolt read
// outside the file (page numbers and key lengths set far beyond its end,
// random flipped bytes) and runs the file check on each copy. bbolt's own
// check runs in a goroutine where such a read would crash the program, so
// a failure of this test is the test binary dying.
func TestCheckFileDamage(t *testing.T) {
	path, good := damageableJournal(t)
	const pageSize = 4096
	var copies [][]byte
	rng := rand.New(rand.NewPCG(1, 2))
	elements, flips := 2, 100
	if os.Getenv("JOURNAL_SLOW_TESTS") == "1" {
		elements, flips = 8, 1500
	}
	for p := 2; p < len(good)/pageSize; p++ {
		// The first page numbers a branch page could hold set far out,
		// and the first key lengths a branch or leaf page could hold set
		// past the end of the file.
		for e := range elements {
			elem := p*pageSize + 16 + e*16
			b := append([]byte(nil), good...)
			binary.LittleEndian.PutUint64(b[elem+8:], 1<<40)
			copies = append(copies, b)
			for _, field := range []int{4, 8} {
				b := append([]byte(nil), good...)
				binary.LittleEndian.PutUint32(b[elem+field:], 0x800008)
				copies = append(copies, b)
			}
		}
	}
	for range flips {
		b := append([]byte(nil), good...)
		b[2*pageSize+rng.IntN(len(b)-2*pageSize)] ^= byte(1 << rng.IntN(8))
		copies = append(copies, b)
	}
	failed := 0
	for _, b := range copies {
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			failed++
			continue
		}
		err = s.checkFile()
		s.Close()
		if err != nil {
			failed++
			continue
		}
		// What bbolt's own check finds, ours finds too. (Run only on a
		// copy ours passed: every page and length is then inside the
		// file, and bbolt's check cannot read past its end.)
		if found := boltFinds(t, path); found != nil {
			t.Fatalf("bbolt's check finds %v in a copy the file check passes", found)
		}
	}
	t.Logf("%d damaged copies of a %d-page file checked without a crash; %d found damaged", len(copies), len(good)/pageSize, failed)

	// A page in use listed as free: bbolt would give it to the next page
	// it writes, over what it holds.
	if err := os.WriteFile(path, good, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := loadHeader(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	b := append([]byte(nil), good...)
	cur := h.page[h.current]
	fl := b[cur.freelist*pageSize:]
	count := binary.NativeEndian.Uint16(fl[10:])
	binary.NativeEndian.PutUint64(fl[16+8*int(count):], cur.root)
	binary.NativeEndian.PutUint16(fl[10:], count+1)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if found := boltFinds(t, path); found == nil {
		t.Fatal("bbolt's check finds nothing wrong with a page in use listed as free")
	}
	if err := checkPages(path); err == nil {
		t.Fatal("the file check finds nothing wrong with a page in use listed as free")
	}
}

// boltFinds runs bbolt's own consistency check on the file at path and
// returns its first finding, or nil.
func boltFinds(t *testing.T, path string) error {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	var first error
	db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			if first == nil {
				first = err
			}
		}
		return nil
	})
	return first
}

// FuzzCheckFile writes bytes over a journal file's pages and checks the
// copy: the check never crashes, and what bbolt's own check finds in a
// copy it passes, it finds too.
func FuzzCheckFile(f *testing.F) {
	path, good := damageableJournal(f)
	f.Add(uint32(2*4096+16), []byte{0xff, 0xff, 0xff, 0xff})
	f.Add(uint32(3*4096+24), []byte{1})
	f.Add(uint32(len(good)-4096), []byte("a page"))
	f.Fuzz(func(t *testing.T, at uint32, b []byte) {
		at = 2*4096 + at%uint32(len(good)-2*4096)
		damaged := append([]byte(nil), good...)
		copy(damaged[at:], b)
		if err := os.WriteFile(path, damaged, 0o600); err != nil {
			t.Fatal(err)
		}
		if checkPages(path) != nil {
			return
		}
		if found := boltFinds(t, path); found != nil {
			t.Fatalf("bbolt's check finds %v in a copy the file check passes", found)
		}
	})
}

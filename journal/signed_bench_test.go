package journal

import (
	"crypto/ed25519"
	"crypto/rand"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/journal-dev/journal/crypto"
)

// BenchmarkSignRecord times what signing adds to each record: the device's
// Ed25519 signature over an envelope with a typical post-quantum age
// ciphertext (about 2 KB).
func BenchmarkSignRecord(b *testing.B) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	e := &Envelope{Journal: make([]byte, 16), Place: 1000, Ciphertext: make([]byte, 2048)}
	for b.Loop() {
		e.Sign(key)
	}
}

// BenchmarkVerifyRecord times what checking a record's signature adds to
// every read that decrypts it.
func BenchmarkVerifyRecord(b *testing.B) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	e := &Envelope{Journal: make([]byte, 16), Place: 1000, Ciphertext: make([]byte, 2048)}
	e.Sign(key)
	for b.Loop() {
		if !e.SignatureValid() {
			b.Fatal("signature does not verify")
		}
	}
}

// BenchmarkManifestCheck times what checking the manifest and the pin adds
// to each add: read the manifest, check its owner's signatures, compare
// the journal with this computer's pin.
func BenchmarkManifestCheck(b *testing.B) {
	b.Setenv("XDG_CONFIG_HOME", b.TempDir())
	id, _ := crypto.Generate(false)
	path := filepath.Join(b.TempDir(), "journal.db")
	dev, err := CreateWithDevice(path, &Meta{WrappedIdentity: []byte("x"), Recipients: []string{id.Recipient()}}, id.OwnerKey(), "bench")
	if err != nil {
		b.Fatal(err)
	}
	s, err := Open(path, Options{Device: dev})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	sealer, _ := crypto.NewSealer([]string{id.Recipient()})
	for range 100 {
		if err := s.Append(sealer, &Record{Type: TypeIncident, RecordedAt: t0bench, Fields: &Fields{OccurredAt: t0bench, Summary: "x"}}); err != nil {
			b.Fatal(err)
		}
	}
	pin, err := s.UpdatePin(nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		err := s.view(func(tx *bolt.Tx) error {
			m, err := readManifest(tx)
			if err != nil {
				return err
			}
			return checkPin(tx, m, pin, true)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

var t0bench = time.Date(2026, 11, 24, 14, 30, 0, 0, time.UTC)

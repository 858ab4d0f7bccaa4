package crypto

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"

	"filippo.io/age"
)

func TestFileKeysOpenWithoutTheIdentity(t *testing.T) {
	for _, classic := range []bool{false, true} {
		id, _ := Generate(classic)
		s, _ := NewSealer([]string{id.Recipient()}, id)
		ct, key, err := s.SealKeyed([]byte("Called my mobile five times"))
		if err != nil || len(key) != FileKeySize {
			t.Fatalf("SealKeyed: %v, key of %d bytes", err, len(key))
		}
		plain, got, err := s.OpenKeyed(ct)
		if err != nil || !bytes.Equal(got, key) || string(plain) != "Called my mobile five times" {
			t.Fatalf("OpenKeyed: %q, %v; same key: %v", plain, err, bytes.Equal(got, key))
		}
		// No identity at all: the key alone opens it.
		locked, _ := NewSealer([]string{id.Recipient()})
		if plain, err := locked.OpenWithKey(ct, key); err != nil || string(plain) != "Called my mobile five times" {
			t.Fatalf("OpenWithKey: %q, %v", plain, err)
		}
		// Any other key fails, as damage, and opens nothing.
		wrong := make([]byte, FileKeySize)
		rand.Read(wrong)
		if plain, err := locked.OpenWithKey(ct, wrong); !errors.Is(err, ErrDamaged) || plain != nil {
			t.Fatalf("a wrong key: %q, %v", plain, err)
		}
		// A changed byte anywhere fails too.
		for _, i := range []int{20, len(ct) / 2, len(ct) - 1} {
			bad := bytes.Clone(ct)
			bad[i] ^= 1
			if _, err := locked.OpenWithKey(bad, key); err == nil {
				t.Fatalf("byte %d changed, still opened", i)
			}
		}
	}
}

func TestSealToOwnLeavesOutOtherRecipients(t *testing.T) {
	own, _ := Generate(true)
	recovery, _ := Generate(true)
	s, _ := NewSealer([]string{own.Recipient(), recovery.Recipient()})
	ct, err := s.SealToOwn([]byte("file keys"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&Sealer{identities: []age.Identity{own.id}}).Open(ct); err != nil {
		t.Fatalf("the journal's own key cannot open it: %v", err)
	}
	if _, err := (&Sealer{identities: []age.Identity{recovery.id}}).Open(ct); err == nil {
		t.Fatal("a recovery key opened what is sealed to the journal's own key only")
	}
}

// FuzzOpenWithKeyFast checks the one-buffer opening against age's own:
// whatever it opens, age opens to the same bytes; a changed byte anywhere
// makes both fail.
func FuzzOpenWithKeyFast(f *testing.F) {
	id, _ := Generate(true)
	s, _ := NewSealer([]string{id.Recipient()}, id)
	for _, n := range []int{0, 1, 1500, 64<<10 - 1, 64 << 10, 64<<10 + 1, 2 << 17} {
		f.Add(n, -1, byte(0))
		f.Add(n, n/2, byte(1))
	}
	f.Fuzz(func(t *testing.T, n, flip int, bit byte) {
		if n < 0 || n > 1<<18 {
			return
		}
		plain := make([]byte, n)
		for i := range plain {
			plain[i] = byte(i * 7)
		}
		ct, key, err := s.SealKeyed(plain)
		if err != nil {
			t.Fatal(err)
		}
		if flip >= 0 {
			ct[flip%len(ct)] ^= 1 << (bit % 8)
		}
		fast, ok := openWithKeyFast(ct, key)
		slow, err := s.openWith(ct, fixedKey(key))
		if ok && (err != nil || !bytes.Equal(fast, slow)) {
			t.Fatalf("the fast path opened what age does not open the same: %v", err)
		}
		if flip < 0 && (!ok || !bytes.Equal(fast, plain)) {
			t.Fatalf("the fast path did not open an intact file of %d bytes", n)
		}
	})
}

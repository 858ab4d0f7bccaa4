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

package journal_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/journal-dev/journal/crypto"
)

// TestPassphraseChangeLeavesNoOldKey: after the wrapped identity is
// replaced and the free pages cleared, the file holds no byte string of the
// old wrapped identity, which the old passphrase would open.
func TestPassphraseChangeLeavesNoOldKey(t *testing.T) {
	path, sealer := newJournal(t)
	s := open(t, path, false)
	for i := range 30 {
		if err := s.Append(sealer, incident("incident", t0)); err != nil {
			t.Fatal(i, err)
		}
	}
	m, err := s.Meta()
	if err != nil {
		t.Fatal(err)
	}
	old := m.WrappedIdentity
	id, err := crypto.Unwrap(old, "pass")
	if err != nil {
		t.Fatal(err)
	}
	wrapped, err := crypto.Wrap(id, "new pass")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetWrappedIdentity(wrapped); err != nil {
		t.Fatal(err)
	}
	// The scrypt stanza's salt line is unique to the old wrap.
	salt := old[:bytes.IndexByte(old[30:], '\n')+30]
	data, _ := os.ReadFile(path)
	if !bytes.Contains(data, salt) {
		t.Log("the old wrapped key was already overwritten before clearing")
	}
	if err := s.ClearFreePages(); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(path)
	if bytes.Contains(data, salt) {
		t.Fatal("the key wrapped with the old passphrase is still in the file")
	}
	if !bytes.Contains(data, wrapped[:40]) {
		t.Fatal("the new wrapped key is not in the file")
	}
	if _, err := s.Verify(sealer); err != nil {
		t.Fatalf("verify after clearing free pages: %v", err)
	}
}

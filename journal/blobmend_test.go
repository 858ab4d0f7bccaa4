package journal_test

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

// sealedAs stores text as evidence and returns its attachment and its
// sealed bytes as the journal holds them.
func sealedAs(t *testing.T, s *journal.Store, sealer *crypto.Sealer, name, text string) (*journal.Attachment, []byte) {
	t.Helper()
	a, _, err := s.PutBlob(sealer, name, strings.NewReader(text), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var sealed bytes.Buffer
	if err := s.CopySealedBlob(a.Blob, &sealed); err != nil {
		t.Fatal(err)
	}
	return a, sealed.Bytes()
}

// holdInstead makes the journal hold sealed as a's blob.
func holdInstead(t *testing.T, s *journal.Store, a *journal.Attachment, sealed []byte) {
	t.Helper()
	if err := s.DeleteBlobs(a.Blob); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSealedBlob(a.Blob, bytes.NewReader(sealed)); err != nil {
		t.Fatal(err)
	}
}

func held(t *testing.T, s *journal.Store, a *journal.Attachment) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := s.CopySealedBlob(a.Blob, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// copiesOf offers the files each function gives, as a sync folder would.
func copiesOf(files ...func() []byte) journal.BlobCopies {
	return func(string) []func() (io.ReadCloser, error) {
		var out []func() (io.ReadCloser, error)
		for _, f := range files {
			out = append(out, func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(f())), nil })
		}
		return out
	}
}

// TestAGoodCopyReplacesADamagedHeldOneCheckedAsStored checks what a read
// does with a held copy of evidence that does not match its record and a
// good copy in the sync folder: the good one is read and takes the held
// one's place, checked again as it is stored, so that a folder file that
// changed after it was checked is never kept; in a journal open only to
// read, the good copy is kept for MendBlob.
func TestAGoodCopyReplacesADamagedHeldOneCheckedAsStored(t *testing.T) {
	path, sealer := newJournal(t)
	s := open(t, path, false)
	a, good := sealedAs(t, s, sealer, "note.txt", "I know where you park.")
	_, planted := sealedAs(t, s, sealer, "other.txt", "Nothing to see here.")
	_, swapped := sealedAs(t, s, sealer, "third.txt", "Swapped after the check")
	holdInstead(t, s, a, planted)
	fixed := func() []byte { return good }
	bad := func() []byte { return planted }

	// A folder file that is good when read, and other bytes when stored.
	opens := 0
	changing := func() []byte {
		opens++
		if opens <= 2 {
			return good
		}
		return swapped
	}
	s.UseBlobCopies(copiesOf(bad, changing))
	var got bytes.Buffer
	if err := s.ReadBlob(sealer, a, &got); err != nil || got.String() != "I know where you park." {
		t.Fatalf("ReadBlob = %q, %v; want the good copy", got.String(), err)
	}
	if opens != 3 {
		t.Fatalf("the changing copy was opened %d times, want 3 (checked, read, stored)", opens)
	}
	if !bytes.Equal(held(t, s, a), planted) {
		t.Error("a copy that changed after it was checked took the held one's place")
	}

	// A copy that stays good takes its place, and is read without the folder.
	s.UseBlobCopies(copiesOf(bad, fixed))
	got.Reset()
	if err := s.ReadBlob(sealer, a, &got); err != nil || got.String() != "I know where you park." {
		t.Fatalf("ReadBlob = %q, %v; want the good copy", got.String(), err)
	}
	if !bytes.Equal(held(t, s, a), good) {
		t.Error("the good copy did not take the held one's place")
	}
	if len(s.Mends()) != 0 {
		t.Errorf("a journal open for writing left %d copies to mend", len(s.Mends()))
	}

	// Open only to read, the read keeps the good copy for MendBlob.
	holdInstead(t, s, a, planted)
	s.Close()
	r := open(t, path, true)
	r.UseBlobCopies(copiesOf(bad, fixed))
	got.Reset()
	if err := r.ReadBlob(sealer, a, &got); err != nil || got.String() != "I know where you park." {
		t.Fatalf("ReadBlob read-only = %q, %v; want the good copy", got.String(), err)
	}
	mends := r.Mends()
	if len(mends) != 1 || mends[0].Attachment.Name != "note.txt" {
		t.Fatalf("Mends() = %v, want the note", mends)
	}
	r.Close()
	w := open(t, path, false)
	if ok, err := w.MendBlob(sealer, mends[0]); !ok || err != nil {
		t.Fatalf("MendBlob = %v, %v; want it replaced", ok, err)
	}
	if !bytes.Equal(held(t, w, a), good) {
		t.Error("MendBlob did not put the good copy in the journal")
	}
	if ok, err := w.MendBlob(sealer, mends[0]); ok || err != nil {
		t.Errorf("MendBlob of a held copy that holds = %v, %v; want nothing done", ok, err)
	}
}

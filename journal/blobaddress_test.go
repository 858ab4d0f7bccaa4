package journal_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

// Evidence stored with an address key is named by the keyed hash of its
// content: the same file gets the same name (and is stored once), another
// key gives another name, and the plain SHA-256 is never the name.
func TestBlobAddress(t *testing.T) {
	s, sealer := openJournal(t)
	key := sealer.AddressKey()
	if len(key) != 32 {
		t.Fatalf("AddressKey() = %d bytes, want 32", len(key))
	}
	s.UseAddressKey(key)
	now := time.Now()
	data := pattern(3<<20 + 5)
	a, fresh, err := s.PutBlob(sealer, "photo.jpg", bytes.NewReader(data), now)
	if err != nil || !fresh {
		t.Fatalf("PutBlob = %v, fresh %v; want a new blob", err, fresh)
	}
	sum := sha256.Sum256(data)
	if a.Blob != journal.BlobAddress(key, sum[:]) || a.Blob == hex.EncodeToString(sum[:]) || len(a.Blob) != 64 {
		t.Fatalf("blob key = %s, want the keyed address of the content", a.Blob)
	}
	other := bytes.Clone(key)
	other[0] ^= 1
	if journal.BlobAddress(other, sum[:]) == a.Blob {
		t.Fatal("another address key gives the same address")
	}

	// The same file again: the same address, the copy dropped.
	b, fresh, err := s.PutBlob(sealer, "same.jpg", bytes.NewReader(data), now)
	if err != nil || fresh || b.Blob != a.Blob {
		t.Fatalf("PutBlob again = %s, fresh %v, %v; want %s, not fresh", b.Blob, fresh, err, a.Blob)
	}
	keys, err := s.BlobKeys()
	if err != nil || len(keys) != 1 || keys[0] != a.Blob {
		t.Fatalf("BlobKeys = %v, %v; want only %s", keys, err, a.Blob)
	}
	for _, att := range []*journal.Attachment{a, b} {
		var got bytes.Buffer
		if err := s.ReadBlob(sealer, att, &got); err != nil || !bytes.Equal(got.Bytes(), data) {
			t.Fatalf("ReadBlob(%s) = %d bytes, %v", att.Name, got.Len(), err)
		}
	}

	// Without the key (a computer not given it yet), a random key, as
	// before; both kinds read back.
	s.UseAddressKey(nil)
	c, fresh, err := s.PutBlob(sealer, "old.txt", strings.NewReader("before addresses"), now)
	if err != nil || !fresh || len(c.Blob) != 32 {
		t.Fatalf("PutBlob without a key = %q, fresh %v, %v; want a random 16-byte key", c.Blob, fresh, err)
	}
	if err := s.ReadBlob(sealer, c, io.Discard); err != nil {
		t.Fatal(err)
	}
}

// A file that fails half way leaves nothing, and never removes the blob
// of the same address that the journal held before.
func TestBlobAddressFailureKeepsHeld(t *testing.T) {
	s, sealer := openJournal(t)
	s.UseAddressKey(sealer.AddressKey())
	data := pattern(5 << 20)
	a, _, err := s.PutBlob(sealer, "video.mp4", bytes.NewReader(data), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.PutBlob(sealer, "video.mp4", io.MultiReader(bytes.NewReader(data[:4<<20]), &failingReader{}), time.Now()); err == nil {
		t.Fatal("PutBlob of a failing reader succeeded")
	}
	keys, err := s.BlobKeys()
	if err != nil || len(keys) != 1 || keys[0] != a.Blob {
		t.Fatalf("BlobKeys = %v, %v; want only %s", keys, err, a.Blob)
	}
	if err := s.ReadBlob(sealer, a, io.Discard); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkAttachAddressed is [BenchmarkAttach] with an address key: the
// file is hashed as it is sealed and its chunks moved to its address at
// the end. Each round's file differs, so every round stores it anew.
func BenchmarkAttachAddressed(b *testing.B) {
	s, sealer := openJournal(b)
	s.UseAddressKey(sealer.AddressKey())
	size := int64(64)
	if v, err := strconv.Atoi(os.Getenv("JOURNAL_BENCH_MIB")); err == nil && v > 0 {
		size = int64(v)
	}
	size <<= 20
	block := pattern(1<<20 + 7)
	b.SetBytes(size)
	b.ResetTimer()
	for i := range b.N {
		block[0] = byte(i)
		if _, fresh, err := s.PutBlob(sealer, "video.mp4", &repeatReader{block: block, n: size}, time.Now()); err != nil || !fresh {
			b.Fatal(err, fresh)
		}
	}
}

// A copy held at a file's address that does not read back as the file
// (brought from a sync folder damaged, say) is replaced when the file is
// attached again, instead of the good copy being dropped: the attachment
// then reads back.
func TestBlobAddressReplacesABadHeldCopy(t *testing.T) {
	s, sealer := openJournal(t)
	s.UseAddressKey(sealer.AddressKey())
	data := pattern(200 << 10)
	sum := sha256.Sum256(data)
	address := journal.BlobAddress(sealer.AddressKey(), sum[:])
	var other bytes.Buffer
	w, err := sealer.SealStream(&other)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("not the photo"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSealedBlob(address, &other); err != nil {
		t.Fatal(err)
	}

	a, fresh, err := s.PutBlob(sealer, "photo.jpg", bytes.NewReader(data), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if a.Blob != address || fresh {
		t.Errorf("PutBlob = %s, fresh %v; want the address %s, not fresh (other attachments may name it)", a.Blob, fresh, address)
	}
	var got bytes.Buffer
	if err := s.ReadBlob(sealer, a, &got); err != nil {
		t.Fatalf("the file attached again does not read back: %v", err)
	}
	if !bytes.Equal(got.Bytes(), data) {
		t.Error("the file attached again reads back other bytes")
	}
}

package journal_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

// openJournal creates a journal and opens it for writing.
func openJournal(t testing.TB) (*journal.Store, *crypto.Sealer) {
	t.Helper()
	path, sealer := newJournal(t)
	return open(t, path, false), sealer
}

// pattern is reproducible, incompressible-looking data.
func pattern(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

func TestBlobRoundTrip(t *testing.T) {
	s, sealer := openJournal(t)
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	for _, size := range []int{0, 1, 64 << 10, 3*(1<<20) + 17, 17 << 20} {
		data := pattern(size)
		a, _, err := s.PutBlob(sealer, "voicemail.ogg", bytes.NewReader(data), now)
		if err != nil {
			t.Fatalf("PutBlob(%d bytes): %v", size, err)
		}
		want := sha256.Sum256(data)
		if a.Size != int64(size) || a.SHA256 != hex.EncodeToString(want[:]) {
			t.Fatalf("PutBlob(%d bytes) = size %d sha %s, want %d %x", size, a.Size, a.SHA256, size, want)
		}
		if a.MediaType != "audio/ogg" {
			t.Errorf("media type = %q, want audio/ogg", a.MediaType)
		}
		var got bytes.Buffer
		if err := s.ReadBlob(sealer, a, &got); err != nil {
			t.Fatalf("ReadBlob(%d bytes): %v", size, err)
		}
		if !bytes.Equal(got.Bytes(), data) {
			t.Fatalf("ReadBlob(%d bytes) gave %d different bytes", size, got.Len())
		}
	}
}

func TestBlobVisibleOnlyWithRecord(t *testing.T) {
	s, sealer := openJournal(t)
	now := time.Now()
	inc := &journal.Record{Type: journal.TypeIncident, RecordedAt: now,
		Fields: &journal.Fields{OccurredAt: now, Summary: "letter"}}
	a, _, err := s.PutBlob(sealer, "letter.pdf", bytes.NewReader([]byte("%PDF-1.4 hello")), now)
	if err != nil {
		t.Fatal(err)
	}
	orphan, _, err := s.PutBlob(sealer, "other.txt", strings.NewReader("never named"), now)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Append(sealer, inc, &journal.Record{Type: journal.TypeAttachment, RecordedAt: now, Attachment: a}); err != nil {
		t.Fatal(err)
	}
	st, err := s.Load(sealer)
	if err != nil {
		t.Fatal(err)
	}
	in := st.Incident(1)
	if len(in.Attachments) != 1 || in.Attachments[0].Name != "letter.pdf" || in.Attachments[0].MediaType != "application/pdf" {
		t.Fatalf("incident 1 attachments = %+v", in.Attachments)
	}
	// The blob no record names is listed, and stays until asked for.
	orphans, err := s.OrphanBlobs(st)
	if err != nil || len(orphans) != 1 || orphans[0].Key != orphan.Blob || orphans[0].Size == 0 {
		t.Fatalf("OrphanBlobs = %+v, %v; want the one orphan", orphans, err)
	}
	if err := s.ReadBlob(sealer, orphan, io.Discard); err != nil {
		t.Fatalf("listing the orphan removed it: %v", err)
	}
	// A named blob is never removed, even when asked.
	if err := s.RemoveOrphans(st, []journal.Orphan{{Key: a.Blob}}); err == nil {
		t.Fatal("RemoveOrphans removed a named blob")
	}
	if err := s.RemoveOrphans(st, orphans); err != nil {
		t.Fatal(err)
	}
	if err := s.ReadBlob(sealer, orphan, io.Discard); err == nil {
		t.Fatal("the orphan can still be read after RemoveOrphans")
	}
	if _, err := s.VerifyBlobs(sealer, st); err != nil {
		t.Fatalf("VerifyBlobs: %v", err)
	}
	// An attachment record that names no incident is refused whole.
	if err := s.Append(sealer, &journal.Record{Type: journal.TypeAttachment, RecordedAt: now, Attachment: a}); err == nil {
		t.Fatal("Append of an attachment without an incident succeeded")
	}
}

func TestBlobMismatch(t *testing.T) {
	s, sealer := openJournal(t)
	a, _, err := s.PutBlob(sealer, "photo.jpg", bytes.NewReader(pattern(100)), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b := *a
	b.SHA256 = strings.Repeat("0", 64)
	err = s.ReadBlob(sealer, &b, io.Discard)
	var ie *journal.IntegrityError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), `"photo.jpg": does not match its SHA-256`) {
		t.Fatalf("ReadBlob with a wrong hash = %v, want an integrity error", err)
	}
	b = *a
	b.Blob = strings.Repeat("ab", 16)
	if err := s.ReadBlob(sealer, &b, io.Discard); !errors.As(err, &ie) {
		t.Fatalf("ReadBlob of a missing blob = %v, want an integrity error", err)
	}
}

// failingReader fails after giving some bytes, as a file on a failing disk
// or a removed USB stick would.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("input/output error")
	}
	k := min(len(p), f.n)
	f.n -= k
	return k, nil
}

func TestBlobFailedReadLeavesNothing(t *testing.T) {
	s, sealer := openJournal(t)
	_, _, err := s.PutBlob(sealer, "big.mov", &failingReader{n: 40 << 20}, time.Now())
	if err == nil || !strings.Contains(err.Error(), "input/output error") {
		t.Fatalf("PutBlob of a failing reader = %v", err)
	}
	st, err := s.Load(sealer)
	if err != nil {
		t.Fatal(err)
	}
	if o, err := s.OrphanBlobs(st); len(o) != 0 || err != nil {
		t.Fatalf("after a failed PutBlob, OrphanBlobs = %v, %v; want nothing left", o, err)
	}
}

// repeatReader gives n bytes of a pattern, without holding them all.
type repeatReader struct {
	block []byte
	n     int64
	off   int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(int64(len(p)), r.n)], r.block[r.off:])
	r.off = (r.off + k) % len(r.block)
	r.n -= int64(k)
	return k, nil
}

// BenchmarkAttach seals and stores an evidence file of 64 MiB, or of
// JOURNAL_BENCH_MIB MiB, and reports the throughput. scripts/bench-attach
// measures the whole command on 1 GiB, with its peak memory.
func BenchmarkAttach(b *testing.B) {
	s, sealer := openJournal(b)
	size := int64(64)
	if v, err := strconv.Atoi(os.Getenv("JOURNAL_BENCH_MIB")); err == nil && v > 0 {
		size = int64(v)
	}
	size <<= 20
	block := pattern(1<<20 + 7)
	b.SetBytes(size)
	b.ResetTimer()
	for range b.N {
		if _, _, err := s.PutBlob(sealer, "video.mp4", &repeatReader{block: block, n: size}, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

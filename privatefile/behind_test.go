package privatefile

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

// TestBehindWritesEverythingInOrder: what is written through the buffer
// handed on behind the writer arrives whole and in order, whatever the
// sizes of the writes, and Close can be called again.
func TestBehindWritesEverythingInOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 50 {
		var got, want bytes.Buffer
		b := newBehind(&got, 1+r.IntN(64))
		for range r.IntN(40) {
			p := make([]byte, r.IntN(200))
			for i := range p {
				p[i] = byte(r.Uint32())
			}
			want.Write(p)
			if n, err := b.Write(p); n != len(p) || err != nil {
				t.Fatalf("round %d: Write = %d, %v", round, n, err)
			}
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("round %d: %d bytes arrived, %d written, or not the same", round, got.Len(), want.Len())
		}
	}
}

type failing struct{ after int }

var errDisk = errors.New("disk full")

func (f *failing) Write(p []byte) (int, error) {
	if f.after -= len(p); f.after < 0 {
		return 0, errDisk
	}
	return len(p), nil
}

// TestBehindReportsTheWritersError: a write that fails behind is the
// error of Close, and a write after Close fails.
func TestBehindReportsTheWritersError(t *testing.T) {
	b := newBehind(&failing{after: 100}, 32)
	for range 10 {
		b.Write(make([]byte, 30))
	}
	if err := b.Close(); !errors.Is(err, errDisk) {
		t.Fatalf("Close = %v, want %v", err, errDisk)
	}
	if _, err := b.Write([]byte("x")); err == nil {
		t.Error("a write after Close succeeded")
	}
}

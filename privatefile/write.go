package privatefile

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
)

// NameError is returned by [Write] when commit ran and succeeded but the
// file could not then take its name: what commit did stands, and no file
// is left behind.
type NameError struct {
	Path string
	Err  error
}

func (e *NameError) Error() string { return fmt.Sprintf("%s could not be written: %v", e.Path, e.Err) }

func (e *NameError) Unwrap() error { return e.Err }

// Write writes the private file path whole or not at all. write gives its
// bytes, which are counted and hashed (SHA-256) as they are written,
// through a buffer: never held whole. commit, if not nil, runs once they
// are safely on disk and before the file takes its name, with their number
// and hash; if it fails, nothing is left behind and its error is returned.
//
// Without [Options.Force] a taken name is never replaced, not even one
// taken while the bytes were written: the error is then [ErrExists] (and
// commit has not run). A failure to name the file after commit ran is a
// [*NameError].
func Write(path string, opts Options, write func(io.Writer) error, commit func(size int64, sum [32]byte) error) error {
	f, err := Create(path, opts)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer f.Abort()
	hw := &hashingWriter{w: f, h: sha256.New()}
	bw := newBehind(hw, 256<<10)
	defer bw.Close()
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	var sum [32]byte
	hw.h.Sum(sum[:0])
	committed := false
	err = f.Commit(func() error {
		if commit != nil {
			if err := commit(hw.n, sum); err != nil {
				return err
			}
		}
		committed = true
		return nil
	})
	switch {
	case err == nil:
		return nil
	case committed:
		return &NameError{Path: path, Err: err}
	case errors.Is(err, ErrExists):
		return ErrExists
	}
	return err
}

// behind is a buffered writer that hands each full buffer to w on another
// goroutine, while the caller fills the next one: the hashing and the
// writing of a report run beside its making, on another processor. An
// error of w is returned by Close.
type behind struct {
	w    io.Writer
	buf  []byte
	full chan []byte
	free chan []byte
	done chan error
	err  error
	shut bool
}

func newBehind(w io.Writer, size int) *behind {
	// Two buffers in all: free has room for both, so handing one back
	// never waits.
	b := &behind{w: w, buf: make([]byte, 0, size), full: make(chan []byte, 1), free: make(chan []byte, 2), done: make(chan error, 1)}
	b.free <- make([]byte, 0, size)
	go func() {
		var err error
		for p := range b.full {
			if err == nil {
				_, err = b.w.Write(p)
			}
			b.free <- p[:0]
		}
		b.done <- err
	}()
	return b
}

func (b *behind) Write(p []byte) (int, error) {
	if b.shut {
		return 0, errors.New("write after close")
	}
	n := 0
	for len(p) > 0 {
		k := copy(b.buf[len(b.buf):cap(b.buf)], p)
		b.buf, p, n = b.buf[:len(b.buf)+k], p[k:], n+k
		if len(b.buf) == cap(b.buf) {
			b.full <- b.buf
			b.buf = <-b.free
		}
	}
	return n, nil
}

// Close hands on what is left, waits until w has it all, and returns the
// first error w gave. Closing again returns the same.
func (b *behind) Close() error {
	if !b.shut {
		b.shut = true
		if len(b.buf) > 0 {
			b.full <- b.buf
		}
		close(b.full)
		b.err = <-b.done
	}
	return b.err
}

// hashingWriter passes bytes on to w, counting them and taking their
// SHA-256 on the way.
type hashingWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (hw *hashingWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += int64(n)
	return n, err
}

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
	defer hw.stop()
	if err := write(hw); err != nil {
		return err
	}
	if err := hw.finish(); err != nil {
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

// hashBuffer is how many bytes hashingWriter gathers before it passes them
// on.
const hashBuffer = 256 << 10

// hashingWriter gathers bytes in a buffer and passes them on to w,
// counting them and taking their SHA-256 on the way. A file of one buffer
// or less (a draft) is written and hashed by the caller when it is
// finished. Once a first buffer is full (a report), a goroutine writes
// and hashes each full buffer while the caller fills the next: the report
// is rendered on one processor and hashed and written on another (the
// hash and the writing were a sixth of a JSON export's time). The bytes,
// their order and the hash are the same either way.
type hashingWriter struct {
	w   io.Writer
	h   hash.Hash
	n   int64
	buf []byte
	err error // the first error, which every later call returns
	// Set while the goroutine runs: full buffers go out on todo and
	// come back emptied on free; done gives its first error once todo
	// is closed; failed is closed at that error.
	todo, free chan []byte
	done       chan error
	failed     chan struct{}
}

func (hw *hashingWriter) Write(p []byte) (int, error) { return gather(hw, p) }

func (hw *hashingWriter) WriteString(s string) (int, error) { return gather(hw, s) }

// gather copies p into the buffer, handing the buffer on each time it is
// full.
func gather[T []byte | string](hw *hashingWriter, p T) (int, error) {
	written := 0
	for len(p) > 0 {
		if hw.err != nil {
			return written, hw.err
		}
		if hw.buf == nil {
			hw.buf = make([]byte, 0, hashBuffer)
		}
		m := copy(hw.buf[len(hw.buf):cap(hw.buf)], p)
		hw.buf, p, written = hw.buf[:len(hw.buf)+m], p[m:], written+m
		if len(hw.buf) == cap(hw.buf) {
			hw.handOn()
		}
	}
	return written, hw.err
}

// handOn gives the full buffer to the goroutine, started the first time,
// and takes an empty one.
func (hw *hashingWriter) handOn() {
	if hw.todo == nil {
		hw.todo, hw.free = make(chan []byte, 1), make(chan []byte, 2)
		hw.done, hw.failed = make(chan error, 1), make(chan struct{})
		go hw.pass()
		hw.free <- make([]byte, 0, hashBuffer)
	}
	select {
	case <-hw.failed:
		hw.stop()
		return
	case hw.todo <- hw.buf:
	}
	hw.n += int64(len(hw.buf))
	select {
	case <-hw.failed:
		hw.stop()
	case hw.buf = <-hw.free:
	}
}

// pass writes and hashes the buffers it is given, in order, until the
// first error.
func (hw *hashingWriter) pass() {
	var err error
	for b := range hw.todo {
		if err == nil {
			var n int
			n, err = hw.w.Write(b)
			hw.h.Write(b[:n])
			if err != nil {
				close(hw.failed)
			}
		}
		hw.free <- b[:0]
	}
	hw.done <- err
}

// stop ends the goroutine, if it runs, and keeps its error.
func (hw *hashingWriter) stop() {
	if hw.todo == nil {
		return
	}
	close(hw.todo)
	hw.todo = nil
	if err := <-hw.done; hw.err == nil {
		hw.err = err
	}
}

// finish passes on what is left in the buffer and waits until every byte
// is written and hashed.
func (hw *hashingWriter) finish() error {
	hw.stop()
	if hw.err != nil {
		return hw.err
	}
	n, err := hw.w.Write(hw.buf)
	hw.h.Write(hw.buf[:n])
	hw.n += int64(n)
	hw.buf = hw.buf[:0]
	if err != nil {
		hw.err = err
	}
	return err
}

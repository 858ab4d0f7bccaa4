package privatefile

import (
	"bufio"
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
	bw := bufio.NewWriterSize(hw, 256<<10)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
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

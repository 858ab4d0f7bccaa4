// Package privatefile writes files that hold plaintext a person asked for
// (a report, an evidence file written out) so that nothing of them is left
// behind unless they were written whole: the bytes go to a file that has
// no name until [File.Commit] gives it the one asked for, readable by its
// owner only (0600).
//
// On Linux the bytes are written to an unnamed file (O_TMPFILE) in the
// target's folder, so a crash, SIGKILL or Ctrl+C leaves nothing to find.
// Where that is not possible (another system, a file system without it),
// a hidden temporary file in the same folder is used; [File.Abort] removes
// it, and [RemoveAll], which a program calls when it is interrupted,
// removes every one still open.
package privatefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// ErrExists is returned by [File.Commit] when the name was taken and
// [Options.Force] was not given.
var ErrExists = fs.ErrExist

// Options says how to write a private file.
type Options struct {
	// Force replaces a file of that name; without it an existing file is
	// never replaced, not even one created while the data was written.
	Force bool
}

// File is a private file being written. Write to it, then Commit or
// Abort; Abort after Commit does nothing, so it can be deferred.
type File struct {
	f     *os.File
	path  string
	temp  string // the temporary name, when the file has one
	force bool
	done  bool
}

// Create starts a private file that will be named path. The folder must
// exist.
func Create(path string, opts Options) (*File, error) {
	dir := filepath.Dir(path)
	pf := &File{path: path, force: opts.Force}
	f, err := openUnnamed(dir)
	if err != nil || !unnamed {
		if f != nil {
			f.Close()
		}
		f, err = os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
		if err != nil {
			return nil, err
		}
		pf.temp = f.Name()
		track(pf.temp)
	}
	pf.f = f
	if err := f.Chmod(0o600); err != nil {
		pf.Abort()
		return nil, err
	}
	return pf, nil
}

// Write writes to the file.
func (p *File) Write(b []byte) (int, error) { return p.f.Write(b) }

// Commit makes the file durable, runs before (if not nil), and then gives
// the file its name. If before fails, or the name is taken without
// [Options.Force], nothing is left behind and the error is returned
// ([ErrExists] for a taken name). before runs while the file is made
// durable (two waits for the disk become one): the file takes its name
// only once both are done, and if making it durable fails after before
// succeeded, that error is returned and the file has no name.
func (p *File) Commit(before func() error) error {
	if p.done {
		return errors.New("privatefile: commit after commit or abort")
	}
	if !p.force {
		if _, err := os.Lstat(p.path); err == nil {
			p.Abort()
			return ErrExists
		}
	}
	synced := make(chan error, 1)
	go func() { synced <- p.f.Sync() }()
	if before != nil {
		if err := before(); err != nil {
			<-synced
			p.Abort()
			return err
		}
	}
	if err := <-synced; err != nil {
		p.Abort()
		return err
	}
	err := p.name()
	if err != nil {
		p.Abort()
		return err
	}
	p.done = true
	err = p.f.Close()
	if p.temp != "" {
		untrack(p.temp)
	}
	if d, derr := os.Open(filepath.Dir(p.path)); derr == nil {
		// Make the name durable; some file systems cannot sync a folder.
		d.Sync()
		d.Close()
	}
	return err
}

// name links or renames the file to its path.
func (p *File) name() error {
	if p.temp == "" {
		return linkUnnamed(p.f, p.path, p.force)
	}
	if p.force {
		return os.Rename(p.temp, p.path)
	}
	// A hard link fails if the name was taken meanwhile, where a rename
	// would replace it. Some file systems (FAT on a USB stick) have no
	// links: there, check and rename.
	err := os.Link(p.temp, p.path)
	switch {
	case err == nil:
		os.Remove(p.temp)
		return nil
	case errors.Is(err, fs.ErrExist):
		return ErrExists
	}
	if _, statErr := os.Lstat(p.path); statErr == nil {
		return ErrExists
	}
	return os.Rename(p.temp, p.path)
}

// Abort closes the file and removes it, unless it was committed.
func (p *File) Abort() {
	if p.done {
		return
	}
	p.done = true
	p.f.Close()
	if p.temp != "" {
		os.Remove(p.temp)
		untrack(p.temp)
	}
}

var (
	mu    sync.Mutex
	temps = map[string]bool{}
)

func track(name string) {
	mu.Lock()
	temps[name] = true
	mu.Unlock()
}

func untrack(name string) {
	mu.Lock()
	delete(temps, name)
	mu.Unlock()
}

// Temporary makes [RemoveAll] remove the file name too: a file another
// package writes under a temporary name of its own (a copy of the journal
// being made). Call the function it returns once the file is renamed or
// removed.
func Temporary(name string) (done func()) {
	track(name)
	return func() { untrack(name) }
}

// RemoveAll removes every temporary file of this package not yet committed
// or aborted, and every file given to [Temporary] and not yet done. A program calls it when a signal interrupts it, before it
// exits.
func RemoveAll() {
	mu.Lock()
	defer mu.Unlock()
	for name := range temps {
		os.Remove(name)
		delete(temps, name)
	}
}

// unnamed is whether unnamed files are used where they can be; tests turn
// it off to check the named temporary file.
var unnamed = true

// errUnnamed says that unnamed files are not available here.
var errUnnamed = fmt.Errorf("unnamed files are not supported here")

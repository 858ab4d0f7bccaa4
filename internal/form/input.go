package form

import (
	"errors"
	"io"
	"os"
	"sync"

	"golang.org/x/term"
)

// ErrTerminalClosed is returned when the terminal was closed, or could not
// be read, before the form was done.
var ErrTerminalClosed = errors.New("the terminal was closed before the form was finished")

// watchedInput is a full-screen form's input, watched for its end:
// bubbletea stops reading at the end of its input without a word, so a
// form whose terminal was closed under it (the program not told by a
// hang-up) would wait for ever. ended is closed at the first read that
// ends or fails; err is then io.EOF or the read's error.
type watchedInput struct {
	ended    chan struct{}
	once     sync.Once
	err      error
	terminal bool // the input is a terminal: its end is its closing
}

func newWatchedInput() *watchedInput { return &watchedInput{ended: make(chan struct{})} }

// saw notes the end of the input, if err says so.
func (w *watchedInput) saw(n int, err error) {
	if err == nil && n > 0 {
		return
	}
	if err == nil {
		err = io.EOF
	}
	w.once.Do(func() {
		w.err = err
		close(w.ended)
	})
}

// reason is the form's error for how its input ended.
func (w *watchedInput) reason() error {
	select {
	case <-w.ended:
	default:
		return nil
	}
	if errors.Is(w.err, io.EOF) && !w.terminal {
		return ErrInputEnded
	}
	// A terminal in raw mode reads nothing only once it has hung up.
	return ErrTerminalClosed
}

// wrap gives bubbletea in, watched. A terminal stays an *os.File to
// bubbletea's eyes (it has Fd, so bubbletea puts it in raw mode and
// reads it with a reader it can cancel).
func (w *watchedInput) wrap(in io.Reader) io.Reader {
	if f, ok := in.(*os.File); ok {
		w.terminal = term.IsTerminal(int(f.Fd()))
		return watchedFile{f, w}
	}
	return watchedReader{in, w}
}

type watchedFile struct {
	*os.File
	w *watchedInput
}

func (f watchedFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	if len(p) > 0 {
		f.w.saw(n, err)
	}
	return n, err
}

type watchedReader struct {
	io.Reader
	w *watchedInput
}

func (r watchedReader) Read(p []byte) (int, error) {
	n, err := r.Reader.Read(p)
	if len(p) > 0 {
		r.w.saw(n, err)
	}
	return n, err
}

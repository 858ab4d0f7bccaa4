package form

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/journal-dev/journal/internal/testwait"
	"github.com/journal-dev/journal/journal"
)

// failingReader is a terminal that can no longer be read.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) {
	return 0, errors.New("read /dev/tty: input/output error")
}

// TestFullScreenFormEndsWithItsInput checks that a full-screen form whose
// input ends, or fails, ends at once with the form's own error: it used to
// wait for ever (a terminal closed under it without a hang-up, or a test
// feeding it too little input).
func TestFullScreenFormEndsWithItsInput(t *testing.T) {
	for _, c := range []struct {
		name string
		in   io.Reader
		want error
	}{
		{"the input ends", strings.NewReader(""), ErrInputEnded},
		{"the input ends after a key", strings.NewReader("y"), ErrInputEnded},
		{"the terminal cannot be read", failingReader{}, ErrTerminalClosed},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("TERM", "xterm")
			done := make(chan error, 1)
			go func() {
				_, err := Confirm(context.Background(), Terminal{In: c.in, Out: io.Discard}, "Keep it?", "", "Yes", "No", true)
				done <- err
			}()
			err := testwait.Recv(t, done, "the form to end after its input ended")
			if !errors.Is(err, c.want) {
				t.Errorf("Confirm = %v, want %v", err, c.want)
			}
			if err != nil && strings.Contains(err.Error(), "input/output") {
				t.Errorf("Confirm = %q: Go's words reach the person", err)
			}
		})
	}

	// The add form ends the same way, with what was typed kept in a.
	a := FromFields(&journal.Fields{}, nil, formNow)
	err := Ask(context.Background(), Terminal{In: strings.NewReader("Car park"), Out: io.Discard}, a, formNow, nil)
	if !errors.Is(err, ErrInputEnded) {
		t.Errorf("Ask = %v, want %v", err, ErrInputEnded)
	}
	if !strings.Contains(a.When, "Car park") {
		t.Errorf("after the input ended, the first question holds %q, want what was typed", a.When)
	}
}

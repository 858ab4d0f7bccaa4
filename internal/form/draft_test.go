package form

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/journal-dev/journal/internal/testwait"
	"github.com/journal-dev/journal/journal"
)

// TestDraftKeepsTimesAsUnderstood checks that a draft read back later
// gives the same incident: "2 hours ago" is the time it meant when it was
// typed, not two hours before the draft is finished.
func TestDraftKeepsTimesAsUnderstood(t *testing.T) {
	a := FromFields(&journal.Fields{}, nil, formNow)
	a.When, a.Until, a.Summary, a.Where = "2 hours ago", "1 hour ago", "Waited by my car", "Staff car park"
	data, err := a.Draft(formNow)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadDraft(data)
	if err != nil {
		t.Fatal(err)
	}
	later := formNow.Add(26 * time.Hour)
	got, err := b.Fields(later)
	if err != nil {
		t.Fatalf("the draft's answers: %v", err)
	}
	if want := formNow.Add(-2 * time.Hour); !got.OccurredAt.Equal(want) {
		t.Errorf("when = %s, want %s", got.OccurredAt, want)
	}
	if got.Until == nil || !got.Until.Equal(formNow.Add(-time.Hour)) {
		t.Errorf("until = %v, want %s", got.Until, formNow.Add(-time.Hour))
	}
	if got.Summary != a.Summary || got.Place != a.Where {
		t.Errorf("summary %q, place %q: not as typed", got.Summary, got.Place)
	}
	if !b.Save {
		t.Error("a draft read back is not ready to save")
	}
}

func TestReadDraftRefusesOtherData(t *testing.T) {
	if _, err := ReadDraft([]byte("not a draft")); err == nil {
		t.Error("ReadDraft took bytes that are not a draft")
	}
}

// TestLineFormStopped checks that a stop (a closed terminal, SIGTERM)
// ends the accessible form while it waits for an answer, keeping what was
// typed, rather than going on as if nothing had happened.
func TestLineFormStopped(t *testing.T) {
	f := journal.Fields{OccurredAt: formNow}
	a := FromFields(&f, nil, formNow)
	start := *a
	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe()
	defer w.Close()
	in := newLineInput(ctx, r, nil)
	defer in.close()
	done := make(chan error)
	out := &waitFor{}
	asked := out.wait("Who was it?")
	go func() { done <- runLineForm(in, out, a, &start, addPages(a, formNow, nil)) }()
	w.Write([]byte("\n\n\nCar park\n"))
	testwait.Recv(t, asked, `the form to ask "Who was it?"`)
	cancel()
	if err := testwait.Recv(t, done, "the form to end after the stop"); !errors.Is(err, ErrStopped) {
		t.Fatalf("runLineForm after a stop = %v, want ErrStopped", err)
	}
	if a.Where != "Car park" {
		t.Errorf("where = %q after the stop, want what was typed", a.Where)
	}
}

func TestReadRawLineReadsNoFurther(t *testing.T) {
	r := strings.NewReader("2\nnext form\n")
	line, err := readRawLine(r)
	if err != nil || line != "2" {
		t.Fatalf("readRawLine = %q, %v", line, err)
	}
	rest, _ := io.ReadAll(r)
	if string(rest) != "next form\n" {
		t.Errorf("left %q for the next reader, want the rest", rest)
	}
	if _, err := readRawLine(strings.NewReader("half a line")); err == nil {
		t.Error("an input ending before its new line was taken as an answer")
	}
}

// waitFor is a terminal that tells, by closing the channel wait
// returns, when a text has been written to it.
type waitFor struct {
	mu   sync.Mutex
	out  strings.Builder
	text string
	seen chan struct{}
}

// wait returns a channel closed once text is in what was written.
func (w *waitFor) wait(text string) <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	seen := make(chan struct{})
	w.text, w.seen = text, seen
	w.check()
	return seen
}

func (w *waitFor) check() {
	if w.seen != nil && strings.Contains(w.out.String(), w.text) {
		close(w.seen)
		w.seen = nil
	}
}

func (w *waitFor) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.out.Write(b)
	w.check()
	return len(b), nil
}

// String returns what was written so far.
func (w *waitFor) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.out.String()
}

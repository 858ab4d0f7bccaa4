package form

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journal-dev/journal/internal/testwait"
	"github.com/journal-dev/journal/journal"
)

var formNow = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

// lineForm runs the accessible form over the given input.
func lineForm(input string) (*Answers, error) {
	f := journal.Fields{OccurredAt: formNow}
	a := FromFields(&f, nil, formNow)
	start := *a
	in := newLineInput(context.Background(), strings.NewReader(input), nil)
	defer in.close()
	err := runLineForm(in, io.Discard, a, &start, addPages(a, formNow, nil))
	return a, err
}

func TestLineFormMinimal(t *testing.T) {
	// Enter keeps every default; the summary is the one answer needed.
	in := strings.Repeat("\n", 8) + "Note under the door\n" + strings.Repeat("\n", 14) + "y\n"
	a, err := lineForm(in)
	if err != nil {
		t.Fatalf("runLineForm: %v", err)
	}
	f, err := a.Fields(formNow)
	if err != nil || f.Summary != "Note under the door" || !f.OccurredAt.Equal(formNow) || f.ToldBy != "" {
		t.Fatalf("fields = %+v, %v", f, err)
	}
}

func TestLineFormEnds(t *testing.T) {
	for _, in := range []string{"", "yesterday 3pm", "yesterday 3pm\n\nn\nHome\nJohn\n9", "\n\n\n\n\n\n\n\nSummary\n1 2\nline one\nline two"} {
		_, err := lineForm(in)
		if !errors.Is(err, ErrInputEnded) {
			t.Errorf("runLineForm(%q) = %v, want ErrInputEnded", in, err)
		}
	}
}

// FuzzLineForm checks that no input makes the accessible form panic, and
// that whenever it finishes, the answers make a valid incident: nothing
// that skipped a check can be saved.
func FuzzLineForm(f *testing.F) {
	f.Add(strings.Repeat("\n", 8) + "Note\n" + strings.Repeat("\n", 11) + "y\n")
	f.Add("the other day\nyesterday 3pm\n\nn\nHome\nJohn\n9\n1\n\n\nShouted\n10 15\na\n.\n\ny\n\n\n\n\n\n\n4\n\ny\n")
	f.Add("cancel\n")
	f.Add("1 hour ago\n\ncancel\nn\n")
	f.Add(strings.Repeat("\n", 8) + "x\n\n\n\nn\n\n" + strings.Repeat("\n", 10) + "y\n")
	f.Fuzz(func(t *testing.T, in string) {
		a, err := lineForm(in)
		if err != nil {
			if !errors.Is(err, ErrInputEnded) && !errors.Is(err, ErrCancelled) {
				t.Fatalf("runLineForm(%q) = %v", in, err)
			}
			return
		}
		if _, err := a.Fields(formNow); err != nil {
			t.Fatalf("runLineForm(%q) finished with answers that do not make an incident: %v", in, err)
		}
	})
}

// TestFormKeepsGivenValues checks that fields given as flags come back
// from the form exactly as given when their answers are left as they are
// (a time's seconds and offset, a description with commas), and that an
// answer changed in the form is read as typed.
func TestFormKeepsGivenValues(t *testing.T) {
	want, err := journal.ExampleFields(formNow)
	if err != nil {
		t.Fatal(err)
	}
	a := FromFields(&want, nil, formNow)
	if a.When != "2026-11-24T14:30:45+05:00" {
		t.Errorf("the form shows the time given as %q, want it in full", a.When)
	}
	got, err := a.Fields(formNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range journal.FieldSpecs() {
		if g, w := s.Values(&got), s.Values(&want); !slices.Equal(g, w) {
			t.Errorf("%s = %q, want %q", s.Name, g, w)
		}
	}
	a.Where = "Home"
	a.Witnesses = "Ann Lee (chaperone); 0123"
	got, err = a.Fields(formNow)
	if err != nil {
		t.Fatal(err)
	}
	if got.Place != "Home" || len(got.Witnesses) != 1 || !got.Witnesses[0].Chaperone || got.Witnesses[0].Contact != "0123" {
		t.Errorf("answers changed in the form: place %q, witnesses %+v", got.Place, got.Witnesses)
	}
	if !got.OccurredAt.Equal(want.OccurredAt) || journal.WrittenTime(got.OccurredAt, false) != "2026-11-24T14:30:45+05:00" {
		t.Errorf("when = %s, want it as given", journal.WrittenTime(got.OccurredAt, false))
	}
}

func TestEvidencePaths(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	got := evidencePaths("~/screen shot.png\n'/tmp/a b.png'\n\"/tmp/c d.png\"\n/tmp/e\\ f\\ g.png\n  /tmp/plain.png  \n")
	want := []string{filepath.Join(home, "screen shot.png"), "/tmp/a b.png", "/tmp/c d.png", "/tmp/e f g.png", "/tmp/plain.png"}
	if !slices.Equal(got, want) {
		t.Errorf("evidencePaths = %q, want %q", got, want)
	}
}

// TestLineFormCancel checks that "cancel" after typing asks first:
// keeping goes on from the first page with every answer; discarding
// cancels. Before anything is typed, "cancel" cancels at once.
func TestLineFormCancel(t *testing.T) {
	a, err := lineForm("2 hours ago\ncancel\nn\n")
	if !errors.Is(err, ErrInputEnded) || a.When != "2 hours ago" {
		t.Errorf("keep editing, then the input ends: %v, when %q; want ErrInputEnded with the answer kept", err, a.When)
	}
	if _, err := lineForm("2 hours ago\ncancel\ny\n"); !errors.Is(err, ErrCancelled) {
		t.Errorf("discard = %v, want ErrCancelled", err)
	}
	if _, err := lineForm("cancel\n"); !errors.Is(err, ErrCancelled) {
		t.Errorf("cancel before typing = %v, want ErrCancelled", err)
	}
}

// TestLineFormInterrupt checks that Ctrl+C while a question waits is
// taken as "cancel": it asks before discarding what was typed.
func TestLineFormInterrupt(t *testing.T) {
	a := FromFields(&journal.Fields{OccurredAt: formNow}, nil, formNow)
	start := *a
	r, w := io.Pipe()
	defer w.Close()
	interrupt := make(chan os.Signal, 1)
	in := newLineInput(context.Background(), r, interrupt)
	defer in.close()
	out := &waitFor{}
	asked := out.wait("Who was it?")
	done := make(chan error)
	go func() { done <- runLineForm(in, out, a, &start, addPages(a, formNow, nil)) }()
	w.Write([]byte("\n\n\nCar park\n"))
	testwait.Recv(t, asked, `the form to ask "Who was it?"`)
	// The answer is written only once the question it answers is asked:
	// written with the interrupt, it could be read first, as the name.
	discard := out.wait("Discard what you typed?")
	interrupt <- os.Interrupt
	testwait.Recv(t, discard, "the form to ask whether to discard, after Ctrl+C")
	w.Write([]byte("y\n"))
	if err := testwait.Recv(t, done, "the form to end after the discard was confirmed"); !errors.Is(err, ErrCancelled) {
		t.Fatalf("Ctrl+C, then discard = %v, want ErrCancelled", err)
	}
	if !strings.Contains(out.String(), "Discard what you typed?") {
		t.Errorf("Ctrl+C did not ask before discarding:\n%s", out.String())
	}
}

// TestLineFormKeepEditing checks that "keep editing" goes on from the
// page the person was on, with the answers given so far.
func TestLineFormKeepEditing(t *testing.T) {
	a := FromFields(&journal.Fields{OccurredAt: formNow}, nil, formNow)
	start := *a
	var out strings.Builder
	in := newLineInput(context.Background(), strings.NewReader("\n\n\nCar park\nJohn\ncancel\nn\n"), nil)
	defer in.close()
	err := runLineForm(in, &out, a, &start, addPages(a, formNow, nil))
	if !errors.Is(err, ErrInputEnded) {
		t.Fatalf("runLineForm = %v, want ErrInputEnded", err)
	}
	_, after, ok := strings.Cut(out.String(), "Keeping it.")
	if !ok {
		t.Fatalf("keep editing was not said:\n%s", out.String())
	}
	if want := "Going on from this page, with your answers.\n\nPage 2 of 7: Who was involved\nWho was it?"; !strings.HasPrefix(after, " "+want) {
		t.Errorf("after keep editing the form says:\n%s\nwant it to begin %q", after, want)
	}
	if a.Where != "Car park" || a.Name != "John" {
		t.Errorf("answers after keep editing: where %q, name %q", a.Where, a.Name)
	}
}

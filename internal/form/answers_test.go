package form

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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

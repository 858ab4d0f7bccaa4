package form

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/journal-dev/journal/dates"
	"github.com/journal-dev/journal/journal"
)

// TestTypedAsText checks that keys arriving together are text: the words
// "enter", "down" and "left" in a burst are written, never taken as keys.
func TestTypedAsText(t *testing.T) {
	for _, burst := range []string{"enter", "down", "left", "He said enter"} {
		msg := typedAsText(nil, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(burst)})
		if k, ok := msg.(tea.KeyMsg); !ok || !k.Paste || string(k.Runes) != burst {
			t.Errorf("a burst of %q = %#v, want it as pasted text", burst, msg)
		}
	}
	for _, key := range []tea.KeyMsg{{Type: tea.KeyEnter}, {Type: tea.KeyRunes, Runes: []rune("e")}} {
		if msg := typedAsText(nil, key); msg.(tea.KeyMsg).Paste {
			t.Errorf("the single key %q was made a paste", key)
		}
	}
}

// TestReview checks the check page: the time in words with its day, that
// "Recorded" is the time of saving, and plurals as words.
func TestReview(t *testing.T) {
	a := FromFields(&journal.Fields{}, nil, formNow)
	a.When, a.Summary, a.Where = "yesterday 15:00", "Shouted at me", "Reception"
	a.Name, a.Relation = "John Smith", "patient"
	a.Evidence = "a.png"
	a.Kinds = []string{"phone-call", "in-person"}
	got := a.review(formNow)
	for _, want := range []string{
		"When:      Tuesday 24 November 2026 at 15:00, yesterday",
		"Recorded:  when you save it, 17 h after it happened",
		"Who:       John Smith (patient)",
		"What:      Shouted at me",
		// In the words the form offered them in.
		"Kind:      phone call, in person",
		"Evidence:  1 file",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the check page lacks %q:\n%s", want, got)
		}
	}
	a.Evidence = "a.png\nb.png"
	if got := a.review(formNow); !strings.Contains(got, "Evidence:  2 files") {
		t.Errorf("two files:\n%s", got)
	}
	// The person at the form is the author: spoken to, not of.
	a.FirstHand = true
	if got := a.review(formNow); !strings.Contains(got, "Source:    first-hand: you saw or heard it yourself") {
		t.Errorf("first-hand:\n%s", got)
	}
	a.Summary = ""
	if got := a.review(formNow); !strings.HasPrefix(got, "Not ready to save: ") {
		t.Errorf("without a summary the check page says:\n%s", got)
	}
}

func TestWhichByLine(t *testing.T) {
	now := time.Date(2026, 12, 1, 16, 0, 0, 0, time.UTC)
	_, err := dates.Parse("half past two", now)
	var amb *dates.AmbiguousError
	if !errors.As(err, &amb) {
		t.Fatalf("dates.Parse(half past two) = %v, want it ambiguous", err)
	}
	ask := func(in string) (dates.Result, string, error) {
		var out strings.Builder
		r, err := Which(context.Background(), Terminal{In: strings.NewReader(in), Out: &out, Lines: true}, amb)
		return r, out.String(), err
	}
	r, out, err := ask("7\n2\n")
	if err != nil || !r.Time.Equal(amb.Choices[1].Time) {
		t.Errorf("Which(7, then 2) = %v, %v, want the second reading", r.Time, err)
	}
	if !strings.Contains(out, "Not accepted: give a number from 1 to 3.") {
		t.Errorf("a number out of range was not refused:\n%s", out)
	}
	if _, _, err := ask("3\n"); !errors.Is(err, amb) {
		t.Errorf("Which(neither) = %v, want the ambiguity", err)
	}
	if _, _, err := ask(""); !errors.Is(err, amb) {
		t.Errorf("Which(no answer) = %v, want the ambiguity", err)
	}
}

func TestOfferDraftByLine(t *testing.T) {
	var out strings.Builder
	when := time.Date(2026, 11, 24, 14, 30, 0, 0, time.UTC)
	if OfferDraft(context.Background(), Terminal{In: strings.NewReader("y\n"), Out: &out, Lines: true}, "j.draft-1", when, 1) {
		t.Error("the line form took a draft without being told to")
	}
	want := "You left an incident unfinished on Tue 24 Nov at 14:30 (the newest of 2): finish it with 'journal add --draft j.draft-1'.\n"
	if out.String() != want {
		t.Errorf("OfferDraft said %q, want %q", out.String(), want)
	}
}

// TestNoColorMarksTheChoice checks that without colour the chosen button
// is marked in brackets, so that it shows.
func TestNoColorMarksTheChoice(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	yes := true
	f := confirm("Save this incident?", "", "Save", "Go back", &yes)
	f.Init()
	if v := f.View(); !strings.Contains(v, "[Save]") || strings.Contains(v, "[Go back]") {
		t.Errorf("without colour the form shows:\n%s", v)
	}
}

// TestConfirmByLine checks the yes-or-no question on a line terminal:
// enter keeps the answer offered, a wrong answer is asked again, and
// nothing after the answer's line is read.
func TestConfirmByLine(t *testing.T) {
	ask := func(in string, value bool) (bool, string, string, error) {
		var out strings.Builder
		r := strings.NewReader(in)
		yes, err := Confirm(context.Background(), Terminal{In: r, Out: &out, Lines: true}, "Create one now?", "It is kept here.", "Create it", "Not now", value)
		rest, _ := io.ReadAll(r)
		return yes, out.String(), string(rest), err
	}
	if yes, out, rest, err := ask("\nnext\n", true); !yes || err != nil || rest != "next\n" {
		t.Errorf("enter = %v, %v, left %q; want the answer offered, and the rest left", yes, err, rest)
	} else if want := "Create one now?\nIt is kept here.\ny for Create it, n for Not now [y]: "; out != want {
		t.Errorf("asked %q, want %q", out, want)
	}
	if yes, out, _, err := ask("maybe\nn\n", true); yes || err != nil || !strings.Contains(out, "Not accepted: answer y or n.") {
		t.Errorf("maybe, then n = %v, %v:\n%s", yes, err, out)
	}
	if yes, _, _, err := ask("yes\n", false); !yes || err != nil {
		t.Errorf("yes = %v, %v", yes, err)
	}
	if yes, _, _, err := ask("", true); yes || !errors.Is(err, ErrInputEnded) {
		t.Errorf("no answer = %v, %v; want no, and ErrInputEnded", yes, err)
	}
}

package form

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/journal-dev/journal/dates"
)

// Draft writes the answers for a draft, to be sealed and kept by the
// caller. Times are written as they were understood when typed, so that
// "2 hours ago" does not move when the draft is finished later.
func (a *Answers) Draft(now time.Time) ([]byte, error) {
	d := *a
	var o dates.Options
	if t, err := dates.Parse(a.When, now); err == nil {
		d.When = whenAnswer(t.Time, t.DateOnly)
		o.Start = t.Time
	}
	if t, err := dates.ParseWith(d.Until, now, o); err == nil && strings.TrimSpace(d.Until) != "" {
		d.Until = whenAnswer(t.Time, t.DateOnly)
	}
	return json.Marshal(&d)
}

// ReadDraft reads the answers kept in a draft by [Answers.Draft].
func ReadDraft(data []byte) (*Answers, error) {
	a := &Answers{}
	if err := json.Unmarshal(data, a); err != nil {
		return nil, err
	}
	a.Save = true
	return a, nil
}

// whenAnswer writes a time as the form's answer, so that reading it again
// gives the same time: a day alone as its date, a time in the local zone
// to the minute as "2026-11-24 14:30", anything else in RFC 3339.
func whenAnswer(t time.Time, dateOnly bool) string {
	switch {
	case dateOnly:
		return t.Format(time.DateOnly)
	case t.Second() == 0 && t.Nanosecond() == 0 && t.Location() == time.Local:
		return t.Format("2006-01-02 15:04")
	}
	return t.Format(time.RFC3339Nano)
}

// OfferDraft asks whether to finish a draft left unfinished at when, named
// name, before starting a new incident; others is how many other drafts
// there are. It reports whether to finish it. On a line terminal it says
// how to finish it and answers no, so the new incident goes on.
func OfferDraft(ctx context.Context, t Terminal, name string, when time.Time, others int) bool {
	at := "earlier"
	if !when.IsZero() {
		at = "on " + when.Format("Mon 2 Jan at 15:04")
	}
	more := ""
	if others > 0 {
		more = fmt.Sprintf(" (the newest of %d)", others+1)
	}
	if t.lines() {
		fmt.Fprintf(t.Out, "You left an incident unfinished %s%s: finish it with 'journal add --draft %s'.\n", at, more, name)
		return false
	}
	finish, err := Confirm(ctx, t, "You left an incident unfinished "+at+more+". Finish it now?",
		"It is kept, sealed, in "+name+". Finishing it needs your passphrase.",
		"Finish it", "Start a new one", true)
	return err == nil && finish
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/huh"
	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/dates"
)

// keepDraft seals the answers to the journal's recipients in a draft file
// beside the journal, readable only with the journal's key, and returns
// cause with a hint saying how to finish it. Times are kept as they were
// understood when typed, so "2 hours ago" does not move.
func keepDraft(g *globals, path string, sealer *crypto.Sealer, a *answers, now time.Time, cause error) error {
	d := *a
	if t, err := dates.Parse(d.When, now); err == nil {
		d.When = whenAnswer(t.Time, t.DateOnly)
	}
	var o dates.Options
	if t, err := dates.Parse(a.When, now); err == nil {
		o.Start = t.Time
	}
	if t, err := dates.ParseWith(d.Until, now, o); err == nil && strings.TrimSpace(d.Until) != "" {
		d.Until = whenAnswer(t.Time, t.DateOnly)
	}
	code, msg := describe(cause)
	plain, err := json.Marshal(&d)
	if err != nil {
		return cause
	}
	sealed, err := sealer.Seal(plain)
	if err != nil {
		return withHint(errors.New(msg), code, "and what you typed could not be kept: "+err.Error())
	}
	base := filepath.Join(filepath.Dir(path), filepath.Base(path)+".draft-"+now.Format("20060102-150405"))
	name := base
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	for i := 2; errors.Is(err, fs.ErrExist) && i < 100; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
		f, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	}
	if err == nil {
		_, err = f.Write(sealed)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(name)
		}
	}
	if err != nil {
		return withHint(errors.New(msg), code, "and what you typed could not be kept: "+err.Error())
	}
	return withHint(errors.New(msg), code,
		fmt.Sprintf("what you typed is kept, sealed, in %s: finish it with 'journal add --draft %s'", name, name))
}

// runAddDraft finishes an incident kept in a draft: on a terminal, in the
// form; otherwise as it stands. The draft is removed once it is recorded.
func runAddDraft(g *globals, o *addOptions, path string) error {
	data, err := os.ReadFile(o.draft)
	if err != nil {
		return withHint(fmt.Errorf("--draft: %w", plainFileError(err)), exitUsage, "give the file named when it was kept")
	}
	u := &unlocker{g: g}
	if _, err := g.unlockOnly(u); err != nil {
		return err
	}
	sealer := u.sealer
	plain, err := sealer.Open(data)
	if err != nil {
		return withHint(fmt.Errorf("%s is not a draft of this journal, or it was changed or cut short", o.draft), exitUsage, "give the file named when it was kept")
	}
	a := &answers{}
	if err := json.Unmarshal(plain, a); err != nil {
		return withHint(fmt.Errorf("%s is not a draft of journal add", o.draft), exitUsage, "give the file named when it was kept")
	}
	a.Save = true
	now := g.now()
	keep := func(err error) error {
		code, msg := describe(err)
		return withHint(errors.New(msg), code, "the draft "+o.draft+" is kept as it was")
	}
	if g.interactive {
		err = addWithForm(g, path, sealer, a, now, o.accessible || isDumbTerminal(), keep)
	} else {
		err = saveAnswers(g, path, sealer, a, now, keep)
	}
	if err != nil {
		return err
	}
	if err := os.Remove(o.draft); err != nil {
		fmt.Fprintf(g.err, "The draft %s could not be removed (%v); it is recorded, so delete it.\n", o.draft, err)
	}
	return nil
}

// drafts lists the drafts kept beside the journal at path, newest first.
func drafts(path string) []string {
	names, _ := filepath.Glob(path + ".draft-*")
	slices.Sort(names)
	slices.Reverse(names)
	return names
}

// offerDraft asks, on a terminal, whether to finish the newest draft kept
// beside the journal before starting a new incident, and returns it if
// so. The line-by-line form says where the draft is, and goes on.
func offerDraft(g *globals, path string, accessible bool) string {
	names := drafts(path)
	if len(names) == 0 {
		return ""
	}
	tty, err := g.openTTY()
	if err != nil {
		return ""
	}
	defer tty.Close()
	when := "earlier"
	if info, err := os.Stat(names[0]); err == nil {
		when = "on " + info.ModTime().Format("Mon 2 Jan at 15:04")
	}
	more := ""
	if len(names) > 1 {
		more = fmt.Sprintf(" (the newest of %d)", len(names))
	}
	if accessible {
		fmt.Fprintf(tty, "You left an incident unfinished %s%s: finish it with 'journal add --draft %s'.\n", when, more, names[0])
		return ""
	}
	finish := true
	err = runHuh(context.Background(), withTheme(huh.NewForm(huh.NewGroup(huh.NewConfirm().
		Title("You left an incident unfinished "+when+more+". Finish it now?").
		Description("It is kept, sealed, in "+names[0]+". Finishing it needs your passphrase.").
		Affirmative("Finish it").Negative("Start a new one").Value(&finish)))), g.in, tty, 0)
	if err != nil || !finish {
		return ""
	}
	return names[0]
}

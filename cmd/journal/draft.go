package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/internal/form"
	"github.com/journal-dev/journal/privatefile"
)

// keepDraft seals the answers to the journal's recipients in a draft file
// beside the journal at path, readable only with the journal's key, and
// returns cause with a hint saying how to finish it.
func keepDraft(path string, sealer *crypto.Sealer, a *form.Answers, now time.Time, cause error) error {
	code, msg := describe(cause)
	name, err := sealDraft(path, sealer, a, now)
	if err != nil {
		return withHint(errors.New(msg), code, "and what you typed could not be kept: "+err.Error())
	}
	return withHint(errors.New(msg), code, keptIn(name))
}

// keptIn says where what was typed is kept, and how to finish it.
func keptIn(name string) string {
	return fmt.Sprintf("what you typed is kept, sealed, in %s: finish it with 'journal add --draft %s'", name, name)
}

// sealDraft seals the answers in a new draft file beside the journal at
// path and returns its name.
func sealDraft(path string, sealer *crypto.Sealer, a *form.Answers, now time.Time) (string, error) {
	plain, err := a.Draft(now)
	if err != nil {
		return "", err
	}
	sealed, err := sealer.Seal(plain)
	if err != nil {
		return "", err
	}
	return writeDraft(path, sealed, now)
}

// writeDraft writes a sealed draft beside the journal at path, named for
// the time now, and returns its name. The draft is private (0600), whole
// and on the disk before it has a name, and never replaces another.
func writeDraft(path string, sealed []byte, now time.Time) (string, error) {
	base := path + ".draft-" + now.Format("20060102-150405")
	for i := 1; ; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s-%d", base, i)
		}
		err := privatefile.Write(name, privatefile.Options{}, func(w io.Writer) error {
			_, err := w.Write(sealed)
			return err
		}, nil)
		if !errors.Is(err, privatefile.ErrExists) || i == 99 {
			return name, err
		}
	}
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
	a, err := form.ReadDraft(plain)
	if err != nil {
		return withHint(fmt.Errorf("%s is not a draft of journal add", o.draft), exitUsage, "give the file named when it was kept")
	}
	now := g.now()
	keep := func(err error) error {
		code, msg := describe(err)
		if again, derr := a.Draft(now); derr == nil && !bytes.Equal(again, plain) {
			// More was typed since: a new draft keeps it, in the old
			// one's place.
			name, kerr := sealDraft(path, sealer, a, now)
			if kerr != nil {
				return withHint(errors.New(msg), code, "the draft "+o.draft+" is kept as it was, but what you typed since could not be kept: "+kerr.Error())
			}
			os.Remove(o.draft)
			return withHint(errors.New(msg), code, keptIn(name))
		}
		return withHint(errors.New(msg), code, "the draft "+o.draft+" is kept as it was")
	}
	if g.interactive {
		err = addWithForm(g, path, sealer, a, now, keep)
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

// offerDraft offers, on a terminal, to finish the newest draft kept beside
// the journal before starting a new incident, and returns it if so.
func offerDraft(g *globals, path string) string {
	names := drafts(path)
	if len(names) == 0 {
		return ""
	}
	tty, err := g.openTTY()
	if err != nil {
		return ""
	}
	defer tty.Close()
	var when time.Time
	if info, err := os.Stat(names[0]); err == nil {
		when = info.ModTime()
	}
	if form.OfferDraft(context.Background(), g.terminal(tty), names[0], when, len(names)-1) {
		return names[0]
	}
	return ""
}

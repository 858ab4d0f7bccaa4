package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/dates"
	"github.com/journal-dev/journal/internal/form"
	"github.com/journal-dev/journal/internal/pager"
	"github.com/journal-dev/journal/journal"
)

type addOptions struct {
	fields fieldFlags
	attach []string
	draft  string
}

func newAddCommand(g *globals) *cobra.Command {
	var o addOptions
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Record an incident",
		Long: `Record an incident, as soon after it as you can.

On a terminal, a short form asks what happened; any flags you give fill it
in. Without a terminal, give at least --summary. Adding never asks for the
passphrase. The new incident's number is printed on standard output.`,
		Example: `  journal add
  journal add --when "yesterday 15:00" --where "Reception, Riverside Surgery" \
      --who "John Smith (patient)" --kind in-person --kind verbal-abuse \
      --summary "Shouted at me at reception" --words "You'll regret this" \
      --witness "Ann Lee; 01632 960123" --severity medium`,
		Args: exactArgs(0, "no arguments (give the incident with flags)"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runAdd(g, cmd, &o)
		},
	}
	o.fields.register(cmd.Flags())
	cmd.Flags().StringArrayVar(&o.attach, "attach", nil, "an evidence `FILE` to seal with the incident (repeatable)")
	cmd.Flags().StringVar(&o.draft, "draft", "", "finish and record the incident kept in a draft `FILE` (needs the passphrase)")
	return cmd
}

func runAdd(g *globals, cmd *cobra.Command, o *addOptions) error {
	path, err := g.path()
	if err != nil {
		return err
	}
	if o.draft != "" {
		return runAddDraft(g, o, path)
	}
	// Check the evidence files and find the journal before asking
	// anything, so nobody types an incident only to learn there is nowhere
	// to keep it.
	files, err := openEvidence(o.attach)
	if err != nil {
		return err
	}
	defer closeAll(files)
	sealer, err := g.openToAdd()
	if errors.Is(err, journal.ErrNoJournal) && g.interactive {
		if err := offerInit(g, path); err != nil {
			return err
		}
		sealer, err = g.openToAdd()
	}
	if err != nil {
		return err
	}
	now := g.now()
	var f journal.Fields
	if _, err := o.fields.apply(&f, cmd.Flags(), g, now); err != nil {
		return err
	}
	if !f.OccurredAt.IsZero() && f.Summary != "" {
		// Say the time as it was understood before keeping it, so that
		// a wrong day is seen at once.
		fmt.Fprintf(g.err, "When: %s\n", dates.Echo(dates.Result{Time: f.OccurredAt, DateOnly: f.DateOnly, Approximate: f.Approximate}, now))
	}
	if f.Summary == "" {
		if !g.interactive {
			return usageError("--summary is required when not on a terminal")
		}
		closeAll(files)
		// Nobody waits for the journal while the form is open: it is
		// opened again to save.
		g.closeKept()
		if draft := offerDraft(g, path); draft != "" {
			o.draft = draft
			return runAddDraft(g, o, path)
		}
		a := form.FromFields(&f, o.attach, now)
		keep := func(err error) error { return keepDraft(path, sealer, a, now, err) }
		return addWithForm(g, path, sealer, a, now, keep)
	}
	if f.OccurredAt.IsZero() {
		f.OccurredAt = now.Truncate(time.Second)
	}
	if err := f.Validate(); err != nil {
		return usageError("%v", err)
	}
	rec := &journal.Record{Type: journal.TypeIncident, RecordedAt: now.Truncate(time.Second), Fields: &f}
	if err := saveIncident(g, path, sealer, rec, files); err != nil {
		return err
	}
	confirmAdded(g, rec)
	return nil
}

// addWithForm asks for the incident with the form, starting from a, and
// saves it. What was typed is never lost: if the form is left unfinished
// or saving fails, keep keeps it in a draft.
func addWithForm(g *globals, path string, sealer *crypto.Sealer, a *form.Answers, now time.Time, keep func(error) error) error {
	tty, err := g.openTTY()
	if err != nil {
		return usageError("--summary is required when not on a terminal")
	}
	// A closed terminal or a request to stop ends the form, and what was
	// typed is then kept in a draft. A closing terminal sends more than
	// one SIGHUP: from here until the draft is written, the ones after the
	// first must not end the program as they would once the form no
	// longer catches them.
	held := make(chan os.Signal, 1)
	signal.Notify(held, syscall.SIGHUP, syscall.SIGTERM)
	defer signal.Stop(held)
	err = form.Ask(context.Background(), g.terminal(tty), a, now, checkEvidence)
	tty.Close()
	switch {
	case errors.Is(err, form.ErrCancelled):
		return usageError("cancelled: nothing was recorded")
	case errors.Is(err, form.ErrInputEndedEmpty):
		return usageError("%v", err)
	case errors.Is(err, form.ErrInputEnded), errors.Is(err, form.ErrTerminalClosed), errors.Is(err, form.ErrKept), errors.Is(err, form.ErrStopped):
		return keep(usageError("%v", err))
	case err != nil:
		return keep(err)
	}
	return saveAnswers(g, path, sealer, a, now, keep)
}

// checkEvidence checks that the evidence files can be read, as their
// paths are typed in the form.
func checkEvidence(paths []string) error {
	files, err := openEvidence(paths)
	closeAll(files)
	return err
}

// saveAnswers records the incident the form's answers describe, or calls
// keep to keep them if it cannot.
func saveAnswers(g *globals, path string, sealer *crypto.Sealer, a *form.Answers, now time.Time, keep func(error) error) error {
	f, err := a.Fields(now)
	if err != nil {
		return keep(usageError("%v", err))
	}
	files, err := openEvidence(a.EvidencePaths())
	if err != nil {
		return keep(err)
	}
	defer closeAll(files)
	// Recorded is when it is saved, not when the form was opened.
	rec := &journal.Record{Type: journal.TypeIncident, RecordedAt: g.now().Truncate(time.Second), Fields: &f}
	if err := saveIncident(g, path, sealer, rec, files); err != nil {
		return keep(err)
	}
	confirmAdded(g, rec)
	return nil
}

// confirmAdded says that rec was recorded: its number alone on standard
// output for a script, unless that is a terminal, where the sentence on
// standard error says it.
func confirmAdded(g *globals, rec *journal.Record) {
	f := rec.Fields
	if pager.Look(g.out).File == nil {
		fmt.Fprintln(g.out, journal.IncidentRef(rec.Incident))
	}
	fmt.Fprintf(g.err, "Recorded incident %s: %s, %s.\n", journal.IncidentRef(rec.Incident), f.Summary, journal.FormatTime(f.OccurredAt, f.DateOnly, "Mon 2 Jan 2006 15:04"))
}

// offerInit asks whether to create a journal at path, and does.
func offerInit(g *globals, path string) error {
	none := withHint(fmt.Errorf("no journal at %s", path), exitUsage, "run 'journal init' to create one")
	tty, err := g.openTTY()
	if err != nil {
		return none
	}
	defer tty.Close()
	create, err := form.Confirm(context.Background(), g.terminal(tty), "There is no journal yet. Create one now?",
		"It will be kept at "+path+", encrypted with a passphrase you choose.", "Create it", "Not now", true)
	if err != nil || !create {
		return none
	}
	return runInit(g, initOptions{fromAdd: true})
}

// saveIncident records an incident and its evidence files: the incident
// with all its files, or nothing at all. It writes to the journal
// openToAdd kept open, or opens it.
func saveIncident(g *globals, path string, sealer *crypto.Sealer, rec *journal.Record, files []*os.File) error {
	s := g.kept
	if s == nil {
		var err error
		if s, err = g.openStore(journal.Options{}); err != nil {
			return err
		}
		defer s.Close()
	}
	_, err := s.AddIncident(sealer, rec, journal.EvidenceOf(files), g.sealingProgress)
	return refineWriteError(err)
}

// openToAdd opens the journal for writing, brings in the sync folder's
// newer manifest statements, checks that this computer may add, and
// returns what seals to the journal, without asking for anything. The
// journal stays open (g.kept) until the command ends, or until the form
// is opened (closeKept): adding with flags opens it once (twice with a
// sync folder).
func (g *globals) openToAdd() (*crypto.Sealer, error) {
	s, err := g.openStore(journal.Options{})
	if err != nil {
		return nil, err
	}
	g.kept = s
	if s.Version() < journal.FormatVersion {
		return nil, notUpgraded()
	}
	if g.pullManifestWith(s) {
		// What the pull brought (a newer manifest, the address key
		// granted to this computer) is read as a fresh opening reads it.
		g.closeKept()
		if s, err = g.openStore(journal.Options{}); err != nil {
			return nil, err
		}
		g.kept = s
	}
	m, err := s.Meta()
	if err != nil {
		return nil, err
	}
	if err := g.refuseCopy(m); err != nil {
		return nil, err
	}
	g.noteCopy(m)
	u := &unlocker{g: g, sealOnly: true}
	if _, err := u.Unlock(m); err != nil {
		return nil, err
	}
	return u.sealer, nil
}

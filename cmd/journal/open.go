package main

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/exchange"
	"github.com/journal-dev/journal/journal"
)

// Every command opens the journal through journal.OpenJournal (with an
// unlocker, below) or, when it needs no key, journal.OpenPinned
// (openStore): both compare the file with what this computer has seen of
// it and give a store opened for writing this computer's device key.

// readMeta opens the journal just long enough to read its meta, so that no
// lock is held while a person types a passphrase.
func (g *globals) readMeta() (*journal.Meta, error) {
	path, err := g.path()
	if err != nil {
		return nil, err
	}
	m, err := journal.ReadMeta(path, g.pinChecked)
	if err != nil {
		return nil, openError(path, err)
	}
	g.keepFolder(m)
	return m, nil
}

// look reads the journal's meta; with keep, from a store opened
// read-only and left open for the caller (see [journal.OpenOptions]).
func (g *globals) look(keep bool) (*journal.Store, *journal.Meta, error) {
	if !keep {
		m, err := g.readMeta()
		return nil, m, err
	}
	s, err := g.openStore(journal.Options{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	m, err := s.Meta()
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	g.keepFolder(m)
	return s, m, nil
}

// unlocker unlocks a journal for [journal.OpenJournal] as the command line
// does: with the unlock agent, a key file, or the passphrase.
type unlocker struct {
	g *globals
	// own asks for the journal's own key: a recovery key cannot stand for
	// the journal, and hint says what to use instead.
	own  bool
	hint string
	// upgraded refuses a journal not yet upgraded to the format that
	// signs records, before anything is asked.
	upgraded bool
	// sealOnly gives keys that seal to the journal and read nothing,
	// without asking for anything: adding never asks for the passphrase.
	// It checks first that this computer may add.
	sealOnly bool
	// check, if set, looks at the journal's meta before anything is
	// asked; errNothingToDo from it stops the command without an error.
	check func(m *journal.Meta) error
	// streams labels the progress of evidence files read after the
	// records, opened for reading.
	streams string
	// sealer is what unlocking gave; id, with own, the journal's own key.
	sealer *crypto.Sealer
	id     *crypto.Identity
}

// Unlock returns the keys of the journal m describes.
func (u *unlocker) Unlock(m *journal.Meta) (journal.Keys, error) {
	if u.upgraded && m.Version < journal.FormatVersion {
		return nil, notUpgraded()
	}
	if u.check != nil {
		if err := u.check(m); err != nil {
			return nil, err
		}
	}
	var err error
	switch {
	case u.sealOnly:
		if err := u.g.checkCanAdd(m); err != nil {
			return nil, err
		}
		u.sealer, err = crypto.NewSealer(m.Recipients)
	case u.own:
		if u.id, err = u.g.ownIdentity(m, u.hint); err != nil {
			return nil, err
		}
		keepAddressKey(m, u.id.AddressKey())
		u.sealer, err = crypto.NewSealer(m.Recipients, u.id)
	default:
		u.sealer, err = u.g.unlock(m)
	}
	if err != nil {
		return nil, err
	}
	return u.sealer, nil
}

// waitsForNoOne says that unlocking the journal m describes will not ask a
// person anything: the journal's key is given in a file (--identity or
// JOURNAL_IDENTITY), or the unlock agent holds it (asked once: a command
// that finds it gone later fails with crypto.ErrRemote and reads again
// without it).
func (u *unlocker) waitsForNoOne(m *journal.Meta) bool {
	if !u.mayWaitForNoOne() {
		return false
	}
	return u.g.identityFile != "" || os.Getenv("JOURNAL_IDENTITY") != "" || u.g.agentIdentity(m) != nil
}

// mayWaitForNoOne says whether unlocking may do without a person, before
// the journal's meta is read: not when the journal's own key is asked
// for.
func (u *unlocker) mayWaitForNoOne() bool {
	return !u.own && !u.sealOnly
}

// errNothingToDo is returned by an unlocker's check when the command has
// found, and said, that there is nothing to do: the command ends without
// an error.
var errNothingToDo = errors.New("nothing to do")

// unlockOnly reads the journal's meta and unlocks it with u, without
// keeping it open: for a command that asks something more (a new
// passphrase) before it writes, or writes nothing to the journal.
func (g *globals) unlockOnly(u *unlocker) (*journal.Meta, error) {
	m, err := g.readMeta()
	if err != nil {
		return nil, err
	}
	if _, err := u.Unlock(m); err != nil {
		return nil, err
	}
	return m, nil
}

// ownKey is the unlocker of a command that needs the journal's own key;
// hint says what to unlock with when a recovery key is given.
func (g *globals) ownKey(hint string) *unlocker {
	return &unlocker{g: g, own: true, hint: hint}
}

// open opens the journal for mode, unlocked with u: the one way a command
// that needs the journal's keys opens it. The caller closes it.
func (g *globals) open(mode journal.Mode, u *unlocker) (*journal.Opened, error) {
	return g.openSelecting(mode, u, nil)
}

// openSelecting is open, reading only the incidents q selects when q is
// set (see [journal.OpenOptions]).
func (g *globals) openSelecting(mode journal.Mode, u *unlocker, q *journal.Query) (*journal.Opened, error) {
	path, err := g.path()
	if err != nil {
		return nil, err
	}
	// One look at the journal: its meta, and whether to pull from its
	// sync folder first (before reading, changing or checking it). It
	// stays open to be read when unlocking waits for no one.
	readOnly := mode == journal.ForReading || mode == journal.ForChecking
	looked, m, err := g.look(readOnly && u.mayWaitForNoOne())
	if err != nil {
		return nil, err
	}
	if looked != nil && !u.waitsForNoOne(m) {
		looked.Close()
		looked = nil
	}
	// verify checks the file as it is: it never pulls (nor writes to
	// it). A copy of the journal file never syncs (syncfile.go), and is
	// not changed.
	if mode == journal.ForChange || mode == journal.ForAppend || g.recording {
		if err := g.refuseCopy(m); err != nil {
			if looked != nil {
				looked.Close()
			}
			return nil, err
		}
	}
	g.noteCopy(m)
	if mode != journal.ForAppend && mode != journal.ForChecking && m.SyncHere {
		if looked != nil {
			looked.Close()
		}
		g.autoSync()
		looked, m = nil, nil // read again after the sync
	}
	o := journal.OpenOptions{NoPin: g.pinChecked, Select: q, Meta: m, Looked: looked}
	if mode == journal.ForReading {
		o.Reading = func(s *journal.Store, k journal.Keys) (journal.Opener, func()) {
			op := g.progressOpener(s, u.sealer, "Reading the journal", u.streams)
			return op, op.Done
		}
	}
	j, err := journal.OpenJournal(path, mode, u, o)
	if err != nil {
		return nil, openError(path, err)
	}
	g.useAddressKey(j.Store, mode == journal.ForReading || mode == journal.ForChecking)
	exchange.OfferCopies(j.Store)
	if mode == journal.ForChange || mode == journal.ForAppend {
		g.writing()
	}
	return j, nil
}

// openForChecking unlocks the journal, then opens it read-only without
// reading it, and without pulling from its sync folder first: the caller checks it (verify).
// The caller closes the store.
func (g *globals) openForChecking() (*journal.Store, *crypto.Sealer, error) {
	u := &unlocker{g: g}
	j, err := g.open(journal.ForChecking, u)
	if err != nil {
		return nil, nil, err
	}
	return j.Store, u.sealer, nil
}

// selection reads the incidents q selects, as a whole read does,
// but one at a time where the cache allows ([journal.Store.Select]): for
// the commands that show or write a selection. The caller closes it.
func (g *globals) selection(q journal.Query) (*journal.Selection, error) {
	j, _, err := g.read("Reading evidence files", &q)
	if err != nil {
		return nil, err
	}
	j.Close()
	return j.Selection, nil
}

// read unlocks the journal and reads it, read-only: whole, or, with q,
// the incidents q selects. streams labels the progress of evidence files
// read after it ("" for none). The caller closes it.
func (g *globals) read(streams string, q *journal.Query) (*journal.Opened, *crypto.Sealer, error) {
	u := &unlocker{g: g, streams: streams}
	j, err := g.openSelecting(journal.ForReading, u, q)
	if errors.Is(err, crypto.ErrRemote) && !g.noAgent {
		// The unlock agent ended in the middle (its time was up, or it
		// was killed): read again, asking for the passphrase.
		g.noAgent = true
		return g.read(streams, q)
	}
	if err != nil {
		return nil, nil, err
	}
	return j, u.sealer, nil
}

// openForChange unlocks the journal, then opens it for writing and reads
// it, so that a change is checked against the journal as it stands while
// no other process can change it. The caller closes the store.
func (g *globals) openForChange() (*journal.Store, *crypto.Sealer, *journal.State, error) {
	u := &unlocker{g: g}
	j, err := g.open(journal.ForChange, u)
	if err != nil {
		return nil, nil, nil, err
	}
	return j.Store, u.sealer, j.State, nil
}

// openToChange is openForChange for a change to the incidents q selects
// alone (an amendment, a void, evidence): it reads those incidents,
// through the cache where it can, as 'journal show' does, not the whole
// journal, so that changing one incident of a large journal does not hold
// it all in memory. The state holds only those incidents, in the order
// they were recorded, as a whole state holds them; total is how many the
// journal holds. The caller closes the store.
func (g *globals) openToChange(q journal.Query) (s *journal.Store, sealer *crypto.Sealer, st *journal.State, total int, err error) {
	u := &unlocker{g: g}
	j, err := g.openSelecting(journal.ForChange, u, &q)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	// Read whole and closed before anything is written.
	all, err := j.Selection.All()
	j.Selection.Close()
	if err != nil {
		j.Close()
		return nil, nil, nil, 0, err
	}
	slices.SortFunc(all, func(a, b *journal.Incident) int { return cmp.Compare(a.Seq, b.Seq) })
	return j.Store, u.sealer, &journal.State{Incidents: all}, j.Selection.Total(), nil
}

// changing selects the incidents ids, void or not, for openToChange.
func changing(ids ...uint64) journal.Query {
	return journal.Query{IDs: journal.NewIncidentSet(ids), IncludeVoid: true}
}

// writing notes that the command opened the journal for writing: what it
// writes is pushed to the sync folder after it, and what an earlier look
// said of the sync folder is no longer believed.
func (g *globals) writing() {
	g.wrote = true
	g.folder = nil
}

// closeKept closes the journal the command kept open (globals.kept).
func (g *globals) closeKept() {
	if g.kept != nil {
		g.kept.Close()
		g.kept = nil
	}
}

// openStore opens the journal file that --file, JOURNAL_FILE or the default
// names, for a command that does not unlock it, and checks it against what
// this computer has seen of it. Opened for writing, it signs with this
// computer's device key, if it has one. The caller closes it.
func (g *globals) openStore(opts journal.Options) (*journal.Store, error) {
	path, err := g.path()
	if err != nil {
		return nil, err
	}
	s, err := journal.OpenPinned(path, opts, g.pinChecked)
	if err != nil {
		return nil, openError(path, err)
	}
	g.useAddressKey(s, opts.ReadOnly)
	exchange.OfferCopies(s)
	if !opts.ReadOnly {
		g.writing()
	}
	return s, nil
}

// useAddressKey gives a store opened for writing this computer's evidence
// address key (see addresskey.go), as it gives it its device key.
func (g *globals) useAddressKey(s *journal.Store, readOnly bool) {
	if !readOnly && !g.pinChecked && s.Version() >= journal.FormatVersion {
		s.UseAddressKey(addressKey(s))
	}
}

// openError says more of an error opening the journal at path: what a
// damaged header page held.
func openError(path string, err error) error {
	if errors.Is(err, journal.ErrHeaderDamaged) {
		return explainHeader(path, err)
	}
	return err
}

// explainHeader adds to the error about a damaged header page what the
// journal held before the change that page was written for.
func explainHeader(path string, err error) error {
	d, derr := journal.FindHeaderDamage(path)
	if derr != nil || d == nil || !d.Newer {
		return err
	}
	return fmt.Errorf("%w; as saved before that change it holds %s (fingerprint %s)",
		err, countNoun(int(d.Records), "record"), d.Fingerprint)
}

// rollbackHint says how to accept a journal put back on purpose.
const rollbackHint = "if you put back an older copy on purpose (a backup), run 'journal verify --accept-rollback'"

// addOnlyRestoreHint is what a computer that adds only does after an older
// copy of its journal was put back: it cannot read the journal, so it can
// neither check the copy nor count the incidents it added since, and it
// numbers no new one. It joins again as a new device.
const addOnlyRestoreHint = "nothing was recorded; this computer adds only, so it cannot take back an older copy: record the incident on a computer that reads the journal. " +
	"To add here again, run 'journal device retire NAME' there (NAME as 'journal devices' shows it), then here move this journal file aside and run 'journal join DIR --add-only' to join as a new device"

// notEnrolled is the error for a computer asked to add to a journal it is
// not a device of.
func notEnrolled() error {
	return withHint(fmt.Errorf("%w, so it cannot add to it; nothing was written", journal.ErrNotEnrolled), exitFailure,
		"make it one with 'journal device enrol', which asks for the passphrase")
}

// readUpgradedMeta reads the journal's meta, refusing a journal not yet
// upgraded to the format that signs records.
func (g *globals) readUpgradedMeta() (*journal.Meta, error) {
	m, err := g.readMeta()
	if err != nil {
		return nil, err
	}
	if m.Version < journal.FormatVersion {
		return nil, notUpgraded()
	}
	return m, nil
}

// notUpgraded is the error for a version 1 journal asked to change.
func notUpgraded() error {
	return withHint(journal.ErrOldFormat, exitFailure, "run 'journal upgrade' (it asks for the passphrase and keeps a backup first)")
}

// refineWriteError says what a refused write means for the user.
func refineWriteError(err error) error {
	var me *journal.ManifestError
	switch {
	case errors.Is(err, journal.ErrNotEnrolled):
		return notEnrolled()
	case errors.Is(err, journal.ErrOldFormat):
		return notUpgraded()
	case errors.As(err, &me):
		return withHint(err, exitIntegrity, "nothing was written; run 'journal verify', and restore the journal from a backup")
	}
	var ce *journal.ClockError
	if errors.As(err, &ce) {
		return withHint(err, exitFailure, "nothing was written; set the clock right and try again")
	}
	return err
}

// checkCanAdd checks, before anyone types an incident, that this computer
// may add to the journal: it is of the current format, matches what this
// computer has seen, and this computer is one of its enrolled devices.
// The store checks all of it again when it writes. It looks at the journal
// the command kept open, if any.
func (g *globals) checkCanAdd(m *journal.Meta) error {
	if m.Version < journal.FormatVersion {
		return notUpgraded()
	}
	s := g.kept
	if s == nil {
		var err error
		if s, err = g.openStore(journal.Options{ReadOnly: true}); err != nil {
			return err
		}
		defer s.Close()
	}
	err := s.CanAdd()
	if errors.Is(err, journal.ErrNotEnrolled) {
		return notApprovedYet(m)
	}
	return err
}

// notApprovedYet is notEnrolled for a computer that joined to add only and
// is not approved yet: it is told the code to approve it with, not to
// enrol with the passphrase it is meant never to need; one whose key was
// retired is told to join again.
func notApprovedYet(m *journal.Meta) error {
	dev, err := journal.LoadDevice(m.ID)
	if !m.AddOnly {
		return notEnrolled()
	}
	if err != nil {
		// Its key was retired, and removed: it joins again as a new device.
		return withHint(fmt.Errorf("%w, so it cannot add to it; nothing was written", journal.ErrNotEnrolled), exitFailure,
			"this computer adds only, and has no device key for the journal (a retired one is removed): record the incident on a computer that reads the journal; "+
				"to add here again, move this journal file aside and run 'journal join DIR --add-only' to join as a new device")
	}
	return withHint(fmt.Errorf("%w: it asked to add only, and is not approved yet; nothing was written", journal.ErrNotEnrolled), exitFailure,
		"on a computer that reads the journal, run 'journal device approve "+approvalCode(dev.Public())+"'; the approval comes here through the sync folder")
}

package main

import (
	"errors"
	"fmt"

	"github.com/journal-dev/journal/journal"
)

// rollbackHint says how to accept a journal put back on purpose.
const rollbackHint = "if you put back an older copy on purpose (a backup), run 'journal verify --accept-rollback'"

// checkPin compares the open journal with what this computer has seen of
// it, and, for writing, gives the store this computer's device key.
func (g *globals) checkPin(s *journal.Store, readOnly bool) error {
	if g.pinChecked {
		return nil
	}
	pin, err := journal.LoadPin(s.ID())
	if err != nil {
		return err
	}
	if err := s.CheckPin(pin); err != nil {
		var rb *journal.RollbackError
		if errors.As(err, &rb) {
			return withHint(err, exitIntegrity, rollbackHint)
		}
		return err
	}
	if !readOnly && s.Version() >= journal.FormatVersion {
		dev, err := journal.LoadDevice(s.ID())
		if err != nil && !errors.Is(err, journal.ErrNotEnrolled) {
			return err
		}
		s.UseDevice(dev, pin)
		s.UseAddressKey(addressKey(s))
	}
	return nil
}

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

// advancePin brings this computer's pin forward after a command has read
// and checked the whole journal. A pin that cannot be saved is not an
// error: the next command tries again.
func advancePin(s *journal.Store) {
	pin, err := journal.LoadPin(s.ID())
	if err != nil {
		return
	}
	s.UpdatePin(pin)
}

// pinNew records what this computer has seen of a journal it has just
// made or upgraded.
func pinNew(path string) error {
	s, err := journal.Open(path, journal.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	_, err = s.UpdatePin(nil)
	return err
}

// checkCanAdd checks, before anyone types an incident, that this computer
// may add to the journal: it is of the current format, matches what this
// computer has seen, and this computer is one of its enrolled devices.
// The store checks all of it again when it writes.
func (g *globals) checkCanAdd(m *journal.Meta) error {
	if m.Version < journal.FormatVersion {
		return notUpgraded()
	}
	s, err := g.openStore(journal.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	dev, err := journal.LoadDevice(s.ID())
	if errors.Is(err, journal.ErrNotEnrolled) {
		return notEnrolled()
	}
	if err != nil {
		return err
	}
	man, err := s.Manifest()
	if err != nil {
		return err
	}
	if e := man.Head().Device(dev.Public()); e == nil || e.RetiredAt != nil {
		return notEnrolled()
	}
	return nil
}

// acceptAsIs makes this computer compare the journal at path with what it
// holds now, after the user agreed to it holding less than before (a
// backup restored, a repair).
func acceptAsIs(path string) error {
	s, err := journal.Open(path, journal.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	return resetPin(s)
}

// resetPin starts this computer's pin of the journal again from the
// journal as it is, keeping only the newest time this device recorded.
func resetPin(s *journal.Store) error {
	old, _ := journal.LoadPin(s.ID())
	fresh := &journal.Pin{Journal: fmt.Sprintf("%x", s.ID()), Heads: map[string]journal.HeadJSON{}}
	if old != nil {
		fresh.LastRecordedAt = old.LastRecordedAt
	}
	_, err := s.UpdatePin(fresh)
	return err
}

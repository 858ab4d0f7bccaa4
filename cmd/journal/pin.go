package main

import (
	"errors"
	"fmt"

	"github.com/journal-dev/journal/journal"
)

// rollbackHint says how to accept a journal put back on purpose.
const rollbackHint = "if you put back an older copy on purpose (a backup), run 'journal verify --accept-rollback'"

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
	err = s.CanAdd()
	if errors.Is(err, journal.ErrNotEnrolled) {
		return notEnrolled()
	}
	return err
}

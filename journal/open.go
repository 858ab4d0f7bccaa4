package journal

import (
	"encoding/hex"
	"errors"
)

// Mode is what a client does with the journal it opens with [OpenJournal].
type Mode int

const (
	// ForReading opens the journal read-only and reads it whole. Once all
	// of it has been read and checked, this computer's pin is brought
	// forward.
	ForReading Mode = iota
	// ForChange opens the journal for writing and reads it whole, so that
	// a change (an amendment, a void, evidence) is checked against the
	// journal as it stands while no other process can change it.
	ForChange
	// ForAppend opens the journal for writing without reading its
	// records: for what adds without needing them (an import, a
	// checkpoint after its own check, a manifest statement).
	ForAppend
	// ForChecking opens the journal read-only without reading its
	// records: for a client that checks them itself ([Store.Verify]).
	// Nothing is written to the file, even on Close ([Store.KeepUnchanged]).
	ForChecking
)

// Keys is what an [Unlocker] gives: what opens the journal's records and
// evidence, and seals new ones.
type Keys interface {
	Sealer
	Opener
	StreamSealer
	StreamOpener
}

// Unlocker gives the keys of a journal. The command line implements it
// with the unlock agent, a key file or a passphrase asked on the terminal;
// a sync program or an agent implements it with what it holds.
type Unlocker interface {
	// Unlock returns the keys of the journal that m describes. It is
	// called while no lock is held on the journal, so it may take as long
	// as a person needs to type a passphrase. An error stops the opening
	// and is returned as it is.
	Unlock(m *Meta) (Keys, error)
}

// OpenOptions change how [OpenJournal] opens.
type OpenOptions struct {
	// NoPin leaves out the comparison with this computer's pin, for a
	// client that checks the content first and the pin after (verify).
	NoPin bool
	// Reading, if set, gives what reads the records instead of the keys
	// (one that shows progress, say), and a function called once they are
	// read.
	Reading func(s *Store, k Keys) (Opener, func())
	// Select, if set, makes [ForReading] and [ForChange] read only the
	// incidents it selects, one at a time where the cache allows
	// ([Store.Select]), into Opened.Selection instead of State. Opened
	// [ForChange], the caller reads the selection whole and closes it
	// before it writes.
	Select *Query
	// Meta, if set, is the journal's meta as the caller has just read it
	// with [ReadMeta] (with the same NoPin), to decide something before
	// opening (whether to sync first): it is not read again.
	Meta *Meta
	// Looked, if set, is the store Meta was read from, opened read-only
	// with [OpenPinned] (with the same NoPin) by a caller whose unlocking
	// waits for no one (a key file, an agent): it holds a shared lock,
	// which makes a writer wait. [ForReading] and [ForChecking] use it
	// instead of opening the file again; other modes, and an error, close
	// it.
	Looked *Store
}

// Opened is a journal opened by [OpenJournal]: the store, its meta as read
// before unlocking, the keys, and, opened [ForReading] or [ForChange], the
// journal as it stands. The caller closes it.
type Opened struct {
	*Store
	Meta  *Meta
	Keys  Keys
	State *State
	// Selection is what OpenOptions.Select selects, opened ForReading
	// with it; it reads the file until it is closed.
	Selection *Selection
}

// OpenJournal is the one way to open a journal to read, change or append
// to it. It reads the meta and closes the file again, so that no lock is
// held while u unlocks; then opens the file for mode, compares it with
// what this computer has seen of it (a [*RollbackError] for a journal put
// back or replaced) and, for writing, gives the store this computer's
// device key; then, for [ForReading] and [ForChange], reads it whole.
// An error leaves nothing open.
func OpenJournal(path string, mode Mode, u Unlocker, o OpenOptions) (*Opened, error) {
	m := o.Meta
	if m == nil {
		var err error
		if m, err = ReadMeta(path, o.NoPin); err != nil {
			return nil, err
		}
	}
	k, err := u.Unlock(m)
	if err != nil {
		if o.Looked != nil {
			o.Looked.Close()
		}
		return nil, err
	}
	readOnly := mode == ForReading || mode == ForChecking
	s := o.Looked
	if s == nil || !readOnly {
		if s != nil {
			s.Close()
		}
		if s, err = OpenPinned(path, Options{ReadOnly: readOnly}, o.NoPin); err != nil {
			return nil, err
		}
	}
	if mode == ForChecking {
		s.KeepUnchanged()
	}
	j := &Opened{Store: s, Meta: m, Keys: k}
	if mode == ForAppend || mode == ForChecking {
		return j, nil
	}
	var op Opener = k
	done := func() {}
	if o.Reading != nil {
		op, done = o.Reading(s, k)
	}
	if o.Select != nil {
		j.Selection, err = s.Select(op, *o.Select)
	} else {
		j.State, err = s.Load(op)
	}
	done()
	if err != nil {
		s.Close()
		return nil, err
	}
	if mode == ForReading {
		s.AdvancePin()
	}
	return j, nil
}

// ReadMeta opens the journal just long enough to read its meta, after
// comparing it with this computer's pin (unless noPin).
func ReadMeta(path string, noPin bool) (*Meta, error) {
	s, err := OpenPinned(path, Options{ReadOnly: true}, noPin)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.Meta()
}

// OpenPinned opens the journal at path and compares it with what this
// computer has seen of it (unless noPin): a journal that holds less, or
// other records where this computer saw some, is a [*RollbackError].
// Opened for writing, a journal of the current format signs with this
// computer's device key, if it has one. The caller closes it.
func OpenPinned(path string, opts Options, noPin bool) (*Store, error) {
	s, err := Open(path, opts)
	if err != nil {
		return nil, err
	}
	if noPin {
		return s, nil
	}
	if err := s.usePin(!opts.ReadOnly); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// usePin compares the store with this computer's pin and, for writing,
// gives it this computer's device key.
func (s *Store) usePin(write bool) error {
	pin, err := LoadPin(s.ID())
	if err != nil {
		return err
	}
	if err := s.CheckPin(pin); err != nil {
		return err
	}
	if write && s.Version() >= FormatVersion {
		dev, err := LoadDevice(s.ID())
		if err != nil && !errors.Is(err, ErrNotEnrolled) {
			return err
		}
		s.UseDevice(dev, pin)
	}
	return nil
}

// AdvancePin brings this computer's pin forward after the whole journal
// was read and checked. A pin that cannot be saved is not an error: the
// next opening tries again.
func (s *Store) AdvancePin() {
	pin, err := LoadPin(s.ID())
	if err != nil {
		return
	}
	s.UpdatePin(pin)
}

// ResetPin starts this computer's pin of the journal again from the
// journal as it is now, after the user agreed to it holding less than
// before (a backup put back, a repair). Only the newest time this device
// recorded is kept: its clock must still not go back.
func (s *Store) ResetPin() error {
	old, _ := LoadPin(s.ID())
	fresh := &Pin{Journal: hex.EncodeToString(s.ID()), Heads: map[string]HeadJSON{}}
	if old != nil {
		fresh.LastRecordedAt = old.LastRecordedAt
	}
	// A cache in its own file may have been written from what the
	// journal held before (a backup put back leaves the newer cache
	// beside it): it is not this journal's, and is made anew.
	s.ForgetCache()
	_, err := s.UpdatePin(fresh)
	return err
}

// CanAdd checks that this computer may add to the journal: it is of the
// current format ([ErrOldFormat]), it is not a copy of the file that
// syncs on this computer ([CopyError]), and this computer is one of its
// enrolled devices, not retired ([ErrNotEnrolled]). [Store.Append] checks all of it
// again when it writes; this is for asking before anyone types.
func (s *Store) CanAdd() error {
	if s.Version() < FormatVersion {
		return ErrOldFormat
	}
	if err := s.refuseCopy(); err != nil {
		return err
	}
	// A store opened for writing holds the device key already.
	dev := s.opts.Device
	if dev == nil {
		var err error
		if dev, err = LoadDevice(s.ID()); err != nil {
			return err
		}
	}
	man, err := s.Manifest()
	if err != nil {
		return err
	}
	if e := man.Head().Device(dev.Public()); e == nil || e.RetiredAt != nil {
		return ErrNotEnrolled
	}
	return nil
}

// Repin makes this computer's pin of the journal at path start from the
// journal as it is: after it was made or upgraded here, or after the user
// agreed to it holding less than before (a backup put back, a repair).
func Repin(path string) error {
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	return s.ResetPin()
}

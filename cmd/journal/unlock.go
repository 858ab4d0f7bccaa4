package main

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/term"

	"github.com/journal-dev/journal/agent"
	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

// errNoPassphrase is returned when a passphrase is needed and there is no
// way to get one.
var errNoPassphrase = withHint(errors.New("no passphrase given and no terminal to ask on"), exitUsage,
	"set JOURNAL_PASSPHRASE, use --passphrase-file FILE, or unlock with --identity FILE (or JOURNAL_IDENTITY)")

// passphrase returns the passphrase from --passphrase-file, then
// JOURNAL_PASSPHRASE (an empty variable counts as unset), then by asking
// on the terminal without echo. The flag wins over the variable, as
// restic's --password-file wins over RESTIC_PASSWORD: what is typed on
// the command line is what the person means now.
func (g *globals) passphrase(prompt string) (string, error) {
	if g.passphraseFile != "" {
		return readPassphraseFile(g.passphraseFile)
	}
	if p := os.Getenv("JOURNAL_PASSPHRASE"); p != "" {
		return p, nil
	}
	if !g.interactive {
		return "", errNoPassphrase
	}
	return g.readSecret(prompt)
}

// readPassphraseFile reads the first line of a file.
func readPassphraseFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", withHint(fmt.Errorf("cannot read the passphrase file %s: %w", path, err), exitUsage, "check the path given to --passphrase-file")
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return "", withHint(fmt.Errorf("the passphrase file %s is a folder", path), exitUsage, "give a file whose first line is the passphrase")
	}
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && line == "" {
		return "", usageError("the passphrase file %s is empty", path)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// readSecret asks on the controlling terminal and reads a line without
// echo, so that standard input stays free for data.
func (g *globals) readSecret(prompt string) (string, error) {
	tty, err := g.openTTY()
	if err != nil {
		return "", errNoPassphrase
	}
	defer tty.Close()
	fmt.Fprint(tty, prompt)
	b, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return "", usageError("could not read the passphrase: %v", err)
	}
	return string(b), nil
}

// newPassphrase asks for a new passphrase: from --passphrase-file, then
// the variable env names, or twice on the terminal until both agree. An
// empty passphrase is refused.
func (g *globals) newPassphrase(env string) (string, error) {
	if p := os.Getenv(env); p != "" || g.passphraseFile != "" || !g.interactive {
		var err error
		if g.passphraseFile != "" {
			p, err = readPassphraseFile(g.passphraseFile)
		} else if p == "" {
			hint := "set " + env
			if env == "JOURNAL_PASSPHRASE" {
				hint += " or use --passphrase-file FILE"
			}
			return "", withHint(errors.New("no passphrase given and no terminal to ask on"), exitUsage, hint)
		}
		if err != nil {
			return "", err
		}
		if p == "" {
			return "", usageError("the passphrase is empty: choose one with at least a few words")
		}
		return p, nil
	}
	for range 3 {
		p, err := g.readSecret("Choose a passphrase: ")
		if err != nil {
			return "", err
		}
		if p == "" {
			fmt.Fprintln(g.err, "The passphrase cannot be empty. A few unrelated words make a good one.")
			continue
		}
		again, err := g.readSecret("Type it again: ")
		if err != nil {
			return "", err
		}
		if again != p {
			fmt.Fprintln(g.err, "The two passphrases differ. Please try again.")
			continue
		}
		return p, nil
	}
	return "", usageError("no passphrase chosen")
}

// readMeta opens the journal just long enough to read its meta, so that no
// lock is held while a person types a passphrase.
func (g *globals) readMeta() (*journal.Meta, error) {
	path, err := g.path()
	if err != nil {
		return nil, err
	}
	m, err := journal.ReadMeta(path, g.pinChecked)
	return m, openError(path, err)
}

// unlock returns a sealer that can read the journal: with the identity
// file from --identity or JOURNAL_IDENTITY, or with the passphrase.
func (g *globals) unlock(m *journal.Meta) (*crypto.Sealer, error) {
	id := g.agentIdentity(m)
	if id == nil {
		var err error
		if id, err = g.identity(m); err != nil {
			return nil, err
		}
	}
	ids, err := withOldKeys(m, id)
	if err != nil {
		return nil, err
	}
	sealer, err := crypto.NewSealer(m.Recipients, ids...)
	if err == nil {
		keepAddressKey(m, sealer.AddressKey())
	}
	return sealer, err
}

// withOldKeys returns the identity, then the journal's earlier identities
// ('journal rekey'), which it unwraps: together they read every record.
func withOldKeys(m *journal.Meta, id *crypto.Identity) ([]*crypto.Identity, error) {
	ids := []*crypto.Identity{id}
	for _, sealed := range m.OldKeys {
		old, err := crypto.UnwrapWith(sealed, ids[:1])
		if err != nil {
			return nil, &journal.IntegrityError{Reason: "an earlier key of the journal cannot be unwrapped: " + err.Error()}
		}
		ids = append(ids, old)
	}
	return ids, nil
}

// agentIdentity returns the key held by the unlock agent ('journal
// unlock'), or nil when none runs for this journal, or when a key was
// given with --identity, JOURNAL_IDENTITY or --passphrase-file, which
// then take precedence.
func (g *globals) agentIdentity(m *journal.Meta) *crypto.Identity {
	if g.noAgent || g.identityFile != "" || g.passphraseFile != "" || os.Getenv("JOURNAL_IDENTITY") != "" || len(m.Recipients) == 0 {
		return nil
	}
	c, err := agent.Dial(m.Recipients[0])
	if err != nil {
		return nil
	}
	id, err := c.Identity()
	if err != nil {
		c.Close()
		return nil
	}
	return id
}

// identity returns the journal's identity, unwrapped or read from a file.
func (g *globals) identity(m *journal.Meta) (*crypto.Identity, error) {
	idFile := g.identityFile
	if idFile == "" {
		idFile = os.Getenv("JOURNAL_IDENTITY")
	}
	if m.AddOnly && idFile == "" {
		return nil, withHint(errors.New("this computer can only add to the journal: it was joined with --add-only and holds no key to read it"),
			exitUnlock, "read the journal on a computer that joined with the passphrase")
	}
	if idFile != "" {
		f, err := os.Open(idFile)
		if err != nil {
			return nil, withHint(fmt.Errorf("cannot read the identity file: %w", err), exitUsage, "check the path given to --identity")
		}
		defer f.Close()
		ids, err := crypto.ParseIdentityFile(f)
		if err != nil {
			return nil, withHint(fmt.Errorf("%s: %w", idFile, err), exitUnlock, "give the file that 'journal key export' wrote")
		}
		for _, id := range ids {
			if slices.Contains(m.Recipients, id.Recipient()) {
				return id, checkOwner(m, id)
			}
		}
		// A recovery key unwraps the journal's own key.
		for _, u := range m.Unlocks {
			if id, err := crypto.UnwrapWith(u.Wrapped, ids); err == nil && slices.Contains(m.Recipients, id.Recipient()) {
				return id, checkOwner(m, id)
			}
		}
		return nil, withHint(fmt.Errorf("%s: %w", idFile, crypto.ErrWrongIdentity), exitUnlock, "check that it is this journal's key or one of its recovery keys ('journal key list')")
	}
	p, err := g.passphrase("Passphrase: ")
	if err != nil {
		return nil, err
	}
	id, err := crypto.Unwrap(m.WrappedIdentity, p)
	// scrypt has just spent 256 MiB. Collect it now, or the heap would
	// grow to twice that before the next collection while the command
	// reads the journal.
	runtime.GC()
	if errors.Is(err, crypto.ErrIncorrectPassphrase) {
		return nil, withHint(err, exitUnlock, "check it and try again; a lost passphrase cannot be recovered without an exported key")
	}
	if err != nil {
		return nil, &journal.IntegrityError{Reason: err.Error()}
	}
	if !slices.Contains(m.Recipients, id.Recipient()) {
		// A new key made on another computer, which the sync folder
		// brings wrapped with the same passphrase.
		if adopted, err := g.adoptFolderKey(m, p, id); adopted != nil || err != nil {
			return adopted, err
		}
		if g.hasSyncFolder() {
			return nil, withHint(errors.New("the journal was given a new key on another computer, and its sync folder holds none that this passphrase opens"), exitUnlock,
				"let your sync program bring the folder, then try again; if the new key was given another passphrase there, move this computer's journal file aside and join again ('journal join')")
		}
		return nil, &journal.ManifestError{Reason: "the passphrase opens a key that is not the one the owner signed"}
	}
	return id, checkOwner(m, id)
}

// checkOwner checks that the journal's manifest was signed by the owner key
// of the identity just unlocked: whoever can write the file cannot make
// one, because the owner key is derived from the identity.
func checkOwner(m *journal.Meta, id *crypto.Identity) error {
	if m.Version < journal.FormatVersion {
		return nil
	}
	if journal.DeviceName(id.OwnerPublicKey()) != m.Owner {
		return &journal.ManifestError{Reason: "its manifest is not signed by this journal's owner key"}
	}
	return nil
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
	// check, if set, looks at the journal's meta before anything is
	// asked; errNothingToDo from it stops the command without an error.
	check func(m *journal.Meta) error
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
	if u.own {
		if u.id, err = u.g.ownIdentity(m, u.hint); err != nil {
			return nil, err
		}
		keepAddressKey(m, u.id.AddressKey())
		u.sealer, err = crypto.NewSealer(m.Recipients, u.id)
	} else {
		u.sealer, err = u.g.unlock(m)
	}
	if err != nil {
		return nil, err
	}
	return u.sealer, nil
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
	if mode == journal.ForReading || mode == journal.ForChange {
		g.autoSync()
	}
	o := journal.OpenOptions{NoPin: g.pinChecked, Select: q}
	if mode == journal.ForReading {
		o.Reading = func(s *journal.Store, k journal.Keys) (journal.Opener, func()) {
			op := g.progressOpener(s, u.sealer, "Reading the journal", "Reading evidence files")
			return op, op.Done
		}
	}
	j, err := journal.OpenJournal(path, mode, u, o)
	if err != nil {
		return nil, openError(path, err)
	}
	g.useAddressKey(j.Store, mode == journal.ForReading || mode == journal.ForChecking)
	g.wrote = g.wrote || mode == journal.ForChange || mode == journal.ForAppend
	return j, nil
}

// openForReading unlocks the journal, then opens it read-only without
// reading it: the caller reads or checks it. The caller closes the store.
func (g *globals) openForReading() (*journal.Store, *crypto.Sealer, error) {
	g.autoSync()
	u := &unlocker{g: g}
	j, err := g.open(journal.ForChecking, u)
	if err != nil {
		return nil, nil, err
	}
	return j.Store, u.sealer, nil
}

// load unlocks the journal and reads it.
func (g *globals) load() (*journal.State, error) {
	j, err := g.open(journal.ForReading, &unlocker{g: g})
	if errors.Is(err, crypto.ErrRemote) && !g.noAgent {
		// The unlock agent ended in the middle (its time was up, or it
		// was killed): read again, asking for the passphrase.
		g.noAgent = true
		return g.load()
	}
	if err != nil {
		return nil, err
	}
	j.Close()
	return j.State, nil
}

// selection reads the incidents q selects, as load reads the journal,
// but one at a time where the cache allows ([journal.Store.Select]): for
// the commands that show or write a selection. The caller closes it.
func (g *globals) selection(q journal.Query) (*journal.Selection, error) {
	j, err := g.openSelecting(journal.ForReading, &unlocker{g: g}, &q)
	if errors.Is(err, crypto.ErrRemote) && !g.noAgent {
		// The unlock agent ended in the middle: read again, asking for
		// the passphrase.
		g.noAgent = true
		return g.selection(q)
	}
	if err != nil {
		return nil, err
	}
	j.Close()
	return j.Selection, nil
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

// ownIdentity unlocks the journal's own key. A recovery key given with
// --identity can read records, but it cannot stand for the journal: the
// hint says what to use instead.
func (g *globals) ownIdentity(m *journal.Meta, hint string) (*crypto.Identity, error) {
	id, err := g.identity(m)
	if err != nil {
		return nil, err
	}
	if id.Recipient() != m.Recipients[0] {
		return nil, withHint(errors.New("this key is a recovery key, not the journal's own key"), exitUnlock, hint)
	}
	return id, nil
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
	g.wrote = g.wrote || !opts.ReadOnly
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

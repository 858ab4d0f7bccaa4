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
		if strings.TrimSpace(p) == "" {
			return "", usageError("the passphrase is empty or only spaces: choose one with at least a few words")
		}
		return p, nil
	}
	for range 3 {
		p, err := g.readSecret("Choose a passphrase: ")
		if err != nil {
			return "", err
		}
		if strings.TrimSpace(p) == "" {
			fmt.Fprintln(g.err, "The passphrase cannot be empty or only spaces. A few unrelated words make a good one.")
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

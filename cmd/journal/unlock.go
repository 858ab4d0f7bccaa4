package main

import (
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/journal-dev/journal/agent"
	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

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
// The agent is asked once per command and recipient.
func (g *globals) agentIdentity(m *journal.Meta) *crypto.Identity {
	if g.noAgent || g.identityFile != "" || g.passphraseFile != "" || os.Getenv("JOURNAL_IDENTITY") != "" || len(m.Recipients) == 0 {
		return nil
	}
	if g.agentAsked == m.Recipients[0] {
		return g.agentID
	}
	g.agentAsked, g.agentID = m.Recipients[0], nil
	c, err := agent.Dial(m.Recipients[0])
	if err != nil {
		return nil
	}
	id, err := c.Identity()
	if err != nil {
		c.Close()
		return nil
	}
	g.agentID = id
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
	id, p, err := g.unwrapWithPassphrase("Passphrase: ", m.WrappedIdentity, "a lost passphrase cannot be recovered without an exported key")
	if err != nil {
		return nil, err
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

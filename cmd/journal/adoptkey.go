package main

import (
	"fmt"
	"slices"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/exchange"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

// adoptFolderKey is for a computer whose journal was given a new key on
// another computer ('journal rekey' there): the passphrase opens this
// file's key, old, but the manifest names another. The sync folder holds
// the new key wrapped with the passphrase set there; if the same
// passphrase opens it, and it is the key the manifest names, this file
// takes it, with old and its earlier keys sealed to it so that every
// record stays readable, and m is brought up to date. It returns the new
// key, or nil if the folder holds none that fits.
func (g *globals) adoptFolderKey(m *journal.Meta, passphrase string, old *crypto.Identity) (*crypto.Identity, error) {
	s, err := g.openStore(journal.Options{})
	if err != nil {
		return nil, nil
	}
	defer s.Close()
	f, err := exchange.Folder(s)
	if err != nil || f == nil {
		return nil, nil
	}
	keys, err := f.Numbered(syncfolder.DirKeys)
	if err != nil {
		return nil, nil
	}
	for i := len(keys) - 1; i >= 0; i-- {
		wrapped, err := f.Read(keys[i].Path())
		if err != nil {
			continue
		}
		id, err := crypto.Unwrap(wrapped, passphrase)
		if err != nil || !slices.Contains(m.Recipients, id.Recipient()) || checkOwner(m, id) != nil {
			continue
		}
		olds, err := withOldKeys(m, old)
		if err != nil {
			return nil, err
		}
		var sealed [][]byte
		for _, o := range olds {
			w, err := crypto.WrapTo(o, id.Recipient())
			if err != nil {
				return nil, err
			}
			sealed = append(sealed, w)
		}
		if err := s.AdoptKey(wrapped, sealed); err != nil {
			return nil, fmt.Errorf("taking the journal's new key: %w", err)
		}
		m.WrappedIdentity, m.OldKeys = wrapped, sealed
		fmt.Fprintln(g.err, "The journal was given a new key on another computer: this computer uses it from now on, and keeps its old key to read what came before.")
		return id, nil
	}
	return nil, nil
}

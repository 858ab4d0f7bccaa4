package main

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/exchange"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

// Attackers who hold the sync folder and no secret: what a cloud drive's
// operator, or anyone who can write the folder, can do.

// folderManifest opens the sync folder dir and reads its manifest as a
// computer that joins would: every statement, its chain checked.
func folderManifest(ts *testscript.TestScript, dir string) (*syncfolder.Folder, *journal.Manifest) {
	f, err := syncfolder.Open(ts.MkAbs(dir))
	ts.Check(err)
	entries, err := f.Numbered(syncfolder.DirManifest)
	ts.Check(err)
	stored, err := exchange.Statements(f, entries)
	ts.Check(err)
	m, err := journal.CheckStatements(f.JournalID, stored)
	ts.Check(err)
	return f, m
}

// cmdPlantBlob writes, beside every blob file of a sync folder, another
// file under the same key that sorts before it: different bytes, sealed
// to the journal's public recipient (read from the folder's manifest),
// named by the SHA-256 of its own bytes, so that it passes every check
// that needs no key. With -damaged, the file planted holds bytes that do
// not match its name, as a sync program that cut a file short leaves.
//
//	plantblob [-damaged] DIR
func cmdPlantBlob(ts *testscript.TestScript, neg bool, args []string) {
	damaged := len(args) == 2 && args[0] == "-damaged"
	if damaged {
		args = args[1:]
	}
	if neg || len(args) != 1 {
		ts.Fatalf("usage: plantblob [-damaged] DIR")
	}
	f, err := syncfolder.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	entries, err := f.Numbered(syncfolder.DirManifest)
	ts.Check(err)
	stored, err := exchange.Statements(f, entries)
	ts.Check(err)
	if len(stored) == 0 {
		ts.Fatalf("no manifest in %s", args[0])
	}
	st, _, err := journal.DecodeStatement(stored[0])
	ts.Check(err)
	public, err := crypto.NewSealer([]string{st.Recipient})
	ts.Check(err)
	have, err := f.Blobs()
	ts.Check(err)
	if len(have) == 0 {
		ts.Fatalf("no evidence in %s", args[0])
	}
	for _, b := range have {
		if damaged {
			first := syncfolder.BlobFile{Key: b.Key, Hash: strings.Repeat("0", 64)}
			ts.Check(os.WriteFile(filepath.Join(f.Root(), filepath.FromSlash(first.Path())), []byte("cut"), 0o600))
			continue
		}
		for {
			var sealed bytes.Buffer
			w, err := public.SealStream(&sealed)
			ts.Check(err)
			w.Write([]byte("planted: " + rand.Text()))
			ts.Check(w.Close())
			sum := sha256.Sum256(sealed.Bytes())
			planted := syncfolder.BlobFile{Key: b.Key, Hash: hex.EncodeToString(sum[:])}
			if planted.Hash >= b.Hash {
				continue // it must sort first
			}
			ts.Check(os.WriteFile(filepath.Join(f.Root(), filepath.FromSlash(planted.Path())), sealed.Bytes(), 0o600))
			break
		}
	}
}

package main

import (
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/syncfolder"
)

// cmdPlantOldKeys is an attacker who can write the sync folder and holds
// no secret: it puts into the folder's earlier keys (oldkeys/) a key of
// its own sealed to the journal's recipient, which anyone can read in the
// manifest, and a file that opens with no key, both named as the folder
// names its files, so that a computer that joins takes them up.
//
//	plantoldkeys DIR
func cmdPlantOldKeys(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: plantoldkeys DIR")
	}
	f, m := folderManifest(ts, args[0])
	own, err := crypto.Generate(true)
	ts.Check(err)
	sealed, err := crypto.WrapTo(own, m.Head().Recipient)
	ts.Check(err)
	_, err = f.PutNumbered(syncfolder.DirOldKeys, 1, sealed, "keys")
	ts.Check(err)
	_, err = f.PutNumbered(syncfolder.DirOldKeys, 2, []byte("age-encryption.org/v1\nnot a key\n"), "keys")
	ts.Check(err)
}

package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

// cmdForgeRetire is an attacker who can write the sync folder and holds
// no secret: it writes into the folder a manifest statement that names
// the device NAME retired, so that the next `journal join` of that
// computer would take its key for a retired one.
//
//	forgeretire [-chain|-own] DIR NAME
//
// Without -chain, the statement follows the folder's newest one and is
// signed by a key of the attacker's own (nobody else's is at hand). With
// -chain, the attacker replaces the folder's whole manifest with one of
// its own making, which hangs together: a first statement signed by its
// key, then one it signs that hands the journal back to the real owner
// (so that a check of the newest statement's owner alone passes) and
// retires NAME. With -own, the whole manifest is of its own making and
// stays its own: every statement names its key as the owner, and the last
// one retires NAME (the folder's wrapped key is kept, so that the
// journal's passphrase still opens it).
func cmdForgeRetire(ts *testscript.TestScript, neg bool, args []string) {
	mode := ""
	if len(args) == 3 && (args[0] == "-chain" || args[0] == "-own") {
		mode, args = args[0], args[1:]
	}
	chain := mode != ""
	if neg || len(args) != 2 {
		ts.Fatalf("usage: forgeretire [-chain|-own] DIR NAME")
	}
	f, m := folderManifest(ts, args[0])
	head := *m.Head()
	head.Devices = append([]journal.DeviceEntry(nil), head.Devices...)
	retired := false
	for i := range head.Devices {
		if head.Devices[i].Name == args[1] {
			at := time.Now().UTC().Truncate(time.Second)
			head.Devices[i].RetiredAt = &at
			retired = true
		}
	}
	if !retired {
		ts.Fatalf("no device %q in the folder's manifest", args[1])
	}
	_, attacker, err := ed25519.GenerateKey(rand.Reader)
	ts.Check(err)
	head.Change, head.Merges, head.V1Head = "retired "+args[1], nil, nil
	if !chain {
		ref := m.HeadRef()
		head.N, head.Prev = ref.N+1, hex.EncodeToString(ref.Hash[:])
		putForged(ts, f, attacker, &head)
		return
	}
	// The folder's whole manifest is replaced by the attacker's own.
	entries, err := f.Numbered(syncfolder.DirManifest)
	ts.Check(err)
	for _, e := range entries {
		ts.Check(os.Remove(filepath.Join(f.Root(), filepath.FromSlash(e.Path()))))
	}
	first := *m.Genesis()
	first.Owner = journal.DeviceName(attacker.Public().(ed25519.PublicKey))
	b := putForged(ts, f, attacker, &first)
	own, err := journal.CheckStatements(f.JournalID, [][]byte{b})
	ts.Check(err)
	ref := own.HeadRef()
	head.N, head.Prev = 2, hex.EncodeToString(ref.Hash[:])
	if mode == "-own" {
		head.Owner = first.Owner
	}
	putForged(ts, f, attacker, &head)
}

// putForged signs st with key and writes it into the folder's manifest.
func putForged(ts *testscript.TestScript, f *syncfolder.Folder, key ed25519.PrivateKey, st *journal.Statement) []byte {
	b, err := journal.SignStatement(key, st)
	ts.Check(err)
	_, err = f.PutNumbered(syncfolder.DirManifest, st.N, b, "manifest")
	ts.Check(err)
	return b
}

package main

import (
	"encoding/binary"
	"os"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

// cmdDamageHeader damages one of bbolt's two header pages of a journal
// file, as a torn write or a failing disk would: a byte of the page's body
// changed, so that its checksum no longer matches.
//
//	damageheader FILE newer|older
func cmdDamageHeader(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 || (args[1] != "newer" && args[1] != "older") {
		ts.Fatalf("usage: damageheader FILE newer|older")
	}
	path := ts.MkAbs(args[0])
	data, err := os.ReadFile(path)
	ts.Check(err)
	const pageSize, body, txidAt = 4096, 16, 48
	t0 := binary.NativeEndian.Uint64(data[body+txidAt:])
	t1 := binary.NativeEndian.Uint64(data[pageSize+body+txidAt:])
	newer := 0
	if t1 > t0 {
		newer = 1
	}
	page := newer
	if args[1] == "older" {
		page = 1 - newer
	}
	// The root bucket's page number: the checksum covers it.
	data[page*pageSize+body+16] ^= 0x40
	ts.Check(os.WriteFile(path, data, 0o600))
}

// cmdOrphanBlob stores evidence that no record names, as an attach killed
// between sealing the file and appending its record leaves it:
//
//	orphanblob FILE
func cmdOrphanBlob(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: orphanblob FILE")
	}
	s, err := journal.Open(ts.Getenv("JOURNAL_FILE"), journal.Options{})
	ts.Check(err)
	defer s.Close()
	m, err := s.Meta()
	ts.Check(err)
	sealer, err := crypto.NewSealer(m.Recipients)
	ts.Check(err)
	f, err := os.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	defer f.Close()
	_, _, err = s.PutBlob(sealer, args[0], f, time.Now())
	ts.Check(err)
}

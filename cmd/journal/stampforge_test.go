package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/stamp"
	"github.com/journal-dev/journal/stamp/stamptest"
)

// forgeCovers is the attacker with an enrolled device who wants an
// incident written today to look proven by an earlier timestamp: it takes
// a token genuinely signed by an authority for the journal's head as it
// is, appends a back-dated incident, and records the token with a list of
// covered records that includes the new incident. The list does not make
// the head the token signed: nothing may be shown as proven by it, and
// verify must refuse it.
//
//	forgecovers
func forgeCovers() {
	s, sealer, _, fail := forger("forgecovers")
	defer s.Close()
	before, err := s.Waiting()
	if err != nil || before == nil {
		fail(fmt.Errorf("nothing waiting (%v)", err))
	}
	reply, tok, ca := forgedToken(before.Hash, fail)
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	if err := s.Append(sealer, &journal.Record{Type: journal.TypeIncident, RecordedAt: time.Now().Truncate(time.Second),
		Fields: &journal.Fields{OccurredAt: at, Summary: "Back-dated threat"}}); err != nil {
		fail(err)
	}
	after, err := s.Waiting()
	if err != nil || after == nil {
		fail(fmt.Errorf("nothing waiting (%v)", err))
	}
	rec := &journal.Record{Type: journal.TypeStamp, RecordedAt: time.Now().Truncate(time.Second), Stamp: &journal.Stamp{
		Seq: after.Seq, Head: journal.HeadHex(before.Hash), Covers: after.Covers, URL: "http://127.0.0.1:1/tsr",
		Authority: tok.Authority, Time: tok.Time, Reply: reply, Roots: ca.RootPEM()}}
	if err := s.AppendStamps(sealer, rec); err != nil {
		fail(err)
	}
}

// oldStamp stamps the journal as a version of the program from before
// stamps named the records they cover did: a stamp record with no list,
// for the newest head of the queue, which is the head just after this
// computer's last record. Such records exist in journals; every computer
// must still prove with them exactly what they cover.
//
//	oldstamp URL ROOTS.pem
func oldStamp() {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "oldstamp:", err)
		os.Exit(1)
	}
	if len(os.Args) != 3 {
		fail(fmt.Errorf("usage: oldstamp URL ROOTS.pem"))
	}
	g := &globals{streams: &streams{in: strings.NewReader(""), out: io.Discard, err: os.Stderr}, now: time.Now}
	path, err := g.path()
	if err != nil {
		fail(err)
	}
	// The newest head in the queue, as it was appended.
	var seq uint64
	var head [32]byte
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		fail(err)
	}
	err = db.View(func(tx *bolt.Tx) error {
		k, v := tx.Bucket([]byte("stampqueue")).Cursor().Last()
		if len(k) != 8 || len(v) != 32 {
			return fmt.Errorf("nothing waits to be stamped")
		}
		seq, head = binary.BigEndian.Uint64(k), [32]byte(v)
		return nil
	})
	db.Close()
	if err != nil {
		fail(err)
	}
	s, sealer, _, _ := forger("oldstamp")
	defer s.Close()
	pem, err := os.ReadFile(os.Args[2])
	if err != nil {
		fail(err)
	}
	roots, err := stamp.Roots(pem)
	if err != nil {
		fail(err)
	}
	tok, err := (&stamp.Client{Timeout: 10 * time.Second}).Stamp(context.Background(), os.Args[1], head, roots)
	if err != nil {
		fail(err)
	}
	rec := &journal.Record{Type: journal.TypeStamp, RecordedAt: time.Now().Truncate(time.Second), Stamp: &journal.Stamp{
		Seq: seq, Head: journal.HeadHex(head), URL: os.Args[1], Authority: tok.Authority, Time: tok.Time,
		Reply: tok.Reply, Roots: pem}}
	if err := s.AppendStamps(sealer, rec); err != nil {
		fail(err)
	}
}

// forger opens the journal for writing as an attacker's tool does, with
// its meta and a sealer to its recipients; fail ends the process, naming
// the tool.
func forger(tool string) (*journal.Store, *crypto.Sealer, *journal.Meta, func(error)) {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, tool+":", err)
		os.Exit(1)
	}
	g := &globals{streams: &streams{in: strings.NewReader(""), out: io.Discard, err: os.Stderr}, now: time.Now}
	s, err := g.openStore(journal.Options{})
	if err != nil {
		fail(err)
	}
	m, err := s.Meta()
	if err != nil {
		fail(err)
	}
	sealer, err := crypto.NewSealer(m.Recipients)
	if err != nil {
		fail(err)
	}
	return s, sealer, m, fail
}

// forgedToken is a token a test authority, "Forger TSA", genuinely signs
// for digest: an authority stamps whatever digest it is sent.
func forgedToken(digest [32]byte, fail func(error)) ([]byte, *stamp.Token, *stamptest.CA) {
	ca, err := stamptest.NewCA("Forger", true)
	if err != nil {
		fail(err)
	}
	req, err := stamp.NewRequest(digest)
	if err != nil {
		fail(err)
	}
	reply, err := ca.Reply(req.DER, stamptest.Good)
	if err != nil {
		fail(err)
	}
	tok, err := stamp.Check(reply, req.Digest, mustPool(ca))
	if err != nil {
		fail(err)
	}
	return reply, tok, ca
}

// forgeOwnAuthority is the author with an enrolled device who runs a
// timestamp authority of their own: it signs the journal's head as it is
// and records the token with its own root certificate beside it, as
// --tsa-roots keeps an authority's. The token holds against that root,
// which proves nothing to anyone who does not trust it: verify must say
// which root it trusted, and that the journal carries it.
//
//	forgeownauthority
func forgeOwnAuthority() {
	s, sealer, _, fail := forger("forgeownauthority")
	defer s.Close()
	w, err := s.Waiting()
	if err != nil || w == nil {
		fail(fmt.Errorf("nothing waiting (%v)", err))
	}
	reply, tok, ca := forgedToken(w.Hash, fail)
	rec := &journal.Record{Type: journal.TypeStamp, RecordedAt: time.Now().Truncate(time.Second), Stamp: &journal.Stamp{
		Seq: w.Seq, Head: journal.HeadHex(w.Hash), Covers: w.Covers, URL: "http://127.0.0.1:1/tsr",
		Authority: tok.Authority, Time: tok.Time, Reply: reply, Roots: ca.RootPEM()}}
	if err := s.AppendStamps(sealer, rec); err != nil {
		fail(err)
	}
}

package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/journal-dev/journal/journal"
)

// forgeCoversAhead is the author who wants incidents written later to
// look proven by a timestamp taken now. The authority stamps whatever
// digest it is sent, so the attacker has it stamp a head that names, for
// its own device, a record N places beyond its newest one, with a made up
// hash; writes M back-dated incidents (2 unless given); and only then
// records the token, with the list that makes the head it signed. The
// list names a record this journal does not hold: another record at a
// place the incidents took, or one that never comes. Nothing may be shown
// as proven by it, and verify must refuse it.
//
//	forgecoversahead N [M]
func forgeCoversAhead() {
	s, sealer, m, fail := forger("forgecoversahead")
	defer s.Close()
	if len(os.Args) != 2 && len(os.Args) != 3 {
		fail(fmt.Errorf("usage: forgecoversahead N [M]"))
	}
	n, err := strconv.ParseUint(os.Args[1], 10, 64)
	if err != nil {
		fail(err)
	}
	count := 2
	if len(os.Args) == 3 {
		if count, err = strconv.Atoi(os.Args[2]); err != nil {
			fail(err)
		}
	}
	now, err := s.Waiting()
	if err != nil || now == nil || len(now.Covers.Devices) != 1 {
		fail(fmt.Errorf("want one device's records waiting (%v)", err))
	}
	ahead := *now.Covers
	ahead.Devices = slices.Clone(now.Covers.Devices)
	made := make([]byte, 32)
	rand.Read(made)
	ahead.Devices[0].Place += n
	ahead.Devices[0].Hash = hex.EncodeToString(made)
	head := headOf(m.ID, &ahead)
	reply, tok, ca := forgedToken(head, fail)
	for i := range count {
		when := time.Date(2026, 11, 3+i, 9, 0, 0, 0, time.UTC)
		if err := s.Append(sealer, &journal.Record{Type: journal.TypeIncident, RecordedAt: time.Now().Truncate(time.Second),
			Fields: &journal.Fields{OccurredAt: when, Summary: fmt.Sprintf("Back-dated threat %d", i+1)}}); err != nil {
			fail(err)
		}
	}
	rec := &journal.Record{Type: journal.TypeStamp, RecordedAt: time.Now().Truncate(time.Second), Stamp: &journal.Stamp{
		Seq: now.Seq, Head: journal.HeadHex(head), Covers: &ahead, URL: "http://127.0.0.1:1/tsr",
		Authority: tok.Authority, Time: tok.Time, Reply: reply, Roots: ca.RootPEM()}}
	if err := s.AppendStamps(sealer, rec); err != nil {
		fail(err)
	}
}

// headOf computes the journal head a list of covered records makes, as
// the journal's design documents it: what an attacker can do too.
func headOf(journalID []byte, c *journal.Covers) [32]byte {
	type dev struct {
		key   []byte
		place uint64
		hash  []byte
	}
	var devs []dev
	for _, d := range c.Devices {
		key, err := journal.ParseDeviceName(d.Device)
		h, herr := hex.DecodeString(d.Hash)
		if err != nil || herr != nil {
			panic(fmt.Sprint("headOf: ", err, herr))
		}
		devs = append(devs, dev{key, d.Place, h})
	}
	slices.SortFunc(devs, func(a, b dev) int { return strings.Compare(string(a.key), string(b.key)) })
	w := sha256.New()
	w.Write([]byte("journal head v2\x00"))
	w.Write(journalID)
	w.Write(binary.BigEndian.AppendUint64(nil, c.V1))
	v1 := make([]byte, 32)
	if c.V1 > 0 {
		v1, _ = hex.DecodeString(c.V1Hash)
	}
	w.Write(v1)
	w.Write(binary.BigEndian.AppendUint16(nil, uint16(len(devs))))
	for _, d := range devs {
		w.Write(d.key)
		w.Write(binary.BigEndian.AppendUint64(nil, d.place))
		w.Write(d.hash)
	}
	return [32]byte(w.Sum(nil))
}

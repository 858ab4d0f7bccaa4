package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/journal-dev/journal/internal/testwait"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/stamp"
	"github.com/journal-dev/journal/stamp/stamptest"
)

// useTestStampTimeout lets the test binary shorten the wait for an
// authority that hangs; the real program always waits stamp.Timeout, or
// quietStampTimeout when stamping quietly after add.
func useTestStampTimeout() {
	if v := os.Getenv("JOURNAL_TEST_STAMP_TIMEOUT"); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			stampTimeout = d
		}
	}
	if v := os.Getenv("JOURNAL_TEST_QUIET_STAMP_TIMEOUT"); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			quietStampTimeout = d
		}
	}
}

// authorities are the timestamp authorities the scripts started.
var authorities sync.Map // *testscript.TestScript -> map[string]*stamptest.Server

// cmdTSA runs a real timestamp authority on 127.0.0.1 for a script:
//
//	tsa start NAME      start authority NAME: $NAME_URL is its address and
//	                    $WORK/NAME-root.pem its root certificate
//	tsa fault NAME F    answer wrongly from now on (see stamptest.Fault;
//	                    "good" answers well again)
//	tsa stop NAME       stop it: its address then refuses connections
//	tsa count NAME N    it has had N requests
//	tsa wait NAME N     wait (up to 10 s) until it has had N requests
func cmdTSA(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: tsa start|fault|stop|count|wait NAME [ARG]")
	}
	v, _ := authorities.LoadOrStore(ts, map[string]*stamptest.Server{})
	servers := v.(map[string]*stamptest.Server)
	name := args[1]
	srv := servers[name]
	if args[0] != "start" && srv == nil {
		ts.Fatalf("no authority %s started", name)
	}
	switch args[0] {
	case "start":
		s, err := stamptest.NewServer(name)
		ts.Check(err)
		servers[name] = s
		ts.Defer(s.Close)
		ts.Setenv(name+"_URL", s.URL+"/tsr")
		ts.Check(os.WriteFile(filepath.Join(ts.Getenv("WORK"), name+"-root.pem"), s.CA.RootPEM(), 0o600))
	case "fault":
		f := stamptest.Fault(args[2])
		if f == "good" {
			f = stamptest.Good
		}
		ts.Check(srv.SetFault(f))
	case "stop":
		srv.Close()
	case "wait":
		want, _ := strconv.Atoi(args[2])
		for deadline := time.Now().Add(testwait.Limit); srv.Count() < want; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				ts.Fatalf("authority %s had %d requests after %v, want %d", name, srv.Count(), testwait.Limit, want)
			}
		}
	case "count":
		want, _ := strconv.Atoi(args[2])
		if got := srv.Count(); (got == want) == neg {
			ts.Fatalf("authority %s answered %d requests, want %d", name, got, want)
		}
	}
}

// forgeStamp is the attacker with an enrolled device: it appends a stamp
// record naming the journal's head as it is, with a token genuinely signed
// by a timestamp authority, for another digest; or, with "unchained", for
// the right digest, carrying another root than the one its signing
// certificate chains to; or, with "earlier", a record that says the token
// was signed a day before it was. verify must refuse each, and nothing may
// be shown proven by it.
//
//	forgestamp [unchained|earlier]
func forgeStamp() {
	s, sealer, _, fail := forger("forgestamp")
	defer s.Close()
	w, err := s.Waiting()
	if err != nil || w == nil {
		fail(fmt.Errorf("nothing waiting (%v)", err))
	}
	variant := ""
	if len(os.Args) > 1 {
		variant = os.Args[1]
	}
	digest := sha256.Sum256([]byte("another journal"))
	if variant != "" {
		digest = w.Hash
	}
	reply, tok, ca := forgedToken(digest, fail)
	roots := ca.RootPEM()
	if variant == "unchained" {
		other, err := stamptest.NewCA("Other", true)
		if err != nil {
			fail(err)
		}
		roots = other.RootPEM()
	}
	at := tok.Time
	if variant == "earlier" {
		at = at.Add(-24 * time.Hour)
	}
	rec := &journal.Record{Type: journal.TypeStamp, RecordedAt: time.Now().Truncate(time.Second), Stamp: &journal.Stamp{
		Seq: w.Seq, Head: journal.HeadHex(w.Hash), Covers: w.Covers, URL: "http://127.0.0.1:1/tsr", Authority: tok.Authority,
		Time: at, Reply: reply, Roots: roots}}
	if err := s.AppendStamps(sealer, rec); err != nil {
		fail(err)
	}
}

func mustPool(ca *stamptest.CA) *stamp.Trust {
	return stamp.Only(ca.Root)
}

package journal

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/digitorus/timestamp"

	"github.com/journal-dev/journal/stamp"
	"github.com/journal-dev/journal/stamp/stamptest"
)

// signedStamp is a stamp of head (hex) whose token a test authority NAME
// TSA really signed, carrying its root, and naming the time the token
// states. fault makes it wrong: a token for another digest, a signing
// certificate without timestamping usage, or another root carried than the
// one the certificate chains to.
func signedStamp(t *testing.T, name, head string, c *Covers, fault stamptest.Fault) *Stamp {
	t.Helper()
	ca, err := stamptest.NewCA(name, fault != stamptest.NoUsage)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := hex.DecodeString(head)
	req, err := stamp.NewRequest([32]byte(h))
	if err != nil {
		t.Fatal(err)
	}
	reply, err := ca.Reply(req.DER, fault)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := timestamp.ParseResponse(reply)
	if err != nil {
		t.Fatal(err)
	}
	s := &Stamp{Head: head, Covers: c, Authority: name + " TSA", Time: ts.Time, Reply: reply, Roots: ca.RootPEM()}
	if fault == stamptest.Untrusted {
		other, err := stamptest.NewCA("Other", true)
		if err != nil {
			t.Fatal(err)
		}
		s.Roots = other.RootPEM()
	}
	return s
}

// twoDeviceHead is a head of two devices' records, as a stamp spells it.
func twoDeviceHead() (id []byte, laptop, pc string, c *Covers, head string) {
	id = bytes.Repeat([]byte{7}, journalIDLen)
	kl, kp := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	h := newHeadVector(id)
	h.devs[string(kl)] = deviceHead{place: 3, hash: sha256.Sum256([]byte("laptop 3"))}
	h.devs[string(kp)] = deviceHead{place: 1, hash: sha256.Sum256([]byte("pc 1"))}
	return id, DeviceName(kl), DeviceName(kp), coversOf(h), HeadHex(h.sum(id))
}

// TestCoversMustMakeTheSignedHead: a list of covered records is believed
// only when it makes exactly the head the token signed; each way of
// stretching or bending it is refused.
func TestCoversMustMakeTheSignedHead(t *testing.T) {
	id, laptop, pc, good, head := twoDeviceHead()
	if err := good.Check(id, head); err != nil {
		t.Fatalf("the list of the stamped head is refused: %v", err)
	}
	bend := map[string]func(c *Covers){
		"a later place":    func(c *Covers) { c.Devices[0].Place++ },
		"another hash":     func(c *Covers) { c.Devices[1].Hash = HeadHex(sha256.Sum256([]byte("other"))) },
		"a device dropped": func(c *Covers) { c.Devices = c.Devices[:1] },
		"a device added": func(c *Covers) {
			c.Devices = append(c.Devices, CoveredDevice{DeviceName(bytes.Repeat([]byte{3}, 32)), 1, c.Devices[0].Hash})
		},
		"a device twice":    func(c *Covers) { c.Devices[1] = c.Devices[0] },
		"a bad hash":        func(c *Covers) { c.Devices[0].Hash = "zz" },
		"a bad device":      func(c *Covers) { c.Devices[0].Device = "laptop" },
		"place 0":           func(c *Covers) { c.Devices[0].Place = 0 },
		"version 1 records": func(c *Covers) { c.V1, c.V1Hash = 4, HeadHex(sha256.Sum256([]byte("v1"))) },
	}
	for name, f := range bend {
		c := &Covers{V1: good.V1, V1Hash: good.V1Hash, Devices: append([]CoveredDevice(nil), good.Devices...)}
		f(c)
		if err := c.Check(id, head); err == nil {
			t.Errorf("%s: the list is believed", name)
		}
	}
	if good.Place(laptop) != 3 || good.Place(pc) != 1 || good.Place("") != 0 {
		t.Errorf("places: laptop %d, pc %d, version 1 %d", good.Place(laptop), good.Place(pc), good.Place(""))
	}
}

// TestStampProvesByDeviceAndPlace: an incident is proven by a stamp when
// its first record is in the stamped head, whatever its position here; the
// proof is the earliest such stamp, in whatever order they came.
func TestStampProvesByDeviceAndPlace(t *testing.T) {
	id, laptop, pc, c, head := twoDeviceHead()
	incidents := func() *State {
		st := NewState()
		// This computer's order: laptop 1, pc 1, pc 2, laptop 2, laptop 3, laptop 4.
		for i, at := range []struct {
			dev   string
			place uint64
		}{{laptop, 1}, {pc, 1}, {pc, 2}, {laptop, 2}, {laptop, 3}, {laptop, 4}} {
			st.Incidents = append(st.Incidents, &Incident{ID: uint64(i + 1), Seq: uint64(i + 1), ChainDevice: at.dev, ChainPlace: at.place})
		}
		return st
	}
	// Tokens signed now, the late one after the early one (at the same
	// second, the authority's name decides, as on every computer).
	early := signedStamp(t, "Early", head, c, stamptest.Good)
	late := signedStamp(t, "Late", head, c, stamptest.Good)
	want := []string{"Early TSA", "Early TSA", "", "Early TSA", "Early TSA", ""}
	// The stamp records were made on the laptop after its record 4, having
	// seen the PC's record 2.
	past := map[string]deviceHead{laptop: {place: 4, hash: sha256.Sum256([]byte("laptop 4"))}, pc: {place: 2, hash: sha256.Sum256([]byte("pc 2"))}}
	for _, order := range [][]*Stamp{{early, late}, {late, early}} {
		st := incidents()
		for _, s := range order {
			st.applyStamp(s, id, past)
		}
		for i, in := range st.Incidents {
			if in.ProvenBy != want[i] {
				t.Errorf("stamps %s then %s: incident %d proven by %q, want %q", order[0].Authority, order[1].Authority, in.ID, in.ProvenBy, want[i])
			}
			if want[i] != "" && (in.ProvenRoot == nil || in.ProvenRoot.Name != "Early Root") {
				t.Errorf("incident %d: proven by a token that holds only by the root the stamp carries, but ProvenRoot = %+v", in.ID, in.ProvenRoot)
			}
		}
	}
	other := HeadHex(sha256.Sum256([]byte("another head")))
	forged := map[string]*Stamp{
		"a list that does not make its head": signedStamp(t, "Forged", other, c, stamptest.Good),
		"a token for another digest":         signedStamp(t, "Forged", head, c, stamptest.WrongDigest),
		"a signer of another root":           signedStamp(t, "Forged", head, c, stamptest.Untrusted),
		"a signer not for timestamping":      signedStamp(t, "Forged", head, c, stamptest.NoUsage),
		"no token":                           {Head: head, Covers: c, Authority: "Forged TSA", Time: early.Time},
	}
	earlier := *early
	earlier.Time = earlier.Time.Add(-24 * time.Hour)
	forged["a time earlier than its token's"] = &earlier
	otherName := *early
	otherName.Authority = "Trusted TSA"
	forged["another authority than its token's"] = &otherName
	for name, s := range forged {
		st := incidents()
		if holds, _ := st.applyStamp(s, id, past); holds {
			t.Errorf("%s: the stamp holds", name)
		}
		for _, in := range st.Incidents {
			if in.ProvenAt != nil {
				t.Errorf("%s: incident %d proven", name, in.ID)
			}
		}
	}
	// A token taken for a made-up head, recorded by a computer that did
	// not hold the records it names: the laptop's record 3 not yet, or
	// another record there.
	for name, past := range map[string]map[string]deviceHead{
		"beyond":         {laptop: {place: 2, hash: sha256.Sum256([]byte("laptop 2"))}, pc: past[pc]},
		"another record": {laptop: {place: 3, hash: sha256.Sum256([]byte("other laptop 3"))}, pc: past[pc]},
		"another device": {laptop: past[laptop]},
	} {
		st := incidents()
		st.applyStamp(early, id, past)
		for _, in := range st.Incidents {
			if in.ProvenAt != nil {
				t.Errorf("%s: incident %d proven by a stamp naming records its computer did not hold", name, in.ID)
			}
		}
	}
}

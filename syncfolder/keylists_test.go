package syncfolder

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"testing"
)

// keyedMem is a memChains that also carries key lists and remembers the
// segments it saw whole, as the journal's store does.
type keyedMem struct {
	*memChains
	// send holds this device's lists by their first place; got, the
	// lists that came with pulled segments; seen, what SeenSegment keeps.
	send    map[uint64][]byte
	written uint64
	got     []string
	seen    map[string]string
	reads   int
}

func newKeyed(devs ...ed25519.PublicKey) *keyedMem {
	return &keyedMem{memChains: newMem(devs...), send: map[uint64][]byte{}, seen: map[string]string{}}
}

func (m *keyedMem) SealedKeys(d ed25519.PublicKey, from, to uint64) ([][]byte, error) {
	var out [][]byte
	for first, l := range m.send {
		if first >= from && first <= to {
			out = append(out, l)
		}
	}
	return out, nil
}

func (m *keyedMem) KeysWritten(d ed25519.PublicKey, to uint64) error {
	m.written = to
	for first := range m.send {
		if first <= to {
			delete(m.send, first)
		}
	}
	return nil
}

func (m *keyedMem) AddSealedKeys(d ed25519.PublicKey, first, last uint64, lists [][]byte) error {
	for _, l := range lists {
		m.got = append(m.got, fmt.Sprintf("%d-%d:%s", first, last, l))
	}
	return nil
}

func (m *keyedMem) SeenSegment(d ed25519.PublicKey) (string, error) { return m.seen[string(d)], nil }

func (m *keyedMem) SetSeenSegment(d ed25519.PublicKey, path string) error {
	m.seen[string(d)] = path
	return nil
}

// add appends n records to a device's chain and pushes them.
func (m *keyedMem) add(t *testing.T, f *Folder, d ed25519.PublicKey, n int, what string) {
	t.Helper()
	for range n {
		p := len(m.chain[string(d)]) + 1
		m.chain[string(d)] = append(m.chain[string(d)], fmt.Appendf(nil, "%d:%s", p, what))
	}
	if _, err := Push(f, m, d); err != nil {
		t.Fatal(err)
	}
}

func (m *keyedMem) Records(d ed25519.PublicKey, from, to uint64) ([][]byte, error) {
	m.reads++
	return m.memChains.Records(d, from, to)
}

func TestSegmentKeysRoundTripAndOldSegmentsRead(t *testing.T) {
	dev := newDevice(t)
	s := segment(t, dev, 4, "a", "b")
	old, err := s.Encode()
	if err != nil || !bytes.HasPrefix(old, []byte(segmentMagic)) {
		t.Fatalf("a segment without keys is not written as before: %q %v", old[:20], err)
	}
	s.Keys = [][]byte{[]byte("sealed list one"), []byte("two")}
	b, err := s.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeSegment(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Keys) != 2 || string(got.Keys[0]) != "sealed list one" || string(got.Keys[1]) != "two" || len(got.Records) != 2 {
		t.Fatalf("decoded %+v", got)
	}
	for cut := len(b) - 1; cut > len(b)-12; cut-- {
		if _, err := DecodeSegment(b[:cut]); err == nil {
			t.Fatalf("a segment cut in its key lists at %d decodes", cut)
		}
	}
	if _, err := DecodeSegment(append(bytes.Clone(old), 0, 0, 0, 1, 0, 0, 0, 1, 'x')); err == nil {
		t.Fatal("a segment of the first format with key lists after it decodes")
	}
}

func TestKeyListsTravelWithTheirSegment(t *testing.T) {
	f := newFolder(t)
	a, b := newDevice(t), newDevice(t)
	ma := newKeyed(a, b)
	ma.send[1] = []byte("keys of 1-3")
	ma.add(t, f, a, 3, "a")
	if ma.written != 3 || len(ma.send) != 0 {
		t.Fatalf("after the push: written up to %d, %d lists left to send", ma.written, len(ma.send))
	}
	ma.add(t, f, a, 1, "a") // a single add: no list

	mb := newKeyed(a, b)
	if _, err := Pull(f, mb, nil); err != nil {
		t.Fatal(err)
	}
	if len(mb.got) != 1 || mb.got[0] != "1-3:keys of 1-3" {
		t.Fatalf("lists received: %q, want the one of records 1 to 3", mb.got)
	}
	// A pull with nothing new reads no segment again: each device's
	// newest was merged whole.
	mb.reads = 0
	r, err := Pull(f, mb, nil)
	if err != nil || r.Merged != 0 || len(r.Refused) != 0 || mb.reads != 0 {
		t.Fatalf("second pull: %+v %v, %d reads of the journal's records", r, err, mb.reads)
	}
	// A segment whose records are refused leaves no list behind.
	bad := &Segment{JournalID: testID, Device: a, First: 5, Records: [][]byte{[]byte("not a record")}, Keys: [][]byte{[]byte("keys of 5")}}
	if _, err := f.PutSegment(bad); err != nil {
		t.Fatal(err)
	}
	r, err = Pull(f, mb, nil)
	if err != nil || len(r.Refused) != 1 || len(mb.got) != 1 {
		t.Fatalf("a refused segment: %+v %v; lists kept %q", r, err, mb.got)
	}
}

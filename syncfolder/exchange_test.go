package syncfolder

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// memChains is the smallest journal an exchange can fill: per device, its
// records in order. Merge refuses a record that is not "<place>:..." for
// its place, which stands in for the store's signature and chain checks.
type memChains struct {
	devs  []ed25519.PublicKey
	chain map[string][][]byte
}

func newMem(devs ...ed25519.PublicKey) *memChains {
	return &memChains{devs: devs, chain: map[string][][]byte{}}
}

func (m *memChains) Devices() ([]ed25519.PublicKey, error) { return m.devs, nil }
func (m *memChains) Head(d ed25519.PublicKey) (uint64, error) {
	return uint64(len(m.chain[string(d)])), nil
}
func (m *memChains) Records(d ed25519.PublicKey, from, to uint64) ([][]byte, error) {
	return m.chain[string(d)][from-1 : to], nil
}
func (m *memChains) Merge(d ed25519.PublicKey, first uint64, recs [][]byte) (int, error) {
	if first != uint64(len(m.chain[string(d)]))+1 {
		return 0, errors.New("not the next place")
	}
	for i, r := range recs {
		if !strings.HasPrefix(string(r), fmt.Sprintf("%d:", first+uint64(i))) {
			return 0, errors.New("record does not check")
		}
	}
	m.chain[string(d)] = append(m.chain[string(d)], recs...)
	return len(recs), nil
}

// add appends n records to a device's chain and pushes them as a segment.
func (m *memChains) add(t *testing.T, f *Folder, d ed25519.PublicKey, n int, what string) {
	t.Helper()
	for range n {
		p := len(m.chain[string(d)]) + 1
		m.chain[string(d)] = append(m.chain[string(d)], fmt.Appendf(nil, "%d:%s", p, what))
	}
	if _, err := Push(f, m, d); err != nil {
		t.Fatal(err)
	}
}

func TestPullMergesInOrderAndWaitsForMissingSegments(t *testing.T) {
	f := newFolder(t)
	a, b := newDevice(t), newDevice(t)
	ma := newMem(a, b)
	ma.add(t, f, a, 2, "a")
	ma.add(t, f, a, 1, "a")
	ma.add(t, f, a, 3, "a")
	// Take the middle segment away, as if it had not arrived yet.
	l, _ := f.List()
	mid := l.Segments[DeviceDir(a)][1]
	path := filepath.Join(f.Root(), filepath.FromSlash(mid.Path()))
	data, _ := os.ReadFile(path)
	os.Remove(path)

	mb := newMem(a, b)
	r, err := Pull(f, mb, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Merged != 2 || r.Waiting[DeviceDir(a)] != 3 || len(r.Refused) != 0 {
		t.Fatalf("with a segment missing: %+v", r)
	}
	os.WriteFile(path, data, 0o600)
	r, err = Pull(f, mb, nil)
	if err != nil || r.Merged != 4 || len(r.Waiting) != 0 {
		t.Fatalf("once it arrived: %+v %v", r, err)
	}
	if h, _ := mb.Head(a); h != 6 {
		t.Fatalf("head %d, want 6", h)
	}
	// Nothing new: nothing merged, nothing said.
	if r, _ = Pull(f, mb, nil); r.Merged != 0 || len(r.Refused)+len(r.Foreign)+len(r.Waiting) != 0 {
		t.Fatalf("a second pull: %+v", r)
	}
}

func TestPullRefusesDamagedAndForkedSegmentsAndMergesTheRest(t *testing.T) {
	f := newFolder(t)
	a, b, stranger := newDevice(t), newDevice(t), newDevice(t)
	ma, mb := newMem(a, b), newMem(a, b)
	ma.add(t, f, a, 2, "a")
	mb.add(t, f, b, 2, "b")
	// Damage b's segment, and let a stranger write a folder of its own.
	l, _ := f.List()
	bseg := l.Segments[DeviceDir(b)][0]
	os.WriteFile(filepath.Join(f.Root(), filepath.FromSlash(bseg.Path())), []byte("journal segment 1\ncut"), 0o600)
	newMem(stranger).add(t, f, stranger, 1, "s")

	mc := newMem(a, b)
	r, err := Pull(f, mc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Merged != 2 || len(r.Refused) != 1 || !strings.Contains(r.Refused[0].Error(), bseg.Path()) {
		t.Fatalf("damaged: %+v", r)
	}
	if len(r.Foreign) != 1 || !strings.Contains(r.Foreign[0].Error(), DeviceDir(stranger)) {
		t.Fatalf("foreign: %+v", r.Foreign)
	}
	// A copy of a's key on another computer records place 3 too.
	ma2 := newMem(a, b)
	ma2.chain[string(a)] = append([][]byte{}, ma.chain[string(a)]...)
	ma.add(t, f, a, 1, "first copy")
	ma2.chain[string(a)] = append(ma2.chain[string(a)], []byte("3:second copy"))
	if _, err := Push(f, ma2, a); !errors.As(err, new(*ForkError)) {
		t.Fatalf("pushing a fork: %v", err)
	}
	// It reaches the folder anyway, written before the copy saw the other.
	if _, err := f.PutSegment(&Segment{JournalID: testID, Device: a, First: 3, Records: [][]byte{[]byte("3:second copy")}}); err != nil {
		t.Fatal(err)
	}
	r, err = Pull(f, mc, nil)
	if err != nil {
		t.Fatal(err)
	}
	var fe *ForkError
	for _, err := range r.Refused {
		errors.As(err, &fe)
	}
	if fe == nil || fe.Place != 3 || fe.Device != DeviceDir(a) || !strings.Contains(fe.Error(), "fork") {
		t.Fatalf("fork: %+v", r.Refused)
	}
}

package syncfolder

import (
	"crypto/ed25519"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/journal-dev/journal/internal/synctest"
)

// device writes numbered segments of one device into its copy of the
// folder, the way `journal add` will.
type device struct {
	f    *Folder
	pub  ed25519.PublicKey
	next uint64
}

func (d *device) write(t *testing.T, n int) {
	t.Helper()
	for range n {
		d.next++
		s := segment(t, d.pub, d.next, fmt.Sprintf("record %d of %x", d.next, d.pub[:4]))
		if _, err := d.f.PutSegment(s); err != nil {
			t.Fatal(err)
		}
	}
}

// checkHolds checks that the folder holds every segment of every device,
// whole and in order.
func checkHolds(t *testing.T, f *Folder, devs ...*device) {
	t.Helper()
	l, err := f.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range devs {
		segs := l.Segments[DeviceDir(d.pub)]
		if uint64(len(segs)) != d.next {
			t.Fatalf("%s: %d segments of device %s, want %d (skipped: %q)", f.Root(), len(segs), DeviceDir(d.pub), d.next, l.Skipped)
		}
		for i, e := range segs {
			s, err := f.ReadSegment(e)
			if err != nil || s.First != uint64(i+1) {
				t.Fatalf("%s: segment %d: %v", f.Root(), i+1, err)
			}
		}
	}
	if len(l.Skipped) != 0 {
		t.Errorf("%s: unexpected names: %q", f.Root(), l.Skipped)
	}
}

func TestSyncthingCarriesSegmentsBothWays(t *testing.T) {
	dirA, dirB := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	a, b := synctest.SyncthingPair(t, dirA, dirB)
	fa, err := Create(dirA, testID)
	if err != nil {
		t.Fatal(err)
	}
	synctest.WaitInSync(t, a, b, 60*time.Second)
	fb, err := Open(dirB)
	if err != nil {
		t.Fatalf("the marker did not arrive: %v", err)
	}
	da, db := &device{f: fa, pub: newDevice(t)}, &device{f: fb, pub: newDevice(t)}
	// Both devices write at the same time, between and during syncs.
	for range 3 {
		da.write(t, 4)
		db.write(t, 3)
		a.Scan()
		da.write(t, 1)
	}
	took := synctest.WaitInSync(t, a, b, 90*time.Second)
	t.Logf("in sync %v after the last write", took)
	checkHolds(t, fa, da, db)
	checkHolds(t, fb, da, db)
}

func TestGitCarriesSegmentsBetweenThreeClones(t *testing.T) {
	g := synctest.NewGitRemote(t)
	var devs []*device
	// The first device makes the folder and pushes it; the others clone it.
	for i := range 3 {
		dir := filepath.Join(t.TempDir(), fmt.Sprint("clone", i))
		g.Clone(t, dir)
		open := Open
		if i == 0 {
			open = func(dir string) (*Folder, error) { return Create(dir, testID) }
		}
		f, err := open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			g.Exchange(t, dir)
		}
		devs = append(devs, &device{f: f, pub: newDevice(t)})
	}
	for round := range 3 {
		for i, d := range devs {
			d.write(t, 1+(round+i)%3)
			g.Exchange(t, d.f.Root())
		}
	}
	for _, d := range devs {
		g.Exchange(t, d.f.Root())
	}
	for _, d := range devs {
		checkHolds(t, d.f, devs...)
	}
}

func TestPlainCopiesInPartsAndRandomOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, uint64(time.Now().UnixNano())))
	var devs []*device
	for i := range 3 {
		f, err := Create(filepath.Join(t.TempDir(), fmt.Sprint("dev", i)), testID)
		if err != nil {
			t.Fatal(err)
		}
		devs = append(devs, &device{f: f, pub: newDevice(t)})
		devs[i].write(t, 3+i)
	}
	// Half of what each has, to each other, in random order; then the
	// rest. Every listing on the way sees whole segments only.
	for _, fraction := range []float64{0.5, 1} {
		for _, src := range devs {
			for _, dst := range devs {
				if src == dst {
					continue
				}
				if _, err := synctest.CopyPart(src.f.Root(), dst.f.Root(), fraction, rng); err != nil {
					t.Fatal(err)
				}
				l, err := dst.f.List()
				if err != nil {
					t.Fatal(err)
				}
				for _, segs := range l.Segments {
					for _, e := range segs {
						if _, err := dst.f.ReadSegment(e); err != nil {
							t.Fatalf("after a partial copy: %v", err)
						}
					}
				}
			}
		}
	}
	for _, d := range devs {
		checkHolds(t, d.f, devs...)
	}
}

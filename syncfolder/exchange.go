package syncfolder

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
)

// Chains is what an exchange needs of the local journal: the devices it
// knows, how far it holds each one's chain, and a way to add records it
// does not hold yet. The journal's store provides it; records are the
// stored, signed form, which only the store checks.
type Chains interface {
	// Devices returns the public keys of the devices whose records the
	// journal accepts.
	Devices() ([]ed25519.PublicKey, error)
	// Head returns the place of the newest record of a device's chain
	// that the journal holds, 0 if none.
	Head(device ed25519.PublicKey) (uint64, error)
	// Records returns the stored records of a device's chain from place
	// from to place to, both included.
	Records(device ed25519.PublicKey, from, to uint64) ([][]byte, error)
	// Merge checks and adds the records of one device's chain that follow
	// its head, in order, and returns how many it added. It refuses all of
	// them if one does not check. A record whose causal past (another
	// device's records, a manifest statement) is not here yet stops the
	// merge with an error that wraps [ErrWaiting]; the records before it
	// are added.
	Merge(device ed25519.PublicKey, first uint64, records [][]byte) (int, error)
}

// KeyLists is what a journal may add to [Chains] so that the segments
// carry the file keys of their records: [Push] asks for the sealed lists
// of the records it writes, and [Pull] hands over the lists of a segment
// before merging its records. The lists are opaque here; see
// [Segment.Keys].
type KeyLists interface {
	// SealedKeys returns the sealed lists of file keys this journal
	// holds for records from place from to place to of a device's chain.
	SealedKeys(device ed25519.PublicKey, from, to uint64) ([][]byte, error)
	// KeysWritten says that the device's records up to place to are in
	// the folder, with the lists SealedKeys gave for them.
	KeysWritten(device ed25519.PublicKey, to uint64) error
	// AddSealedKeys keeps the lists that came with the segment holding
	// places first to last of a device's chain.
	AddSealedKeys(device ed25519.PublicKey, first, last uint64, lists [][]byte) error
}

// SeenSegments is what a journal may add to [Chains] to remember, for
// each device, the newest segment it has merged or compared whole: a pull
// then does not read it again to look for a fork (files are never changed,
// so comparing it again would find what it found before). Without it,
// every pull reads each device's newest segment.
type SeenSegments interface {
	SeenSegment(device ed25519.PublicKey) (path string, err error)
	SetSeenSegment(device ed25519.PublicKey, path string) error
}

// ErrWaiting is what [Chains.Merge] wraps when a record must wait for
// others to arrive.
var ErrWaiting = errors.New("waits for records that have not arrived yet")

// ForkError reports two different records at the same place of one
// device's chain: a backup restored on a device that had gone on
// recording, or a device key copied to another computer.
type ForkError struct {
	Device string // the device's folder name
	Place  uint64
	Path   string // the segment that holds the other record
}

func (e *ForkError) Error() string {
	return fmt.Sprintf("fork in the chain of device %s at record %d: %s holds a different record there than this journal", e.Device, e.Place, e.Path)
}

// Report says what a pull did and what it left.
type Report struct {
	// Merged counts the records added to the journal.
	Merged int
	// Waiting names, per device folder, the first place whose segment
	// has not arrived yet; later segments of that device wait for it.
	Waiting map[string]uint64
	// Foreign are segments that were ignored: another journal's, or of a
	// device the journal does not list.
	Foreign []error
	// Refused are segments that are damaged or do not check, and forks:
	// nothing of them was merged. The rest was.
	Refused []error
}

// Pull merges into the journal every record of the folder that it does
// not hold yet, device by device and in each device's order. A damaged,
// changed or foreign segment is named in the report and the rest merges;
// progress, if not nil, is called with the records merged so far.
func Pull(f *Folder, c Chains, progress func(done int)) (*Report, error) {
	l, err := f.List()
	if err != nil {
		return nil, err
	}
	devs, err := c.Devices()
	if err != nil {
		return nil, err
	}
	known := map[string]ed25519.PublicKey{}
	for _, d := range devs {
		known[DeviceDir(d)] = d
	}
	dirs := make([]string, 0, len(l.Segments))
	for d := range l.Segments {
		dirs = append(dirs, d)
	}
	slices.Sort(dirs)
	// A device's record may depend on another device's that comes later
	// in this order: go round again while a round merges anything.
	total := 0
	for {
		r := &Report{Waiting: map[string]uint64{}, Merged: total}
		for _, dir := range dirs {
			if dir == DeviceDir(V1Device) {
				continue // see V1Device
			}
			pub, ok := known[dir]
			if !ok {
				for _, e := range l.Segments[dir] {
					r.Foreign = append(r.Foreign, &ForeignError{Path: e.Path(), Reason: "its device is not one of this journal's devices"})
				}
				continue
			}
			if err := pullDevice(f, c, pub, l.Segments[dir], r, progress); err != nil {
				return r, err
			}
		}
		if r.Merged == total || len(r.Waiting) == 0 {
			return r, nil
		}
		total = r.Merged
	}
}

// pullDevice merges one device's segments. Segments wholly before the
// journal's head are passed over without reading, except the newest of
// them, which is read to find a fork.
func pullDevice(f *Folder, c Chains, pub ed25519.PublicKey, segs []Entry, r *Report, progress func(int)) error {
	head, err := c.Head(pub)
	if err != nil {
		return err
	}
	// The memory of what was seen is only a saving: without it the
	// segment is read again.
	seen := ""
	ss, remember := c.(SeenSegments)
	if remember {
		seen, _ = ss.SeenSegment(pub)
	}
	sawWhole := func(e Entry) {
		if remember && e.Path() != seen {
			ss.SetSeenSegment(pub, e.Path())
		}
	}
	for i, e := range segs {
		if i+1 < len(segs) && segs[i+1].Seq <= head+1 && segs[i+1].Seq > e.Seq {
			continue // the next segment starts at or before the head
		}
		if e.Path() == seen && e.Seq <= head {
			continue // merged or compared whole before
		}
		if e.Seq > head+1 {
			// Waiting for the segments before it, unless it is not this
			// journal's at all.
			if _, err := f.ReadSegment(e); errors.As(err, new(*ForeignError)) {
				r.Foreign = append(r.Foreign, err)
				continue
			}
			r.Waiting[e.Device] = head + 1
			return nil
		}
		s, err := f.ReadSegment(e)
		var fe *ForeignError
		switch {
		case errors.As(err, &fe):
			r.Foreign = append(r.Foreign, err)
			continue
		case err != nil:
			var de *DamagedError
			if !errors.As(err, &de) {
				return err
			}
			if e.Seq > head { // records this journal holds cost nothing
				r.Refused = append(r.Refused, err)
			}
			continue
		case !bytes.Equal(s.Device, pub):
			r.Foreign = append(r.Foreign, &ForeignError{Path: e.Path(), Reason: "it was written by another device than its folder's"})
			continue
		}
		// Records the journal holds already must be the same ones.
		if s.First <= head {
			to := min(head, s.Last())
			have, err := c.Records(pub, s.First, to)
			if err != nil {
				return err
			}
			if p, same := samePrefix(have, s.Records); !same {
				r.Refused = append(r.Refused, &ForkError{Device: e.Device, Place: s.First + uint64(p), Path: e.Path()})
				return nil
			}
		}
		if s.Last() <= head {
			sawWhole(e)
			continue
		}
		recs := s.Records[head+1-s.First:]
		n, err := c.Merge(pub, head+1, recs)
		r.Merged += n
		head += uint64(n)
		// The lists are kept for records that merged: a segment refused
		// or waiting whole leaves none to open at every read.
		if kl, ok := c.(KeyLists); ok && len(s.Keys) > 0 && n > 0 {
			if err := kl.AddSealedKeys(pub, s.First, s.Last(), s.Keys); err != nil {
				return err
			}
		}
		if progress != nil && n > 0 {
			progress(r.Merged)
		}
		if errors.Is(err, ErrWaiting) {
			r.Waiting[e.Device] = head + 1
			return nil
		}
		if err != nil {
			r.Refused = append(r.Refused, fmt.Errorf("sync folder file %s: %w", e.Path(), err))
			return nil
		}
		sawWhole(e)
	}
	return nil
}

// samePrefix compares the records the journal holds with a segment's
// records at the same places, and returns the first that differs.
func samePrefix(have, seg [][]byte) (int, bool) {
	for i := range have {
		if i >= len(seg) || !bytes.Equal(have[i], seg[i]) {
			return i, false
		}
	}
	return 0, true
}

// Push writes this device's records that the folder does not hold yet as
// one new segment, and returns how many it wrote. The folder's copy of
// this device's chain is found from its segments' names: the newest is
// read to learn where it ends.
func Push(f *Folder, c Chains, self ed25519.PublicKey) (int, error) {
	head, err := c.Head(self)
	if err != nil || head == 0 {
		return 0, err
	}
	dir := DeviceDir(self)
	f.CleanTemp(dir)
	l, err := f.List()
	if err != nil {
		return 0, err
	}
	var have uint64
	if segs := l.Segments[dir]; len(segs) > 0 {
		e := segs[len(segs)-1]
		s, err := f.ReadSegment(e)
		if err != nil {
			return 0, err
		}
		have = s.Last()
		// The folder's copy must be this device's own chain.
		mine, err := c.Records(self, s.First, min(head, s.Last()))
		if err != nil {
			return 0, err
		}
		if s.First <= head {
			if p, same := samePrefix(mine, s.Records); !same {
				return 0, &ForkError{Device: dir, Place: s.First + uint64(p), Path: e.Path()}
			}
		}
	}
	if have >= head {
		return 0, nil
	}
	recs, err := c.Records(self, have+1, head)
	if err != nil {
		return 0, err
	}
	seg := &Segment{JournalID: f.JournalID, Device: self, First: have + 1, Records: recs}
	kl, withKeys := c.(KeyLists)
	if withKeys {
		if seg.Keys, err = kl.SealedKeys(self, have+1, head); err != nil {
			return 0, err
		}
		// A record is read with its identity when no list comes with it:
		// one extra hint is never worth a segment the format refuses.
		if len(seg.Keys) > maxKeyLists {
			seg.Keys = nil
		}
	}
	if _, err := f.PutSegment(seg); err != nil {
		return 0, err
	}
	if withKeys {
		if err := kl.KeysWritten(self, head); err != nil {
			return len(recs), err
		}
	}
	return len(recs), nil
}

// Check reads every segment of the folder and compares each record with
// the journal's record at the same place, for `journal verify`: two
// different records at one place of a device's chain are a fork. Damaged
// and forked segments are returned; foreign ones are passed over (a pull
// names them).
func Check(f *Folder, c Chains) ([]error, error) {
	l, err := f.List()
	if err != nil {
		return nil, err
	}
	devs, err := c.Devices()
	if err != nil {
		return nil, err
	}
	var problems []error
	for _, pub := range devs {
		dir := DeviceDir(pub)
		head, err := c.Head(pub)
		if err != nil {
			return nil, err
		}
		for _, e := range l.Segments[dir] {
			if e.Seq > head {
				continue
			}
			s, err := f.ReadSegment(e)
			var de *DamagedError
			if errors.As(err, &de) {
				if !wholeTwin(f, l.Segments[dir], e) {
					problems = append(problems, err)
				}
				continue
			}
			if err != nil {
				continue
			}
			have, err := c.Records(pub, s.First, min(head, s.Last()))
			if err != nil {
				return nil, err
			}
			if p, same := samePrefix(have, s.Records); !same {
				problems = append(problems, &ForkError{Device: dir, Place: s.First + uint64(p), Path: e.Path()})
			}
		}
	}
	return problems, nil
}

// Rewrite finds this device's segments in the folder that are damaged
// (a sync program or a disk changed them; their names cannot be used
// again) and writes their records again as new segments under new names,
// from the journal's copy. Nothing is changed or removed. It returns how
// many records it wrote.
func Rewrite(f *Folder, c Chains, self ed25519.PublicKey) (int, error) {
	head, err := c.Head(self)
	if err != nil || head == 0 {
		return 0, err
	}
	l, err := f.List()
	if err != nil {
		return 0, err
	}
	segs := l.Segments[DeviceDir(self)]
	written := 0
	for i, e := range segs {
		if _, err := f.ReadSegment(e); err == nil || !errors.As(err, new(*DamagedError)) {
			continue
		}
		// Its records run up to the next segment's first place.
		last := head
		for _, n := range segs[i+1:] {
			if n.Seq > e.Seq {
				last = n.Seq - 1
				break
			}
		}
		if e.Seq > last || e.Seq > head {
			continue
		}
		for _, to := range []uint64{head, last, e.Seq} {
			recs, err := c.Records(self, e.Seq, to)
			if err != nil {
				return written, err
			}
			_, err = f.PutSegment(&Segment{JournalID: f.JournalID, Device: self, First: e.Seq, Records: recs})
			if err == nil {
				written += len(recs)
				break
			}
			if !errors.Is(err, ErrNameTaken) {
				return written, err
			}
		}
	}
	return written, nil
}

// wholeTwin says whether another segment of the list starts where e does
// and reads whole: one written again after e was damaged (see Rewrite).
func wholeTwin(f *Folder, segs []Entry, e Entry) bool {
	for _, o := range segs {
		if o.Seq == e.Seq && o.Hash != e.Hash {
			if _, err := f.ReadSegment(o); err == nil {
				return true
			}
		}
	}
	return false
}

// V1Device is the key, all zeros, under which a folder keeps the records a
// journal holds from before records were signed (format version 1). They
// are not a device's chain: the journal checks them against what its owner
// signed at the upgrade, and Pull leaves them to it.
var V1Device = ed25519.PublicKey(make([]byte, ed25519.PublicKeySize))

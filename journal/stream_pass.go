package journal

import (
	"bytes"
	"io"
	"strings"
	"time"
)

// window is the part of the cache's plaintext being decoded, read from r
// as it is needed. A window is never written again once read: a new one
// is made for more, so the strings decoded from it (cut from it without a
// copy) stay as they were.
type window struct {
	r     io.Reader
	buf   []byte
	base  int64 // the plaintext's offset of buf[0]
	pos   int   // the next byte to decode, in buf
	eof   bool
	zones map[int]*time.Location
	// devices is the state's table of device names, read before the
	// incidents.
	devices []string
}

// decoderOf is a decoder of s with the window's tables.
func (w *window) decoderOf(s string) *decoder {
	return &decoder{s: s, zones: w.zones, devices: w.devices}
}

// windowSize is the least the window reads at a time.
const windowSize = 1 << 20

// decode runs f on a decoder of the bytes from the window's position; if
// f runs out of them, more are read and f runs again. It returns where in
// the plaintext what f read lies.
func (w *window) decode(f func(d *decoder)) (start, end int64, err error) {
	for {
		rest := w.buf[w.pos:]
		d := w.decoderOf(stringOf(rest))
		f(d)
		if d.err == nil {
			start = w.base + int64(w.pos)
			w.pos += d.i
			return start, start + int64(d.i), nil
		}
		if w.eof {
			return 0, 0, errCacheCodec
		}
		if err := w.fill(); err != nil {
			return 0, 0, err
		}
	}
}

// fill reads more into a new window, which holds what was not decoded yet.
func (w *window) fill() error {
	rest := w.buf[w.pos:]
	nb := make([]byte, max(windowSize, 2*len(rest)))
	copy(nb, rest)
	k, err := io.ReadFull(w.r, nb[len(rest):])
	w.base += int64(w.pos)
	w.buf, w.pos = nb[:len(rest)+k], 0
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		w.eof = true
		return nil
	}
	return err
}

// atEnd reports whether everything has been decoded.
func (w *window) atEnd() bool {
	for w.pos == len(w.buf) && !w.eof {
		if w.fill() != nil {
			return false
		}
	}
	return w.pos == len(w.buf)
}

// firstPass reads the state's encoding from the window, one incident at a
// time. It returns the state without incidents but those in touched (which
// it fills in), with what Apply needs to bring them forward; the index of
// the other incidents q selects; and the other incidents with evidence
// files, in the order they were recorded. It checks what decodeState
// checks.
func (w *window) firstPass(q Query, touched map[uint64]*Incident) (*State, []indexEntry, []*Incident, error) {
	ov := &State{byID: map[uint64]int{}, counts: map[uint16]uint64{}}
	count := 0
	if _, _, err := w.decode(func(d *decoder) {
		ov.Seq, ov.Fingerprint, w.devices, count = d.uint(), d.str(), d.strs(), d.list()
	}); err != nil {
		return nil, nil, nil, err
	}
	// Copies, so that they do not keep the first window.
	ov.Fingerprint = strings.Clone(ov.Fingerprint)
	for i, name := range w.devices {
		w.devices[i] = strings.Clone(name)
	}
	var index []indexEntry
	var files []*Incident
	for range count {
		in := &Incident{}
		start, end, err := w.decode(func(d *decoder) {
			*in = Incident{}
			d.incident(in)
		})
		if err != nil {
			return nil, nil, nil, err
		}
		tag, n := IncidentTag(in.ID)
		if n != ov.counts[tag]+1 {
			return nil, nil, nil, &damagedCacheError{"its incidents are out of order"}
		}
		ov.counts[tag] = n
		_, isTouched := touched[in.ID]
		if isTouched || len(in.Attachments) > 0 {
			// Kept: decoded again from its own copy, so that it does
			// not keep the whole window.
			raw := bytes.Clone(w.buf[w.pos-int(end-start) : w.pos])
			in = &Incident{}
			d := w.decoderOf(stringOf(raw))
			d.incident(in)
		}
		if isTouched {
			touched[in.ID] = in
			ov.byID[in.ID] = len(ov.Incidents)
			ov.Incidents = append(ov.Incidents, in)
			continue
		}
		if len(in.Attachments) > 0 {
			files = append(files, in)
		}
		if q.Match(in) {
			index = append(index, newIndexEntry(in, start, int(end-start)))
		}
	}
	// The rest (checkpoints, disclosures, proofs of time) is kept: it is
	// decoded again from its own copy, so that it keeps no window.
	start, end, err := w.decode(func(d *decoder) { d.stateAfterIncidents(&State{}) })
	if err != nil {
		return nil, nil, nil, err
	}
	if end > start {
		raw := bytes.Clone(w.buf[w.pos-int(end-start) : w.pos])
		d := w.decoderOf(stringOf(raw))
		d.stateAfterIncidents(ov)
	}
	if !w.atEnd() {
		return nil, nil, nil, &damagedCacheError{"it has trailing data"}
	}
	return ov, index, files, nil
}

// blockCache reads a plaintext opened by position in whole 64 KiB blocks,
// age's chunks, and keeps the last few: incidents read in the order they
// happened mostly lie near the one before.
type blockCache struct {
	ra   io.ReaderAt
	size int64
	ids  [16]int64
	bufs [16][]byte
	next int
}

const blockSize = 64 << 10

func newBlockCache(ra io.ReaderAt, size int64) *blockCache {
	b := &blockCache{ra: ra, size: size}
	for i := range b.ids {
		b.ids[i] = -1
	}
	return b
}

// ReadAt reads len(p) bytes at off.
func (b *blockCache) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		o := off + int64(n)
		blk, err := b.block(o / blockSize)
		if err != nil {
			return n, err
		}
		k := 0
		if i := int(o % blockSize); i < len(blk) {
			k = copy(p[n:], blk[i:])
		}
		if k == 0 {
			return n, io.ErrUnexpectedEOF
		}
		n += k
	}
	return n, nil
}

func (b *blockCache) block(i int64) ([]byte, error) {
	for j, id := range b.ids {
		if id == i {
			return b.bufs[j], nil
		}
	}
	start := i * blockSize
	if start >= b.size {
		return nil, io.ErrUnexpectedEOF
	}
	buf := b.bufs[b.next]
	if buf == nil {
		buf = make([]byte, blockSize)
	}
	buf = buf[:min(blockSize, b.size-start)]
	if k, err := b.ra.ReadAt(buf, start); k < len(buf) {
		return nil, err
	}
	b.ids[b.next], b.bufs[b.next] = i, buf
	b.next = (b.next + 1) % len(b.ids)
	return buf, nil
}

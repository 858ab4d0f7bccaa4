package journal

// # Writing the cache anew without the whole state
//
// [Store.Load] writes the cache anew from the whole decoded state: at
// 100,000 incidents the old plaintext, the decoded incidents and the new
// ciphertext are all in memory at once (over 400 MB). A selection read one
// incident at a time ([Store.Select]) that finds the cache [refreshAfter]
// records or more behind, or records of [refreshBytes] or more since it,
// writes it anew instead from what it already has:
// the old cache, read again in order, and the incidents the records since
// changed or added. The result is what Load would write (the same
// plaintext): a first reading finds the table of device names the new
// state needs; the second writes each incident, copying its encoding as it
// is when neither it nor the table changed. It is sealed as it is written,
// to a file with no name yet, named as the cache when the store is closed.

import (
	"bufio"
	"encoding/binary"
	"io"
	"slices"
	"time"
)

// refreshMax is the most records behind the cache that a selection brings
// forward itself: it keeps every incident they touch, and every new one,
// in memory. Further behind, Load reads the whole state.
const refreshMax = 4096

// refreshBytes is how large the records since the cache may be, in all,
// before a selection writes the cache anew, however few they are: each
// read would otherwise open and hold them all (an export of the whole
// journal records the numbers of every incident: 100,000 of them take
// about a megabyte).
const refreshBytes = 1 << 20

// copyUnchanged copies the encoding of the incidents nothing changed, when
// the table of device names is the same; tests turn it off, to check the
// other way, encoding them again.
var copyUnchanged = true

// oldCache is the cache a selection read, for writing it anew: its
// plaintext, and where its file keys and its state lie.
type oldCache struct {
	plain    io.ReaderAt
	size     int64
	keys     uint64 // how many file keys it holds
	stateOff int64  // where the state's encoding starts
}

// incidents reads the old state's incidents in order, each decoded and
// with its encoding, and returns the old table of device names and how
// many incidents there were (-1 for none at all).
func (old *oldCache) incidents(fn func(in *Incident, raw []byte)) (devices []string, count int, err error) {
	w := &window{r: io.NewSectionReader(old.plain, old.stateOff, old.size-old.stateOff), base: old.stateOff, zones: map[int]*time.Location{}}
	if _, _, err := w.decode(func(d *decoder) { d.uint(); d.str(); w.devices, count = d.strs(), d.list() }); err != nil {
		return nil, 0, err
	}
	for range count {
		in := &Incident{}
		start, end, err := w.decode(func(d *decoder) {
			*in = Incident{}
			d.incident(in)
		})
		if err != nil {
			return nil, 0, err
		}
		fn(in, w.buf[w.pos-int(end-start):w.pos])
	}
	return w.devices, count, nil
}

// refresh writes, to a file with no name yet, the cache of ov (the state after
// the records since old was written, holding the incidents they touched
// first, kept of them, then the new ones), whose last record has the chain
// hash last; fk holds the file keys of the records since. It becomes the
// cache when the store is closed (writePendingCache). A cache that cannot
// be written is left to a later read.
func (s *Store) refresh(keys CacheKeys, journalID []byte, old *oldCache, ov *State, kept int, fk *fileKeys, last [32]byte) error {
	changed := make(map[uint64]*Incident, kept)
	for _, in := range ov.Incidents[:kept] {
		changed[in.ID] = in
	}
	// The new table of device names, as encoder.deviceTable makes it.
	var names []string
	numbers := map[string]uint64{}
	add := func(name string) {
		if _, ok := numbers[name]; !ok && name != "" {
			names = append(names, name)
			numbers[name] = uint64(len(names))
		}
	}
	oldNames, count, err := old.incidents(func(in *Incident, _ []byte) {
		if c := changed[in.ID]; c != nil {
			in = c
		}
		incidentDevices(in, add)
	})
	if err != nil {
		return err
	}
	for _, in := range ov.Incidents[kept:] {
		incidentDevices(in, add)
	}
	sameNames := copyUnchanged && slices.Equal(names, oldNames)

	tmp, err := s.createCacheFile()
	if err != nil {
		return nil
	}
	defer func() {
		if tmp != nil {
			tmp.Abort()
		}
	}()
	bw := bufio.NewWriterSize(tmp, 256<<10)
	sw, fileKey, err := keys.SealStreamKeyed(bw)
	if err != nil {
		return nil
	}

	// The header and the file keys: the old ones as they are, then those
	// of the records since.
	e := &encoder{b: make([]byte, 0, 2*flushAt), w: sw}
	schema := cacheSchema(len(ov.Stamps) > 0)
	e.b = append(e.b, cacheMagic...)
	e.b = append(e.b, schema[:]...)
	e.b = append(e.b, cacheTag(keys.CacheSecret(), journalID, fileKey)...)
	e.b = binary.BigEndian.AppendUint64(e.b, ov.Seq)
	e.b = append(e.b, last[:]...)
	nkeys := max(old.keys, min(uint64(len(fk.keys)), ov.Seq))
	e.b = binary.BigEndian.AppendUint64(e.b, nkeys)
	e.flush()
	if _, err := io.Copy(sw, io.NewSectionReader(old.plain, int64(cacheHeader+8), int64(old.keys)*fileKeySize)); err != nil {
		return err
	}
	var zero [fileKeySize]byte
	for i := old.keys; i < nkeys; i++ {
		key := zero[:]
		if i < uint64(len(fk.keys)) {
			key = fk.keys[i][:]
		}
		e.b = append(e.b, key...)
	}

	// The state: the old incidents in their order, those changed since
	// from ov; the new ones; then the rest of ov.
	total := max(count, 0) + len(ov.Incidents) - kept
	e.uint(ov.Seq)
	e.str(ov.Fingerprint)
	e.strs(names)
	e.devices = numbers
	e.list(total, count < 0 && total == 0)
	if _, _, err := old.incidents(func(in *Incident, raw []byte) {
		switch c := changed[in.ID]; {
		case c != nil:
			e.incident(c)
		case sameNames:
			e.b = append(e.b, raw...)
		default:
			e.incident(in)
		}
		if len(e.b) >= flushAt {
			e.flush()
		}
	}); err != nil {
		return err
	}
	for _, in := range ov.Incidents[kept:] {
		e.incident(in)
		if len(e.b) >= flushAt {
			e.flush()
		}
	}
	e.stateAfterIncidents(ov)
	e.flush()
	if e.err != nil {
		return e.err
	}
	if err := sw.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	s.dropPending()
	s.pending = &pendingCache{seq: ov.Seq, hash: last, file: tmp}
	tmp = nil
	return nil
}

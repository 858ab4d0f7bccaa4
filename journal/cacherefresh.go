package journal

// # Writing the cache anew without the whole state
//
// [Store.Load] writes the cache anew from the whole decoded state: at
// 100,000 incidents the old plaintext, the decoded incidents, the new
// encoding and its ciphertext are all in memory at once (over 400 MB).
// A selection read one incident at a time ([Store.Select]) that finds the
// cache [refreshAfter] records or more behind writes it anew instead from
// what it already has: the old cache, read a second time in order, and
// the incidents the records since it changed or added. Incidents nothing
// changed are copied as they are encoded, byte for byte; the others are
// encoded again; the result is what Load would write (the same bytes), and
// it is sealed and tagged as it is written to a temporary file, renamed
// into place when the store is closed.

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"time"
)

// streamSealer seals a stream; crypto.Sealer is one.
type streamSealer interface {
	SealStream(dst io.Writer) (io.WriteCloser, error)
}

// refreshMax is the most records behind the cache that a selection brings
// forward itself: it keeps every incident they touch, and every new one,
// in memory. Further behind, Load reads the whole state.
const refreshMax = 4096

// oldCache is the cache a selection read, for writing it anew: its
// plaintext without the tag, where its file keys and its state lie.
type oldCache struct {
	plain    io.ReaderAt
	size     int64
	keys     uint64 // how many file keys it holds
	stateOff int64  // where the state's encoding starts
}

// refresh writes, to a temporary file, the cache of ov (the state after
// the records since old was written, holding the incidents they touched
// first, kept of them, then the new ones), whose last record has the chain
// hash last; fk holds the file keys of the records since. It becomes the
// cache when the store is closed (writePendingCache).
func (s *Store) refresh(keys CacheKeys, journalID []byte, old *oldCache, ov *State, kept int, fk *fileKeys, last [32]byte) error {
	sealer, ok := keys.(streamSealer)
	if !ok {
		return nil
	}
	dir, base := filepath.Split(CachePath(s.path))
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*") // 0600
	if err != nil {
		return nil // the cache is a convenience: a later read writes it
	}
	defer func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 256<<10)
	sw, err := sealer.SealStream(bw)
	if err != nil {
		return nil
	}
	mac := hmac.New(sha256.New, keys.CacheSecret())
	mac.Write([]byte("journal cache tag v1\x00"))
	mac.Write(journalID)
	out := io.MultiWriter(sw, mac)

	// The header and the file keys: the old ones as they are, then those
	// of the records since.
	e := &encoder{}
	schema := stateSchema()
	e.b = append(e.b, cacheMagic...)
	e.b = append(e.b, schema[:]...)
	e.b = binary.BigEndian.AppendUint64(e.b, ov.Seq)
	e.b = append(e.b, last[:]...)
	nkeys := max(old.keys, min(uint64(len(fk.keys)), ov.Seq))
	e.b = binary.BigEndian.AppendUint64(e.b, nkeys)
	if _, err := out.Write(e.b); err != nil {
		return err
	}
	if _, err := io.Copy(out, io.NewSectionReader(old.plain, int64(cacheHeader+8), int64(old.keys)*fileKeySize)); err != nil {
		return err
	}
	var zero [fileKeySize]byte
	for i := old.keys; i < nkeys; i++ {
		key := zero[:]
		if i < uint64(len(fk.keys)) {
			key = fk.keys[i][:]
		}
		if _, err := out.Write(key); err != nil {
			return err
		}
	}

	// The state: the old incidents in their order, those changed since
	// from ov; the new ones; then the rest of ov.
	w := &window{r: io.NewSectionReader(old.plain, old.stateOff, old.size-old.stateOff), base: old.stateOff, zones: map[int]*time.Location{}}
	count := 0
	if _, _, err := w.decode(func(d *decoder) { d.uint(); d.str(); count = d.list() }); err != nil {
		return err
	}
	total := max(count, 0) + len(ov.Incidents) - kept
	changed := make(map[uint64]*Incident, kept)
	for _, in := range ov.Incidents[:kept] {
		changed[in.ID] = in
	}
	e = &encoder{}
	e.uint(ov.Seq)
	e.str(ov.Fingerprint)
	e.list(total, count < 0 && total == 0)
	if _, err := out.Write(e.b); err != nil {
		return err
	}
	for range count {
		var id uint64
		start, end, err := w.decode(func(d *decoder) {
			var in Incident
			d.incident(&in)
			id = in.ID
		})
		if err != nil {
			return err
		}
		raw := w.buf[w.pos-int(end-start) : w.pos]
		if in := changed[id]; in != nil {
			e = &encoder{}
			e.incident(in)
			raw = e.b
		}
		if _, err := out.Write(raw); err != nil {
			return err
		}
	}
	e = &encoder{}
	for _, in := range ov.Incidents[kept:] {
		e.incident(in)
	}
	e.stateAfterIncidents(ov)
	if _, err := out.Write(e.b); err != nil {
		return err
	}
	if _, err := sw.Write(mac.Sum(nil)); err != nil {
		return err
	}
	if err := sw.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	s.dropPending()
	s.pending = &pendingCache{seq: ov.Seq, hash: last, file: tmp.Name()}
	tmp = nil
	return nil
}

package journal

// # Reading a selection without the whole state
//
// [Store.Load] decodes the cache into a [State]: for 100,000 incidents the
// cache's plaintext (about 35 MB) and the decoded incidents (about 95 MB
// of Go objects) are in memory at once. [Store.Select] reads the same cache
// in bounded memory instead, for a reader that needs one selection of
// incidents once or twice in order (an export, a timeline):
//
//  1. The cache's ciphertext is read from its file by position, never
//     mapped, and opened for reading anywhere in it (age decrypts and
//     authenticates one 64 KiB chunk at a time).
//  2. The tag that marks the cache as the identity holder's is checked
//     first (cacheformat.go), before any of it is decoded. A first pass
//     then reads it from start to end, decoding one incident at a time
//     and keeping only a small index of those the query selects: when
//     each happened, its number, and where its encoding lies.
//  3. The records appended since the cache was written (fewer than
//     refreshAfter) are applied to the incidents they touch, which the
//     first pass kept whole.
//  4. [Selection.Each] sorts nothing more: it decodes the incidents one at a
//     time, in the order they happened, from where the index says.
//
// Anything unusual (no cache, a damaged or outdated one, keys a sync
// folder left, a proof of time among the new records, an
// opener that cannot read by position) is left to Load, which writes the
// cache anew where it should, and the selection is made from its State.

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ReaderAtOpener opens a sealed file for reading anywhere in it, never
// holding it whole, and gives the file key it is sealed with;
// crypto.Sealer is one.
type ReaderAtOpener interface {
	OpenReaderAt(src io.ReaderAt, size int64) (plain io.ReaderAt, n int64, fileKey []byte, err error)
}

// errNotStreamed is why a selection is made by [Store.Load] instead.
var errNotStreamed = errors.New("the cache cannot be read by position")

// streamFrom is the smallest cache (its ciphertext, in bytes: about 12,000
// incidents) read one incident at a time. Below it the whole state takes
// less memory than the bound for any size, and reading it once is
// cheaper than reading it twice (index, then incidents): about 3 ms of
// 25 for 2,000 incidents.
var streamFrom int64 = 4 << 20

// Select returns the incidents q selects, with the rest of the journal's
// state (which then holds no incidents), reading them from the cache one
// at a time where it can (see above), and otherwise from [Store.Load]. The
// selection reads the journal file until it is closed; the store may be
// closed before. A cache that is changed under a selection (another
// process rewrote it) makes its reads fail, never give other incidents.
func (s *Store) Select(opener Opener, q Query) (*Selection, error) {
	// The whole state is read when the incidents must be counted again
	// (owncount.go).
	sel, err := (*Selection)(nil), errNotStreamed
	if !s.countUnknown() {
		sel, err = s.selectFromCache(opener, q)
	}
	if err == nil || !errors.Is(err, errNotStreamed) {
		return sel, err
	}
	st, err := s.Load(opener)
	if err != nil {
		return nil, err
	}
	return Select(st, q), nil
}

// indexEntry is where a selected incident lies: its encoding in the
// cache's plaintext, or, when a record after the cache changed it, in mem.
type indexEntry struct {
	sec  int64
	nsec int32
	size int32
	id   uint64
	off  int64
	mem  *Incident
}

func (e *indexEntry) compare(o *indexEntry) int {
	return cmp.Or(cmp.Compare(e.sec, o.sec), cmp.Compare(e.nsec, o.nsec), cmp.Compare(e.id, o.id))
}

func newIndexEntry(in *Incident, off int64, size int) indexEntry {
	return indexEntry{sec: in.OccurredAt.Unix(), nsec: int32(in.OccurredAt.Nanosecond()), id: in.ID, off: off, size: int32(size)}
}

// selectFromCache is Select through the cache; errNotStreamed when it
// cannot be.
func (s *Store) selectFromCache(opener Opener, q Query) (sel *Selection, err error) {
	keys, ok := opener.(CacheKeys)
	ro, ok2 := opener.(ReaderAtOpener)
	if !ok || !ok2 || len(keys.CacheSecret()) < 16 || s.needsFileID() {
		// A file with no identifier of its own gets one with the cache
		// Load writes (cachebind.go).
		return nil, errNotStreamed
	}
	sc, err := s.openStreamedCache(keys, ro, streamFrom)
	if err != nil {
		return nil, err
	}
	id, f, plain, n, c, body, head := sc.id, sc.f, sc.plain, sc.n, sc.c, sc.body, sc.head
	defer func() {
		if sel == nil {
			f.Close()
		}
	}()
	// The file keys of the records since the cache, found as they are
	// first opened here, open them again for the replay below without
	// the identity's public-key work (about 0.2 ms a record). A large
	// write (an import, a void of one) left the keys of its records
	// (filekeys.go): they are tried first, and the cache written anew
	// holds them, so that the lists can be dropped.
	fk := &fileKeys{}
	provisional := s.hasProvisional(c.seq)
	if provisional {
		s.readProvisional(keys, c.seq, fk)
	}
	touched, since, err := s.touchedSince(keys, c.seq, fk)
	if err != nil {
		return nil, errNotStreamed
	}
	stale := provisional || head-c.seq >= refreshAfter(head) || since >= refreshBytes
	// The file keys are not needed here, only authenticated.
	if _, err := io.CopyN(io.Discard, body, int64(sc.old.keys)*fileKeySize); err != nil {
		return nil, errNotStreamed
	}
	old := sc.old
	w := &window{r: body, base: old.stateOff, zones: map[int]*time.Location{}}
	ov, index, files, err := w.firstPass(q, touched)
	if err != nil {
		return nil, errNotStreamed
	}
	// The records since the cache, applied to the incidents they touch.
	kept := len(ov.Incidents)
	last, _, err := s.replayFrom(keys, ov, fk, nil)
	if err != nil {
		return nil, err
	}
	if stale {
		// The cache is a convenience: if it cannot be written now (a
		// full disk), the selection is read all the same, and a later
		// read writes it.
		if s.refresh(keys, id, old, ov, kept, fk, last) == nil && s.pending != nil {
			s.pending.provisional = provisional
		}
	}
	for _, in := range ov.Incidents {
		if len(in.Attachments) > 0 {
			files = insertBySeq(files, in)
		}
		if q.Match(in) {
			e := newIndexEntry(in, 0, 0)
			e.mem = in
			index = append(index, e)
		}
	}
	total := 0
	ov.index()
	for _, n := range ov.counts {
		total += int(n)
	}
	ov.Incidents, ov.byID, ov.counts = nil, nil, nil
	slices.SortFunc(index, func(a, b indexEntry) int { return a.compare(&b) })
	blocks := newBlockCache(plain, n)
	sel = &Selection{State: ov, files: files, close: f.Close, ids: make([]uint64, len(index)), total: total}
	for i, e := range index {
		sel.ids[i] = e.id
	}
	sel.each = func(fn func(*Incident) error) error {
		for _, e := range index {
			in := e.mem
			if in == nil {
				buf := make([]byte, e.size) // the incident's strings are cut from it
				if _, err := blocks.ReadAt(buf, e.off); err != nil {
					return fmt.Errorf("reading the journal's cache: it changed while it was read (%v): run the command again", err)
				}
				in = &Incident{}
				d := w.decoderOf(stringOf(buf))
				d.incident(in)
				if d.err != nil || d.i != len(buf) || in.ID != e.id {
					return errors.New("reading the journal's cache: it changed while it was read: run the command again")
				}
			}
			if err := fn(in); err != nil {
				return err
			}
		}
		return nil
	}
	return sel, nil
}

// streamedCache is the cache file opened for reading by position, its
// header checked (the tag first), the log found to hold the record it was
// written up to, and that record few enough records back to bring
// forward (refreshMax).
type streamedCache struct {
	id    []byte
	f     *os.File
	plain io.ReaderAt
	n     int64
	c     *cached
	// body reads the plaintext from just after the header: the file
	// keys, then the state.
	body *io.SectionReader
	old  *oldCache
	head uint64
}

// openStreamedCache opens the cache for reading it by position, if it is
// at least least bytes; errNotStreamed when it cannot be used so (see
// Select). The caller closes f.
func (s *Store) openStreamedCache(keys CacheKeys, ro ReaderAtOpener, least int64) (sc *streamedCache, err error) {
	id, f, off, size, head, err := s.cacheFile()
	if err != nil {
		return nil, err
	}
	if size < least {
		f.Close()
		return nil, errNotStreamed
	}
	defer func() {
		if sc == nil {
			f.Close()
		}
	}()
	plain, n, fileKey, err := ro.OpenReaderAt(io.NewSectionReader(f, off, size), size)
	if keyUnavailable(err) {
		return nil, err
	}
	if err != nil || n < int64(cacheHeader+8) {
		return nil, errNotStreamed
	}
	// The header, its tag first: once the tag of the file key is checked,
	// every chunk read after it is the identity holder's (cacheformat.go).
	// Before, the ciphertext is sealed to the public recipient, so whoever
	// can write the journal file could hand the decoder any bytes.
	body := io.NewSectionReader(plain, 0, n)
	hdr := make([]byte, cacheHeader+8)
	if _, err := io.ReadFull(body, hdr); err != nil {
		return nil, errNotStreamed
	}
	c, err := checkCacheHeader(hdr, keys.CacheSecret(), id, fileKey)
	if err != nil || c.stale {
		return nil, errNotStreamed
	}
	// Load writes the cache anew in these cases, and says what is wrong
	// with one that disagrees with the log.
	if c.seq == 0 || head < c.seq || head-c.seq > refreshMax || s.hasHints() || s.matchesLog(c) != nil {
		return nil, errNotStreamed
	}
	nkeys := binary.BigEndian.Uint64(hdr[cacheHeader:])
	if nkeys > uint64(n)/fileKeySize {
		return nil, errNotStreamed
	}
	old := &oldCache{plain: plain, size: n, keys: nkeys, stateOff: int64(cacheHeader+8) + int64(nkeys)*fileKeySize}
	return &streamedCache{id: id, f: f, plain: plain, n: n, c: c, body: body, old: old, head: head}, nil
}

// cacheFile opens the cache file for reading it by position: its pages go
// through the page cache and never count against this process, as pages
// of a memory map it touched would. An earlier version's cache, in the
// journal file, is errNotStreamed: Load reads it, and moves it.
func (s *Store) cacheFile() (id []byte, f *os.File, off, size int64, head uint64, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		id = cacheBinding(tx)
		head, _, err = journalHead(tx)
		return err
	})
	if err != nil {
		return nil, nil, 0, 0, 0, err
	}
	if f, size, err = s.openCacheFile(); err != nil {
		return nil, nil, 0, 0, 0, errNotStreamed
	}
	return id, f, 0, size, head, nil
}

// journalHead is the number of the last record.
func journalHead(tx *bolt.Tx) (uint64, [32]byte, error) { return head(tx) }

// touchedSince returns the incidents that records after seq change (an
// amendment, a void, a file), by number, and the size of those records
// (their ciphertexts), and adds their file keys to fk. A proof of time
// changes many incidents at once: such a record is errNotStreamed.
func (s *Store) touchedSince(opener Opener, seq uint64, fk *fileKeys) (map[uint64]*Incident, int, error) {
	touched := map[uint64]*Incident{}
	size := 0
	err := s.Scan(seq, func(n uint64, e *Envelope, _ [32]byte) error {
		size += len(e.Ciphertext)
		r, key, err := openRecordKeyed(opener, fk, n, e)
		switch {
		case err != nil:
			return err
		case r.Type == TypeStamp:
			return errNotStreamed
		case r.Type != TypeIncident && r.Incident != 0:
			touched[r.Incident] = nil
		}
		fk.set(n, key)
		return nil
	})
	return touched, size, err
}

// insertBySeq adds in to incidents, kept in the order of their records.
func insertBySeq(incidents []*Incident, in *Incident) []*Incident {
	i, found := slices.BinarySearchFunc(incidents, in, func(a, b *Incident) int { return cmp.Compare(a.Seq, b.Seq) })
	if found {
		incidents[i] = in
		return incidents
	}
	return slices.Insert(incidents, i, in)
}

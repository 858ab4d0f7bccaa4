package journal

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"time"
)

// ErrHeaderDamaged marks an [IntegrityError] about bbolt's header pages:
// the newer of the two is damaged, so the journal as bbolt would read it
// is the one before the latest change. [RepairHeader] goes on from there,
// after keeping a copy.
var ErrHeaderDamaged = errors.New("a header page is damaged")

// ErrOlderHeaderDamaged marks an [IntegrityError] about the older of the
// two header pages: nothing is missing, and the next change rewrites it,
// but the disk may be failing. Only a check of the whole file reports it.
var ErrOlderHeaderDamaged = errors.New("the older header page is damaged")

// bbolt keeps two header (meta) pages, 0 and 1, and writes them in turn:
// a change that commits transaction T writes page T%2. Each holds the
// root of the file's tree, its list of free pages, how many pages it has
// and a checksum. When the newer page is damaged, bbolt quietly reads the
// older one: the journal as it was before its latest change. The checks
// here read both pages before bbolt opens the file, so that this never
// happens unnoticed, and check that what the current page names lies in
// the file, so that a truncated file is named as truncated.

// headerPage is what one header page says.
type headerPage struct {
	magic, valid                bool
	pageSize, version           uint32
	root, freelist, pages, txid uint64
	body                        [metaSumAt + 8]byte
}

// header is what both header pages say, and which one bbolt reads.
type header struct {
	size     uint64 // of the file, in bytes
	pageSize uint64
	page     [2]headerPage
	current  int // the page bbolt reads
}

// readHeaderPage reads the header page at off.
func readHeaderPage(f io.ReaderAt, off int64) headerPage {
	var p headerPage
	if _, err := f.ReadAt(p.body[:], off+pageHeader); err != nil {
		return p
	}
	b := p.body[:]
	h := fnv.New64a()
	h.Write(b[:metaSumAt])
	p.magic = binary.NativeEndian.Uint32(b[0:]) == metaMagic
	p.version = binary.NativeEndian.Uint32(b[4:])
	p.pageSize = binary.NativeEndian.Uint32(b[8:])
	p.root = binary.NativeEndian.Uint64(b[16:])
	p.freelist = binary.NativeEndian.Uint64(b[32:])
	p.pages = binary.NativeEndian.Uint64(b[40:])
	p.txid = binary.NativeEndian.Uint64(b[48:])
	p.valid = p.magic && p.version == 2 && binary.NativeEndian.Uint64(b[metaSumAt:]) == h.Sum64()
	return p
}

// headerError is the damage of a header page, for a person.
func headerError(format string, args ...any) error {
	return &IntegrityError{Reason: fmt.Sprintf(format, args...), Err: ErrHeaderDamaged}
}

// loadHeader reads both header pages of f. The page size is written in
// page 0; when that page is damaged, page 1 is looked for where each page
// size bbolt allows would put it.
//
// The size is taken after the pages are read: a writer grows the file
// before it writes a header page that names the new pages, so the size
// read after a header page is never too small for it.
func loadHeader(f *os.File) (*header, error) {
	h := &header{}
	h.page[0] = readHeaderPage(f, 0)
	if h.page[0].valid {
		h.pageSize = uint64(h.page[0].pageSize)
		h.page[1] = readHeaderPage(f, int64(h.pageSize))
	} else {
		for ps := uint64(1024); ps <= 1<<16; ps *= 2 {
			if p := readHeaderPage(f, int64(ps)); p.valid && uint64(p.pageSize) == ps {
				h.pageSize, h.page[1] = ps, p
				break
			}
		}
	}
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("opening journal: %w", err)
	}
	h.size = uint64(info.Size())
	return h, nil
}

// olderSound reports whether exactly the older of the two pages is sound
// and the newer damaged, and which page is sound. The older page is the
// one written by the change before the newer one's: its transaction is
// one less, and pages alternate. A damaged page that is not exactly that
// may hold a newer change, now unreadable.
func (h *header) olderSound() (good int, ok bool) {
	p0, p1 := &h.page[0], &h.page[1]
	if p0.valid == p1.valid {
		return 0, false
	}
	if p1.valid {
		good = 1
	}
	t := h.page[good].txid
	older := t > 0 && h.page[1-good].txid == t-1 && t%2 == uint64(good)
	return good, !older
}

// check decides which page bbolt will read and checks what it names. It
// refuses a file whose newer page is damaged, whose pages both are, or
// whose current page names pages beyond the end of the file. A file with
// no header page at all is [ErrNotJournal].
func (h *header) check(f io.ReaderAt) error {
	p0, p1 := &h.page[0], &h.page[1]
	switch {
	case !p0.magic && !p1.magic:
		return ErrNotJournal
	case !p0.valid && !p1.valid:
		return headerError("both of its header pages are damaged")
	case h.pageSize < 1024 || h.pageSize > 1<<16 || h.pageSize&(h.pageSize-1) != 0:
		return headerError("its header page gives an impossible page size")
	}
	switch good, newerDamaged := h.olderSound(); {
	case newerDamaged:
		return headerError("its newest header page (page %d) is damaged, so the latest change to the journal cannot be read", 1-good)
	case !p0.valid || !p1.valid:
		h.current = good
	case p1.txid > p0.txid:
		h.current = 1
	default:
		h.current = 0
	}
	return h.checkCurrent(f)
}

// checkCurrent checks that the current page's numbers lie in the file.
func (h *header) checkCurrent(f io.ReaderAt) error {
	cur := &h.page[h.current]
	if want := cur.pages * h.pageSize; want > h.size || cur.pages > h.size {
		return &IntegrityError{Reason: fmt.Sprintf("it is truncated: it has %d bytes of the %d it should have", h.size, want)}
	}
	if cur.pages < 3 || cur.root < 2 || cur.root >= cur.pages {
		return headerError("its header page %d names pages that are not there", h.current)
	}
	return h.checkFreelist(f)
}

// checkFreelist checks the header of the page that lists free pages, which
// bbolt reads on opening: a wrong count there would make it read outside
// the file or ask for more memory than there is.
func (h *header) checkFreelist(f io.ReaderAt) error {
	cur := &h.page[h.current]
	id := cur.freelist
	if id == noFreelist {
		return nil
	}
	bad := &IntegrityError{Reason: "its list of free pages is damaged"}
	if id < 2 || id >= cur.pages {
		return bad
	}
	var p [pageHeader + 8]byte
	if _, err := f.ReadAt(p[:], int64(id*h.pageSize)); err != nil {
		return bad
	}
	flags := binary.NativeEndian.Uint16(p[8:])
	count := uint64(binary.NativeEndian.Uint16(p[10:]))
	overflow := uint64(binary.NativeEndian.Uint32(p[12:]))
	ids := uint64(pageHeader)
	if count == 0xFFFF {
		count, ids = binary.NativeEndian.Uint64(p[pageHeader:]), pageHeader+8
	}
	end := id + overflow + 1
	// bbolt panics, holding the file's lock, on any other flags.
	if flags != freelistFlag || binary.NativeEndian.Uint64(p[0:]) != id || end > cur.pages ||
		count > (overflow+1)*h.pageSize/8 || ids+count*8 > (overflow+1)*h.pageSize {
		return bad
	}
	return nil
}

// checkHeaderOf checks the header pages of the open journal file f before
// bbolt uses it. The pages are read without the journal's lock, so a page
// that another process is writing at that moment could look damaged:
// damage is believed only when it is still there a moment later.
func checkHeaderOf(f *os.File) (*header, error) {
	for try := 0; ; try++ {
		h, err := loadHeader(f)
		if err != nil {
			return nil, err
		}
		err = h.check(f)
		var ie *IntegrityError
		if err == nil || !errors.As(err, &ie) || try == 2 {
			return h, err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// openForBolt opens the journal file as bbolt opens it, to write or only
// to read.
func openForBolt(path string, readOnly bool) (*os.File, error) {
	flag := os.O_RDWR
	if readOnly {
		flag = os.O_RDONLY
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return nil, fmt.Errorf("opening journal: %w", err)
	}
	return f, nil
}

// handOver is bbolt's OpenFile option: it gives bbolt f, already open,
// when it opens the file, and opens anything else (a copy it writes) as
// os.OpenFile does. closeUnused closes f if bbolt never took it.
func handOver(f *os.File) (open func(string, int, os.FileMode) (*os.File, error), closeUnused func()) {
	open = func(name string, flag int, mode os.FileMode) (*os.File, error) {
		if f != nil && name == f.Name() {
			g := f
			f = nil
			return g, nil
		}
		return os.OpenFile(name, flag, mode)
	}
	closeUnused = func() {
		if f != nil {
			f.Close()
		}
	}
	return open, closeUnused
}

// HeaderDamage describes a journal with one damaged header page, as
// [FindHeaderDamage] finds it.
type HeaderDamage struct {
	// Page is the damaged page, 0 or 1.
	Page int
	// Newer says that the damaged page may be the newer one: the latest
	// change to the journal cannot be read, and repairing goes on from
	// the change before it.
	Newer bool
	// Records and Fingerprint describe the journal as the sound page has
	// it: what repairing keeps.
	Records     uint64
	Fingerprint string
}

// FindHeaderDamage reports whether exactly one header page of the journal
// at path is damaged while the other is sound, and if so what the sound
// one holds. It returns nil when there is no such damage: the file may
// still be damaged in other ways, which opening it reports. It changes
// nothing.
func FindHeaderDamage(path string) (*HeaderDamage, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening journal: %w", err)
	}
	defer f.Close()
	h, good, newer, err := oneDamaged(f)
	if err != nil || h == nil {
		return nil, err
	}
	d := &HeaderDamage{Page: 1 - good, Newer: newer}
	if d.Records, d.Fingerprint, err = soundSave(path); err != nil {
		return nil, err
	}
	return d, nil
}

// oneDamaged reads the header of f and returns it with the index of the
// sound page if exactly one page is damaged and the other, with what it
// names, is sound; otherwise a nil header. newer says whether the damaged
// page may be the newer one.
func oneDamaged(f *os.File) (h *header, good int, newer bool, err error) {
	h, err = loadHeader(f)
	if err != nil {
		return nil, 0, false, err
	}
	if h.page[0].valid == h.page[1].valid {
		return nil, 0, false, nil
	}
	good, newer = h.olderSound()
	h.current = good
	if h.checkCurrent(f) != nil {
		return nil, 0, false, nil
	}
	return h, good, newer, nil
}

// soundSave opens the file read-only, which makes bbolt read the sound
// header page when the other is damaged, checks the chain of its log and
// returns its number of records and fingerprint.
func soundSave(path string) (uint64, string, error) {
	s, err := openChecked(path, Options{ReadOnly: true}, nil)
	if err != nil {
		return 0, "", err
	}
	defer s.Close()
	if err := s.Scan(0, func(uint64, *Envelope, [32]byte) error { return nil }); err != nil {
		return 0, "", err
	}
	return s.Head()
}

// writeHeaderPage writes the sound header page good over the other one.
func writeHeaderPage(f io.WriterAt, h *header, good int) error {
	bad := 1 - good
	page := make([]byte, pageHeader+len(h.page[good].body))
	binary.NativeEndian.PutUint64(page[0:], uint64(bad)) // page id
	binary.NativeEndian.PutUint16(page[8:], metaFlag)    // flags
	copy(page[pageHeader:], h.page[good].body[:])
	_, err := f.WriteAt(page, int64(uint64(bad)*h.pageSize))
	return err
}

// metaFlag marks a header page in its page header.
const metaFlag = 0x04

// RepairHeader mends a journal with one damaged header page. It first
// writes a copy of the whole file to keep (0600, never over an existing
// file, synced), then writes the sound page over the damaged one. When
// the damaged page was the newer one, the journal goes on from the change
// before its latest: the copy keeps the rest for an expert. It holds the
// journal's lock throughout and finds the damage again under it.
func RepairHeader(path, keep string) (*HeaderDamage, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("opening journal: %w", err)
	}
	defer f.Close()
	if err := lockFile(f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	h, good, newer, err := oneDamaged(f)
	if err != nil {
		return nil, err
	}
	if h == nil {
		return nil, errors.New("its header pages have no damage that repair can mend")
	}
	d := &HeaderDamage{Page: 1 - good, Newer: newer}
	if err := copyToKeep(f, keep); err != nil {
		return nil, err
	}
	if err := writeHeaderPage(f, h, good); err != nil {
		return nil, fmt.Errorf("repairing the journal: %w", err)
	}
	if err := f.Sync(); err != nil {
		return nil, fmt.Errorf("repairing the journal: %w", err)
	}
	return d, nil
}

// copyToKeep copies the whole of f to a new file at path, 0600, synced.
func copyToKeep(f *os.File, path string) (err error) {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("keeping a copy of the journal: %w", err)
	}
	defer func() {
		if cerr := out.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("keeping a copy of the journal: %w", cerr)
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	if _, err := io.Copy(out, io.NewSectionReader(f, 0, 1<<62)); err != nil {
		return fmt.Errorf("keeping a copy of the journal: %w", err)
	}
	if err := out.Sync(); err != nil {
		return fmt.Errorf("keeping a copy of the journal: %w", err)
	}
	return nil
}

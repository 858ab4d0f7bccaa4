package journal

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"
)

// CheckStructure checks the file's structure, as [Store.Verify] does first,
// without reading any record. A command that writes in several
// transactions (evidence is stored before its record) calls it first, so
// that it never writes part of a change to a damaged file.
func (s *Store) CheckStructure() error {
	err := s.checkFile()
	var ie *IntegrityError
	if errors.As(err, &ie) {
		s.damaged = true
	}
	return err
}

// checkFile checks the file below the records: bbolt's two header pages,
// its list of free pages and every page of its trees, and then bbolt's own
// consistency check.
//
// bbolt's check runs in a goroutine of its own, where reading past the end
// of the file (a damaged page number or key length) would crash the
// program rather than become an error, and a page that points back at its
// parent would recurse without end. So every page the check will visit is
// first read from the file with ordinary reads, and every number in it that
// leads elsewhere is checked against the file.
func (s *Store) checkFile() error {
	if err := checkPages(s.path); err != nil {
		return err
	}
	return s.view(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		releaseMap(tx) // every page was read: none is needed now
		if len(errs) > 0 {
			// bbolt's words name keys in hex and page numbers: what a
			// person needs is that the structure is damaged.
			return &IntegrityError{Reason: "its structure is damaged: its index of records is out of order or incomplete"}
		}
		return nil
	})
}

// bbolt's layout: a page begins with a 16-byte header (id, flags, count,
// overflow); the meta page's body is magic, version, page size, flags, the
// root bucket (16 bytes), the free-list page, the number of pages and the
// transaction id (8 bytes each), then an FNV-64a of all that.
const (
	pageHeader   = 16
	metaSumAt    = 56
	metaMagic    = 0xED0CDAED
	branchFlag   = 0x01
	leafFlag     = 0x02
	freelistFlag = 0x10
	bucketFlag   = 0x01
	elementSize  = 16
	noFreelist   = ^uint64(0)
)

// checkPages checks bbolt's two header pages (see header.go): a damaged
// page is named, even the older one, which bbolt does not need but whose
// damage says the disk may be failing. Then it walks every page of the
// tree from the current header page's root.
func checkPages(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h, err := loadHeader(f)
	if err != nil {
		return err
	}
	if err := h.check(f); err != nil {
		return err
	}
	if other := 1 - h.current; !h.page[other].valid {
		return &IntegrityError{Err: ErrOlderHeaderDamaged, Reason: fmt.Sprintf(
			"its older header page (page %d) is damaged: nothing is missing, and the next change to the journal rewrites it, but the disk may be failing", other)}
	}
	cur := &h.page[h.current]
	walker := &pageWalker{f: f, size: h.size, pageSize: h.pageSize, hwm: cur.pages, seen: map[uint64]bool{}}
	return walker.page(cur.root, 0)
}

// pageWalker reads the pages of bbolt's trees from the file, from a root
// page down, and checks that every page number, element and length in them
// stays inside the page or the file, and that no page is reached twice.
type pageWalker struct {
	f                   *os.File
	size, pageSize, hwm uint64
	seen                map[uint64]bool
}

// maxDepth bounds the depth of buckets and trees; bbolt's are shallow.
const maxDepth = 64

// pageDamaged is the damage of a page of the file's structure. The page's
// number means nothing to a person, so it is not given.
func pageDamaged(_ uint64, what string) error {
	return &IntegrityError{Reason: "part of its structure is damaged: " + what}
}

// page checks page id and every page below it.
func (w *pageWalker) page(id uint64, depth int) error {
	switch {
	case depth > maxDepth:
		return pageDamaged(id, "the tree is too deep")
	case id < 2 || id >= w.hwm:
		return pageDamaged(id, "a part lies outside the file")
	case w.seen[id]:
		return pageDamaged(id, "a part is reached twice")
	}
	w.seen[id] = true
	var h [pageHeader]byte
	if _, err := w.f.ReadAt(h[:], int64(id*w.pageSize)); err != nil {
		return pageDamaged(id, "a part cannot be read")
	}
	overflow := uint64(binary.NativeEndian.Uint32(h[12:]))
	if binary.NativeEndian.Uint64(h[0:]) != id || id+overflow+1 > w.hwm || (id+overflow+1)*w.pageSize > w.size {
		return pageDamaged(id, "a part does not say what it is")
	}
	length := (overflow + 1) * w.pageSize
	read := func(off, n uint64) ([]byte, error) {
		if off > length || n > length-off {
			return nil, pageDamaged(id, "an entry lies outside its part")
		}
		b := make([]byte, n)
		if _, err := w.f.ReadAt(b, int64(id*w.pageSize+off)); err != nil {
			return nil, pageDamaged(id, "a part cannot be read")
		}
		return b, nil
	}
	return w.node(id, binary.NativeEndian.Uint16(h[8:]), uint64(binary.NativeEndian.Uint16(h[10:])), read, depth)
}

// node checks the elements of a branch or leaf page, read through read,
// and follows them: branch elements to their pages, bucket values to their
// root page or their inline page.
func (w *pageWalker) node(id uint64, flags uint16, count uint64, read func(off, n uint64) ([]byte, error), depth int) error {
	elems, err := read(pageHeader, count*elementSize)
	if err != nil {
		return err
	}
	for i := range count {
		e := elems[i*elementSize:]
		off := pageHeader + i*elementSize
		switch flags {
		case branchFlag:
			pos, ksize := uint64(binary.NativeEndian.Uint32(e[0:])), uint64(binary.NativeEndian.Uint32(e[4:]))
			if _, err := read(off+pos+ksize, 0); err != nil {
				return err
			}
			if err := w.page(binary.NativeEndian.Uint64(e[8:]), depth+1); err != nil {
				return err
			}
		case leafFlag:
			eflags := binary.NativeEndian.Uint32(e[0:])
			pos, ksize, vsize := uint64(binary.NativeEndian.Uint32(e[4:])), uint64(binary.NativeEndian.Uint32(e[8:])), uint64(binary.NativeEndian.Uint32(e[12:]))
			if _, err := read(off+pos+ksize+vsize, 0); err != nil {
				return err
			}
			if eflags&bucketFlag == 0 {
				continue
			}
			if vsize < 16 {
				return pageDamaged(id, "a list of entries is too short")
			}
			v, err := read(off+pos+ksize, vsize)
			if err != nil {
				return err
			}
			if root := binary.NativeEndian.Uint64(v[0:]); root != 0 {
				if err := w.page(root, depth+1); err != nil {
					return err
				}
				continue
			}
			// An inline bucket: a leaf page inside the value.
			inline := v[16:]
			if len(inline) < pageHeader || binary.NativeEndian.Uint16(inline[8:]) != leafFlag {
				return pageDamaged(id, "a list of entries inside it is damaged")
			}
			readInline := func(o, n uint64) ([]byte, error) {
				if o > uint64(len(inline)) || n > uint64(len(inline))-o {
					return nil, pageDamaged(id, "a list of entries inside it is damaged")
				}
				return inline[o : o+n], nil
			}
			if depth+1 > maxDepth {
				return pageDamaged(id, "the tree is too deep")
			}
			if err := w.node(id, leafFlag, uint64(binary.NativeEndian.Uint16(inline[10:])), readInline, depth+1); err != nil {
				return err
			}
		default:
			return pageDamaged(id, "a part is of no known kind")
		}
	}
	if flags != branchFlag && flags != leafFlag {
		return pageDamaged(id, "a part is of no known kind")
	}
	return nil
}

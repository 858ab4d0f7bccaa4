package journal

// # Checking bbolt's trees with ordinary reads
//
// A change that writes in several transactions (an import, evidence
// stored before its record) must not start on a damaged file, and verify
// names such damage. What bbolt's own check (Tx.Check) finds, this finds
// too, reading the file with ordinary reads rather than through its memory
// map (filecheck.go says why):
//
//   - every page of every tree lies inside the file, says what it is (a
//     branch or a leaf) and is reached once, its overflow pages with it;
//   - the keys of each tree are in order: strictly increasing in a page,
//     and those below a branch's entry are at least its key and less than
//     the next entry's;
//   - no page is both listed as free and in use (bbolt would give it to a
//     new page and write over what it holds), none is listed free twice,
//     and every page below the file's end is one or the other.
//
// It also checks what bbolt takes on trust and would crash on: every
// entry and length stays inside its page, and the trees are not deeper
// than maxDepth.

import (
	"bytes"
	"encoding/binary"
	"os"
)

// pageSet is a set of page numbers below the file's end.
type pageSet []uint64

func newPageSet(n uint64) pageSet { return make(pageSet, (n+63)/64) }

func (p pageSet) has(id uint64) bool { return p[id/64]&(1<<(id%64)) != 0 }
func (p pageSet) add(id uint64)      { p[id/64] |= 1 << (id % 64) }

// treeWalker reads the pages of bbolt's trees from the file, from a root
// page down.
type treeWalker struct {
	f                   *os.File
	size, pageSize, hwm uint64
	reached             pageSet
}

// maxDepth bounds the depth of buckets and trees; bbolt's are shallow.
const maxDepth = 64

// pageDamaged is the damage of a page of the file's structure. The page's
// number means nothing to a person, so it is not given.
func pageDamaged(_ uint64, what string) error {
	return &IntegrityError{Reason: "part of its structure is damaged: " + what}
}

// checkTree checks the trees of the file f, whose header pages h has read
// and checked, and its list of free pages against them.
func checkTree(f *os.File, h *header) error {
	cur := &h.page[h.current]
	w := &treeWalker{f: f, size: h.size, pageSize: h.pageSize, hwm: cur.pages, reached: newPageSet(cur.pages)}
	freed := newPageSet(cur.pages)
	if cur.freelist != noFreelist {
		ids, overflow, err := w.freelist(cur.freelist)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if id < 2 || id >= w.hwm || freed.has(id) {
				return &IntegrityError{Reason: "its list of free pages is damaged"}
			}
			freed.add(id)
		}
		for i := range overflow + 1 {
			w.reached.add(cur.freelist + i)
		}
	}
	w.reached.add(0)
	w.reached.add(1)
	if _, err := w.page(cur.root, 0, nil, nil, freed); err != nil {
		return err
	}
	if cur.freelist == noFreelist {
		return nil // bbolt lists as free what is not reached
	}
	for id := range w.hwm {
		if !w.reached.has(id) && !freed.has(id) {
			return pageDamaged(id, "a part is neither in use nor free")
		}
	}
	return nil
}

// freelist reads the list of free pages at id (checkFreelist has checked
// its header), and how many overflow pages it has.
func (w *treeWalker) freelist(id uint64) ([]uint64, uint64, error) {
	bad := &IntegrityError{Reason: "its list of free pages is damaged"}
	var h [pageHeader + 8]byte
	if _, err := w.f.ReadAt(h[:], int64(id*w.pageSize)); err != nil {
		return nil, 0, bad
	}
	count, at := uint64(binary.NativeEndian.Uint16(h[10:])), uint64(pageHeader)
	overflow := uint64(binary.NativeEndian.Uint32(h[12:]))
	if count == 0xFFFF {
		count, at = binary.NativeEndian.Uint64(h[pageHeader:]), pageHeader+8
	}
	if id+overflow+1 > w.hwm || at+count*8 > (overflow+1)*w.pageSize {
		return nil, 0, bad
	}
	b := make([]byte, count*8)
	if _, err := w.f.ReadAt(b, int64(id*w.pageSize+at)); err != nil {
		return nil, 0, bad
	}
	ids := make([]uint64, count)
	for i := range ids {
		ids[i] = binary.NativeEndian.Uint64(b[i*8:])
	}
	return ids, overflow, nil
}

// page checks page id and every page below it, whose keys must be at
// least lo and less than hi (nil: no bound), and returns the greatest key
// below it.
func (w *treeWalker) page(id uint64, depth int, lo, hi []byte, freed pageSet) ([]byte, error) {
	switch {
	case depth > maxDepth:
		return nil, pageDamaged(id, "the tree is too deep")
	case id < 2 || id >= w.hwm:
		return nil, pageDamaged(id, "a part lies outside the file")
	case w.reached.has(id):
		return nil, pageDamaged(id, "a part is reached twice")
	case freed.has(id):
		return nil, pageDamaged(id, "a part in use is listed as free")
	}
	var h [pageHeader]byte
	if _, err := w.f.ReadAt(h[:], int64(id*w.pageSize)); err != nil {
		return nil, pageDamaged(id, "a part cannot be read")
	}
	overflow := uint64(binary.NativeEndian.Uint32(h[12:]))
	if binary.NativeEndian.Uint64(h[0:]) != id || id+overflow+1 > w.hwm || (id+overflow+1)*w.pageSize > w.size {
		return nil, pageDamaged(id, "a part does not say what it is")
	}
	for i := range overflow + 1 {
		if w.reached.has(id+i) || freed.has(id+i) {
			return nil, pageDamaged(id, "a part is reached twice")
		}
		w.reached.add(id + i)
	}
	flags, count := binary.NativeEndian.Uint16(h[8:]), uint64(binary.NativeEndian.Uint16(h[10:]))
	if flags != branchFlag && flags != leafFlag {
		return nil, pageDamaged(id, "a part is of no known kind")
	}
	length := (overflow + 1) * w.pageSize
	if pageHeader+count*elementSize > length {
		return nil, pageDamaged(id, "an entry lies outside its part")
	}
	// The elements, then as far as the last key, or the last value of a
	// bucket (the values of records are not read).
	elems := make([]byte, count*elementSize)
	if _, err := w.f.ReadAt(elems, int64(id*w.pageSize+pageHeader)); err != nil {
		return nil, pageDamaged(id, "a part cannot be read")
	}
	extent := pageHeader + count*elementSize
	for i := range count {
		e := elems[i*elementSize:]
		off := pageHeader + i*elementSize
		var end uint64
		if flags == branchFlag {
			end = off + uint64(binary.NativeEndian.Uint32(e[0:])) + uint64(binary.NativeEndian.Uint32(e[4:]))
		} else {
			pos, ksize, vsize := uint64(binary.NativeEndian.Uint32(e[4:])), uint64(binary.NativeEndian.Uint32(e[8:])), uint64(binary.NativeEndian.Uint32(e[12:]))
			if off+pos+ksize+vsize > length {
				return nil, pageDamaged(id, "an entry lies outside its part")
			}
			end = off + pos + ksize
			if binary.NativeEndian.Uint32(e[0:])&bucketFlag != 0 {
				end += vsize
			}
		}
		if end > length {
			return nil, pageDamaged(id, "an entry lies outside its part")
		}
		extent = max(extent, end)
	}
	body := make([]byte, extent)
	if _, err := w.f.ReadAt(body, int64(id*w.pageSize)); err != nil {
		return nil, pageDamaged(id, "a part cannot be read")
	}
	return w.node(id, flags, count, body, depth, true, lo, hi, freed)
}

// node checks the elements of a branch or leaf page whose bytes (as far as
// they are needed) are body, follows them, branch elements to their pages
// and bucket values to their root page or their inline page, and returns
// the greatest key below it. If ordered, keys are checked against lo and
// hi as bbolt's check does; an inline bucket's are not (nor by bbolt).
func (w *treeWalker) node(id uint64, flags uint16, count uint64, body []byte, depth int, ordered bool, lo, hi []byte, freed pageSet) ([]byte, error) {
	inBody := func(off, n uint64) ([]byte, error) {
		if off > uint64(len(body)) || n > uint64(len(body))-off {
			return nil, pageDamaged(id, "an entry lies outside its part")
		}
		return body[off : off+n], nil
	}
	prev := lo
	for i := range count {
		off := pageHeader + i*elementSize
		e, err := inBody(off, elementSize)
		if err != nil {
			return nil, err
		}
		var key []byte
		switch flags {
		case branchFlag:
			key, err = inBody(off+uint64(binary.NativeEndian.Uint32(e[0:])), uint64(binary.NativeEndian.Uint32(e[4:])))
		case leafFlag:
			key, err = inBody(off+uint64(binary.NativeEndian.Uint32(e[4:])), uint64(binary.NativeEndian.Uint32(e[8:])))
		default:
			return nil, pageDamaged(id, "a part is of no known kind")
		}
		if err != nil {
			return nil, err
		}
		if ordered && !inOrder(i, key, prev, hi) {
			return nil, pageDamaged(id, "its keys are out of order")
		}
		if flags == branchFlag {
			next := hi
			if i+1 < count {
				ne, err := inBody(off+elementSize, elementSize)
				if err != nil {
					return nil, err
				}
				if next, err = inBody(off+elementSize+uint64(binary.NativeEndian.Uint32(ne[0:])), uint64(binary.NativeEndian.Uint32(ne[4:]))); err != nil {
					return nil, err
				}
			}
			top, err := w.page(binary.NativeEndian.Uint64(e[8:]), depth+1, key, next, freed)
			if err != nil {
				return nil, err
			}
			prev = top
			continue
		}
		prev = key
		if binary.NativeEndian.Uint32(e[0:])&bucketFlag == 0 {
			continue
		}
		pos, ksize, vsize := uint64(binary.NativeEndian.Uint32(e[4:])), uint64(binary.NativeEndian.Uint32(e[8:])), uint64(binary.NativeEndian.Uint32(e[12:]))
		if vsize < 16 {
			return nil, pageDamaged(id, "a list of entries is too short")
		}
		v, err := inBody(off+pos+ksize, vsize)
		if err != nil {
			return nil, err
		}
		if root := binary.NativeEndian.Uint64(v[0:]); root != 0 {
			// A bucket of its own: a tree whose keys start again.
			if _, err := w.page(root, depth+1, nil, nil, freed); err != nil {
				return nil, err
			}
			continue
		}
		// An inline bucket: a leaf page inside the value.
		inline := v[16:]
		if len(inline) < pageHeader || binary.NativeEndian.Uint16(inline[8:]) != leafFlag {
			return nil, pageDamaged(id, "a list of entries inside it is damaged")
		}
		if depth+1 > maxDepth {
			return nil, pageDamaged(id, "the tree is too deep")
		}
		if _, err := w.node(id, leafFlag, uint64(binary.NativeEndian.Uint16(inline[10:])), inline, depth+1, false, nil, nil, freed); err != nil {
			return nil, pageDamaged(id, "a list of entries inside it is damaged")
		}
	}
	return prev, nil
}

// inOrder reports whether the key of element i of a page is in order: the
// first at least prev (the bound from above, or nil), each other greater
// than prev (the key before it, or the greatest key below the branch
// entry before it), and all less than hi (nil: no bound).
func inOrder(i uint64, key, prev, hi []byte) bool {
	c := bytes.Compare(prev, key)
	if prev != nil && (c > 0 || (i > 0 && c == 0)) {
		return false
	}
	return hi == nil || bytes.Compare(key, hi) < 0
}

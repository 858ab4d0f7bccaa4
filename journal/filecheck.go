package journal

import (
	"errors"
	"fmt"
	"os"
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
// its list of free pages and every page of its trees, with ordinary reads
// of the file (filecheck_tree.go).
//
// bbolt's own consistency check (Tx.Check) finds the same faults, but it
// reads through the file's memory map: every page it touches, and the
// pages around it that the kernel maps with it, count as this process's
// memory (the whole file: 430 MB at 100,000 incidents). Reads go through
// the page cache and count nothing. It also runs in a goroutine of its
// own, where reading past the end of the file (a damaged page number or
// key length) would crash the program rather than become an error.
func (s *Store) checkFile() error {
	return checkPages(s.path)
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
// damage says the disk may be failing. Then it checks every page of the
// tree from the current header page's root, and the list of free pages
// against it (checkTree).
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
	return checkTree(f, h)
}

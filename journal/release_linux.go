//go:build linux

package journal

import (
	"os"
	"unsafe"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// release tells the kernel that this process is done with the pages of the
// journal's memory map that lie wholly inside b, so that reading a large
// evidence file does not keep it all resident. The file's data stays in
// the page cache and is read again on the next access.
//
// b must be a value read in a read-only transaction: bbolt then hands out
// slices of its read-only shared map, never of the heap.
func release(b []byte) {
	page := uintptr(os.Getpagesize())
	if uintptr(len(b)) < 16*page {
		return
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	first := (start + page - 1) &^ (page - 1)
	last := (start + uintptr(len(b))) &^ (page - 1)
	if last <= first {
		return
	}
	p := unsafe.Add(unsafe.Pointer(unsafe.SliceData(b)), first-start)
	unix.Madvise(unsafe.Slice((*byte)(p), last-first), unix.MADV_DONTNEED)
}

// releaseMap tells the kernel that this process is done, for now, with
// every page of the journal's memory map that tx can see, so that reading
// the whole log (a rebuild, verify) does not keep the file resident. The
// map is bbolt's read-only shared map of the file: a page read again is
// read again from the page cache, with the same bytes, even by a reader
// that is using it at that moment.
func releaseMap(tx *bolt.Tx) {
	page := int64(os.Getpagesize())
	size := tx.Size() &^ (page - 1)
	base := tx.DB().Info().Data
	if size <= 0 || base == 0 {
		return
	}
	// The map's address as bbolt gives it (a number, not a pointer Go
	// knows): the call takes the same.
	unix.Syscall(unix.SYS_MADVISE, base, uintptr(size), unix.MADV_DONTNEED)
}

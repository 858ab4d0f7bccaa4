//go:build linux

package journal

import (
	"os"
	"unsafe"

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

package journal

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/fnv"
	"os"

	bolt "go.etcd.io/bbolt"
)

// checkFile checks the file below the records: bbolt's two header pages,
// its list of free pages, every page its buckets reach, and then bbolt's
// own consistency check.
//
// bbolt's check runs in a goroutine of its own, where a memory fault on a
// damaged page would crash the program rather than become an error. So the
// header and free-list pages are first read from the file and checked
// against its length, and every page the check will visit is first read
// here, where [Store.view] turns a fault into an [IntegrityError].
func (s *Store) checkFile() error {
	if err := checkPages(s.path); err != nil {
		return err
	}
	err := s.view(func(tx *bolt.Tx) error {
		var sum uint32
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			walkBucket(b, &sum)
			return nil
		})
	})
	if err != nil {
		return err
	}
	return s.view(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		if len(errs) > 0 {
			return &IntegrityError{Reason: fmt.Sprintf("bbolt's check failed: %v", errors.Join(errs...))}
		}
		return nil
	})
}

// walkBucket reads every key and value of a bucket and of the buckets in
// it, which reads every page of its tree.
func walkBucket(b *bolt.Bucket, sum *uint32) {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		*sum = crc32.Update(*sum, crc32.IEEETable, k)
		if v == nil {
			if nested := b.Bucket(k); nested != nil {
				walkBucket(nested, sum)
			}
			continue
		}
		*sum = crc32.Update(*sum, crc32.IEEETable, v)
	}
}

// bbolt's layout: a page begins with a 16-byte header (id, flags, count,
// overflow); the meta page's body is magic, version, page size, flags, the
// root bucket (16 bytes), the free-list page, the high water mark and the
// transaction id (8 bytes each), then an FNV-64a of all that.
const (
	pageHeader   = 16
	metaSumAt    = 56
	metaMagic    = 0xED0CDAED
	freelistFlag = 0x10
	noFreelist   = ^uint64(0)
)

// checkPages reads bbolt's two header pages from the file and checks their
// checksums (bbolt quietly reads the older one when the newer is damaged,
// which would hide the last change to the journal), then checks that the
// free-list page the newer one names lies within the file.
func checkPages(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	size := uint64(info.Size())
	pageSize := uint64(os.Getpagesize())
	var freelist, hwm, txid uint64
	for i := range uint64(2) {
		var m [metaSumAt + 8]byte
		if _, err := f.ReadAt(m[:], int64(i*pageSize+pageHeader)); err != nil {
			return &IntegrityError{Reason: fmt.Sprintf("its header page %d cannot be read (%v)", i, err)}
		}
		h := fnv.New64a()
		h.Write(m[:metaSumAt])
		if binary.NativeEndian.Uint32(m[0:]) != metaMagic || binary.NativeEndian.Uint64(m[metaSumAt:]) != h.Sum64() {
			return &IntegrityError{Reason: fmt.Sprintf("its header page %d is damaged, so the latest change to the journal may be missing", i)}
		}
		if i == 0 {
			pageSize = uint64(binary.NativeEndian.Uint32(m[8:]))
		}
		if t := binary.NativeEndian.Uint64(m[48:]); i == 0 || t > txid {
			freelist, hwm, txid = binary.NativeEndian.Uint64(m[32:]), binary.NativeEndian.Uint64(m[40:]), t
		}
	}
	if pageSize < 1024 || pageSize > 1<<20 {
		return &IntegrityError{Reason: "its header page gives an impossible page size"}
	}
	if hwm > size/pageSize {
		return &IntegrityError{Reason: fmt.Sprintf("it is truncated: it has %d bytes of the %d it should have", size, hwm*pageSize)}
	}
	if freelist == noFreelist {
		return nil
	}
	bad := &IntegrityError{Reason: "its list of free pages is damaged"}
	if freelist < 2 || freelist >= hwm || (freelist+1)*pageSize > size {
		return bad
	}
	var p [pageHeader + 8]byte
	if _, err := f.ReadAt(p[:], int64(freelist*pageSize)); err != nil {
		return bad
	}
	flags := binary.NativeEndian.Uint16(p[8:])
	count := uint64(binary.NativeEndian.Uint16(p[10:]))
	overflow := uint64(binary.NativeEndian.Uint32(p[12:]))
	ids := uint64(pageHeader)
	if count == 0xFFFF {
		count, ids = binary.NativeEndian.Uint64(p[pageHeader:]), pageHeader+8
	}
	end := freelist + overflow + 1
	if flags&freelistFlag == 0 || binary.NativeEndian.Uint64(p[0:]) != freelist || end > hwm || end*pageSize > size ||
		count > (overflow+1)*pageSize/8 || ids+count*8 > (overflow+1)*pageSize {
		return bad
	}
	return nil
}

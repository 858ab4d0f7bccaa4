package journal

// # Where the cache lives
//
// The sealed cache is a file of its own beside the journal file, named as
// it with ".cache" added (journal.db.cache), 0600. It is written whole to
// a file in the same folder that has no name yet (privatefile: on Linux
// an unnamed file, which a crash or a kill leaves nothing of), synced, and
// then named over the old one, so a reader sees one cache or the other,
// never half of each; it is read by position (see stream.go) or whole,
// never through a memory map.
//
// It used to be a value in the journal file's cache bucket. Each rewrite
// of that value (35 MB at 100,000 incidents) left as many free pages in the
// journal file, and bbolt reads and writes the list of free pages at every
// open and every commit: `journal add` grew slower with the journal. Out
// of the file, the journal file holds the log and little else, and the
// cache's pages are not the journal's.
//
// The file is derived and never trusted: anyone who can write the folder
// can delete, replace or plant it, as anyone who could write the journal
// file could change its cache bucket. It is opened and authenticated
// exactly as the value was (cache.go): a file that is not a regular file,
// does not decrypt, authenticate or decode is ignored and written anew.
// A journal written by an earlier version keeps its cache in the bucket:
// it is read from there, and moved to the file by the next read that can
// write (the bucket's value is then deleted).

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/journal-dev/journal/privatefile"
)

// cacheSuffix is added to the journal file's name to name its cache.
const cacheSuffix = ".cache"

// CachePath is the file that holds the sealed cache of the journal file
// path: derived from the log, and rebuilt if it is missing or damaged.
func CachePath(path string) string { return path + cacheSuffix }

// openCacheFile opens the cache file for reading, and returns it with its
// size; errNoCache if there is none, or something other than a regular
// file is in its place (a pipe would never end).
func (s *Store) openCacheFile() (*os.File, int64, error) {
	name := CachePath(s.path)
	if info, err := os.Lstat(name); err != nil || !info.Mode().IsRegular() {
		return nil, 0, errNoCache
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, errNoCache
	}
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		f.Close()
		return nil, 0, errNoCache
	}
	return f, info.Size(), nil
}

// openCache returns the journal's identifier, its cache's plaintext and
// the file key it is sealed with, or why it does not open (openErr, for
// readCache to judge), and whether it was read from the bucket. The cache
// file comes first; without one, a cache left in the bucket by an earlier
// version. The ciphertext is never held whole when keys can read by
// position.
func (s *Store) openCache(keys CacheKeys) (id, plain, fileKey []byte, fromBucket bool, openErr, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		id = cacheBinding(tx)
		if b := tx.Bucket(bucketCache); b != nil && b.Get(keyState) != nil {
			s.legacyCache = true
		}
		return nil
	})
	if err != nil {
		return id, nil, nil, false, nil, err
	}
	f, size, ferr := s.openCacheFile()
	if ferr == nil {
		defer f.Close()
		plain, fileKey, openErr = openCacheAt(keys, f, size)
		return id, plain, fileKey, false, openErr, nil
	}
	if !s.legacyCache {
		return id, nil, nil, false, nil, errNoCache
	}
	err = s.view(func(tx *bolt.Tx) error {
		// Opened in the transaction, straight from the file's map: the
		// plaintext is a new buffer, the ciphertext is not copied.
		plain, fileKey, openErr = keys.OpenKeyed(tx.Bucket(bucketCache).Get(keyState))
		return nil
	})
	return id, plain, fileKey, true, openErr, err
}

// openCacheAt opens a sealed cache of size bytes read from f, and gives
// the file key it is sealed with.
func openCacheAt(keys CacheKeys, f io.ReaderAt, size int64) (plain, fileKey []byte, err error) {
	ro, ok := keys.(ReaderAtOpener)
	if !ok {
		ct := make([]byte, size)
		if _, err := f.ReadAt(ct, 0); err != nil {
			return nil, nil, err
		}
		return keys.OpenKeyed(ct)
	}
	r, n, fileKey, err := ro.OpenReaderAt(f, size)
	if err != nil {
		return nil, nil, err
	}
	plain = make([]byte, n)
	if _, err := r.ReadAt(plain, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, err
	}
	return plain, fileKey, nil
}

// legacySealed is the sealed cache an earlier version left in the bucket,
// copied, to be moved to the cache file; nil if there is none.
func (s *Store) legacySealed() []byte {
	var ct []byte
	s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketCache); b != nil {
			ct = bytes.Clone(b.Get(keyState))
		}
		return nil
	})
	return ct
}

// writeCacheFile writes a sealed cache as the cache file of the journal
// file path: whole, synced, then named over the old one. It is written
// only while path is still the file the store opened (a backup put back
// meanwhile is another journal file).
func (s *Store) writeCacheFile(ct [][]byte) error {
	f, err := s.createCacheFile()
	if err != nil {
		return err
	}
	for _, b := range ct {
		if _, err := f.Write(b); err != nil {
			f.Abort()
			return err
		}
	}
	return s.nameCacheFile(f)
}

// createCacheFile starts a cache file, with no name until it is named
// (nameCacheFile). Where it must have one meanwhile (not Linux, or a file
// system without unnamed files), a process killed while it wrote left it
// under a hidden name: those more than an hour old are removed first (a
// cache is written in seconds; a younger one may be another process's).
func (s *Store) createCacheFile() (*privatefile.File, error) {
	dir, base := filepath.Split(CachePath(s.path))
	if dir == "" {
		dir = "."
	}
	if old, err := filepath.Glob(filepath.Join(dir, "."+base+".tmp-*")); err == nil {
		for _, name := range old {
			if info, err := os.Lstat(name); err == nil && info.Mode().IsRegular() && time.Since(info.ModTime()) > time.Hour {
				os.Remove(name)
			}
		}
	}
	return privatefile.Create(CachePath(s.path), privatefile.Options{Force: true})
}

// nameCacheFile makes a sealed cache written to f, a file in the cache
// file's folder that has no name yet, the cache file: synced, then named,
// only while the journal file is still the one the store opened. A file
// that is not named is removed.
func (s *Store) nameCacheFile(f *privatefile.File) error {
	return f.Commit(func() error {
		if !s.samePath() {
			return errors.New("the journal file was replaced")
		}
		return nil
	})
}

// samePath reports whether the store's path still names the file it
// opened.
func (s *Store) samePath() bool {
	a, err := os.Stat(s.path)
	if err != nil {
		return false
	}
	return s.opened != nil && os.SameFile(a, s.opened)
}

// ForgetCache deletes the cache file, so that the next read makes it anew
// from the log: after a change of the journal's key, whose new secret it
// would not authenticate with anyway, or for a journal accepted as it is
// after an older copy was put back, beside which the newer journal's
// cache would disagree with the log.
func (s *Store) ForgetCache() { os.Remove(CachePath(s.path)) }

// writePendingCache writes the cache a read prepared, if any, to the cache
// file, while the store is still open. If it cannot, nothing else of it
// is written (flushCache).
func (s *Store) writePendingCache() {
	p := s.pending
	if p == nil {
		return
	}
	if s.damaged {
		s.dropPending()
		s.newFileID = nil
		return
	}
	var err error
	if p.file != nil {
		err = s.nameCacheFile(p.file)
	} else {
		err = s.writeCacheFile(p.ciphertext)
	}
	if err != nil {
		s.dropPending()
		s.newFileID = nil
		return
	}
	p.file = nil
	p.legacy = s.legacyCache
	p.ciphertext = nil
	if !p.provisional && !p.hints && !p.legacy && s.newFileID == nil {
		s.pending = nil
	}
}

// flushCache writes what a read prepared, if anything, when the store is
// closed, once the cache is in its file (writePendingCache): to the
// journal file the rest (a counter counted again, keys kept for the sync
// folder, provisional keys the new cache holds, an earlier version's
// cache to delete). All of it
// is a convenience: if it cannot be written now (the journal is in use,
// the folder or file is read-only), a later read writes it.
func (s *Store) flushCache() {
	p, c, k, fid := s.pending, s.counted, s.carry, s.newFileID
	s.pending, s.counted, s.carry, s.newFileID = nil, nil, nil, nil
	if p == nil && c == nil && k == nil || s.damaged || s.replaced {
		// A store that found damage writes nothing, not even a cache:
		// the file stays as it was for the backup or the repair. Nor
		// does one whose file compact replaced.
		return
	}
	legacy := p != nil && p.legacy
	if p != nil && !p.provisional && !p.hints && !legacy && fid == nil {
		p = nil // nothing more to write in the journal file
	}
	if p == nil && c == nil && k == nil {
		return
	}
	put := func(tx *bolt.Tx) error {
		if p != nil {
			if err := putCache(tx, p, legacy); err != nil {
				return err
			}
			if err := putFileID(tx, fid); err != nil {
				return err
			}
		}
		if c != nil {
			if err := putCount(tx, c); err != nil {
				return err
			}
		}
		if k != nil {
			return putCarry(tx, k)
		}
		return nil
	}
	if !s.db.IsReadOnly() {
		s.update(put)
		return
	}
	func() {
		defer func() { recover() }()
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		// bbolt reads more of the file to open it for writing than for
		// reading (the list of free pages); a panic inside Open would
		// keep the lock.
		f, err := openForBolt(s.path, false)
		if err != nil {
			return
		}
		openFile, closeUnused := handOver(f)
		defer closeUnused()
		if _, err := checkHeaderOf(f); err != nil {
			return
		}
		db, err := bolt.Open(s.path, 0o600, &bolt.Options{Timeout: cacheLockWait, OpenFile: openFile})
		if err != nil {
			return
		}
		defer db.Close()
		db.Update(put)
	}()
}

// putCache finishes writing a cache in the journal file, if the log still
// holds the record it was written up to: it deletes the provisional keys
// and the sync folder's keys it holds, and an earlier version's cache.
func putCache(tx *bolt.Tx, p *pendingCache, legacy bool) error {
	log := tx.Bucket(bucketLog)
	if log == nil {
		return ErrNotJournal
	}
	if h, err := journalHeadAt(tx, p.seq); err != nil || h != p.hash {
		return errors.New("the log changed since the cache was made")
	}
	if b := tx.Bucket(bucketCache); legacy && b != nil {
		if err := b.Delete(keyState); err != nil {
			return err
		}
	}
	if p.provisional {
		if err := dropProvisional(tx, p.seq); err != nil {
			return err
		}
	}
	if p.hints {
		return dropHints(tx, p.seq)
	}
	return nil
}

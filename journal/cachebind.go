package journal

// # A cache is bound to its journal file
//
// The cache lives in a file of its own beside the journal file, so a cache
// made for another file of the same journal (another computer's, copied
// or planted beside this one) authenticates with the journal's key like
// this file's own. Its records are in that file's order, so a read that
// believed it would show the wrong journal until verify found it. So each
// journal file holds an identifier of its own (keyFileID, random, put at
// [Create], or by the first read of this version that writes the cache
// of an older file), and a cache's tag covers it beside the journal's
// identifier (cacheformat.go): a cache made for another file does not
// authenticate here, and is made again from the log. A byte copy of the
// file holds the same identifier: the cache beside the original is that
// copy's too, as its records are; `journal backup` gives its copy an
// identifier of its own.

import (
	"bytes"
	"crypto/rand"
	"os"

	bolt "go.etcd.io/bbolt"
)

// keyFileID is the meta key of the journal file's own identifier.
var keyFileID = []byte("file_id")

// fileIDLen is the length of a journal file's identifier.
const fileIDLen = 16

// newFileID returns a new random identifier for a journal file.
func newFileID() []byte {
	id := make([]byte, fileIDLen)
	rand.Read(id)
	return id
}

// cacheBinding is what the tag of this file's cache covers: the
// journal's identifier, then the file's own when it has one.
func cacheBinding(tx *bolt.Tx) []byte {
	b := tx.Bucket(bucketMeta)
	id := bytes.Clone(b.Get(keyID))
	return append(id, b.Get(keyFileID)...)
}

// hasFileID says whether the journal file holds its own identifier.
func (s *Store) hasFileID() bool {
	has := false
	s.view(func(tx *bolt.Tx) error {
		has = len(tx.Bucket(bucketMeta).Get(keyFileID)) > 0
		return nil
	})
	return has
}

// needsFileID says that this file has no identifier of its own yet, and
// that the next cache written gives it one: not when the store must
// leave the file unchanged (verify), nor when the file cannot be
// written (its cache would never authenticate).
func (s *Store) needsFileID() bool {
	if s.newFileID != nil {
		return true
	}
	if s.unchanged || s.hasFileID() {
		return false
	}
	f, err := os.OpenFile(s.path, os.O_WRONLY, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// sealBinding is what the tag of a cache written now covers: the file's
// binding, with a new identifier for a file that needs one (kept in
// s.newFileID and put in the file once the cache is written, by
// flushCache).
func (s *Store) sealBinding() ([]byte, error) {
	var id []byte
	if err := s.view(func(tx *bolt.Tx) error { id = cacheBinding(tx); return nil }); err != nil {
		return nil, err
	}
	if !s.needsFileID() {
		return id, nil
	}
	if s.newFileID == nil {
		s.newFileID = newFileID()
	}
	return append(id, s.newFileID...), nil
}

// putFileID puts the identifier a cache just written was tagged with in a
// file that has none yet.
func putFileID(tx *bolt.Tx, id []byte) error {
	meta := tx.Bucket(bucketMeta)
	if id == nil || len(meta.Get(keyFileID)) > 0 {
		return nil
	}
	return meta.Put(keyFileID, id)
}

// NewFileID gives the journal file, opened for writing, a new identifier
// of its own, and deletes the cache beside it: for a copy made as a file
// of its own (`journal backup`), whose cache is then never another's.
func (s *Store) NewFileID() error {
	err := s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyFileID, newFileID())
	})
	if err != nil {
		return err
	}
	s.ForgetCache()
	return nil
}

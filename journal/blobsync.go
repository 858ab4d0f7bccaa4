package journal

import (
	"encoding/hex"
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"
)

// Evidence in a sync folder: each blob travels as its sealed age stream,
// byte for byte as the journal keeps it, under its key. These functions
// copy that ciphertext out and in; nothing is decrypted.

// BlobKeys returns the keys of every blob the journal holds.
func (s *Store) BlobKeys() (keys []string, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketBlobs).ForEach(func(k, v []byte) error {
			if v == nil {
				keys = append(keys, hex.EncodeToString(k))
			}
			return nil
		})
	})
	return keys, err
}

// HasBlob reports whether the journal holds the blob key.
func (s *Store) HasBlob(key string) (bool, error) {
	id, err := hex.DecodeString(key)
	if err != nil {
		return false, err
	}
	var ok bool
	err = s.view(func(tx *bolt.Tx) error {
		ok = tx.Bucket(bucketBlobs).Bucket(id) != nil
		return nil
	})
	return ok, err
}

// CopySealedBlob writes the sealed bytes of the blob key to w, chunk by
// chunk, in bounded memory.
func (s *Store) CopySealedBlob(key string, w io.Writer) error {
	id, err := hex.DecodeString(key)
	if err != nil {
		return err
	}
	return s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketBlobs).Bucket(id)
		if b == nil {
			return fmt.Errorf("blob %s: %w", key, ErrNoBlob)
		}
		cr := &chunkReader{b: b, c: b.Cursor()}
		if _, err := io.Copy(w, cr); err != nil {
			return err
		}
		return cr.err
	})
}

// PutSealedBlob stores the sealed bytes r gives as the blob key, in
// chunks, as [Store.PutBlob] does; what it stored is removed if it fails.
// Nothing checks the bytes here: reading the attachment does.
func (s *Store) PutSealedBlob(key string, r io.Reader) (err error) {
	id, err := hex.DecodeString(key)
	if err != nil || len(id) == 0 {
		return fmt.Errorf("blob %q: not a blob key", key)
	}
	if s.db.IsReadOnly() {
		return ErrReadOnly
	}
	defer func() {
		if err != nil {
			s.DeleteBlobs(key)
		}
	}()
	cw := newChunkWriter(s, id)
	if _, err := io.Copy(cw, r); err != nil {
		cw.close()
		return err
	}
	return cw.close()
}

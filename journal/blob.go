package journal

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// StreamSealer encrypts a stream of any length to the journal's recipients,
// in bounded memory. Close on the writer finishes the stream.
type StreamSealer interface {
	SealStream(dst io.Writer) (io.WriteCloser, error)
}

// StreamOpener decrypts and authenticates a stream made by a
// [StreamSealer]. Reads fail at the first part that does not authenticate.
type StreamOpener interface {
	OpenStream(src io.Reader) (io.Reader, error)
}

// Evidence files are sealed as one age stream, cut into chunks of
// blobChunk bytes of ciphertext, and written blobBatch chunks to a
// transaction, so that memory stays bounded however large the file.
const (
	blobChunk = 1 << 20
	blobBatch = 4
)

// PutBlob seals everything r gives as an age stream and stores it in
// chunks, in as many transactions as it takes. It returns an [Attachment]
// with the size and the SHA-256 of the bytes as they were read, a media type
// guessed from the name and the first bytes, and the key of the stored blob.
//
// With an address key ([Store.UseAddressKey]) the key is the file's
// address ([BlobAddress]): the blob is sealed under a temporary key, then
// moved to its address. If the journal holds that address already (the
// same file attached before, here or on another computer), it keeps what
// it holds, drops the new copy, and fresh is false; but if what it holds
// does not read back as the file (checked when sealer can also open), the
// new copy takes its place. Without an address key the key is random and
// fresh is true.
//
// Nothing names the blob until a record holding the attachment is
// appended, so it is not part of the journal before then. If that append
// fails, the caller removes the blob with [Store.DeleteBlobs], if it was
// fresh (a blob that was not may be named by another attachment); a blob
// left by a process that died is listed by [Store.OrphanBlobs] and removed
// only when the user asks ([Store.RemoveOrphans]).
func (s *Store) PutBlob(sealer StreamSealer, name string, r io.Reader, now time.Time) (a *Attachment, fresh bool, err error) {
	if s.db.IsReadOnly() {
		return nil, false, ErrReadOnly
	}
	id := make([]byte, 16)
	rand.Read(id)
	key := hex.EncodeToString(id)
	var cw *chunkWriter
	defer func() {
		// Only what this call stored is removed, and only if it stored
		// anything: an empty write would still change the file.
		if err != nil && cw != nil && cw.stored {
			s.DeleteBlobs(key)
		}
	}()
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(512)
	a = &Attachment{Name: filepath.Base(name), MediaType: MediaType(name, head), AddedAt: now, Blob: key}
	sum := sha256.New()
	// Grow the file in large steps: each step costs bbolt a sync.
	defer func(size int) { s.db.AllocSize = size }(s.db.AllocSize)
	s.db.AllocSize = 64 << 20
	cw = newChunkWriter(s, id)
	defer cw.close()
	w, err := sealer.SealStream(cw)
	if err != nil {
		return nil, false, err
	}
	n, err := io.Copy(w, io.TeeReader(br, sum))
	if err != nil {
		if cw.err != nil {
			return nil, false, fmt.Errorf("storing %s: %w", a.Name, cw.err)
		}
		return nil, false, fmt.Errorf("reading %s: %w", a.Name, err)
	}
	if err := w.Close(); err != nil {
		return nil, false, fmt.Errorf("sealing %s: %w", a.Name, err)
	}
	if err := cw.close(); err != nil {
		return nil, false, fmt.Errorf("storing %s: %w", a.Name, err)
	}
	a.Size = n
	a.SHA256 = hex.EncodeToString(sum.Sum(nil))
	if s.opts.AddressKey == nil {
		return a, true, nil
	}
	a.Blob = BlobAddress(s.opts.AddressKey, sum.Sum(nil))
	if fresh, err = s.moveBlob(id, a.Blob, s.heldIsBad(sealer, a)); err != nil {
		return nil, false, fmt.Errorf("storing %s: %w", a.Name, err)
	}
	return a, fresh, nil
}

// heldIsBad reports whether the journal holds a blob at a's address that
// does not read back as a's bytes (damaged, or brought in from a sync
// folder and never read), when sealer can tell: the copy just sealed then
// takes its place instead of being dropped. A sealer that cannot open (a
// computer that only adds) keeps what is held.
func (s *Store) heldIsBad(sealer StreamSealer, a *Attachment) bool {
	opener, ok := sealer.(interface {
		StreamOpener
		CanOpen() bool
	})
	if !ok || !opener.CanOpen() {
		return false
	}
	if held, err := s.HasBlob(a.Blob); err != nil || !held {
		return false
	}
	return s.ReadBlob(opener, a, io.Discard) != nil
}

// moveBlob moves the chunks of the blob from to the blob address, in one
// transaction. If the journal holds that address already, the blob from
// is removed and fresh is false; unless replace is set: then what is held
// is removed and from takes its place, and fresh is still false (other
// attachments may name that address, so a failed append must not remove
// it).
func (s *Store) moveBlob(from []byte, address string, replace bool) (fresh bool, err error) {
	to, err := hex.DecodeString(address)
	if err != nil {
		return false, err
	}
	err = s.update(func(tx *bolt.Tx) error {
		blobs := tx.Bucket(bucketBlobs)
		src := blobs.Bucket(from)
		if src == nil {
			return fmt.Errorf("blob %x: %w", from, ErrNoBlob)
		}
		held := blobs.Bucket(to) != nil
		if held && !replace {
			return blobs.DeleteBucket(from)
		}
		if held {
			if err := blobs.DeleteBucket(to); err != nil {
				return err
			}
		}
		dst, err := blobs.CreateBucket(to)
		if err != nil {
			return err
		}
		var chunks [][]byte
		if err := src.ForEachBucket(func(k []byte) error {
			chunks = append(chunks, bytes.Clone(k))
			return nil
		}); err != nil {
			return err
		}
		for _, k := range chunks {
			if err := tx.MoveBucket(k, src, dst); err != nil {
				return err
			}
		}
		fresh = !held
		return blobs.DeleteBucket(from)
	})
	return fresh, err
}

// chunkWriter gathers ciphertext and stores it a batch of chunks at a
// time, each batch in its own transaction. The transactions run in a
// goroutine of their own, so that sealing the next batch and writing the
// last one to disk go on at the same time; two batch buffers take turns.
type chunkWriter struct {
	s     *Store
	id    []byte
	buf   []byte
	free  chan []byte
	full  chan []byte
	done  chan error
	err   error
	chunk uint32
	// stored is set once a batch has been committed.
	stored bool
}

func newChunkWriter(s *Store, id []byte) *chunkWriter {
	c := &chunkWriter{s: s, id: id, free: make(chan []byte, 2), full: make(chan []byte, 1), done: make(chan error, 1)}
	c.free <- make([]byte, 0, blobChunk*blobBatch)
	c.free <- make([]byte, 0, blobChunk*blobBatch)
	c.buf = <-c.free
	go c.commit(c.full)
	return c
}

// commit stores each full batch in a transaction of its own, until the
// channel closes or a transaction fails.
func (c *chunkWriter) commit(full <-chan []byte) {
	var err error
	for b := range full {
		if err == nil {
			if err = c.store(b); err == nil {
				c.stored = true
			}
		}
		c.free <- b[:0]
	}
	c.done <- err
}

func (c *chunkWriter) store(batch []byte) error {
	return c.s.update(func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bucketBlobs).CreateBucketIfNotExists(c.id)
		if err != nil {
			return err
		}
		for off := 0; off < len(batch); off += blobChunk {
			end := min(off+blobChunk, len(batch))
			// Each chunk has a bucket of its own, so that adding the
			// next one rewrites a page of small bucket headers, never
			// the chunks already written.
			cb, err := b.CreateBucket(binary.BigEndian.AppendUint32(nil, c.chunk))
			if err != nil {
				return err
			}
			if err := cb.Put(chunkKey, batch[off:end]); err != nil {
				return err
			}
			c.chunk++
		}
		return nil
	})
}

// chunkKey is the key of a chunk's bytes in the chunk's bucket.
var chunkKey = []byte{0}

func (c *chunkWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), cap(c.buf)-len(c.buf))
		c.buf = append(c.buf, p[:k]...)
		p = p[k:]
		if len(c.buf) == cap(c.buf) {
			c.full <- c.buf
			select {
			case c.buf = <-c.free:
			case c.err = <-c.done:
				return 0, c.err
			}
		}
	}
	return n, nil
}

// close stores what is left and waits for every transaction to end.
func (c *chunkWriter) close() error {
	if c.full == nil {
		return c.err
	}
	if len(c.buf) > 0 && c.err == nil {
		c.full <- c.buf
	}
	close(c.full)
	c.full = nil
	if c.err != nil {
		// The committer already reported, and has stopped.
		return c.err
	}
	c.err = <-c.done
	return c.err
}

// DeleteBlobs removes stored blobs, for the caller's own attachment whose
// record was never appended. Keys that are not there are ignored.
func (s *Store) DeleteBlobs(keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	return s.update(func(tx *bolt.Tx) error {
		for _, k := range keys {
			id, err := hex.DecodeString(k)
			if err != nil {
				continue
			}
			if err := tx.Bucket(bucketBlobs).DeleteBucket(id); err != nil && !isNotFound(err) {
				return err
			}
		}
		return nil
	})
}

func isNotFound(err error) bool {
	return err != nil && strings.Contains(err.Error(), "not found")
}

// Orphan is a stored blob that no attachment record names: what is left
// of an attach that failed or was killed before its record was appended.
type Orphan struct {
	Key string
	// Size is the size of its sealed bytes.
	Size int64
}

// OrphanBlobs lists the blobs that no attachment of st names. st must be
// the state of the whole log. Nothing is removed: evidence is never
// deleted by a command that does not say so ([Store.RemoveOrphans]).
func (s *Store) OrphanBlobs(st *State) ([]Orphan, error) {
	named := map[string]bool{}
	for _, in := range st.Incidents {
		for _, a := range in.Attachments {
			named[a.Blob] = true
		}
	}
	var orphans []Orphan
	err := s.view(func(tx *bolt.Tx) error {
		blobs := tx.Bucket(bucketBlobs)
		return blobs.ForEachBucket(func(k []byte) error {
			key := hex.EncodeToString(k)
			if named[key] {
				return nil
			}
			o := Orphan{Key: key}
			b := blobs.Bucket(k)
			err := b.ForEachBucket(func(ck []byte) error {
				if cb := b.Bucket(ck); cb != nil {
					o.Size += int64(len(cb.Get(chunkKey)))
				}
				return nil
			})
			orphans = append(orphans, o)
			return err
		})
	})
	return orphans, err
}

// HasBlobs reports whether any evidence is stored, named or not: without
// any, there can be no orphan, and no key is needed to know it.
func (s *Store) HasBlobs() (bool, error) {
	has := false
	err := s.view(func(tx *bolt.Tx) error {
		k, _ := tx.Bucket(bucketBlobs).Cursor().First()
		has = k != nil
		return nil
	})
	return has, err
}

// RemoveOrphans removes blobs that [Store.OrphanBlobs] listed, checking
// first, in the same transaction as the removal and against the whole log
// read while the store is open for writing, that no attachment names any
// of them. It is for 'journal repair', after the user has seen the list.
func (s *Store) RemoveOrphans(st *State, orphans []Orphan) error {
	named := map[string]bool{}
	for _, in := range st.Incidents {
		for _, a := range in.Attachments {
			named[a.Blob] = true
		}
	}
	keys := make([]string, 0, len(orphans))
	for _, o := range orphans {
		if named[o.Key] {
			return fmt.Errorf("evidence %s is named by an attachment: it was not removed", o.Key)
		}
		keys = append(keys, o.Key)
	}
	return s.DeleteBlobs(keys...)
}

// ErrNoBlob is returned when an attachment's stored bytes are missing.
var ErrNoBlob = errors.New("its stored bytes are missing")

// NotArrivedError is an evidence file that another computer attached and
// whose bytes have not arrived from the sync folder yet: its record came
// first (sync programs copy files in any order). It is not damage; a
// later sync brings the bytes, and they are checked then.
type NotArrivedError struct {
	Name string
	// Device is the name of the computer that attached it.
	Device string
}

func (e *NotArrivedError) Error() string {
	return fmt.Sprintf("evidence file %q, attached on %s, has not arrived from the sync folder yet", e.Name, e.Device)
}

// chunkReader reads a blob's chunks in order, checking that none is
// missing.
type chunkReader struct {
	b       *bolt.Bucket
	c       *bolt.Cursor
	started bool
	next    uint32
	cur     []byte
	whole   []byte // the chunk cur is part of, released once read
	err     error
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		var k, v []byte
		if !r.started {
			k, v = r.c.First()
			r.started = true
		} else {
			k, v = r.c.Next()
		}
		if k == nil {
			return 0, io.EOF
		}
		var cb *bolt.Bucket
		if v == nil {
			cb = r.b.Bucket(k)
		}
		if len(k) != 4 || binary.BigEndian.Uint32(k) != r.next || cb == nil {
			r.err = fmt.Errorf("chunk %d is missing", r.next)
			return 0, r.err
		}
		r.next++
		release(r.whole)
		r.cur = cb.Get(chunkKey)
		r.whole = r.cur
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// VerifyBlobs re-reads every attachment of st and checks its size and
// SHA-256. The first that does not match is an [IntegrityError]. Those
// that have not arrived from the sync folder yet are returned: they
// cannot be checked until they do.
func (s *Store) VerifyBlobs(opener Opener, st *State) (notArrived []*NotArrivedError, err error) {
	so, ok := opener.(StreamOpener)
	if !ok {
		return nil, errors.New("cannot check evidence files: the key cannot read streams")
	}
	for _, in := range st.Incidents {
		for i := range in.Attachments {
			err := s.ReadBlob(so, &in.Attachments[i], io.Discard)
			var na *NotArrivedError
			if errors.As(err, &na) {
				notArrived = append(notArrived, na)
				continue
			}
			if err != nil {
				var ie *IntegrityError
				if errors.As(err, &ie) {
					ie.Reason = fmt.Sprintf("incident %s: %s", IncidentRef(in.ID), ie.Reason)
				}
				return nil, err
			}
		}
	}
	return notArrived, nil
}

// MediaType guesses a file's media type from its name, then from its first
// bytes.
func MediaType(name string, head []byte) string {
	if t := mime.TypeByExtension(strings.ToLower(filepath.Ext(name))); t != "" {
		return t
	}
	return http.DetectContentType(head)
}

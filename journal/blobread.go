package journal

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"
)

// BlobCopies lists the sealed copies of a blob that the journal can read
// from outside itself, each as a function that opens one: the files a
// sync folder holds under the blob's key. See [Store.UseBlobCopies].
type BlobCopies func(key string) []func() (io.ReadCloser, error)

// UseBlobCopies tells [Store.ReadBlob] where to look when a blob has
// several copies. Which of them the journal brought in was chosen without
// the key (a damaged file, or one planted by whoever can write the
// folder, may have come first), so the read checks the one held and, if
// it is not the evidence recorded, tries the others.
func (s *Store) UseBlobCopies(c BlobCopies) { s.copies = c }

// ReadBlob decrypts the stored bytes of an attachment into w and checks
// them against the size and SHA-256 recorded when it was added. A blob that
// is missing, does not authenticate or does not match is an
// [IntegrityError] naming the attachment, except one that another computer
// attached to a journal with a sync folder, which may not have arrived
// yet: a [*NotArrivedError]. On an error, w may have received part of the
// bytes, so write to a temporary file and keep it only on success.
//
// When the blob has several copies (see [Store.UseBlobCopies]), the one
// held is checked before w receives anything; if it does not hold, the
// first copy that does is read into w and, in a journal open for writing,
// takes the held one's place, checked again as stored. A journal open
// only to read keeps it in [Store.Mends], for [Store.MendBlob] in one
// open for writing.
func (s *Store) ReadBlob(opener StreamOpener, a *Attachment, w io.Writer) error {
	var copies []func() (io.ReadCloser, error)
	if s.copies != nil {
		copies = s.copies(a.Blob)
	}
	if len(copies) < 2 {
		return s.readHeld(opener, a, w)
	}
	err := s.readHeld(opener, a, io.Discard)
	if err == nil {
		return s.readHeld(opener, a, w)
	}
	var ie *IntegrityError
	var na *NotArrivedError
	if !errors.As(err, &ie) && !errors.As(err, &na) {
		return err
	}
	for _, open := range copies {
		if readCopy(opener, open, a, io.Discard) != nil {
			continue
		}
		if err := readCopy(opener, open, a, w); err != nil {
			return err
		}
		m := Mend{Attachment: *a, open: open}
		if s.db.IsReadOnly() {
			s.mends = append(s.mends, m)
		} else {
			// A copy that fails its second check leaves the held one
			// as it was; the next read tries again.
			s.storeCopy(opener, m)
		}
		return nil
	}
	return err
}

// Mend is evidence whose copy in the journal does not match its record,
// and a copy in the sync folder that does, as a read found them.
type Mend struct {
	// Attachment is the evidence, as its record names it.
	Attachment Attachment
	open       func() (io.ReadCloser, error)
}

// Mends are the good copies that reads of this journal, open only to
// read, used in place of damaged held ones: give each to [Store.MendBlob]
// in a journal open for writing.
func (s *Store) Mends() []Mend { return s.mends }

// MendBlob replaces the journal's copy of m's evidence with the good copy
// a read found, in a journal open for writing; the copy is checked again
// against the recorded size and SHA-256 as it is stored, and is kept only
// if it holds. It reports whether it replaced the held copy: false, and
// no error, when the held copy holds by now (another command mended it).
func (s *Store) MendBlob(opener StreamOpener, m Mend) (bool, error) {
	if s.readHeld(opener, &m.Attachment, io.Discard) == nil {
		return false, nil
	}
	if err := s.storeCopy(opener, m); err != nil {
		return false, err
	}
	return true, nil
}

// readHeld reads the blob the journal holds for a into w, checked.
func (s *Store) readHeld(opener StreamOpener, a *Attachment, w io.Writer) error {
	id, err := hex.DecodeString(a.Blob)
	if err != nil || len(id) == 0 {
		return badBlob(a, ErrNoBlob.Error())
	}
	return s.readStored(opener, id, a, w)
}

// readStored reads the blob stored under id into w, checked against a.
func (s *Store) readStored(opener StreamOpener, id []byte, a *Attachment, w io.Writer) error {
	return s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketBlobs).Bucket(id)
		if b == nil {
			if by := notArrived(tx, s.id, a); by != "" {
				return &NotArrivedError{Name: a.Name, Device: by}
			}
			return badBlob(a, ErrNoBlob.Error())
		}
		cr := &chunkReader{b: b, c: b.Cursor()}
		return readChecked(opener, cr, a, w, func() error { return cr.err })
	})
}

// readCopy reads a copy of a's blob into w, checked.
func readCopy(opener StreamOpener, open func() (io.ReadCloser, error), a *Attachment, w io.Writer) error {
	r, err := open()
	if err != nil {
		return err
	}
	defer r.Close()
	return readChecked(opener, r, a, w, func() error { return nil })
}

// storeCopy stores m's copy in place of the blob held for its evidence,
// in a journal open for writing. The copy is stored under a temporary key
// and checked there against the recorded size and SHA-256 (the folder's
// file may have changed since it was read) before it takes the held one's
// place; a failure leaves the held one as it was.
func (s *Store) storeCopy(opener StreamOpener, m Mend) error {
	r, err := m.open()
	if err != nil {
		return err
	}
	defer r.Close()
	tmp := make([]byte, 16)
	rand.Read(tmp)
	if err := s.PutSealedBlob(hex.EncodeToString(tmp), r); err != nil {
		return err
	}
	err = s.readStored(opener, tmp, &m.Attachment, io.Discard)
	if err == nil {
		_, err = s.moveBlob(tmp, m.Attachment.Blob, true)
	}
	if err != nil {
		s.DeleteBlobs(hex.EncodeToString(tmp))
	}
	return err
}

// readChecked decrypts the sealed stream r into w and checks it against
// a's recorded size and SHA-256; sourceErr says why the source stopped, if
// it failed.
func readChecked(opener StreamOpener, r io.Reader, a *Attachment, w io.Writer, sourceErr func() error) error {
	pr, err := opener.OpenStream(r)
	if err != nil {
		return badBlob(a, "does not decrypt: "+err.Error())
	}
	sum := sha256.New()
	n, err := io.Copy(io.MultiWriter(destWriter{w}, sum), pr)
	var we *writeError
	switch {
	case errors.As(err, &we):
		return we.err
	case sourceErr() != nil:
		return badBlob(a, sourceErr().Error())
	case err != nil:
		return badBlob(a, "does not decrypt: "+err.Error())
	case n != a.Size:
		return badBlob(a, fmt.Sprintf("holds %d bytes, not the %d recorded", n, a.Size))
	case hex.EncodeToString(sum.Sum(nil)) != a.SHA256:
		return badBlob(a, "does not match its SHA-256")
	}
	return nil
}

func badBlob(a *Attachment, reason string) error {
	return &IntegrityError{Reason: fmt.Sprintf("evidence file %q: %s", a.Name, reason)}
}

// notArrived returns the name of the computer that attached a, whose
// bytes are missing, if they may be on their way: a was attached by another
// device than this computer's, and the journal has a sync folder.
func notArrived(tx *bolt.Tx, journalID []byte, a *Attachment) string {
	if a.By == "" || len(tx.Bucket(bucketMeta).Get(keySyncFolder)) == 0 {
		return ""
	}
	if dev, err := LoadDevice(journalID); err == nil && DeviceName(dev.Public()) == a.By {
		return ""
	}
	m, err := readManifest(tx)
	if err != nil || m == nil {
		return ""
	}
	return deviceLabel(m, a.By)
}

// writeError marks a failure of the destination, which is not the
// journal's fault.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }

type destWriter struct{ w io.Writer }

func (d destWriter) Write(p []byte) (int, error) {
	n, err := d.w.Write(p)
	if err != nil {
		err = &writeError{err}
	}
	return n, err
}

package crypto

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
)

// ErrBadRecipient is returned by [NewSealer] for a recipient that cannot be
// read. The error does not quote it.
var ErrBadRecipient = errors.New("a recipient of the journal is damaged")

// Sealer encrypts to a journal's recipients and, when it holds an identity,
// decrypts. A Sealer made by [NewSealer] from public recipients alone can
// seal but not open: that is how records are added without the passphrase.
type Sealer struct {
	recipients []age.Recipient
	texts      []string
	identities []age.Identity
	// own is set when an identity is the journal's own key, the first
	// recipient, to which every record is sealed.
	own bool
	// first is the first identity, whose cache secret marks the cache.
	first *Identity
}

// NewSealer returns a Sealer that encrypts to the given recipients (age's
// text form) and decrypts with the given identities, if any.
func NewSealer(recipients []string, identities ...*Identity) (*Sealer, error) {
	s := &Sealer{}
	for _, r := range recipients {
		rs, err := age.ParseRecipients(strings.NewReader(r))
		if err != nil {
			// Not the error itself: it quotes the whole recipient.
			return nil, ErrBadRecipient
		}
		s.recipients = append(s.recipients, rs...)
		s.texts = append(s.texts, r)
	}
	for _, id := range identities {
		if s.first == nil {
			s.first = id
		}
		s.identities = append(s.identities, id.id)
		s.own = s.own || len(recipients) > 0 && id.recipient == recipients[0]
	}
	return s, nil
}

// CanOpen reports whether the Sealer holds an identity.
func (s *Sealer) CanOpen() bool { return len(s.identities) > 0 }

// Seal encrypts plaintext to the recipients as one age file.
func (s *Sealer) Seal(plaintext []byte) ([]byte, error) {
	if len(s.recipients) == 0 {
		return nil, errors.New("no recipients to seal to")
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, s.recipients...)
	if err != nil {
		return nil, fmt.Errorf("sealing: %w", err)
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, fmt.Errorf("sealing: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("sealing: %w", err)
	}
	return buf.Bytes(), nil
}

// Open decrypts an age file made by [Sealer.Seal]. A ciphertext that does not
// authenticate gives an error wrapping [ErrDamaged]; one that none of the
// identities can open gives [ErrWrongIdentity], unless the Sealer holds the
// journal's own key, to which every record is sealed: then it is damaged.
func (s *Sealer) Open(ciphertext []byte) ([]byte, error) {
	r, err := s.OpenStream(bytes.NewReader(ciphertext))
	if err != nil {
		return nil, err
	}
	// The plaintext is shorter than the ciphertext: one buffer of that
	// size, rather than one grown again and again, for a large cache.
	buf := bytes.NewBuffer(make([]byte, 0, len(ciphertext)))
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, ErrDamaged
	}
	return buf.Bytes(), nil
}

// SealStream returns a writer that encrypts to the recipients as an age
// stream written to dst, in age's 64 KiB chunks. Close finishes the stream.
func (s *Sealer) SealStream(dst io.Writer) (io.WriteCloser, error) {
	if len(s.recipients) == 0 {
		return nil, errors.New("no recipients to seal to")
	}
	w, err := age.Encrypt(dst, s.recipients...)
	if err != nil {
		return nil, fmt.Errorf("sealing: %w", err)
	}
	return w, nil
}

// OpenStream returns a reader of the plaintext of the age stream in src.
// Reads fail with an error wrapping [ErrDamaged] at the first chunk that
// does not authenticate.
func (s *Sealer) OpenStream(src io.Reader) (io.Reader, error) {
	if len(s.identities) == 0 {
		return nil, errors.New("journal is locked")
	}
	r, err := age.Decrypt(src, s.identities...)
	if err != nil {
		return nil, s.openError(err)
	}
	return damagedReader{r}, nil
}

// OpenReaderAt opens a ciphertext of size bytes, read from src, for
// reading anywhere in it: each 64 KiB chunk is decrypted and authenticated
// as it is read (age keeps only the last one), so a large file is never
// held whole. It returns the plaintext, its size, and the file key that
// every chunk is authenticated under.
func (s *Sealer) OpenReaderAt(src io.ReaderAt, size int64) (io.ReaderAt, int64, []byte, error) {
	if len(s.identities) == 0 {
		return nil, 0, nil, errors.New("journal is locked")
	}
	c := &capturingIdentity{ids: s.identities}
	r, n, err := age.DecryptReaderAt(src, size, c)
	if err != nil {
		return nil, 0, nil, s.openError(err)
	}
	return r, n, c.key, nil
}

// openError says why a file did not open: the unlock agent failing, a
// file sealed to another key, or damage.
func (s *Sealer) openError(err error) error {
	if errors.Is(err, ErrRemote) {
		return err
	}
	var noMatch *age.NoIdentityMatchError
	if errors.As(err, &noMatch) && !s.own {
		return ErrWrongIdentity
	}
	if errors.As(err, &noMatch) {
		return fmt.Errorf("%w: it is not sealed to the journal's key", ErrDamaged)
	}
	return ErrDamaged
}

type damagedReader struct{ r io.Reader }

func (d damagedReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		err = ErrDamaged
	}
	return n, err
}

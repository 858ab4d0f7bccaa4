package crypto

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
)

// Recipients are the people a file is encrypted to for handing over: the
// age recipients of a defence adviser or an officer, not the journal's own.
type Recipients struct {
	rs []age.Recipient
}

// ParseRecipientList reads age recipients (age1... or age1pq1...), one a
// line, as in an age recipients file: blank lines and lines starting with
// "#" are skipped. A single recipient string is a list of one.
func ParseRecipientList(r io.Reader) (*Recipients, error) {
	rs, err := age.ParseRecipients(r)
	if err != nil {
		return nil, fmt.Errorf("not age recipients: %w", err)
	}
	return &Recipients{rs: rs}, nil
}

// Len is the number of recipients.
func (r *Recipients) Len() int { return len(r.rs) }

// Encrypt returns plaintext encrypted as one age file that every recipient
// can decrypt. Post-quantum and classic recipients cannot be mixed.
func (r *Recipients) Encrypt(plaintext []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := r.EncryptStream(&buf)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, fmt.Errorf("encrypting: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("encrypting: %w", err)
	}
	return buf.Bytes(), nil
}

// EncryptStream returns a writer that encrypts what is written to it to
// the recipients, as one age file written to dst as it goes; Close
// finishes the file.
func (r *Recipients) EncryptStream(dst io.Writer) (io.WriteCloser, error) {
	if len(r.rs) == 0 {
		return nil, errors.New("no recipients to encrypt to")
	}
	w, err := age.Encrypt(dst, r.rs...)
	if err != nil {
		if strings.Contains(err.Error(), "incompatible") || strings.Contains(err.Error(), "label") {
			return nil, errors.New("post-quantum (age1pq1...) and classic (age1...) recipients cannot be mixed in one file")
		}
		return nil, fmt.Errorf("encrypting: %w", err)
	}
	return w, nil
}

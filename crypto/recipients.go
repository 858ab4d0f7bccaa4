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
	if len(r.rs) == 0 {
		return nil, errors.New("no recipients to encrypt to")
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r.rs...)
	if err != nil {
		if strings.Contains(err.Error(), "incompatible") || strings.Contains(err.Error(), "label") {
			return nil, errors.New("post-quantum (age1pq1...) and classic (age1...) recipients cannot be mixed in one file")
		}
		return nil, fmt.Errorf("encrypting: %w", err)
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, fmt.Errorf("encrypting: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("encrypting: %w", err)
	}
	return buf.Bytes(), nil
}

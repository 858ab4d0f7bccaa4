package crypto

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"filippo.io/age"
)

// WrapTo encrypts the identity to an age recipient (a recovery key, a
// hardware key): a standard age file, so that `age -d -i KEY` gives the
// identity back without this program, and with it every record.
func WrapTo(id *Identity, recipient string) ([]byte, error) {
	r, err := parseRecipient(recipient)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		return nil, fmt.Errorf("wrapping the journal key: %w", err)
	}
	if _, err := io.WriteString(w, id.secret+"\n"); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// UnwrapWith decrypts an identity wrapped by [WrapTo] with any of the
// given identities. None of them opening it gives [ErrWrongIdentity].
func UnwrapWith(wrapped []byte, ids []*Identity) (*Identity, error) {
	var aids []age.Identity
	for _, id := range ids {
		aids = append(aids, id.id)
	}
	r, err := age.Decrypt(bytes.NewReader(wrapped), aids...)
	if err != nil {
		var noMatch *age.NoIdentityMatchError
		if errors.As(err, &noMatch) {
			return nil, ErrWrongIdentity
		}
		return nil, fmt.Errorf("%w: wrapped identity: %v", ErrDamaged, err)
	}
	data, err := io.ReadAll(io.LimitReader(r, 1<<16))
	if err != nil {
		return nil, fmt.Errorf("%w: wrapped identity: %v", ErrDamaged, err)
	}
	id, err := ParseIdentity(string(data))
	if err != nil {
		return nil, fmt.Errorf("%w: wrapped identity holds no key", ErrDamaged)
	}
	return id, nil
}

// Recipients are the age recipients the Sealer seals to, in text form.
func (s *Sealer) Recipients() []string { return s.texts }

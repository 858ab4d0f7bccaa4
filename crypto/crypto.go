// Package crypto holds the keys of a journal and seals its records with age.
//
// A journal has one age identity, made by [Generate] when the journal is
// created: by default the post-quantum hybrid identity of age 1.3
// (ML-KEM-768 with X25519), or a classic X25519 identity. The identity is
// kept wrapped with the user's passphrase ([Wrap], [Unwrap]) using age's
// scrypt recipient, so unlocking costs one scrypt per command, never one per
// record.
//
// Every record is a standard age ciphertext to the journal's recipients
// ([Sealer]): anyone holding the public recipients can add a record, only
// the identity can read one.
//
// This package imports nothing of the rest of the program.
package crypto

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
)

// ErrIncorrectPassphrase is returned by [Unwrap] when the passphrase does not
// open the wrapped identity.
var ErrIncorrectPassphrase = errors.New("incorrect passphrase")

// ErrWrongIdentity is returned when an identity does not belong to the
// journal it is used with.
var ErrWrongIdentity = errors.New("identity does not unlock this journal")

// ErrDamaged is returned when a ciphertext does not authenticate: it was
// altered, truncated or is not an age file at all. Its words are the
// whole message: what age says failed inside is for programmers.
var ErrDamaged = errors.New("ciphertext does not authenticate")

// scryptWorkFactor is the work factor used by [Wrap]; zero means age's
// default. Only tests change it, through [TestUseLowScryptWorkFactor].
var scryptWorkFactor int

// TestUseLowScryptWorkFactor makes [Wrap] use a cheap scrypt work factor so
// that tests do not spend a second and 256 MiB on every unlock. It is for
// tests only: a journal wrapped this way is easy to brute-force.
func TestUseLowScryptWorkFactor() { scryptWorkFactor = 10 }

// Identity is a journal's secret key and the recipient that goes with it.
type Identity struct {
	id        age.Identity
	recipient string
	secret    string
	// cacheSecret is set for an identity held by another process,
	// whose secret is not known here.
	cacheSecret []byte
}

// Generate makes a new journal identity: post-quantum hybrid unless classic
// is set, then X25519.
func Generate(classic bool) (*Identity, error) {
	if classic {
		k, err := age.GenerateX25519Identity()
		if err != nil {
			return nil, fmt.Errorf("generating identity: %w", err)
		}
		return &Identity{id: k, recipient: k.Recipient().String(), secret: k.String()}, nil
	}
	k, err := age.GenerateHybridIdentity()
	if err != nil {
		return nil, fmt.Errorf("generating identity: %w", err)
	}
	return &Identity{id: k, recipient: k.Recipient().String(), secret: k.String()}, nil
}

// ParseIdentity reads one identity in age's text form (AGE-SECRET-KEY-1...
// or AGE-SECRET-KEY-PQ-1...).
func ParseIdentity(s string) (*Identity, error) {
	s = strings.TrimSpace(s)
	if k, err := age.ParseHybridIdentity(s); err == nil {
		return &Identity{id: k, recipient: k.Recipient().String(), secret: k.String()}, nil
	}
	if k, err := age.ParseX25519Identity(s); err == nil {
		return &Identity{id: k, recipient: k.Recipient().String(), secret: k.String()}, nil
	}
	return nil, errors.New("not an age identity")
}

// ParseIdentityFile reads an age identity file (comments and blank lines
// allowed) and returns every identity in it.
func ParseIdentityFile(r io.Reader) ([]*Identity, error) {
	data, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, err
	}
	var ids []*Identity
	for line := range strings.SplitSeq(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, err := ParseIdentity(line)
		if err != nil && strings.HasPrefix(line, "AGE-PLUGIN-") {
			id, err = parsePluginIdentity(line)
		}
		if err != nil {
			return nil, errors.New("not an age identity file")
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, errors.New("no identity in file")
	}
	return ids, nil
}

// Recipient is the public recipient of the identity, in age's text form.
func (i *Identity) Recipient() string { return i.recipient }

// String returns the secret key in age's text form. Handle with care.
func (i *Identity) String() string { return i.secret }

// Classic reports whether the identity is an X25519 one.
func (i *Identity) Classic() bool {
	_, ok := i.id.(*age.X25519Identity)
	return ok
}

// Wrap encrypts the identity with the passphrase, as an age file with one
// scrypt stanza.
func Wrap(id *Identity, passphrase string) ([]byte, error) {
	if passphrase == "" {
		return nil, errors.New("empty passphrase")
	}
	if id.Remote() {
		return nil, errors.New("the key is held by the unlock agent, which never gives it out")
	}
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, err
	}
	if scryptWorkFactor != 0 {
		r.SetWorkFactor(scryptWorkFactor)
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		return nil, fmt.Errorf("wrapping identity: %w", err)
	}
	if _, err := io.WriteString(w, id.secret+"\n"); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Unwrap decrypts an identity wrapped by [Wrap]. A passphrase that does not
// open it gives an error wrapping [ErrIncorrectPassphrase].
func Unwrap(wrapped []byte, passphrase string) (*Identity, error) {
	sid, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, ErrIncorrectPassphrase
	}
	r, err := age.Decrypt(bytes.NewReader(wrapped), sid)
	if err != nil {
		var noMatch *age.NoIdentityMatchError
		if errors.As(err, &noMatch) || errors.Is(err, age.ErrIncorrectIdentity) {
			return nil, ErrIncorrectPassphrase
		}
		return nil, fmt.Errorf("%w: wrapped identity: %v", ErrDamaged, err)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w: wrapped identity: %v", ErrDamaged, err)
	}
	id, err := ParseIdentity(string(data))
	if err != nil {
		return nil, fmt.Errorf("%w: wrapped identity holds no key", ErrDamaged)
	}
	return id, nil
}

// ParseRecipient parses one age recipient (age1..., age1pq1...) and reports
// whether it is a classic one. Post-quantum and classic recipients cannot
// be mixed in one age file.
func ParseRecipient(s string) (classic bool, err error) {
	s = strings.TrimSpace(s)
	if _, err := age.ParseHybridRecipient(s); err == nil {
		return false, nil
	}
	if _, err := age.ParseX25519Recipient(s); err == nil {
		return true, nil
	}
	rs, err := age.ParseRecipients(strings.NewReader(s))
	if err == nil && len(rs) == 1 {
		return true, nil
	}
	// A plugin's recipient (a hardware key) is taken as classic: what it
	// does inside is not known until its program runs.
	if IsPluginRecipient(s) {
		return true, nil
	}
	return false, fmt.Errorf("%q is not an age recipient", s)
}

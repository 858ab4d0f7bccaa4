package crypto

import (
	"crypto/hkdf"
	"crypto/sha256"
	"errors"

	"filippo.io/age"
)

// Stanza is one recipient stanza of an age header: what an identity
// unwraps to get a file's key.
type Stanza = age.Stanza

// ErrNotMine is returned by an unwrap function when no stanza is for its
// identity.
var ErrNotMine = age.ErrIncorrectIdentity

// Unwrap returns the file key that one of stanzas wraps to the identity,
// or ErrNotMine. It is what a process holding the identity (the unlock
// agent) does for others, so that they never hold the identity itself.
func (i *Identity) Unwrap(stanzas []*Stanza) ([]byte, error) {
	return i.id.Unwrap(stanzas)
}

// CacheSecret returns the 32-byte secret derived from the identity that
// marks the journal's cache as its holder's (see [Sealer.CacheSecret]).
func (i *Identity) CacheSecret() []byte {
	if i.cacheSecret != nil {
		return i.cacheSecret
	}
	key, err := hkdf.Key(sha256.New, []byte(i.secret), nil, "journal cache secret v1", 32)
	if err != nil {
		return nil
	}
	return key
}

// Remote reports whether the identity is held by another process: it
// can open the journal, but its secret cannot be written or re-wrapped.
func (i *Identity) Remote() bool { return i.secret == "" }

// NewRemoteIdentity returns an identity held by another process: the
// recipient it answers for, its cache secret, and a function that asks
// that process to unwrap a file key.
func NewRemoteIdentity(recipient string, cacheSecret []byte, unwrap func([]*Stanza) ([]byte, error)) (*Identity, error) {
	if len(cacheSecret) < 16 {
		return nil, errors.New("the cache secret is too short")
	}
	return &Identity{id: remoteIdentity(unwrap), recipient: recipient, cacheSecret: cacheSecret}, nil
}

// remoteIdentity is an age identity whose unwrapping is done elsewhere.
type remoteIdentity func([]*Stanza) ([]byte, error)

func (r remoteIdentity) Unwrap(stanzas []*Stanza) ([]byte, error) { return r(stanzas) }

// ErrRemote is returned when the process holding an identity stopped
// answering: it ended, or was killed, in the middle of a command. It says
// nothing about the data being opened (see [remoteError.KeyUnavailable]).
var ErrRemote error = remoteError{}

type remoteError struct{}

func (remoteError) Error() string { return "the unlock agent stopped answering" }

// KeyUnavailable marks the error as one of the key's holder, not of the
// ciphertext: the journal package then does not take a cache or a record
// for damaged.
func (remoteError) KeyUnavailable() bool { return true }

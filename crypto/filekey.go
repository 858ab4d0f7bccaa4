package crypto

import (
	"bytes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"

	"filippo.io/age"
	"golang.org/x/crypto/chacha20poly1305"
)

// Every age file is encrypted with a random 16-byte file key, which its
// header wraps to each recipient; unwrapping it is the public-key work
// (about 0.2 ms with a post-quantum key). Given the file key, opening is
// symmetric work only: the header's MAC under that key is checked, then
// the payload decrypted and authenticated. The journal keeps each record's
// file key in its cache, sealed to its own key, so that reading the whole
// log again (verify, a rebuilt cache, the first read after an import)
// does not unwrap every record one by one.
//
// A file key that opens a file this way is the one its header was made
// with: the header's MAC, which covers the stanzas, cannot be made to
// match under another key without knowing it. A forged or wrong file key
// therefore never opens anything; it only fails, and the caller falls
// back to the identity.

// FileKeySize is the size of an age file key.
const FileKeySize = 16

// OpenKeyed opens ciphertext as [Sealer.Open] does and also returns its
// file key.
func (s *Sealer) OpenKeyed(ciphertext []byte) (plaintext, fileKey []byte, err error) {
	if len(s.identities) == 0 {
		return nil, nil, errors.New("journal is locked")
	}
	c := &capturingIdentity{ids: s.identities}
	plaintext, err = s.openWith(ciphertext, c)
	if err != nil {
		return nil, nil, err
	}
	return plaintext, c.key, nil
}

// OpenWithKey opens ciphertext with its file key, without any identity.
// A key that is not the file's own fails with ErrDamaged.
func (s *Sealer) OpenWithKey(ciphertext, fileKey []byte) ([]byte, error) {
	if len(fileKey) != FileKeySize {
		return nil, fmt.Errorf("%w: a file key is %d bytes", ErrDamaged, FileKeySize)
	}
	if plain, ok := openWithKeyFast(ciphertext, fileKey); ok {
		return plain, nil
	}
	// Anything the fast path does not take is judged by age itself.
	return s.openWith(ciphertext, fixedKey(fileKey))
}

// openWithKeyFast opens an age file with its file key, as age does but
// with one buffer: the header's MAC under the key must match, then every
// chunk of the payload must authenticate. It returns false for anything
// else, which is then left to age. (age's reader allocates a 64 KiB chunk
// buffer for every file; for a journal of small records, that garbage is
// most of the cost of reading them again.)
func openWithKeyFast(ct, fileKey []byte) ([]byte, bool) {
	const intro = "age-encryption.org/v1\n"
	if !bytes.HasPrefix(ct, []byte(intro)) {
		return nil, false
	}
	end := bytes.Index(ct, []byte("\n--- "))
	if end < 0 {
		return nil, false
	}
	macAt := end + len("\n--- ")
	nl := bytes.IndexByte(ct[macAt:], '\n')
	if nl != 43 { // 32 bytes, base64 without padding
		return nil, false
	}
	var mac [32]byte
	if n, err := base64.RawStdEncoding.Strict().Decode(mac[:], ct[macAt:macAt+nl]); err != nil || n != 32 {
		return nil, false
	}
	hk, err := hkdf.Key(sha256.New, fileKey, nil, "header", 32)
	if err != nil {
		return nil, false
	}
	h := hmac.New(sha256.New, hk)
	h.Write(ct[:end+len("\n---")])
	if !hmac.Equal(h.Sum(nil), mac[:]) {
		return nil, false
	}
	payload := ct[macAt+nl+1:]
	if len(payload) < streamNonceSize+chacha20poly1305.Overhead {
		return nil, false
	}
	nonce, payload := payload[:streamNonceSize], payload[streamNonceSize:]
	sk, err := hkdf.Key(sha256.New, fileKey, nonce, "payload", chacha20poly1305.KeySize)
	if err != nil {
		return nil, false
	}
	aead, err := chacha20poly1305.New(sk)
	if err != nil {
		return nil, false
	}
	out := make([]byte, 0, len(payload))
	var counter [chacha20poly1305.NonceSize]byte
	for first := true; ; first = false {
		size := min(len(payload), streamChunkSize+chacha20poly1305.Overhead)
		last := size == len(payload)
		if last {
			counter[len(counter)-1] = 1
		}
		before := len(out)
		if out, err = aead.Open(out, counter[:], payload[:size], nil); err != nil {
			return nil, false
		}
		// Only a file's single chunk may be empty.
		if last && len(out) == before && !first {
			return nil, false
		}
		payload = payload[size:]
		if last {
			return out, true
		}
		for i := len(counter) - 2; i >= 0; i-- {
			counter[i]++
			if counter[i] != 0 {
				break
			}
		}
	}
}

// The age payload: a 16-byte nonce, then chunks of 64 KiB of plaintext.
const (
	streamNonceSize = 16
	streamChunkSize = 64 << 10
)

func (s *Sealer) openWith(ciphertext []byte, id age.Identity) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(ciphertext), id)
	if err != nil {
		return nil, s.openError(err)
	}
	buf := bytes.NewBuffer(make([]byte, 0, len(ciphertext)))
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, ErrDamaged
	}
	return buf.Bytes(), nil
}

// SealKeyed seals plaintext as [Sealer.Seal] does and also returns the
// file key it was sealed with.
func (s *Sealer) SealKeyed(plaintext []byte) (ciphertext, fileKey []byte, err error) {
	if len(s.recipients) == 0 {
		return nil, nil, errors.New("no recipients to seal to")
	}
	c := &capturingRecipient{rs: s.recipients}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, c)
	if err != nil {
		return nil, nil, fmt.Errorf("sealing: %w", err)
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, nil, fmt.Errorf("sealing: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, nil, fmt.Errorf("sealing: %w", err)
	}
	return buf.Bytes(), c.key, nil
}

// SealStreamKeyed returns a writer that seals to the recipients as
// [Sealer.SealStream] does, and the file key the stream is sealed with,
// known before anything is written.
func (s *Sealer) SealStreamKeyed(dst io.Writer) (w io.WriteCloser, fileKey []byte, err error) {
	if len(s.recipients) == 0 {
		return nil, nil, errors.New("no recipients to seal to")
	}
	c := &capturingRecipient{rs: s.recipients}
	if w, err = age.Encrypt(dst, c); err != nil {
		return nil, nil, fmt.Errorf("sealing: %w", err)
	}
	return w, c.key, nil
}

// SealToOwn seals plaintext to the journal's own recipient only (the
// first), never to a recovery key or any other recipient: for what only
// the journal's own key may read, such as the file keys of its records.
func (s *Sealer) SealToOwn(plaintext []byte) ([]byte, error) {
	if len(s.recipients) == 0 {
		return nil, errors.New("no recipients to seal to")
	}
	own := &Sealer{recipients: s.recipients[:1]}
	return own.Seal(plaintext)
}

// fixedKey is an identity that knows one file key.
type fixedKey []byte

func (k fixedKey) Unwrap([]*age.Stanza) ([]byte, error) { return bytes.Clone(k), nil }

// capturingIdentity unwraps with each of ids in turn, as age.Decrypt does,
// and remembers the file key.
type capturingIdentity struct {
	ids []age.Identity
	key []byte
}

func (c *capturingIdentity) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	for _, id := range c.ids {
		key, err := id.Unwrap(stanzas)
		if errors.Is(err, age.ErrIncorrectIdentity) {
			continue
		}
		if err != nil {
			return nil, err
		}
		c.key = bytes.Clone(key)
		return key, nil
	}
	return nil, age.ErrIncorrectIdentity
}

// capturingRecipient wraps the file key to each of rs, keeping their
// labels (so that post-quantum and classic keys still cannot be mixed),
// and remembers it.
type capturingRecipient struct {
	rs  []age.Recipient
	key []byte
}

func (c *capturingRecipient) Wrap(fileKey []byte) ([]*age.Stanza, error) {
	s, _, err := c.WrapWithLabels(fileKey)
	return s, err
}

func (c *capturingRecipient) WrapWithLabels(fileKey []byte) ([]*age.Stanza, []string, error) {
	c.key = bytes.Clone(fileKey)
	var all []*age.Stanza
	var labels []string
	for i, r := range c.rs {
		var s []*age.Stanza
		var l []string
		var err error
		if rl, ok := r.(age.RecipientWithLabels); ok {
			s, l, err = rl.WrapWithLabels(fileKey)
		} else {
			s, err = r.Wrap(fileKey)
		}
		if err != nil {
			return nil, nil, err
		}
		if i == 0 {
			labels = l
		} else if !sameLabels(labels, l) {
			return nil, nil, errors.New("incompatible recipients: post-quantum and classic recipients cannot be mixed")
		}
		all = append(all, s...)
	}
	return all, labels, nil
}

func sameLabels(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		found := false
		for _, y := range b {
			found = found || x == y
		}
		if !found {
			return false
		}
	}
	return true
}

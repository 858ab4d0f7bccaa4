package journal

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/journal-dev/journal/internal/edkey"
)

// Format version 2 signs every record. Its envelope:
//
//	0x02 | journal id (16) | device public key (32) | place (8) | previous hash (32)
//	     | manifest statement number (8) | manifest statement hash (32)
//	     | count of heads seen (2) | each: device key (32), place (8), hash (32)
//	     | age ciphertext | Ed25519 signature (64)
//
// The device signs everything before the signature, prefixed with
// recordSigDomain. A device's first record has the previous hash
// [DeviceGenesis]; the place counts the device's records from 1.

const (
	envelopeV2      = 2
	journalIDLen    = 16
	v2HeaderLen     = 1 + journalIDLen + ed25519.PublicKeySize + 8 + 32 + 8 + 32 + 2
	seenLen         = ed25519.PublicKeySize + 8 + 32
	recordSigDomain = "journal record v2\x00"
	recordHashV2    = "journal record hash v2\x00"
	deviceGenesisV2 = "journal device genesis v2\x00"
)

// ChainRef names one link of a chain: its number (a statement of the
// manifest, a place in a device's chain, a record of a version 1 log) and
// its hash.
type ChainRef struct {
	N    uint64
	Hash [32]byte
}

// SeenHead is the newest record of another device's chain that a device
// had when it signed a record.
type SeenHead struct {
	Device ed25519.PublicKey
	Place  uint64
	Hash   [32]byte
}

// DeviceGenesis is the previous hash of a device's first record, bound to
// the journal and the device.
func DeviceGenesis(journalID []byte, device ed25519.PublicKey) [32]byte {
	h := sha256.New()
	h.Write([]byte(deviceGenesisV2))
	h.Write(journalID)
	h.Write(device)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// signedPart is the stored form of a version 2 envelope without its
// signature.
func (e *Envelope) signedPart() []byte {
	b := make([]byte, 0, v2HeaderLen+len(e.Seen)*seenLen+len(e.Ciphertext)+ed25519.SignatureSize)
	b = append(b, envelopeV2)
	b = append(b, e.Journal...)
	b = append(b, e.Device...)
	b = binary.BigEndian.AppendUint64(b, e.Place)
	b = append(b, e.Prev[:]...)
	b = binary.BigEndian.AppendUint64(b, e.Manifest.N)
	b = append(b, e.Manifest.Hash[:]...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(e.Seen)))
	for _, s := range e.Seen {
		b = append(b, s.Device...)
		b = binary.BigEndian.AppendUint64(b, s.Place)
		b = append(b, s.Hash[:]...)
	}
	return append(b, e.Ciphertext...)
}

// Sign signs a version 2 envelope with a device key, which becomes its
// device.
func (e *Envelope) Sign(key ed25519.PrivateKey) {
	e.Version = envelopeV2
	e.Device = key.Public().(ed25519.PublicKey)
	e.Signature = edkey.Sign(key, append([]byte(recordSigDomain), e.signedPart()...))
}

// SignatureValid reports whether a version 2 envelope is signed by its
// device.
func (e *Envelope) SignatureValid() bool {
	return e.Version == envelopeV2 && len(e.Device) == ed25519.PublicKeySize &&
		edkey.Verify(e.Device, append([]byte(recordSigDomain), e.signedPart()...), e.Signature)
}

func decodeEnvelopeV2(b []byte) (*Envelope, error) {
	if len(b) < v2HeaderLen+1+ed25519.SignatureSize {
		return nil, errors.New("envelope too short")
	}
	e := &Envelope{Version: envelopeV2}
	p := b[1:]
	e.Journal, p = bytes.Clone(p[:journalIDLen]), p[journalIDLen:]
	e.Device, p = bytes.Clone(p[:ed25519.PublicKeySize]), p[ed25519.PublicKeySize:]
	e.Place, p = binary.BigEndian.Uint64(p), p[8:]
	copy(e.Prev[:], p)
	p = p[32:]
	e.Manifest.N, p = binary.BigEndian.Uint64(p), p[8:]
	copy(e.Manifest.Hash[:], p)
	p = p[32:]
	n := int(binary.BigEndian.Uint16(p))
	p = p[2:]
	if len(p) < n*seenLen+1+ed25519.SignatureSize {
		return nil, errors.New("envelope too short for the heads it names")
	}
	for range n {
		s := SeenHead{Device: bytes.Clone(p[:ed25519.PublicKeySize])}
		p = p[ed25519.PublicKeySize:]
		s.Place, p = binary.BigEndian.Uint64(p), p[8:]
		copy(s.Hash[:], p)
		p = p[32:]
		e.Seen = append(e.Seen, s)
	}
	cut := len(p) - ed25519.SignatureSize
	e.Ciphertext = bytes.Clone(p[:cut])
	e.Signature = bytes.Clone(p[cut:])
	if e.Place == 0 {
		return nil, errors.New("envelope names place 0")
	}
	return e, nil
}

// hashV2 is the chain hash of a version 2 record: its whole stored form,
// signature included. Its place and previous hash are inside.
func hashV2(stored []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte(recordHashV2))
	h.Write(stored)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// checkInner checks that the copy of the envelope's links kept inside the
// ciphertext is the one outside: the journal, the device, the place and
// the previous hash.
func checkInner(e *Envelope, r *Record) error {
	r.seen = e.Seen // for concurrent amendments (versions.go)
	if e.Version != envelopeV2 {
		if r.Journal != "" || r.Device != "" || r.Place != 0 || r.Prev != "" {
			return errors.New("it is an unsigned record that claims a place in a device's chain")
		}
		return nil
	}
	switch {
	case r.Journal != hex.EncodeToString(e.Journal):
		return errors.New("its encrypted copy names another journal: it was moved here from elsewhere")
	case r.Device != DeviceName(e.Device):
		return errors.New("its encrypted copy names another device than its signature")
	case r.Place != e.Place || r.Prev != hex.EncodeToString(e.Prev[:]):
		return fmt.Errorf("its encrypted copy says place %d of its device, with another previous record: it was moved or re-chained", r.Place)
	}
	return nil
}

// DeviceName is the text form of a device's public key, as records and
// the manifest name it.
func DeviceName(pub ed25519.PublicKey) string {
	return base64.RawStdEncoding.EncodeToString(pub)
}

// ParseDeviceName reads the text form of a device's public key.
func ParseDeviceName(s string) (ed25519.PublicKey, error) {
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%q is not a device key", s)
	}
	return ed25519.PublicKey(b), nil
}

package journal

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// RecordType says what a record does.
type RecordType string

// The record types. The log only ever grows: a correction is an amendment
// record, a withdrawal a void record, never an edit.
const (
	TypeIncident   RecordType = "incident"
	TypeAmendment  RecordType = "amendment"
	TypeVoid       RecordType = "void"
	TypeAttachment RecordType = "attachment"
	TypeCheckpoint RecordType = "checkpoint"
	TypeDisclosure RecordType = "disclosure"
	// TypeStamp keeps a timestamp authority's token for a chain head.
	TypeStamp RecordType = "stamp"
	// TypeWitness keeps a checkpoint countersigned by a witness.
	TypeWitness RecordType = "witness"
)

// general reports whether a record of this type is about the journal as a
// whole rather than one incident.
func (t RecordType) general() bool {
	return t == TypeCheckpoint || t == TypeDisclosure || t == TypeStamp || t == TypeWitness
}

// Record is the plaintext of one entry of the log. It is sealed as a whole
// into the envelope's ciphertext; nothing of it is stored in the clear.
type Record struct {
	Type       RecordType `json:"type"`
	RecordedAt time.Time  `json:"recorded_at"`
	// Incident is the number of the incident the record is about. For an
	// incident record the store assigns it when the record is appended.
	Incident uint64 `json:"incident,omitempty"`
	// Fields are the first version (incident) or the new one (amendment).
	Fields *Fields `json:"fields,omitempty"`
	// Changed names the fields an amendment changed.
	Changed []Field `json:"changed,omitempty"`
	// Reason says why an amendment or a void was made.
	Reason string `json:"reason,omitempty"`
	// Imported marks an incident brought in by an import.
	Imported bool `json:"imported,omitempty"`
	// Import is the number of the import an incident came in with, or
	// that a void undoes ('journal void --import'); 0 for none.
	Import uint64 `json:"import,omitempty"`
	// ImportKey is the digest of the row or item an imported incident was
	// made of ([ImportDigest]), so that importing it again skips it.
	ImportKey  string      `json:"import_key,omitempty"`
	Attachment *Attachment `json:"attachment,omitempty"`
	Checkpoint *Checkpoint `json:"checkpoint,omitempty"`
	Disclosure *Disclosure `json:"disclosure,omitempty"`
	Stamp      *Stamp      `json:"stamp,omitempty"`
	Witness    *Cosigned   `json:"witness,omitempty"`

	// A signed record (format version 2) repeats inside its ciphertext
	// what its envelope says outside: the journal (hex), the device that
	// signed it ([DeviceName]), its place in that device's chain and the
	// previous record's hash (hex). The store fills them in.
	Journal string `json:"journal,omitempty"`
	Device  string `json:"device,omitempty"`
	Place   uint64 `json:"place,omitempty"`
	Prev    string `json:"prev,omitempty"`

	// seen is the envelope's causal past (other devices' newest records
	// when it was signed), for telling concurrent amendments apart.
	seen []SeenHead
	// coversOther is set by the loader on a stamp record whose list of
	// covered records names one this log does not hold before it
	// ([Store.heldHere]): it proves nothing here.
	coversOther bool
}

// Checkpoint records that the user took the fingerprint of the log up to,
// and including, record Seq, to give it to someone.
type Checkpoint struct {
	Seq         uint64 `json:"seq"`
	Fingerprint string `json:"fingerprint"`
	Note        string `json:"note,omitempty"`
}

// Disclosure records that a report left the journal.
type Disclosure struct {
	Format    string   `json:"format"`
	For       string   `json:"for"`
	Filters   []string `json:"filters"`
	SHA256    string   `json:"sha256"`
	Size      int64    `json:"size"`
	Redacted  bool     `json:"redacted"`
	Encrypted bool     `json:"encrypted"`
	// Incidents are the numbers of the incidents the report showed,
	// held as ranges, written in JSON as a list of numbers.
	Incidents   IncidentSet `json:"incidents"`
	Fingerprint string      `json:"fingerprint"`
	// Exhibits are the exhibit marks the report gave the evidence files,
	// kept so that later reports give each file the same mark.
	Exhibits []Exhibit `json:"exhibits,omitempty"`
}

// Exhibit is the mark a report gave one evidence file ("SJ/1"), which
// every later report keeps.
type Exhibit struct {
	Incident uint64 `json:"incident"`
	SHA256   string `json:"sha256"`
	Mark     string `json:"mark"`
}

// EncodeRecord returns the plaintext form of a record.
func EncodeRecord(r *Record) ([]byte, error) {
	return json.Marshal(recordForWriting(r))
}

// DecodeRecord reads the plaintext form of a record and checks that it is
// whole: a known type with the parts that type needs.
func DecodeRecord(data []byte) (*Record, error) {
	var r Record
	dec := json.NewDecoder(bytes.NewReader(data))
	rj := recordForReading(&r)
	if err := dec.Decode(rj); err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	if dec.More() {
		return nil, errors.New("record: trailing data")
	}
	if err := rj.finish(); err != nil {
		return nil, err
	}
	if r.RecordedAt.IsZero() {
		return nil, errors.New("record: no time recorded")
	}
	ok := false
	switch r.Type {
	case TypeIncident:
		ok = r.Fields != nil && r.Incident != 0
	case TypeAmendment:
		ok = r.Fields != nil && r.Incident != 0
	case TypeVoid:
		ok = r.Incident != 0
	case TypeAttachment:
		ok = r.Attachment != nil && r.Incident != 0
	case TypeCheckpoint:
		ok = r.Checkpoint != nil
	case TypeDisclosure:
		ok = r.Disclosure != nil
	case TypeStamp:
		ok = r.Stamp != nil && r.Stamp.Seq != 0 && len(r.Stamp.Reply) != 0
	case TypeWitness:
		ok = r.Witness != nil && r.Witness.Seq != 0 && len(r.Witness.Note) != 0
	default:
		return nil, fmt.Errorf("record: unknown type %q", r.Type)
	}
	if !ok {
		return nil, fmt.Errorf("record: %s record is incomplete", r.Type)
	}
	return &r, nil
}

// envelopeVersion is the first byte of every envelope.
const envelopeVersion = 1

// Envelope is a record as stored: the hash of the record before it and the
// age ciphertext of its plaintext. It is all the log keeps in the clear.
//
// A version 1 envelope holds only those two. A version 2 envelope (see
// signed.go) also names its journal, the device that signed it, its place
// in that device's chain and the manifest the device had, and carries the
// device's signature.
type Envelope struct {
	// Version is 1 or 2; 0 stands for 1.
	Version    byte
	Prev       [32]byte
	Ciphertext []byte

	Journal   []byte
	Device    ed25519.PublicKey
	Place     uint64
	Manifest  ChainRef
	Seen      []SeenHead
	Signature []byte
}

// Signed reports whether the envelope is a signed, version 2 one.
func (e *Envelope) Signed() bool { return e.Version == envelopeV2 }

// Encode returns the stored form: for version 1, a version byte, the
// previous hash, the ciphertext.
func (e *Envelope) Encode() []byte {
	if e.Version == envelopeV2 {
		return append(e.signedPart(), e.Signature...)
	}
	b := make([]byte, 0, 1+32+len(e.Ciphertext))
	b = append(b, envelopeVersion)
	b = append(b, e.Prev[:]...)
	return append(b, e.Ciphertext...)
}

// DecodeEnvelope reads the stored form of a record. The ciphertext is a
// copy, safe to keep after a transaction ends.
func DecodeEnvelope(b []byte) (*Envelope, error) {
	if len(b) > 0 && b[0] == envelopeV2 {
		return decodeEnvelopeV2(b)
	}
	if len(b) < 1+32+1 {
		return nil, errors.New("envelope too short")
	}
	if b[0] != envelopeVersion {
		return nil, fmt.Errorf("unknown envelope version %d", b[0])
	}
	e := &Envelope{Version: envelopeVersion, Ciphertext: bytes.Clone(b[33:])}
	copy(e.Prev[:], b[1:33])
	return e, nil
}

// Hash is the SHA-256 that links a record to the next one. It covers the
// record's position and its whole stored form, so removing, reordering or
// changing any record breaks the chain after it. A signed (version 2)
// record carries its place inside, so its hash is of the stored form alone.
func Hash(seq uint64, stored []byte) [32]byte {
	if len(stored) > 0 && stored[0] == envelopeV2 {
		return hashV2(stored)
	}
	h := sha256.New()
	h.Write([]byte("journal record v1\x00"))
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], seq)
	h.Write(n[:])
	h.Write(stored)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// genesis is the "previous hash" of a journal's first record, bound to the
// journal's random identifier.
func genesis(journalID []byte) [32]byte {
	return sha256.Sum256(append([]byte("journal genesis v1\x00"), journalID...))
}

var fingerprintEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Fingerprint renders a chain hash as six groups of four letters and digits
// that a person can read over the phone: 120 bits of the hash.
func Fingerprint(h [32]byte) string {
	s := strings.ToLower(fingerprintEncoding.EncodeToString(h[:15]))
	groups := make([]string, 0, 6)
	for i := 0; i < len(s); i += 4 {
		groups = append(groups, s[i:i+4])
	}
	return strings.Join(groups, "-")
}

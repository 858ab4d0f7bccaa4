package journal

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/journal-dev/journal/internal/edkey"
	bolt "go.etcd.io/bbolt"
)

// The manifest is a short chain of statements signed by the journal's
// owner key: the age recipient that records are sealed to, and the devices
// that may add them. Each statement is a whole snapshot, signed by the
// owner named in the statement before it (the first by its own), and names
// the hash of the one before it. Stored, a statement is
//
//	0x02 | Ed25519 signature (64) | JSON body
//
// with the signature over manifestSigDomain and the body.

const (
	statementVersion  = 2
	manifestSigDomain = "journal manifest v2\x00"
	manifestHashV2    = "journal manifest hash v2\x00"
)

var bucketManifest = []byte("manifest")

// Statement is one owner-signed statement of the manifest.
type Statement struct {
	// Journal is the journal's identifier, in hex.
	Journal string `json:"journal"`
	// N counts the statements from 1; Prev is the hex hash of statement
	// N-1, empty for the first.
	N    uint64    `json:"n"`
	Prev string    `json:"prev"`
	At   time.Time `json:"at"`
	// Owner is the owner's public key ([DeviceName] form) from this
	// statement on: it signs the next statement.
	Owner string `json:"owner"`
	// Recipient is the age recipient every record is sealed to.
	Recipient string        `json:"recipient"`
	Devices   []DeviceEntry `json:"devices"`
	// Change says in words what this statement changed.
	Change string `json:"change"`
	// V1Head is the last record of a version 1 log that was upgraded.
	V1Head *HeadJSON `json:"v1_head,omitempty"`
	// Merges are the hex hashes of the statements, made at the same time
	// on other computers, that this one joins to the one it follows (see
	// manifestmerge.go).
	Merges []string `json:"merges,omitempty"`
}

// DeviceEntry is a device the owner enrolled.
type DeviceEntry struct {
	Key        string     `json:"key"`
	Name       string     `json:"name"`
	EnrolledAt time.Time  `json:"enrolled_at"`
	AddOnly    bool       `json:"add_only,omitempty"`
	RetiredAt  *time.Time `json:"retired_at,omitempty"`
	// Tag is the device's letter in incident numbers (see
	// [IncidentNumber]): 0 for the device that made the journal, then
	// one more for each device enrolled.
	Tag uint16 `json:"tag,omitempty"`
	// RetiredAfter is the newest record of a retired device that stands;
	// any later record of it is refused.
	RetiredAfter *HeadJSON `json:"retired_after,omitempty"`
	// AddressKey is, for a device that only adds, the journal's evidence
	// address key (see [BlobAddress]) sealed to the age recipient the
	// device asked with, in base64: it names evidence by its content
	// without being able to read any.
	AddressKey string `json:"address_key,omitempty"`
}

// HeadJSON is a [ChainRef] in JSON: a number and a hex hash.
type HeadJSON struct {
	N    uint64 `json:"n"`
	Hash string `json:"hash"`
}

// Ref returns the chain reference, or an error if the hash is not 32 hex
// bytes.
func (h *HeadJSON) Ref() (ChainRef, error) {
	var r ChainRef
	b, err := hex.DecodeString(h.Hash)
	if err != nil || len(b) != 32 {
		return r, errors.New("malformed hash")
	}
	r.N = h.N
	copy(r.Hash[:], b)
	return r, nil
}

// JSONRef returns a chain reference in its JSON form.
func JSONRef(r ChainRef) *HeadJSON {
	return &HeadJSON{N: r.N, Hash: hex.EncodeToString(r.Hash[:])}
}

// Device returns the enrolled device with the public key pub, if any.
func (st *Statement) Device(pub ed25519.PublicKey) *DeviceEntry {
	name := DeviceName(pub)
	for i := range st.Devices {
		if st.Devices[i].Key == name {
			return &st.Devices[i]
		}
	}
	return nil
}

// OwnerKey returns the statement's owner public key.
func (st *Statement) OwnerKey() (ed25519.PublicKey, error) {
	return ParseDeviceName(st.Owner)
}

// SignStatement returns the stored form of st signed by key, the owner
// named by the statement before it (or by st itself, for the first).
func SignStatement(key ed25519.PrivateKey, st *Statement) ([]byte, error) {
	body, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("encoding manifest statement: %w", err)
	}
	sig := edkey.Sign(key, append([]byte(manifestSigDomain), body...))
	out := append([]byte{statementVersion}, sig...)
	return append(out, body...), nil
}

// DecodeStatement reads a stored statement without checking its
// signature; it returns the statement and the signature.
func DecodeStatement(b []byte) (*Statement, []byte, error) {
	if len(b) < 1+ed25519.SignatureSize+2 {
		return nil, nil, errors.New("manifest statement too short")
	}
	if b[0] != statementVersion {
		return nil, nil, fmt.Errorf("unknown manifest statement version %d", b[0])
	}
	var st Statement
	dec := json.NewDecoder(bytes.NewReader(b[1+ed25519.SignatureSize:]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return nil, nil, fmt.Errorf("manifest statement: %w", err)
	}
	if dec.More() {
		return nil, nil, errors.New("manifest statement: trailing data")
	}
	if _, err := st.OwnerKey(); err != nil {
		return nil, nil, fmt.Errorf("manifest statement: owner: %w", err)
	}
	for _, d := range st.Devices {
		if _, err := ParseDeviceName(d.Key); err != nil {
			return nil, nil, fmt.Errorf("manifest statement: device: %w", err)
		}
	}
	return &st, bytes.Clone(b[1 : 1+ed25519.SignatureSize]), nil
}

func statementHash(stored []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte(manifestHashV2))
	h.Write(stored)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// Manifest is a journal's manifest, checked: every statement is signed by
// the owner before it and names the one before it.
type Manifest struct {
	// Statements are the main line: the statements as this journal
	// learnt of them, each following the one before.
	Statements []*Statement
	hashes     [][32]byte
	// others are statements made at the same time on other computers,
	// beside the main line; head is the manifest in force when there
	// are any (manifestmerge.go).
	others      []*Statement
	otherHashes [][32]byte
	head        *Statement
}

// Head is the manifest in force: the newest statement, or the union of
// statements made at the same time on several computers.
func (m *Manifest) Head() *Statement {
	if m.head != nil {
		return m.head
	}
	return m.Statements[len(m.Statements)-1]
}

// HeadRef is the number and hash of the main line's newest statement.
func (m *Manifest) HeadRef() ChainRef {
	return ChainRef{N: uint64(len(m.Statements)), Hash: m.hashes[len(m.hashes)-1]}
}

// Ref returns the number and hash of statement n, if there is one.
func (m *Manifest) Ref(n uint64) (ChainRef, bool) {
	if n == 0 || n > uint64(len(m.hashes)) {
		return ChainRef{}, false
	}
	return ChainRef{N: n, Hash: m.hashes[n-1]}, true
}

// Genesis is the first statement: it names the owner the journal began
// with.
func (m *Manifest) Genesis() *Statement { return m.Statements[0] }

// SignedBy reports whether the owner key named owner ([DeviceName] form)
// signed a statement of the main line: the first statement, if it names
// owner (it is signed by its own owner), or one that follows a statement
// naming owner. Each statement names the hash of the one before it, so
// such a statement vouches for every statement before it, the first
// included. A statement that only hands the journal to owner is signed
// by the owner before, and does not count: anyone can make a chain of
// their own that ends by naming owner.
func (m *Manifest) SignedBy(owner string) bool {
	for i, st := range m.Statements {
		if st.Owner == owner && (i == 0 || i+1 < len(m.Statements)) {
			return true
		}
	}
	return false
}

// ManifestError is a manifest that was changed without the owner's
// signature, or that does not hang together.
type ManifestError struct{ Reason string }

func (e *ManifestError) Error() string {
	return "the journal's recipients or devices were changed without the owner's signature: " + e.Reason
}

// verifiedStatements holds the stored statements whose signature this
// process has checked already, by the hash of the key and the statement.
// One command reads the manifest several times (the pin, the device, the
// store), and an Ed25519 check costs more than the rest of reading it.
var verifiedStatements sync.Map

// statementSigned reports whether sig, the signature of the stored
// statement v, whose body is body, is owner's.
func statementSigned(owner ed25519.PublicKey, v, body, sig []byte) bool {
	h := sha256.New()
	h.Write([]byte{byte(len(owner))})
	h.Write(owner)
	h.Write(v)
	var key [sha256.Size]byte
	h.Sum(key[:0])
	if _, ok := verifiedStatements.Load(key); ok {
		return true
	}
	if !edkey.Verify(owner, append([]byte(manifestSigDomain), body...), sig) {
		return false
	}
	verifiedStatements.Store(key, struct{}{})
	return true
}

// readManifest reads and checks the manifest in tx. A journal of format
// version 1 has none: it returns nil.
func readManifest(tx *bolt.Tx) (*Manifest, error) {
	b := tx.Bucket(bucketManifest)
	if b == nil {
		return nil, nil
	}
	id := hex.EncodeToString(tx.Bucket(bucketMeta).Get(keyID))
	var stored [][]byte
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		n := uint64(len(stored)) + 1
		if len(k) != 8 || binary.BigEndian.Uint64(k) != n {
			return nil, &ManifestError{Reason: fmt.Sprintf("statement %d is missing or out of place", n)}
		}
		stored = append(stored, v)
	}
	m, err := checkChain(id, stored)
	if err != nil {
		return nil, err
	}
	if err := readOthers(tx, m, id); err != nil {
		return nil, err
	}
	return m, nil
}

// CheckStatements checks the stored statements of the journal journalID,
// the first one first, as a journal file's manifest is checked: each
// signed by the owner the one before it names (the first by its own) and
// naming the one before it. It is for statements that are not in a
// journal file yet (a sync folder's, read by join); what it checks is
// that they hang together, not who began them: compare the genesis owner
// with the one this computer knows, when it knows one, and see
// [Manifest.SignedBy] for the owner key of the identity at hand.
func CheckStatements(journalID []byte, stored [][]byte) (*Manifest, error) {
	return checkChain(hex.EncodeToString(journalID), stored)
}

// checkChain checks the main line of a manifest, statement 1 first, for
// the journal whose identifier is id in hex.
func checkChain(id string, stored [][]byte) (*Manifest, error) {
	m := &Manifest{}
	var prevOwner ed25519.PublicKey
	for _, v := range stored {
		n := uint64(len(m.Statements)) + 1
		bad := func(format string, args ...any) error {
			return &ManifestError{Reason: fmt.Sprintf("statement %d ", n) + fmt.Sprintf(format, args...)}
		}
		st, sig, err := DecodeStatement(v)
		if err != nil {
			return nil, bad("cannot be read: %v", err)
		}
		owner, _ := st.OwnerKey()
		if prevOwner == nil {
			prevOwner = owner
		}
		body := v[1+ed25519.SignatureSize:]
		if !statementSigned(prevOwner, v, body, sig) {
			return nil, bad("is not signed by the journal's owner")
		}
		wantPrev := ""
		if n > 1 {
			wantPrev = hex.EncodeToString(m.hashes[n-2][:])
		}
		if st.N != n || st.Prev != wantPrev || st.Journal != id {
			return nil, bad("does not follow the statement before it")
		}
		m.Statements = append(m.Statements, st)
		m.hashes = append(m.hashes, statementHash(v))
		prevOwner = owner
	}
	if len(m.Statements) == 0 {
		return nil, &ManifestError{Reason: "the manifest is empty"}
	}
	return m, nil
}

// Manifest returns the journal's manifest, checked against the owner its
// first statement names, or nil for a journal of format version 1.
func (s *Store) Manifest() (m *Manifest, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		m, err = readManifest(tx)
		return err
	})
	return m, err
}

// AppendStatement signs st with the owner key and adds it to the
// manifest, after the statement the caller read (head): if the manifest
// moved on meanwhile, nothing is written. N, Prev, Journal and At are
// filled in.
func (s *Store) AppendStatement(owner ed25519.PrivateKey, head ChainRef, st *Statement) error {
	return s.update(func(tx *bolt.Tx) error {
		m, err := readManifest(tx)
		if err != nil {
			return err
		}
		if m == nil {
			return errors.New("this journal has no manifest: upgrade it first")
		}
		if m.HeadRef() != head {
			return errors.New("the journal's manifest changed meanwhile: try again")
		}
		cur, _ := m.Head().OwnerKey()
		if !cur.Equal(owner.Public()) {
			return errors.New("this key is not the journal's owner key")
		}
		st.Merges = m.mergeRefs()
		return putStatement(tx, owner, head, st)
	})
}

// putStatement signs and stores st after head.
func putStatement(tx *bolt.Tx, owner ed25519.PrivateKey, head ChainRef, st *Statement) error {
	_, err := putStatementRef(tx, owner, head, st)
	return err
}

// putStatementRef is putStatement, returning the stored statement's
// number and hash.
func putStatementRef(tx *bolt.Tx, owner ed25519.PrivateKey, head ChainRef, st *Statement) (ChainRef, error) {
	b, err := tx.CreateBucketIfNotExists(bucketManifest)
	if err != nil {
		return ChainRef{}, err
	}
	st.Journal = hex.EncodeToString(tx.Bucket(bucketMeta).Get(keyID))
	st.N = head.N + 1
	st.Prev = ""
	if head.N > 0 {
		st.Prev = hex.EncodeToString(head.Hash[:])
	}
	if st.Owner == "" {
		st.Owner = DeviceName(owner.Public().(ed25519.PublicKey))
	}
	stored, err := SignStatement(owner, st)
	if err != nil {
		return ChainRef{}, err
	}
	return ChainRef{N: st.N, Hash: statementHash(stored)}, b.Put(u64(st.N), stored)
}

// nowUTC is the time a statement is made, to the second.
func nowUTC() time.Time { return time.Now().UTC().Truncate(time.Second) }

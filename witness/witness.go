// Package witness writes and checks a journal's checkpoint as a small
// signed text file, and lets a person (a defence adviser) countersign it
// with the time: a witness.
//
// # The files
//
// A checkpoint file is a signed note in the C2SP signed-note format
// (golang.org/x/mod/sumdb/note), whose text follows C2SP tlog-checkpoint:
//
//	journal 3f9a...            origin: the journal's identifier
//	42                         how many records it covers
//	q1w2e3...=                 the chain hash at that record, base64
//	key journal-3f9a+1a2b3c4d+AQ...   the journal's checkpoint key
//	device DEVICE PLACE HASH   for each computer, its newest record covered
//	made-by DEVICE             the computer that took the checkpoint
//
//	— journal-3f9a <signature>
//
// The lines after the key are extension lines (C2SP tlog-checkpoint):
// the head of the records covered spelled out per computer, as a stamp
// record spells it out ([journal.Covers]), so that a witness can tell a
// computer that has not yet received every record from a history that
// was changed. A journal upgraded from version 1 adds "v1 PLACE HASH" for
// its first records. Files made before these lines existed have none and
// are still read; a reader ignores extension lines it does not know.
//
// A witnessed file is that note with the witness's cosignature added (C2SP
// tlog-cosignature/v1: an Ed25519 signature over the text and the time),
// followed by one line naming the witness's public key:
//
//	witness key NAME+KEYID+BASE64
//
// The witness checks nothing about the journal's content (they cannot read
// it): they state that they saw this checkpoint at that time. Whoever later
// holds the journal can show that the records it covers still have that
// hash, so nothing the witness was shown has changed since.
package witness

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/journal-dev/journal/journal"
)

// Checkpoint is what a checkpoint file states.
type Checkpoint struct {
	// Origin names the journal: "journal " and its identifier in hex.
	Origin string
	// Count is how many records the checkpoint covers, Hash the chain
	// hash after the last of them.
	Count uint64
	Hash  [32]byte
	// Key is the journal's checkpoint key (a signed-note verifier key).
	Key string
	// Covers spells out, for each device, the newest record covered (the
	// records up to it on every computer), and MadeBy names the device
	// that took the checkpoint (as journal.DeviceName gives it). Both are
	// empty in a file made before checkpoints named them.
	Covers *journal.Covers
	MadeBy string
}

// Origin is the origin line of the journal with this identifier.
func Origin(journalID []byte) string { return "journal " + hex.EncodeToString(journalID) }

// text is the checkpoint's note text.
func (c *Checkpoint) text() string {
	t := fmt.Sprintf("%s\n%d\n%s\nkey %s\n", c.Origin, c.Count, base64.StdEncoding.EncodeToString(c.Hash[:]), c.Key)
	return t + extensionText(c.Covers, c.MadeBy)
}

// parseText reads a checkpoint's note text, strictly.
func parseText(text string) (*Checkpoint, error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 4 || !strings.HasPrefix(lines[0], "journal ") || !strings.HasPrefix(lines[3], "key ") {
		return nil, errors.New("it is not a journal checkpoint")
	}
	c := &Checkpoint{Origin: lines[0], Key: strings.TrimPrefix(lines[3], "key ")}
	n, err := strconv.ParseUint(lines[1], 10, 64)
	if err != nil || n == 0 || strconv.FormatUint(n, 10) != lines[1] {
		return nil, errors.New("its record count is not a number")
	}
	c.Count = n
	h, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(h) != 32 {
		return nil, errors.New("its hash is not a SHA-256 in base64")
	}
	copy(c.Hash[:], h)
	if err := c.parseExtensions(lines[4:]); err != nil {
		return nil, err
	}
	return c, nil
}

// JournalKey is a journal's checkpoint signing key.
type JournalKey struct {
	name string
	priv ed25519.PrivateKey
}

// NewJournalKey makes the checkpoint key of the journal with this
// identifier from its owner's private key.
func NewJournalKey(journalID []byte, owner ed25519.PrivateKey) *JournalKey {
	return &JournalKey{name: journalKeyName(journalID), priv: owner}
}

// journalKeyName is the name a journal's checkpoint key goes by.
func journalKeyName(journalID []byte) string {
	return "journal-" + hex.EncodeToString(journalID)[:8]
}

// JournalVerifier is the public form of the checkpoint key of the journal
// with this identifier and owner public key, as a checkpoint names it:
// checking a checkpoint needs no secret.
func JournalVerifier(journalID []byte, owner ed25519.PublicKey) string {
	v, _ := note.NewEd25519VerifierKey(journalKeyName(journalID), owner)
	return v
}

// PublicKey is the key's Ed25519 public key.
func (c *Checkpoint) PublicKey() (ed25519.PublicKey, error) {
	parts := strings.SplitN(c.Key, "+", 3)
	if len(parts) != 3 {
		return nil, errors.New("the journal key it names cannot be read")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 1+ed25519.PublicKeySize || raw[0] != 1 {
		return nil, errors.New("the journal key it names cannot be read")
	}
	return ed25519.PublicKey(raw[1:]), nil
}

// Verifier is the key's public form, as a checkpoint names it.
func (k *JournalKey) Verifier() string {
	v, _ := note.NewEd25519VerifierKey(k.name, k.priv.Public().(ed25519.PublicKey))
	return v
}

// Sign writes the checkpoint file for count records whose journal head is
// hash, as files were written before they named each computer's records.
func (k *JournalKey) Sign(journalID []byte, count uint64, hash [32]byte) ([]byte, error) {
	return k.SignCovering(journalID, count, hash, nil, "")
}

// SignCovering writes the checkpoint file for count records whose journal
// head is hash, spelled out per device by covers (nil: none), taken by the
// device madeBy.
func (k *JournalKey) SignCovering(journalID []byte, count uint64, hash [32]byte, covers *journal.Covers, madeBy string) ([]byte, error) {
	c := &Checkpoint{Origin: Origin(journalID), Count: count, Hash: hash, Key: k.Verifier(), Covers: covers, MadeBy: madeBy}
	if err := c.checkCovers(); err != nil {
		return nil, err
	}
	s, err := note.NewSigner(signerKey(k.name, k.priv))
	if err != nil {
		return nil, err
	}
	return note.Sign(&note.Note{Text: c.text()}, s)
}

// signerKey is an Ed25519 private key in the signed-note form.
func signerKey(name string, priv ed25519.PrivateKey) string {
	pub := priv.Public().(ed25519.PublicKey)
	vk, _ := note.NewEd25519VerifierKey(name, pub)
	hash := strings.Split(vk, "+")[1]
	return "PRIVATE+KEY+" + name + "+" + hash + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, priv.Seed()...))
}

// Open reads a checkpoint file and checks the journal's signature with the
// key the checkpoint names. A file changed after it was signed fails.
func Open(file []byte) (*Checkpoint, *note.Note, error) {
	msg, _, _ := cutTrailer(file)
	c, n, err := open(msg)
	return c, n, err
}

func open(msg []byte) (*Checkpoint, *note.Note, error) {
	i := bytes.Index(msg, []byte("\n\n"))
	if i < 0 {
		return nil, nil, errors.New("it is not a signed checkpoint")
	}
	c, err := parseText(string(msg[:i+1]))
	if err != nil {
		return nil, nil, err
	}
	v, err := note.NewVerifier(c.Key)
	if err != nil {
		return nil, nil, errors.New("the journal key it names cannot be read")
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return nil, nil, noteError(err)
	}
	if err := c.checkCovers(); err != nil {
		return nil, nil, err
	}
	return c, n, nil
}

func noteError(err error) error {
	var ie *note.InvalidSignatureError
	var ue *note.UnverifiedNoteError
	switch {
	case errors.As(err, &ie):
		return fmt.Errorf("a signature by %s does not match: the file was changed after it was signed", ie.Name)
	case errors.As(err, &ue):
		return errors.New("it is not signed by the journal key it names")
	}
	return fmt.Errorf("it is not a signed checkpoint (%v)", err)
}

const trailer = "\nwitness key "

// cutTrailer splits a witnessed file into the note and the witness's key.
func cutTrailer(file []byte) (msg []byte, key string, ok bool) {
	i := bytes.LastIndex(file, []byte(trailer))
	if i < 0 {
		return file, "", false
	}
	return file[:i+1], strings.TrimSuffix(string(file[i+len(trailer):]), "\n"), true
}

// Cosignature is a witness's signature of a checkpoint.
type Cosignature struct {
	Name string
	// Key is the witness's public key (C2SP vkey form, type 0x04).
	Key  string
	Time time.Time
}

// Fingerprint is a short, readable form of the witness's public key.
func (c *Cosignature) Fingerprint() string { return keyFingerprint(c.Key) }

// OpenWitnessed reads a witnessed file: the journal's signature, checked
// with the key its checkpoint names, and the witness's cosignature, checked
// with the key the file ends with.
func OpenWitnessed(file []byte) (*Checkpoint, *Cosignature, error) {
	msg, vkey, ok := cutTrailer(file)
	if !ok {
		return nil, nil, errors.New("it has no witness's signature: give the file 'journal witness' wrote (NAME.witnessed)")
	}
	cv, err := parseCosignerKey(vkey)
	if err != nil {
		return nil, nil, err
	}
	c, _, err := open(msg)
	if err != nil {
		return nil, nil, err
	}
	jv, _ := note.NewVerifier(c.Key)
	n, err := note.Open(msg, note.VerifierList(jv, cv))
	if err != nil {
		return nil, nil, noteError(err)
	}
	for _, s := range n.Sigs {
		if s.Hash == cv.hash && s.Name == cv.name {
			return c, &Cosignature{Name: cv.name, Key: vkey, Time: cv.when}, nil
		}
	}
	return nil, nil, errors.New("the witness key it names did not sign it")
}

// cosignedMessage is what a cosignature signs (C2SP tlog-cosignature/v1).
func cosignedMessage(text string, t uint64) []byte {
	return []byte("cosignature/v1\ntime " + strconv.FormatUint(t, 10) + "\n" + text)
}

// keyID is the C2SP key ID of a cosigner's key.
func keyID(name string, pub ed25519.PublicKey) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte{'\n', 0x04})
	h.Write(pub)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// cosignerVerifier checks a cosignature, and keeps the time it states.
type cosignerVerifier struct {
	name string
	hash uint32
	pub  ed25519.PublicKey
	when time.Time
}

func (v *cosignerVerifier) Name() string    { return v.name }
func (v *cosignerVerifier) KeyHash() uint32 { return v.hash }
func (v *cosignerVerifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig)
	if !ed25519.Verify(v.pub, cosignedMessage(string(msg), t), sig[8:]) {
		return false
	}
	v.when = time.Unix(int64(t), 0).UTC()
	return true
}

func parseCosignerKey(vkey string) (*cosignerVerifier, error) {
	bad := errors.New("the witness key it names cannot be read")
	// The key's base64 may itself hold '+'.
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 || parts[0] == "" {
		return nil, bad
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 1+ed25519.PublicKeySize || raw[0] != 0x04 {
		return nil, bad
	}
	pub := ed25519.PublicKey(raw[1:])
	id := keyID(parts[0], pub)
	if fmt.Sprintf("%08x", id) != parts[1] {
		return nil, bad
	}
	return &cosignerVerifier{name: parts[0], hash: id, pub: pub}, nil
}

// keyFingerprint is six groups of four of SHA-256 of a public key, to
// read over the phone.
func keyFingerprint(vkey string) string {
	sum := sha256.Sum256([]byte(vkey))
	s := strings.ToLower(base32NoPad(sum[:15]))
	var groups []string
	for i := 0; i < len(s); i += 4 {
		groups = append(groups, s[i:i+4])
	}
	return strings.Join(groups, "-")
}

package journal

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"
	"time"
)

// TestCheckStatementsRefusesWhatTheOwnerDidNotSign checks the statements
// join reads from a sync folder before it writes anything: a chain the
// owner signed passes, and one statement more that someone else signed
// (anyone who can write the folder can put one there), or one that does
// not follow the statement before it, is a ManifestError.
func TestCheckStatementsRefusesWhatTheOwnerDidNotSign(t *testing.T) {
	id := NewID()
	_, owner, _ := ed25519.GenerateKey(rand.Reader)
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	_, dev, _ := ed25519.GenerateKey(rand.Reader)
	ownerName := DeviceName(owner.Public().(ed25519.PublicKey))
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	sign := func(key ed25519.PrivateKey, n uint64, prev []byte, devices []DeviceEntry) []byte {
		t.Helper()
		st := &Statement{Journal: hex.EncodeToString(id), N: n, At: at, Owner: ownerName, Recipient: "age1test", Devices: devices, Change: "test"}
		if prev != nil {
			h := statementHash(prev)
			st.Prev = hex.EncodeToString(h[:])
		}
		b, err := SignStatement(key, st)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	laptop := []DeviceEntry{{Key: DeviceName(dev.Public().(ed25519.PublicKey)), Name: "laptop", EnrolledAt: at}}
	first := sign(owner, 1, nil, laptop)
	retired := append([]DeviceEntry(nil), laptop...)
	retired[0].RetiredAt = &at

	m, err := CheckStatements(id, [][]byte{first, sign(owner, 2, first, retired)})
	if err != nil {
		t.Fatalf("a chain the owner signed: %v", err)
	}
	if e := m.Head().Device(dev.Public().(ed25519.PublicKey)); e == nil || e.RetiredAt == nil {
		t.Errorf("the owner's retirement is not in the checked head: %+v", e)
	}
	var me *ManifestError
	for name, stored := range map[string][][]byte{
		"signed by another key":        {first, sign(other, 2, first, retired)},
		"not following the one before": {first, sign(owner, 2, nil, retired)},
		"cut short":                    {first[:len(first)-1]},
		"none":                         nil,
	} {
		if _, err := CheckStatements(id, stored); !errors.As(err, &me) {
			t.Errorf("%s: CheckStatements = %v, want a ManifestError", name, err)
		}
	}
}

// TestSignedByNeedsTheOwnersOwnSignature checks what join anchors a sync
// folder's manifest with: the owner key of the journal's identity must
// have signed one of its statements. A chain someone else began that only
// hands the journal to that owner at its end does not count; the same
// chain followed by a statement the owner signed does (a change of key
// that the new key confirms).
func TestSignedByNeedsTheOwnersOwnSignature(t *testing.T) {
	id := NewID()
	_, owner, _ := ed25519.GenerateKey(rand.Reader)
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	name := func(k ed25519.PrivateKey) string { return DeviceName(k.Public().(ed25519.PublicKey)) }
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var stored [][]byte
	add := func(signer ed25519.PrivateKey, next string) {
		t.Helper()
		st := &Statement{Journal: hex.EncodeToString(id), N: uint64(len(stored) + 1), At: at, Owner: next, Recipient: "age1test", Change: "test"}
		if len(stored) > 0 {
			h := statementHash(stored[len(stored)-1])
			st.Prev = hex.EncodeToString(h[:])
		}
		b, err := SignStatement(signer, st)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, b)
	}
	signed := func() bool {
		t.Helper()
		m, err := CheckStatements(id, stored)
		if err != nil {
			t.Fatal(err)
		}
		return m.SignedBy(name(owner))
	}
	add(owner, name(owner))
	if !signed() {
		t.Error("a first statement of the owner's own: SignedBy = false")
	}
	stored = nil
	add(other, name(other))
	add(other, name(owner))
	if signed() {
		t.Error("a chain another key began, handed to the owner at its end: SignedBy = true")
	}
	add(owner, name(owner))
	if !signed() {
		t.Error("the same chain, then a statement the owner signed: SignedBy = false")
	}
}

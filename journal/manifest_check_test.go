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

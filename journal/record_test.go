package journal

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/journal-dev/journal/crypto"
)

// sampleRecords are one record of every type, as the program writes them.
func sampleRecords() []*Record {
	at := time.Date(2026, 11, 24, 14, 30, 0, 0, time.UTC)
	until := at.Add(time.Hour)
	fields := &Fields{OccurredAt: at, Until: &until, Approximate: true, Place: "Surgery car park",
		People: []Person{{Name: "John Smith", Relation: "patient", Description: "blue coat"}},
		Kinds:  []string{"in-person", "following"}, Summary: "Waited by my car", Details: "He stood by the door.",
		Words: "I know where you live", Witnesses: []Witness{{Name: "Ann Lee", Contact: "01632 960123"}},
		Actions: []string{"Told him to leave"}, Reported: []Report{{To: "Police", Reference: "CAD 1234"}},
		Impact: "Could not sleep", Severity: "high", Tags: []string{"car-park"}}
	return []*Record{
		{Type: TypeIncident, RecordedAt: at, Incident: 1, Fields: fields},
		{Type: TypeIncident, RecordedAt: at, Incident: 2, Fields: &Fields{OccurredAt: at, Summary: "Imported"}, Imported: true},
		{Type: TypeAmendment, RecordedAt: at, Incident: 1, Fields: fields, Changed: []Field{"place"}, Reason: "typo"},
		{Type: TypeVoid, RecordedAt: at, Incident: 2, Reason: "duplicate"},
		{Type: TypeCheckpoint, RecordedAt: at, Checkpoint: &Checkpoint{Seq: 4, Fingerprint: "abcd-efgh-ijkl-mnop-qrst-uvwx", Note: "adviser"}},
		{Type: TypeDisclosure, RecordedAt: at, Disclosure: &Disclosure{Format: "pdf", For: "Police", SHA256: strings.Repeat("ab", 32),
			Size: 1234, Incidents: NewIncidentSet([]uint64{1}), Fingerprint: "abcd-efgh-ijkl-mnop-qrst-uvwx"}},
	}
}

// TestRecordRoundTrip checks that every type of record reads back as it
// was written, and that incomplete records are refused.
func TestRecordRoundTrip(t *testing.T) {
	for _, r := range sampleRecords() {
		b, err := EncodeRecord(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeRecord(b)
		if err != nil {
			t.Fatalf("DecodeRecord(%s) = %v", b, err)
		}
		again, _ := EncodeRecord(got)
		if !bytes.Equal(again, b) {
			t.Errorf("%s record: round trip gave\n%s\nwant\n%s", r.Type, again, b)
		}
	}
	for _, bad := range []string{
		``, `{}`, `null`, `[]`, `{"type":"incident"}`,
		`{"type":"incident","recorded_at":"2026-11-24T14:30:00Z","incident":1}`,
		`{"type":"void","recorded_at":"2026-11-24T14:30:00Z"}`,
		`{"type":"checkpoint","recorded_at":"2026-11-24T14:30:00Z"}`,
		`{"type":"erasure","recorded_at":"2026-11-24T14:30:00Z"}`,
		`{"type":"void","recorded_at":"2026-11-24T14:30:00Z","incident":1} {}`,
	} {
		if r, err := DecodeRecord([]byte(bad)); err == nil {
			t.Errorf("DecodeRecord(%s) = %+v, want an error", bad, r)
		}
	}
}

// FuzzDecodeRecord checks that no plaintext makes the record decoder
// panic, and that what it accepts is a whole record that encodes to a form
// it reads back the same.
func FuzzDecodeRecord(f *testing.F) {
	for _, r := range sampleRecords() {
		b, _ := EncodeRecord(r)
		f.Add(b)
	}
	f.Add([]byte(`{"type":"incident","recorded_at":"2026-11-24T14:30:00Z","incident":1,"fields":{}}`))
	f.Add([]byte(disclosureHead + `"incidents":[3,1,2],"fingerprint":"f"}}`)) // version 1
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeRecord(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "record: ") {
				t.Fatalf("DecodeRecord error %q does not say it is about a record", err)
			}
			return
		}
		if r.RecordedAt.IsZero() {
			t.Fatalf("DecodeRecord(%q) accepted a record with no time", data)
		}
		b, err := EncodeRecord(r)
		if err != nil {
			t.Fatalf("EncodeRecord of a decoded record: %v", err)
		}
		r2, err := DecodeRecord(b)
		if err != nil {
			t.Fatalf("a decoded record does not decode again: %v\n%s", err, b)
		}
		b2, _ := EncodeRecord(r2)
		if !bytes.Equal(b, b2) {
			t.Fatalf("round trip is not stable:\n%s\n%s", b, b2)
		}
	})
}

// FuzzDecodeEnvelope checks that no stored value makes the envelope
// decoder panic, and that what it accepts encodes back to the same bytes.
func FuzzDecodeEnvelope(f *testing.F) {
	f.Add((&Envelope{Prev: [32]byte{1, 2, 3}, Ciphertext: []byte("age-encryption.org/v1\n...")}).Encode())
	f.Add([]byte{1})
	f.Add([]byte{2, 0, 0})
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	signed := &Envelope{Journal: make([]byte, 16), Place: 3, Prev: [32]byte{4}, Manifest: ChainRef{N: 1, Hash: [32]byte{5}},
		Seen: []SeenHead{{Device: key.Public().(ed25519.PublicKey), Place: 2, Hash: [32]byte{6}}}, Ciphertext: []byte("age-encryption.org/v1\n...")}
	signed.Sign(key)
	f.Add(signed.Encode())
	signed.Seen = nil
	signed.Sign(key)
	f.Add(signed.Encode())
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := DecodeEnvelope(data)
		if err != nil {
			return
		}
		if got := e.Encode(); !bytes.Equal(got, data) {
			t.Fatalf("DecodeEnvelope(%x).Encode() = %x", data, got)
		}
		if e.Signed() {
			// Checking the signature never fails on its own terms, and a
			// changed byte is never accepted.
			if e.SignatureValid() {
				data[len(data)/2] ^= 1
				if e2, err := DecodeEnvelope(data); err == nil && e2.SignatureValid() {
					t.Fatal("an envelope changed after it was signed still verifies")
				}
			}
			return
		}
		if len(e.Ciphertext) > 0 && len(data) > 33 {
			// The ciphertext is a copy, not a view of the stored bytes.
			data[33] ^= 0xff
			if e.Ciphertext[0] == data[33] {
				t.Fatal("the ciphertext shares memory with the stored value")
			}
		}
	})
}

// FuzzFingerprintMatch checks that a fingerprint is found however a person
// types it: in capitals, with spaces, or run together.
func FuzzFingerprintMatch(f *testing.F) {
	f.Add([]byte("journal"), uint8(0))
	f.Fuzz(func(t *testing.T, seed []byte, style uint8) {
		rep := &VerifyReport{chain: [][32]byte{Hash(0, seed), Hash(1, seed)}}
		fp := Fingerprint(rep.chain[1])
		switch style % 3 {
		case 1:
			fp = strings.ToUpper(fp)
		case 2:
			fp = strings.ReplaceAll(fp, "-", " ")
		}
		if seq, ok := rep.FindFingerprint(fp); !ok || seq != 1 {
			t.Fatalf("FindFingerprint(%q) = %d, %v, want 1, true", fp, seq, ok)
		}
	})
}

// FuzzCSVImportReplays checks that whatever the CSV import accepts becomes
// records that the log takes and replays: the incidents read are the
// incidents the journal then holds.
func FuzzCSVImportReplays(f *testing.F) {
	f.Add("date,time,description\n2026-01-01,10:00,x\n")
	f.Add("Date,Location,Description,People,Witnesses,Evidence,Police Reference\n24/11/2026,Home,\"a\nb\",John (patient); Ann,Raj,photo,CAD 1\n")
	f.Add("date,description,until,kind\nyesterday 3pm,x,16:00,phone call\n")
	id, err := crypto.Generate(true)
	if err != nil {
		f.Fatal(err)
	}
	sealer, err := crypto.NewSealer([]string{id.Recipient()}, id)
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	f.Setenv("XDG_CONFIG_HOME", f.TempDir())
	f.Fuzz(func(t *testing.T, in string) {
		items, err := ParseCSV(strings.NewReader(in), now)
		if err != nil || len(items) == 0 {
			return
		}
		path := filepath.Join(t.TempDir(), "journal.db")
		dev, err := CreateWithDevice(path, &Meta{WrappedIdentity: []byte("x"), Recipients: []string{id.Recipient()}}, id.OwnerKey(), "test")
		if err != nil {
			t.Fatal(err)
		}
		s, err := Open(path, Options{Device: dev})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.Append(sealer, ImportRecords(items, now)...); err != nil {
			t.Fatalf("appending the import of %q: %v", in, err)
		}
		st, err := s.Load(sealer)
		if err != nil {
			t.Fatalf("replaying the import of %q: %v", in, err)
		}
		if len(st.Incidents) != len(items) {
			t.Fatalf("imported %d incidents, the journal holds %d", len(items), len(st.Incidents))
		}
		for i, in := range st.Incidents {
			if in.Summary != items[i].Fields.Summary || !in.Imported {
				t.Fatalf("incident %d is %q (imported %v), want %q imported", i+1, in.Summary, in.Imported, items[i].Fields.Summary)
			}
		}
	})
}

// FuzzDecodeStatement reads manifest statements: no input makes it panic,
// and a statement it reads, signed again, reads back the same.
func FuzzDecodeStatement(f *testing.F) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	st := &Statement{Journal: "00112233445566778899aabbccddeeff", N: 1, Owner: DeviceName(key.Public().(ed25519.PublicKey)),
		Recipient: "age1pq1xyz", Change: "created", At: time.Date(2026, 11, 24, 14, 30, 0, 0, time.UTC),
		Devices: []DeviceEntry{{Key: DeviceName(key.Public().(ed25519.PublicKey)), Name: "laptop"}}}
	good, err := SignStatement(key, st)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte{2})
	f.Add(append([]byte{2}, make([]byte, 64)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, sig, err := DecodeStatement(data)
		if err != nil {
			return
		}
		if len(sig) != ed25519.SignatureSize {
			t.Fatalf("signature of %d bytes", len(sig))
		}
		again, err := SignStatement(key, st)
		if err != nil {
			t.Fatal(err)
		}
		st2, _, err := DecodeStatement(again)
		if err != nil {
			t.Fatalf("a statement read back, signed again, does not read: %v", err)
		}
		a, _ := json.Marshal(st)
		b, _ := json.Marshal(st2)
		if !bytes.Equal(a, b) {
			t.Fatalf("statement changed on the way round:\n%s\n%s", a, b)
		}
	})
}

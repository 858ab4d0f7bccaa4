package journal_test

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

// checkpointed makes a journal with two incidents, a checkpoint of them,
// and a third incident, and returns its path, its sealer and the
// fingerprint the checkpoint gave.
func checkpointed(t *testing.T) (string, *crypto.Sealer, string) {
	t.Helper()
	path, sealer := newJournal(t)
	s := open(t, path, false)
	if err := s.Append(sealer, incident("first", t0), incident("second", t0)); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Verify(sealer)
	if err != nil {
		t.Fatal(err)
	}
	fp := rep.State.Fingerprint
	cp := &journal.Record{Type: journal.TypeCheckpoint, RecordedAt: t0,
		Checkpoint: &journal.Checkpoint{Seq: rep.Records, Fingerprint: fp, Note: "adviser"}}
	if err := s.Append(sealer, cp, incident("third", t0)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	return path, sealer, fp
}

func TestVerifyCheckpoints(t *testing.T) {
	path, sealer, fp := checkpointed(t)
	rep, err := open(t, path, true).Verify(sealer)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Checkpoints) != 1 || rep.Checkpoints[0].Seq != 2 || rep.Checkpoints[0].At != 3 || rep.Checkpoints[0].Fingerprint != fp {
		t.Fatalf("Checkpoints = %+v, want one at record 3 covering 1 to 2 with %s", rep.Checkpoints, fp)
	}
	for _, typed := range []string{fp, strings.ToUpper(fp), strings.ReplaceAll(fp, "-", " "), strings.ReplaceAll(fp, "-", "")} {
		if seq, ok := rep.FindFingerprint(typed); !ok || seq != 2 {
			t.Errorf("FindFingerprint(%q) = %d, %v, want 2, true", typed, seq, ok)
		}
	}
	if _, ok := rep.FindFingerprint("aaaa-bbbb-cccc-dddd-eeee-ffff"); ok {
		t.Error("FindFingerprint found a fingerprint that is not in the chain")
	}
	if got := rep.FingerprintAt(rep.Records); got != rep.State.Fingerprint {
		t.Errorf("FingerprintAt(last) = %s, want %s", got, rep.State.Fingerprint)
	}
}

// TestVerifyRewrittenChain rewrites the journal the way someone who holds
// only the public recipients could: a changed first record, sealed anew,
// and every later record re-chained after it. The device's signature on
// the first record no longer holds, and verify says so there.
func TestVerifyRewrittenChain(t *testing.T) {
	path, sealer, fp := checkpointed(t)
	rec := incident("forged", t0)
	rec.Incident = 1
	forged, err := journal.EncodeRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := sealer.Seal(forged)
	if err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("log"))
		c := b.Cursor()
		var prev [32]byte
		for k, v := c.First(); k != nil; k, v = c.Next() {
			seq := binary.BigEndian.Uint64(k)
			e, err := journal.DecodeEnvelope(v)
			if err != nil {
				return err
			}
			if seq == 1 {
				e.Ciphertext = ct
			} else {
				e.Prev = prev
			}
			stored := e.Encode()
			if err := b.Put(k, stored); err != nil {
				return err
			}
			prev = journal.Hash(seq, stored)
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, err = open(t, path, true).Verify(sealer)
	var ie *journal.IntegrityError
	if !errors.As(err, &ie) || ie.Seq != 1 || !strings.Contains(ie.Reason, "signature does not verify") {
		t.Fatalf("Verify of a rewritten chain = %v, want record 1: its signature does not verify (checkpoint %s)", err, fp)
	}
}

// TestVerifyCounter checks that verify notices a next-incident number that
// does not match the log, which would put the next incident out of turn.
func TestVerifyCounter(t *testing.T) {
	path, sealer, _ := checkpointed(t)
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("incidents"), binary.BigEndian.AppendUint64(nil, 7))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, err = open(t, path, true).Verify(sealer)
	var ie *journal.IntegrityError
	if !errors.As(err, &ie) || !strings.Contains(ie.Reason, "count of incidents") {
		t.Fatalf("Verify with a wrong counter = %v, want an integrity error about the count", err)
	}
}

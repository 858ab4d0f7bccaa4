package journal

import (
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// VerifyReport is what [Store.Verify] found in a sound journal.
type VerifyReport struct {
	Records uint64
	// Unsigned counts the records made before signing (format version 1).
	Unsigned  uint64
	Incidents int
	State     *State
	// Checkpoints lists every checkpoint in the log, in order, each found
	// to hold: the log up to the checkpoint's position still has the
	// fingerprint the checkpoint recorded.
	Checkpoints []CheckpointEntry
	// Orphans are stored evidence blobs that no record names: left by an
	// attach that stopped before its record was appended. They are not
	// damage; 'journal repair' removes them when asked.
	Orphans []Orphan
	// NotArrived are evidence files another computer attached whose
	// bytes have not arrived from the sync folder yet: not checked.
	NotArrived []*NotArrivedError
	// chain holds the chain hash at every position: chain[0] is the
	// genesis hash, chain[n] the hash of record n.
	chain [][32]byte
	// causal holds, for each signed checkpoint record by position, the
	// head of what its device held when it was made.
	causal map[uint64][32]byte
	// made holds, for the same records, what they cover and the device
	// that made them.
	made map[uint64]madeCheckpoint
	// keys are the file keys of the records, for the cache.
	keys *fileKeys
}

// Verify checks the whole journal: the consistency of the file (what
// bbolt's own check finds, read as filecheck_tree.go says), then every
// record in order (the chain, the ciphertext, the record and how it fits
// what came before), then every checkpoint against the chain as it is
// now. The first problem is returned as an [IntegrityError]
// naming the record.
func (s *Store) Verify(opener Opener) (*VerifyReport, error) {
	if err := s.checkFile(); err != nil {
		return nil, err
	}
	rep, err := s.replay(opener)
	if err != nil {
		return nil, err
	}
	if rep.NotArrived, err = s.VerifyBlobs(opener, rep.State); err != nil {
		return nil, err
	}
	if rep.Orphans, err = s.OrphanBlobs(rep.State); err != nil {
		return nil, err
	}
	if err := rep.checkCheckpoints(); err != nil {
		return nil, err
	}
	if err := s.checkCounter(rep.State); err != nil {
		return nil, err
	}
	s.recount(rep.State)
	if err := s.checkCache(opener, rep); err != nil {
		return nil, err
	}
	return rep, nil
}

// checkCounter checks the number the store gives the next incident
// against the log: a wrong one would make the next incident out of turn.
func (s *Store) checkCounter(st *State) error {
	return s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(keyIncidents)
		// The counter counts this computer's own incidents; on the
		// device that made the journal (tag 0) that is every incident
		// numbered without a letter.
		own, err := ownTag(tx)
		if err != nil {
			return err
		}
		if incidentsUnknown(tx) {
			// Own records came in from a sync folder: the counter is
			// counted again from this read (owncount.go).
			return nil
		}
		if len(v) != 8 || binary.BigEndian.Uint64(v) != st.Count(own) {
			return &IntegrityError{Reason: fmt.Sprintf("its count of incidents does not match the log, which has %d", st.Count(own))}
		}
		return nil
	})
}

// replay reads every record in order into a report, keeping the chain hash
// at every position.
func (s *Store) replay(opener Opener) (*VerifyReport, error) {
	rep := &VerifyReport{State: NewState()}
	err := s.view(func(tx *bolt.Tx) error {
		rep.chain = append(rep.chain, genesis(tx.Bucket(bucketMeta).Get(keyID)))
		return nil
	})
	if err != nil {
		return nil, err
	}
	st := rep.State
	st.Fingerprint = Fingerprint(rep.chain[0])
	// A checkpoint made on another computer stands for what that computer
	// held when it was made: its causal past (head.go).
	rep.causal = map[uint64][32]byte{}
	rep.made = map[uint64]madeCheckpoint{}
	v1 := newHeadVector(s.id)
	// Records are opened on every processor, with the file keys the cache
	// and any provisional lists hold (filekeys.go): a key opens only its
	// own record, so what is read is what the journal's key would read.
	rep.keys = s.knownFileKeys(opener)
	// Recorded-at times never go back within a device's chain.
	lastAt := map[string]time.Time{}
	_, _, err = s.replayFrom(opener, st, rep.keys, func(seq uint64, hash [32]byte, e *Envelope, r *Record) error {
		if e.Signed() {
			dev := DeviceName(e.Device)
			if last := lastAt[dev]; r.RecordedAt.Before(last) {
				return &IntegrityError{Seq: seq, Reason: fmt.Sprintf(
					"says it was recorded at %s, before the record its device made before it (%s): the device's clock was set back",
					r.RecordedAt.Format("2 Jan 2006 15:04:05"), last.Format("2 Jan 2006 15:04:05"))}
			}
			lastAt[dev] = r.RecordedAt
			if r.Type == TypeCheckpoint {
				v := causalVector(v1, e)
				rep.causal[seq] = v.sum(s.id)
				rep.made[seq] = madeCheckpoint{covers: coversOf(v), by: dev}
			}
		} else {
			rep.Unsigned++
			v1.v1Seq, v1.v1Hash = seq, hash
		}
		rep.chain = append(rep.chain, hash)
		return nil
	})
	if err != nil {
		return nil, err
	}
	rep.Records, rep.Incidents = st.Seq, len(st.Incidents)
	return rep, nil
}

// checkCheckpoints checks every checkpoint against the chain: it must name
// a position before its own record, and the fingerprint of the log up to
// that position must still be the one it recorded. A checkpoint that does
// not hold means the records up to it were rewritten.
func (rep *VerifyReport) checkCheckpoints() error {
	for _, c := range rep.State.Checkpoints {
		if c.Seq >= c.At {
			return &IntegrityError{Seq: c.At, Reason: fmt.Sprintf("checkpoint names record %d, which is not before it", c.Seq)}
		}
		at := rep.chain[c.Seq]
		if h, ok := rep.causal[c.At]; ok {
			at = h
		}
		if now := Fingerprint(at); now != c.Fingerprint {
			return &IntegrityError{Seq: c.At, Reason: fmt.Sprintf(
				"the checkpoint of %s does not hold: it recorded fingerprint %s for records 1 to %d, but they now give %s, so they were changed",
				c.RecordedAt.Format("2 Jan 2006 15:04"), c.Fingerprint, c.Seq, now)}
		}
		rep.Checkpoints = append(rep.Checkpoints, c)
	}
	return nil
}

// madeCheckpoint is what a signed checkpoint record covers, and the
// device that made it.
type madeCheckpoint struct {
	covers *Covers
	by     string
}

// CheckpointCovers gives a checkpoint as a stamp of what it covers would
// be recorded (its head, its Covers, the device that made it), so that
// [Store.CheckCovers] can say which records it covers on this computer.
// ok is false for a checkpoint made before signing (version 1), whose
// records 1 to Seq are the same on every computer.
func (rep *VerifyReport) CheckpointCovers(c CheckpointEntry) (s StampEntry, ok bool) {
	m, ok := rep.made[c.At]
	if !ok {
		return s, false
	}
	s = StampEntry{RecordedAt: c.RecordedAt, At: c.At, By: m.by}
	s.Seq, s.Head, s.Covers = c.Seq, HeadHex(rep.causal[c.At]), m.covers
	return s, true
}

// MadeCheckpoint finds the signed checkpoint whose head is head, as the
// checkpoint file given to a witness signs it. The checkpoint's own check
// (its fingerprint is that of the records it covers) has then held.
func (rep *VerifyReport) MadeCheckpoint(head [32]byte) (c CheckpointEntry, ok bool) {
	for _, c := range rep.State.Checkpoints {
		if h, found := rep.causal[c.At]; found && h == head {
			return c, true
		}
	}
	return c, false
}

// FindFingerprint reports where in the log a fingerprint someone was given
// earlier stands: the position it covers records 1 to. Found means nothing
// up to that position has changed since. Spaces, dashes and case do not
// matter.
func (rep *VerifyReport) FindFingerprint(fp string) (seq uint64, found bool) {
	return findFingerprint(rep.chain, fp)
}

// FingerprintAt returns the fingerprint of the log up to and including
// record seq, or of the empty log for 0.
func (rep *VerifyReport) FingerprintAt(seq uint64) string {
	return Fingerprint(rep.chain[seq])
}

func normalizeFingerprint(fp string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return -1
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return r
	}, fp)
}

// ChainReport is what [Store.VerifyChain] found.
type ChainReport struct {
	Records uint64
	// Unsigned counts the records made before signing (format version 1).
	Unsigned uint64
	chain    [][32]byte
}

// VerifyChain checks, without any key, everything in the journal that
// needs none: the manifest and its owner's signatures, every record's
// place in its device's chain, its device's enrolment and its signature.
// Nothing is decrypted.
func (s *Store) VerifyChain() (*ChainReport, error) {
	if err := s.checkFile(); err != nil {
		return nil, err
	}
	rep := &ChainReport{}
	err := s.view(func(tx *bolt.Tx) error {
		rep.chain = append(rep.chain, genesis(tx.Bucket(bucketMeta).Get(keyID)))
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.Scan(0, func(seq uint64, e *Envelope, hash [32]byte) error {
		if !e.Signed() {
			rep.Unsigned++
		} else if !e.SignatureValid() {
			return &IntegrityError{Seq: seq, Reason: "its signature does not verify: it was changed after its device signed it, or forged"}
		}
		rep.chain = append(rep.chain, hash)
		rep.Records = seq
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// FindFingerprint reports up to which record a fingerprint stands, if it
// stands for the log up to any record.
func (rep *ChainReport) FindFingerprint(fp string) (seq uint64, found bool) {
	return findFingerprint(rep.chain, fp)
}

// FingerprintAt returns the fingerprint of the log up to record seq.
func (rep *ChainReport) FingerprintAt(seq uint64) string { return Fingerprint(rep.chain[seq]) }

// Fingerprint is the fingerprint of the whole log.
func (rep *ChainReport) Fingerprint() string { return Fingerprint(rep.chain[len(rep.chain)-1]) }

func findFingerprint(chain [][32]byte, fp string) (uint64, bool) {
	want := normalizeFingerprint(fp)
	for i, h := range chain {
		if normalizeFingerprint(Fingerprint(h)) == want {
			return uint64(i), true
		}
	}
	return 0, false
}

package journal

// Reading the log: its head, and every record after a position in order,
// with the chain checked.

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// head returns the position and hash of the last record, or 0 and the
// genesis hash of an empty log.
func head(tx *bolt.Tx) (uint64, [32]byte, error) {
	k, v := tx.Bucket(bucketLog).Cursor().Last()
	if k == nil {
		return 0, genesis(tx.Bucket(bucketMeta).Get(keyID)), nil
	}
	if len(k) != 8 {
		return 0, [32]byte{}, &IntegrityError{Reason: "the log has a malformed key"}
	}
	seq := binary.BigEndian.Uint64(k)
	if len(v) > 0 && v[0] != envelopeV2 {
		return seq, Hash(seq, v), nil
	}
	h, err := journalHeadAt(tx, seq)
	return seq, h, err
}

// Head returns the position of the last record and the fingerprint of the
// chain up to it. It needs no key.
func (s *Store) Head() (seq uint64, fingerprint string, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		var h [32]byte
		seq, h, err = head(tx)
		fingerprint = Fingerprint(h)
		return err
	})
	return seq, fingerprint, err
}

// Scan calls fn for every record after position from, in order, with the
// chain checked: fn sees only records that hang on the ones before them
// (see chainChecker), and the journal's head after each (see head.go).
// The envelope is a copy fn may keep.
func (s *Store) Scan(from uint64, fn func(seq uint64, e *Envelope, hash [32]byte) error) error {
	return s.view(func(tx *bolt.Tx) error {
		chk, err := newChainChecker(tx)
		if err != nil {
			return err
		}
		c := tx.Bucket(bucketLog).Cursor()
		var k, v []byte
		if from == 0 {
			chk.complete = true
			k, v = c.First()
		} else {
			k, v = c.Seek(u64(from))
			if k == nil || binary.BigEndian.Uint64(k) != from {
				return &IntegrityError{Seq: from, Reason: "is missing"}
			}
			chk.startAfter(from, v)
			k, v = c.Next()
		}
		// fn is given the journal head after each record (head.go).
		vec, err := vectorAt(tx, from)
		if err != nil {
			return err
		}
		want := from + 1
		// The pages read are let go every scanReleaseEvery bytes: a long
		// scan would otherwise keep the whole log resident.
		read := 0
		for ; k != nil; k, v = c.Next() {
			if read += len(v); read >= scanReleaseEvery {
				releaseMap(tx)
				read = 0
			}
			if len(k) != 8 {
				return &IntegrityError{Seq: want, Reason: "has a malformed key"}
			}
			seq := binary.BigEndian.Uint64(k)
			if seq != want {
				return &IntegrityError{Seq: want, Reason: "is missing: the log jumps to record " + fmt.Sprint(seq)}
			}
			e, hash, err := chk.next(seq, v)
			if err != nil {
				return err
			}
			vec.add(seq, e, hash)
			if err := fn(seq, e, vec.sum(chk.id)); err != nil {
				return err
			}
			want++
		}
		return nil
	})
}

// scanReleaseEvery is how many bytes of records a scan reads before it
// lets go of the pages of the journal file it has read (releaseMap).
const scanReleaseEvery = 16 << 20

// OpenRecord decrypts and decodes one record. Any failure is reported as an
// [IntegrityError] naming the record.
func OpenRecord(opener Opener, seq uint64, e *Envelope) (*Record, error) {
	if e.Signed() && !e.SignatureValid() {
		return nil, &IntegrityError{Seq: seq, Reason: "its signature does not verify: it was changed after its device signed it, or forged"}
	}
	plain, err := opener.Open(e.Ciphertext)
	if keyUnavailable(err) {
		return nil, err
	}
	if err != nil {
		return nil, &IntegrityError{Seq: seq, Reason: "does not decrypt: " + err.Error(), Err: err}
	}
	r, err := DecodeRecord(plain)
	if err != nil {
		return nil, &IntegrityError{Seq: seq, Reason: err.Error()}
	}
	if err := checkInner(e, r); err != nil {
		return nil, &IntegrityError{Seq: seq, Reason: err.Error()}
	}
	return r, nil
}

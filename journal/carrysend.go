package journal

// # File keys of records added one at a time
//
// An import seals the list of its records' file keys as it seals them
// (carriedkeys.go). A record added alone cannot: a list of one key costs
// the computer that pulls it as much to open as the record, and `add`
// holds no key to read the journal's cache with. So a read does it: the
// first read (with the journal's key) after this device added records
// that no list carries yet seals one list of their file keys, from the
// cache it has just brought up to date, and keeps it with the lists to
// send ([Store.SealedKeys]). The next segment this device writes to the
// sync folder carries it, even though the records it is for are in
// earlier segments: a list names the device and places of its records,
// and the computer that pulls it tries each key on the record of that
// device and place, whatever segment brought the record.
//
// A mark in the cache bucket says up to which place of this device's
// chain a list was made, so that each key is sealed for sending once.
// Lists made after [carryMin] records or more, so that a read after each
// add does not seal a list each time.

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"

	bolt "go.etcd.io/bbolt"
)

// carryMin is the fewest records a read seals a list of file keys for.
const carryMin = 16

// carriedMarkPrefix, followed by a device's key, is the key in the cache
// bucket of the place of that device's chain up to which the file keys of
// its records are in lists made for the sync folder.
var carriedMarkPrefix = []byte("sent")

// pendingCarry is a list of this device's file keys that a read sealed,
// to be kept for sending when the store is closed.
type pendingCarry struct {
	device     ed25519.PublicKey
	from, last uint64 // the mark it was made after, and its last place
	ciphertext []byte
}

// carriedMark returns the place up to which device's file keys are in
// lists made for the sync folder.
func carriedMark(tx *bolt.Tx, device ed25519.PublicKey) uint64 {
	b := tx.Bucket(bucketCache)
	if b == nil {
		return 0
	}
	v := b.Get(append(bytes.Clone(carriedMarkPrefix), device...))
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

// setCarriedMark moves device's mark forward to place last.
func setCarriedMark(tx *bolt.Tx, device ed25519.PublicKey, last uint64) error {
	if carriedMark(tx, device) >= last {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(bucketCache)
	if err != nil {
		return err
	}
	return b.Put(append(bytes.Clone(carriedMarkPrefix), device...), u64(last))
}

// prepareCarry seals, after a read that holds the file keys of the log in
// keys, the list of this device's records that no list carries yet, when
// the journal has a sync folder and there are at least carryMin of them.
// The list is kept when the store is closed (putCarry). Nothing here
// makes a read fail: a list not made now is made by a later read.
func (s *Store) prepareCarry(opener Opener, keys *fileKeys) {
	sealer, ok := opener.(KeyedSealer)
	if !ok || s.version < FormatVersion {
		return
	}
	var dev ed25519.PublicKey
	if d := s.opts.Device; d != nil {
		dev = d.Public()
	}
	var id []byte
	var mark, head uint64
	var seqs []uint64
	s.view(func(tx *bolt.Tx) error {
		if len(tx.Bucket(bucketMeta).Get(keySyncFolder)) == 0 {
			return nil
		}
		if dev == nil {
			d, err := LoadDevice(s.id)
			if err != nil {
				return nil
			}
			dev = d.Public()
		}
		id = bytes.Clone(tx.Bucket(bucketMeta).Get(keyID))
		mark = carriedMark(tx, dev)
		pos, e, _, err := deviceHeadPos(tx, dev)
		if err != nil || e == nil || e.Place < mark+carryMin {
			return nil
		}
		head = e.Place
		// The log positions of the places after the mark, walking back
		// from the device's newest record.
		seqs = make([]uint64, head-mark)
		if deviceChainBack(tx, dev, pos, mark+1, func(seq uint64, d *Envelope, _ []byte) {
			if d.Place <= head {
				seqs[d.Place-mark-1] = seq
			}
		}) != nil {
			seqs = nil // a damaged record: no list now, verify says why
		}
		return nil
	})
	if len(seqs) == 0 {
		return
	}
	list := make([][]byte, len(seqs))
	for i, seq := range seqs {
		if list[i] = keys.get(seq); list[i] == nil {
			return // a record not read yet: a later read makes the list
		}
	}
	ct, err := sealCarried(id, sealer, dev, mark+1, list)
	if err != nil {
		return
	}
	s.carry = &pendingCarry{device: dev, from: mark, last: head, ciphertext: ct}
}

// putCarry keeps a list a read sealed for sending, if no other list was
// made for those records since.
func putCarry(tx *bolt.Tx, p *pendingCarry) error {
	if carriedMark(tx, p.device) != p.from {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(bucketCache)
	if err != nil {
		return err
	}
	if err := b.Put(carriedKey(sendPrefix, p.device, p.from+1, p.last, nil), p.ciphertext); err != nil {
		return err
	}
	return setCarriedMark(tx, p.device, p.last)
}

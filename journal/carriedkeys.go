package journal

// # File keys carried between computers
//
// A computer that pulls many records written by another one would open
// each with its identity: one post-quantum decapsulation a record, most
// of the time of a first read. So the computer that writes them carries
// their file keys along (see filekeys.go for what a file key opens):
//
//   - An Append of many records (an import) on a journal with a sync
//     folder seals the list of their file keys, by device and place
//     ("journal file keys 2"), to the journal's own recipient, and keeps
//     it until the sync folder has those records ([Store.SealedKeys],
//     [Store.KeysWritten]). The segment that carries the records carries
//     the list too.
//   - The computer that pulls the segment keeps its lists as they came
//     ([Store.AddSealedKeys]). Its next read opens each list once and
//     tries each key on the record of that device and place; once the
//     cache holds every key, the lists are dropped.
//
// As with provisional keys, nothing in a list is believed: anyone who
// knows the journal's public recipient can seal one. A key is only tried;
// a key that does not open its record is passed over and the record is
// opened with the identity. A forged list can slow a read, never change
// what it shows.

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"

	bolt "go.etcd.io/bbolt"
)

// carriedMagic starts the plaintext of a carried list, followed by the
// journal's identifier (length-prefixed), the device's public key, the
// first place, and the keys (filekeys.go's encoding).
const carriedMagic = "journal file keys 2\n"

// Prefixes, in the cache bucket, of carried lists: "send" for this
// computer's own, until written to the sync folder; "hint" for those that
// came with a segment, until the cache holds their keys. Both are followed
// by the device's key and the first and last places of the records the
// list is for; "hint" then by 8 bytes of the list's hash.
var (
	sendPrefix = []byte("send")
	hintPrefix = []byte("hint")
)

// placeKey is a record by its device and place in that device's chain.
type placeKey struct {
	device [ed25519.PublicKeySize]byte
	place  uint64
}

// carriedKey is the cache bucket key of a carried list.
func carriedKey(prefix []byte, device ed25519.PublicKey, first, last uint64, list []byte) []byte {
	k := append(bytes.Clone(prefix), device...)
	k = binary.BigEndian.AppendUint64(k, first)
	k = binary.BigEndian.AppendUint64(k, last)
	if list != nil {
		sum := sha256.Sum256(list)
		k = append(k, sum[:8]...)
	}
	return k
}

// parseCarriedKey reads what carriedKey makes after the prefix.
func parseCarriedKey(prefix, k []byte) (device ed25519.PublicKey, first, last uint64, ok bool) {
	rest, ok := bytes.CutPrefix(k, prefix)
	if !ok || len(rest) < ed25519.PublicKeySize+16 {
		return nil, 0, 0, false
	}
	device = ed25519.PublicKey(rest[:ed25519.PublicKeySize])
	rest = rest[ed25519.PublicKeySize:]
	return device, binary.BigEndian.Uint64(rest), binary.BigEndian.Uint64(rest[8:]), true
}

// putSendKeys seals the file keys of this device's records from place
// first on and keeps them until they are written to the sync folder.
func putSendKeys(tx *bolt.Tx, sealer KeyedSealer, device ed25519.PublicKey, first uint64, keys [][]byte) error {
	ct, err := sealCarried(tx.Bucket(bucketMeta).Get(keyID), sealer, device, first, keys)
	if err != nil {
		return err
	}
	b, err := tx.CreateBucketIfNotExists(bucketCache)
	if err != nil {
		return err
	}
	last := first + uint64(len(keys)) - 1
	if err := b.Put(carriedKey(sendPrefix, device, first, last, nil), ct); err != nil {
		return err
	}
	// Records added before it have no list yet: the mark stays for the
	// read that makes theirs (carrysend.go).
	if carriedMark(tx, device)+1 >= first {
		return setCarriedMark(tx, device, last)
	}
	return nil
}

// sealCarried seals the file keys of device's records from place first
// on, of journal id, to the journal's own recipient.
func sealCarried(id []byte, sealer KeyedSealer, device ed25519.PublicKey, first uint64, keys [][]byte) ([]byte, error) {
	head := append([]byte(carriedMagic), byte(len(id)))
	head = append(head, id...)
	head = append(head, device...)
	head = binary.BigEndian.AppendUint64(head, first)
	return sealKeys(sealer, head, keys)
}

// SealedKeys returns the sealed lists of file keys this journal keeps for
// sending with device's records from place from to place to: lists of an
// import made here, and lists a read made of records added one at a time
// (which may be in earlier segments already): every list not in the sync
// folder yet whose records end at or before place to.
func (s *Store) SealedKeys(device ed25519.PublicKey, from, to uint64) (lists [][]byte, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCache)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		p := append(bytes.Clone(sendPrefix), device...)
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			if _, _, last, ok := parseCarriedKey(sendPrefix, k); ok && last <= to {
				lists = append(lists, bytes.Clone(v))
			}
		}
		return nil
	})
	return lists, err
}

// KeysWritten drops the lists kept for sending that end at or before
// place to of device's chain: the sync folder has them now.
func (s *Store) KeysWritten(device ed25519.PublicKey, to uint64) error {
	if s.ReadOnly() {
		return nil
	}
	return s.update(func(tx *bolt.Tx) error {
		return dropCarried(tx, sendPrefix, func(d ed25519.PublicKey, _, last uint64) bool {
			return d.Equal(device) && last <= to
		})
	})
}

// AddSealedKeys keeps the sealed lists that came with the segment holding
// places first to last of device's chain, for the next read.
func (s *Store) AddSealedKeys(device ed25519.PublicKey, first, last uint64, lists [][]byte) error {
	if len(device) != ed25519.PublicKeySize || first == 0 || last < first || s.ReadOnly() {
		return nil
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketCache)
		if err != nil {
			return err
		}
		for _, l := range lists {
			if err := b.Put(carriedKey(hintPrefix, device, first, last, l), bytes.Clone(l)); err != nil {
				return err
			}
		}
		return nil
	})
}

// dropCarried deletes the carried lists under prefix that drop selects.
func dropCarried(tx *bolt.Tx, prefix []byte, drop func(device ed25519.PublicKey, first, last uint64) bool) error {
	b := tx.Bucket(bucketCache)
	if b == nil {
		return nil
	}
	var keys [][]byte
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if d, first, last, ok := parseCarriedKey(prefix, k); v != nil && (!ok || drop(d, first, last)) {
			keys = append(keys, bytes.Clone(k))
		}
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// hasHints reports whether lists that came with segments wait to be read.
func (s *Store) hasHints() bool {
	found := false
	s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketCache); b != nil {
			k, _ := b.Cursor().Seek(hintPrefix)
			found = k != nil && bytes.HasPrefix(k, hintPrefix)
		}
		return nil
	})
	return found
}

// readHints adds to keys, by device and place, the file keys of the lists
// that came with segments and that opener can open. A list that does not
// open, is not this journal's, or is not of the device whose segment
// brought it is ignored.
func (s *Store) readHints(opener Opener, keys *fileKeys) {
	id, names, lists := s.cacheLists(hintPrefix)
	for i, ct := range lists {
		from, _, _, ok := parseCarriedKey(hintPrefix, names[i])
		if !ok {
			continue
		}
		plain, err := opener.Open(ct)
		if err != nil {
			continue
		}
		device, first, fk, ok := decodeCarried(plain, id)
		if !ok || !device.Equal(from) {
			continue
		}
		for i := range fk.keys {
			keys.hint(device, first+uint64(i), fk.keys[i][:])
		}
	}
}

// cacheLists returns the journal's id and a copy of each entry of the
// cache whose key begins with prefix, key and value, in key order.
func (s *Store) cacheLists(prefix []byte) (id []byte, keys, values [][]byte) {
	s.view(func(tx *bolt.Tx) error {
		id = bytes.Clone(tx.Bucket(bucketMeta).Get(keyID))
		b := tx.Bucket(bucketCache)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if v != nil {
				keys = append(keys, bytes.Clone(k))
				values = append(values, bytes.Clone(v))
			}
		}
		return nil
	})
	return id, keys, values
}

// decodeCarried reads a carried list's plaintext, which must be of
// journal id.
func decodeCarried(plain, id []byte) (device ed25519.PublicKey, first uint64, fk *fileKeys, ok bool) {
	b, found := bytes.CutPrefix(plain, []byte(carriedMagic))
	if !found || len(b) < 1 || len(b) < 1+int(b[0])+ed25519.PublicKeySize+8 || !bytes.Equal(b[1:1+int(b[0])], id) {
		return nil, 0, nil, false
	}
	b = b[1+int(b[0]):]
	device = ed25519.PublicKey(bytes.Clone(b[:ed25519.PublicKeySize]))
	b = b[ed25519.PublicKeySize:]
	first = binary.BigEndian.Uint64(b)
	fk, rest, err := decodeFileKeys(b[8:])
	if err != nil || len(rest) != 0 || first == 0 {
		return nil, 0, nil, false
	}
	return device, first, fk, true
}

// dropHints deletes, once the cache written up to seq holds the keys of
// every record of the log, the lists that came with segments whose
// records are all merged.
func dropHints(tx *bolt.Tx, seq uint64) error {
	if end, _, err := head(tx); err != nil || end != seq {
		return err
	}
	return dropCarried(tx, hintPrefix, func(d ed25519.PublicKey, _, last uint64) bool {
		_, e, _, err := deviceHeadPos(tx, d)
		return err == nil && e != nil && e.Place >= last
	})
}

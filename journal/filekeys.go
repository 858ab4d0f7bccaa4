package journal

// # File keys
//
// Every record is an age file, encrypted with its own random file key
// that the header wraps to the journal's key. Unwrapping it is the
// public-key work of reading a record (about 0.2 ms with a post-quantum
// key); with the file key in hand, opening is symmetric work only, and a
// key that is not the record's own opens nothing (crypto/filekey.go).
//
// So the journal remembers the file key of every record it has read, in
// its cache (sealed to its own key and authenticated, cache.go), and
// reading the whole log again, for verify or to rebuild the cache, costs
// no public-key work for the records it already knows.
//
// A large Append (an import) has no key to read with, but it knows the
// file keys of the records it seals: it stores them too, sealed to the
// journal's own recipient only, as "provisional" keys in the cache bucket.
// Anyone who knows the public recipient could write such a list, so
// nothing is believed because it is there: each key is tried, and one that
// does not open its record is ignored (the record is then opened with the
// identity). A forged list can therefore slow a read down, never change
// what it shows. The first read after the import replays the log with
// these keys, writes the cache, and drops them.

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// KeyedOpener is an [Opener] that also gives each record's file key, and
// opens a record with its file key alone; crypto.Sealer is one.
type KeyedOpener interface {
	OpenKeyed(ciphertext []byte) (plaintext, fileKey []byte, err error)
	OpenWithKey(ciphertext, fileKey []byte) ([]byte, error)
}

// KeyedSealer is a [Sealer] that also gives the file key of each record it
// seals, and seals to the journal's own recipient only; crypto.Sealer is
// one.
type KeyedSealer interface {
	SealKeyed(plaintext []byte) (ciphertext, fileKey []byte, err error)
	SealToOwn(plaintext []byte) ([]byte, error)
}

// fileKeySize is the size of an age file key.
const fileKeySize = 16

// provisionalMin is the smallest Append that stores its file keys: below
// it, opening the sealed list costs as much as it saves.
const provisionalMin = 64

// provisionalPrefix starts the key, in the cache bucket, of a list of
// provisional file keys; the positions of its first and last records
// follow.
var provisionalPrefix = []byte("keys")

// provisionalMagic starts the plaintext of a list of provisional keys,
// followed by the journal's identifier (length-prefixed), the first
// record's position, the count, and the keys.
const provisionalMagic = "journal file keys 1\n"

// fileKeys are the file keys of records by position; an all-zero key is
// one not known. Hints are keys by device and place, that came with a
// sync folder's segments (carriedkeys.go), for records whose position is
// not known when they are read.
// The replay's workers get keys while the replay sets the keys of the
// records it has applied: mu guards keys.
type fileKeys struct {
	mu    sync.RWMutex
	keys  [][fileKeySize]byte
	hints map[placeKey][fileKeySize]byte
	// tips, set for one replay and read only during it, are the
	// positions of devices' newest records whose signatures verify:
	// they stand for the records of their chains before them
	// (chain.go's signedTips).
	tips map[[ed25519.PublicKeySize]byte]uint64
}

// signedByTip reports whether the signature of the newest record of e's
// device stands for the record at seq.
func (k *fileKeys) signedByTip(seq uint64, e *Envelope) bool {
	if k == nil || k.tips == nil || len(e.Device) != ed25519.PublicKeySize {
		return false
	}
	tip, ok := k.tips[[ed25519.PublicKeySize]byte(e.Device)]
	return ok && seq <= tip
}

// lookup returns the key known for the record at seq, by its position or
// else, for a signed record, by its device and place.
func (k *fileKeys) lookup(seq uint64, e *Envelope) []byte {
	if key := k.get(seq); key != nil || k == nil || !e.Signed() || len(e.Device) != ed25519.PublicKeySize {
		return key
	}
	var p placeKey
	copy(p.device[:], e.Device)
	p.place = e.Place
	k.mu.RLock()
	defer k.mu.RUnlock()
	if key, ok := k.hints[p]; ok {
		return key[:]
	}
	return nil
}

// hint adds the key of a device's record at place.
func (k *fileKeys) hint(device ed25519.PublicKey, place uint64, key []byte) {
	if k == nil || len(device) != ed25519.PublicKeySize || len(key) != fileKeySize || bytes.Equal(key, make([]byte, fileKeySize)) {
		return
	}
	var p placeKey
	copy(p.device[:], device)
	p.place = place
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.hints == nil {
		k.hints = map[placeKey][fileKeySize]byte{}
	}
	k.hints[p] = [fileKeySize]byte(key)
}

func (k *fileKeys) get(seq uint64) []byte {
	if k == nil || seq == 0 {
		return nil
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	if seq > uint64(len(k.keys)) || k.keys[seq-1] == [fileKeySize]byte{} {
		return nil
	}
	key := k.keys[seq-1]
	return key[:]
}

func (k *fileKeys) set(seq uint64, key []byte) {
	if k == nil || seq == 0 || len(key) != fileKeySize {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for uint64(len(k.keys)) < seq {
		k.keys = append(k.keys, [fileKeySize]byte{})
	}
	copy(k.keys[seq-1][:], key)
}

// appendTo encodes the keys: their count, then the keys.
func (k *fileKeys) appendTo(b []byte) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(len(k.keys)))
	for _, key := range k.keys {
		b = append(b, key[:]...)
	}
	return b
}

// decodeFileKeys reads what appendTo writes and returns the rest.
func decodeFileKeys(b []byte) (*fileKeys, []byte, error) {
	if len(b) < 8 {
		return nil, nil, errCacheCodec
	}
	n := binary.BigEndian.Uint64(b)
	b = b[8:]
	if n > uint64(len(b))/fileKeySize {
		return nil, nil, errCacheCodec
	}
	k := &fileKeys{keys: make([][fileKeySize]byte, n)}
	for i := range k.keys {
		copy(k.keys[i][:], b[i*fileKeySize:])
	}
	return k, b[n*fileKeySize:], nil
}

// openRecordKeyed opens and decodes the record at seq, with its known file
// key when there is one that opens it, otherwise with the identity. It
// returns the file key, when the opener can give it.
func openRecordKeyed(opener Opener, keys *fileKeys, seq uint64, e *Envelope) (*Record, []byte, error) {
	ko, ok := opener.(KeyedOpener)
	if !ok {
		r, err := OpenRecord(opener, seq, e)
		return r, nil, err
	}
	if e.Signed() && !keys.signedByTip(seq, e) && !e.SignatureValid() {
		return nil, nil, &IntegrityError{Seq: seq, Reason: "its signature does not verify: it was changed after its device signed it, or forged"}
	}
	key := keys.lookup(seq, e)
	plain, err := []byte(nil), error(nil)
	if key != nil {
		plain, err = ko.OpenWithKey(e.Ciphertext, key)
	}
	if key == nil || err != nil {
		// Not known, or not this record's: the identity opens it.
		plain, key, err = ko.OpenKeyed(e.Ciphertext)
	}
	if keyUnavailable(err) {
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, &IntegrityError{Seq: seq, Reason: "does not decrypt: " + err.Error(), Err: err}
	}
	r, err := DecodeRecord(plain)
	if err != nil {
		return nil, nil, &IntegrityError{Seq: seq, Reason: err.Error()}
	}
	if err := checkInner(e, r); err != nil {
		return nil, nil, &IntegrityError{Seq: seq, Reason: err.Error()}
	}
	return r, key, nil
}

// putProvisional stores the file keys of the records first to
// first+len(keys)-1, sealed to the journal's own recipient.
func putProvisional(tx *bolt.Tx, sealer KeyedSealer, first uint64, keys [][]byte) error {
	id := tx.Bucket(bucketMeta).Get(keyID)
	head := append([]byte(provisionalMagic), byte(len(id)))
	head = append(head, id...)
	head = binary.BigEndian.AppendUint64(head, first)
	ct, err := sealKeys(sealer, head, keys)
	if err != nil {
		return err
	}
	b, err := tx.CreateBucketIfNotExists(bucketCache)
	if err != nil {
		return err
	}
	key := append(append(bytes.Clone(provisionalPrefix), u64(first)...), u64(first+uint64(len(keys))-1)...)
	return b.Put(key, ct)
}

// sealKeys seals a list of file keys, after head (what the list is and
// what it is for), to the journal's own recipient only.
func sealKeys(sealer KeyedSealer, head []byte, keys [][]byte) ([]byte, error) {
	fk := &fileKeys{}
	for i, k := range keys {
		fk.set(uint64(i+1), k)
	}
	ct, err := sealer.SealToOwn(fk.appendTo(head))
	if err != nil {
		return nil, fmt.Errorf("sealing the file keys: %w", err)
	}
	return ct, nil
}

// readProvisional adds to keys the provisional file keys of records after
// seq that opener can open. A list that does not open, or is not this
// journal's, is ignored: the keys are only ever tried.
func (s *Store) readProvisional(opener Opener, seq uint64, keys *fileKeys) {
	id, _, lists := s.cacheLists(provisionalPrefix)
	for _, ct := range lists {
		plain, err := opener.Open(ct)
		if err != nil || !bytes.HasPrefix(plain, []byte(provisionalMagic)) {
			continue
		}
		b := plain[len(provisionalMagic):]
		if len(b) < 1 || len(b) < 1+int(b[0])+8 || !bytes.Equal(b[1:1+int(b[0])], id) {
			continue
		}
		b = b[1+int(b[0]):]
		first := binary.BigEndian.Uint64(b)
		fk, _, err := decodeFileKeys(b[8:])
		if err != nil {
			continue
		}
		for i := range fk.keys {
			if at := first + uint64(i); at > seq && keys.get(at) == nil {
				keys.set(at, fk.keys[i][:])
			}
		}
	}
}

// dropProvisional removes the lists of provisional keys whose last record
// is at or before seq: the cache, written up to seq, now has their keys.
func dropProvisional(tx *bolt.Tx, seq uint64) error {
	b := tx.Bucket(bucketCache)
	if b == nil {
		return nil
	}
	var drop [][]byte
	c := b.Cursor()
	for k, v := c.Seek(provisionalPrefix); k != nil && bytes.HasPrefix(k, provisionalPrefix); k, v = c.Next() {
		if len(k) == len(provisionalPrefix)+16 && binary.BigEndian.Uint64(k[len(provisionalPrefix)+8:]) <= seq && v != nil {
			drop = append(drop, bytes.Clone(k))
		}
	}
	for _, k := range drop {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// hasProvisional reports whether a list of provisional keys reaches past
// the record at seq.
func (s *Store) hasProvisional(seq uint64) bool {
	found := false
	s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCache)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, _ := c.Seek(provisionalPrefix); k != nil && bytes.HasPrefix(k, provisionalPrefix); k, _ = c.Next() {
			if len(k) == len(provisionalPrefix)+16 && binary.BigEndian.Uint64(k[len(provisionalPrefix)+8:]) > seq {
				found = true
				return nil
			}
		}
		return nil
	})
	return found
}

// knownFileKeys returns the file keys the journal holds for its records:
// those of its cache when opener can open it, and provisional ones.
func (s *Store) knownFileKeys(opener Opener) *fileKeys {
	fk := &fileKeys{}
	if keys, ok := opener.(CacheKeys); ok && len(keys.CacheSecret()) >= 16 {
		if _, c, err := s.readCache(keys); err == nil && c != nil {
			fk = c.keys
		}
	}
	s.readProvisional(opener, 0, fk)
	s.readHints(opener, fk)
	return fk
}

package journal

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// chainChecker follows the log record by record and checks how each one
// hangs on what came before: a version 1 record on the one before it in
// the log; a signed record on the previous record of its own device's
// chain, at the next place, citing a manifest statement that enrols its
// device. Signatures themselves are checked where records are decrypted
// ([OpenRecord]), on every processor.
type chainChecker struct {
	log      *bolt.Bucket
	id       []byte
	manifest *Manifest
	// v1prev is the hash of the last version 1 record; signed is set once
	// a signed record was met (no unsigned one may follow).
	v1prev [32]byte
	signed bool
	heads  map[string]deviceHead
	// complete is set when every record before the current one was read
	// by this checker, so there is no need to look back.
	complete bool
}

// deviceHead is the newest record of a device's chain met so far.
type deviceHead struct {
	place    uint64
	hash     [32]byte
	manifest uint64
}

func newChainChecker(tx *bolt.Tx) (*chainChecker, error) {
	m, err := readManifest(tx)
	if err != nil {
		return nil, err
	}
	id := tx.Bucket(bucketMeta).Get(keyID)
	return &chainChecker{log: tx.Bucket(bucketLog), id: id, manifest: m,
		v1prev: genesis(id), heads: map[string]deviceHead{}}, nil
}

// startAfter sets the checker as if it had read every record up to and
// including position from. For signed records it looks back only as far
// as it needs, device by device, when it meets them (see headOf).
func (c *chainChecker) startAfter(from uint64, v []byte) {
	if len(v) > 0 && v[0] == envelopeV2 {
		c.signed = true
		return
	}
	c.v1prev = Hash(from, v)
}

// headOf finds the newest record of device dev before position seq, by
// looking back through the log.
func (c *chainChecker) headOf(dev string, seq uint64) (deviceHead, error) {
	if h, ok := c.heads[dev]; ok || c.complete {
		return h, nil
	}
	cur := c.log.Cursor()
	k, _ := cur.Seek(u64(seq))
	var v []byte
	if k == nil {
		k, v = cur.Last()
	} else {
		k, v = cur.Prev()
	}
	for ; k != nil; k, v = cur.Prev() {
		if len(v) == 0 || v[0] != envelopeV2 {
			break
		}
		e, err := decodeEnvelopeV2(v)
		if err != nil {
			return deviceHead{}, &IntegrityError{Seq: binary.BigEndian.Uint64(k), Reason: err.Error()}
		}
		if DeviceName(e.Device) == dev {
			h := deviceHead{place: e.Place, hash: hashV2(v), manifest: e.Manifest.N}
			c.heads[dev] = h
			return h, nil
		}
	}
	return deviceHead{}, nil
}

// next checks the record stored as v at position seq and returns its
// envelope and chain hash.
func (c *chainChecker) next(seq uint64, v []byte) (*Envelope, [32]byte, error) {
	bad := func(format string, args ...any) error {
		return &IntegrityError{Seq: seq, Reason: fmt.Sprintf(format, args...)}
	}
	e, err := DecodeEnvelope(v)
	if err != nil {
		return nil, [32]byte{}, bad("%v", err)
	}
	if !e.Signed() {
		if c.signed {
			return nil, [32]byte{}, bad("is an unsigned record after signed ones: it was added by someone without a device key")
		}
		if e.Prev != c.v1prev {
			return nil, [32]byte{}, bad("the chain is broken: it does not follow the record before it")
		}
		c.v1prev = Hash(seq, v)
		return e, c.v1prev, nil
	}
	c.signed = true
	if c.manifest == nil {
		return nil, [32]byte{}, bad("is a signed record in a journal of format version 1, which has no devices")
	}
	if !bytes.Equal(e.Journal, c.id) {
		return nil, [32]byte{}, bad("belongs to another journal: it was signed by a device of that journal")
	}
	cited, ok := c.manifest.Find(e.Manifest)
	if !ok {
		return nil, [32]byte{}, bad("cites a statement of the manifest that this journal does not have: it was signed by no enrolled device")
	}
	dev := DeviceName(e.Device)
	entry := cited.Device(e.Device)
	if entry == nil {
		return nil, [32]byte{}, bad("is signed by no enrolled device (key %s)", shortKey(dev))
	}
	if entry.RetiredAt != nil {
		return nil, [32]byte{}, bad("is signed by the device %q after it was retired", entry.Name)
	}
	h, err := c.headOf(dev, seq)
	if err != nil {
		return nil, [32]byte{}, err
	}
	want := DeviceGenesis(c.id, e.Device)
	if h.place > 0 {
		want = h.hash
	}
	if e.Place != h.place+1 {
		return nil, [32]byte{}, bad("is out of place: the device %q's record %d should come here, not its record %d; records were removed or moved", entry.Name, h.place+1, e.Place)
	}
	if e.Prev != want {
		return nil, [32]byte{}, bad("the chain is broken: it does not follow the previous record of the device %q", entry.Name)
	}
	if e.Manifest.N < h.manifest {
		return nil, [32]byte{}, bad("cites an older statement of the manifest than the record before it")
	}
	hash := hashV2(v)
	c.heads[dev] = deviceHead{place: e.Place, hash: hash, manifest: e.Manifest.N}
	return e, hash, nil
}

func shortKey(k string) string {
	if len(k) > 12 {
		return k[:12]
	}
	return k
}

// signedTips returns, for each device whose newest record is after
// position from, that record's position, when its signature verifies.
//
// Each signed record names the hash of the whole record before it in its
// device's chain, signature included, and the chain checker checks that
// link for every record it reads, in log order. So the signature of a
// device's newest record covers every record of its chain before it, as a
// signed commit covers its history: a replay that reads the chain up to
// that record unbroken need not check each record's signature. Verify
// checks each all the same, and so does a merge (merge.go): a record whose
// own signature does not verify, named by a later one its device signed,
// can be in the journal only if someone with that device's key put it
// there, and that person can sign whatever they like.
func (s *Store) signedTips(from uint64) (map[[ed25519.PublicKeySize]byte]uint64, error) {
	tips := map[[ed25519.PublicKeySize]byte]uint64{}
	err := s.view(func(tx *bolt.Tx) error {
		idx := tx.Bucket(bucketHeads)
		if idx == nil {
			return nil
		}
		return idx.ForEach(func(name, pos []byte) error {
			if len(pos) != 8 || binary.BigEndian.Uint64(pos) <= from {
				return nil
			}
			e, err := decodeEnvelopeV2(tx.Bucket(bucketLog).Get(pos))
			if err == nil && DeviceName(e.Device) == string(name) && e.SignatureValid() {
				tips[[ed25519.PublicKeySize]byte(e.Device)] = binary.BigEndian.Uint64(pos)
			}
			return nil
		})
	})
	return tips, err
}

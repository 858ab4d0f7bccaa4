package journal

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"os"

	bolt "go.etcd.io/bbolt"
)

// PrepareCacheForTest makes st, which may differ from what the log gives,
// the cache written when s is closed.
func PrepareCacheForTest(s *Store, keys CacheKeys, st *State) {
	var last [32]byte
	s.view(func(tx *bolt.Tx) error {
		_, last, _ = head(tx)
		return nil
	})
	if err := s.prepareCache(keys, st, last, nil); err != nil {
		panic(err)
	}
}

// CheckCacheForTest replays the whole log and checks the cache against it,
// as Verify does.
func CheckCacheForTest(s *Store, opener Opener) error {
	st := NewState()
	if _, _, err := s.replayFrom(opener, st, &fileKeys{}, nil); err != nil {
		return err
	}
	rep := &VerifyReport{State: st}
	err := s.view(func(tx *bolt.Tx) error {
		rep.chain = append(rep.chain, genesis(tx.Bucket(bucketMeta).Get(keyID)))
		return nil
	})
	if err != nil {
		return err
	}
	err = s.Scan(0, func(seq uint64, e *Envelope, hash [32]byte) error {
		rep.chain = append(rep.chain, hash)
		return nil
	})
	if err != nil {
		return err
	}
	return s.checkCache(opener, rep)
}

// PutProvisionalForTest stores a list of provisional file keys, as a large
// Append does, or as anyone who knows the public recipient could.
func PutProvisionalForTest(s *Store, sealer KeyedSealer, first uint64, keys [][]byte) error {
	return s.update(func(tx *bolt.Tx) error { return putProvisional(tx, sealer, first, keys) })
}

// CacheSeqForTest returns the record the cache was written up to, 0 when
// there is none.
func CacheSeqForTest(s *Store, keys CacheKeys) uint64 {
	_, c, err := s.readCache(keys)
	if err != nil || c == nil {
		return 0
	}
	return c.seq
}

// StreamFromForTest makes every cache of at least n bytes read one
// incident at a time, and returns the function that puts it back.
func StreamFromForTest(n int64) func() {
	old := streamFrom
	streamFrom = n
	return func() { streamFrom = old }
}

// StreamedForTest reports whether sel reads its incidents from the cache
// one at a time, rather than from a State in memory.
func StreamedForTest(sel *Selection) bool { return sel.close != nil }

// DropProvisionalForTest forgets the provisional file keys a large Append
// left, as a computer that pulled the records never had them.
func DropProvisionalForTest(s *Store) error {
	return s.update(func(tx *bolt.Tx) error { return dropProvisional(tx, math.MaxUint64) })
}

// SealCarriedForTest seals a list of file keys of device's records from
// place first on, as a device that imports does, or as anyone who knows
// the public recipient could.
func SealCarriedForTest(s *Store, sealer KeyedSealer, device ed25519.PublicKey, first uint64, keys [][]byte) ([]byte, error) {
	return sealCarried(s.ID(), sealer, device, first, keys)
}

// SetVoidBatchForTest makes VoidImport record n voids a transaction, and
// returns what puts it back.
func SetVoidBatchForTest(n int) func() {
	old := voidBatch
	voidBatch = n
	return func() { voidBatch = old }
}

// OtherSchemaForTest makes caches read and written until the returned
// function is called carry another stateSchema, as a build of another
// version of State would.
func OtherSchemaForTest() func() {
	was := stateSchema
	stateSchema = func() [8]byte { s := was(); s[0] ^= 0xff; return s }
	return func() { stateSchema = was }
}

// CachePlainForTest returns the plaintext of the cache file, opened with
// keys.
func CachePlainForTest(s *Store, keys CacheKeys) ([]byte, error) {
	_, plain, _, _, openErr, err := s.openCache(keys)
	if err != nil {
		return nil, err
	}
	return plain, openErr
}

// CacheCiphertextForTest returns the sealed cache as stored.
func CacheCiphertextForTest(s *Store) []byte {
	ct, _ := os.ReadFile(CachePath(s.path))
	return ct
}

// PutCacheCiphertextForTest stores ct as the sealed cache, as anyone who
// can write the journal's folder could.
func PutCacheCiphertextForTest(s *Store, ct []byte) error {
	return os.WriteFile(CachePath(s.path), ct, 0o600)
}

// SealCacheV3ForTest seals st as a cache of format 3 (an HMAC of the whole
// plaintext at its end), whose file keys are those the log's records are
// sealed with, as the version before this one wrote it.
func SealCacheV3ForTest(s *Store, keys CacheKeys, opener Opener, st *State) ([]byte, error) {
	fk := &fileKeys{}
	if _, _, err := s.replayFrom(opener, NewState(), fk, nil); err != nil {
		return nil, err
	}
	var last [32]byte
	s.view(func(tx *bolt.Tx) error {
		_, last, _ = head(tx)
		return nil
	})
	id, _ := s.Meta()
	body, err := encodeState(st)
	if err != nil {
		return nil, err
	}
	plain := append([]byte(cacheMagicV3), make([]byte, 8)...)
	plain = binary.BigEndian.AppendUint64(plain, st.Seq)
	plain = append(plain, last[:]...)
	plain = fk.appendTo(plain)
	plain = append(plain, body...)
	m := hmac.New(sha256.New, keys.CacheSecret())
	m.Write([]byte("journal cache tag v1\x00"))
	m.Write(id.ID)
	m.Write(plain)
	return keys.Seal(m.Sum(plain))
}

// CacheTagAtForTest is where a cache's tag lies in its plaintext: it
// differs from one sealing to the next (it marks the file key).
const CacheTagAtForTest = len(cacheMagic) + 8

// EncodeUnchangedForTest makes a cache written anew by a selection encode
// every incident again, as when the table of device names changes.
func EncodeUnchangedForTest() func() {
	copyUnchanged = false
	return func() { copyUnchanged = true }
}

// SetCompactStageForTest makes Compact call fn at each of its steps.
func SetCompactStageForTest(fn func(stage string) error) { compactStage = fn }

// SetOpenedHookForTest makes Open call fn once it has opened the file,
// before it waits for the lock.
func SetOpenedHookForTest(fn func()) { openedHook = fn }

// PutOldCacheForTest puts a value of n bytes where an earlier version kept
// its cache in the journal file, and deletes it again if drop is set: the
// pages it took are then free pages of the file.
func PutOldCacheForTest(path string, n int, drop bool) error {
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCache).Put(keyState, make([]byte, n))
	}); err != nil || !drop {
		return err
	}
	return db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketCache).Delete(keyState) })
}

// HasOldCacheForTest says whether the journal file holds a cache where an
// earlier version kept it.
func HasOldCacheForTest(path string) (has bool) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db.View(func(tx *bolt.Tx) error {
		has = tx.Bucket(bucketCache).Get(keyState) != nil
		return nil
	})
	return has
}

// PinReadsForTest forgets what this process read of pin files, and
// returns a function that says how many times a pin file was read from
// the disk since.
func PinReadsForTest() func() int64 {
	rememberPin("", nil, nil)
	pinFileReads.Store(0)
	return func() int64 { return pinFileReads.Load() }
}

// ProvisionalForTest reports whether the journal holds a list of
// provisional file keys of records after the one at seq.
func ProvisionalForTest(s *Store, seq uint64) bool { return s.hasProvisional(seq) }

// DigestsForTest returns the digests an import index holds, counted.
func (idx *ImportIndex) DigestsForTest() map[[16]byte]int32 { return idx.have }

package journal

import (
	"encoding/hex"
	"errors"
)

// ImportIndex is what an import needs to know of the journal: the digest
// of every item imported so far, counted, and the number of the latest
// import. It is read without the state of the whole journal, so that
// importing into a large journal stays in bounded memory: 16 bytes and a
// count per imported incident.
type ImportIndex struct {
	Last uint64
	have map[[16]byte]int32
}

// ReadImportIndex reads the import index. The caller holds the store open
// for writing, so that no other import can come between.
//
// Where the cache can be read one incident at a time (its tag checked, the
// log holding the record it was written up to, few records since), the
// digests are those of its incidents, then of the records since, each
// opened and checked: an import into a large journal costs what its own
// incidents cost, not a public-key operation for every record. Otherwise
// every record is opened, with the chain checked.
func (s *Store) ReadImportIndex(opener Opener) (*ImportIndex, error) {
	idx := &ImportIndex{have: map[[16]byte]int32{}}
	add := func(in uint64, key string) {
		if key != "" {
			idx.have[digestKey(key)]++
			idx.Last = max(idx.Last, in)
		}
	}
	err := s.importIndexFromCache(opener, add)
	if err == nil {
		return idx, nil
	}
	if !errors.Is(err, errNotStreamed) {
		return nil, err
	}
	clear(idx.have)
	idx.Last = 0
	err = s.Scan(0, func(seq uint64, e *Envelope, _ [32]byte) error {
		r, err := OpenRecord(opener, seq, e)
		if err != nil {
			return err
		}
		if r.Type == TypeIncident {
			add(r.Import, r.ImportKey)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return idx, nil
}

// importIndexFromCache gives add the import and digest of every incident
// of the cache, then of every incident recorded since; errNotStreamed
// when the cache cannot be read so.
func (s *Store) importIndexFromCache(opener Opener, add func(in uint64, key string)) error {
	keys, ok := opener.(CacheKeys)
	ro, ok2 := opener.(ReaderAtOpener)
	if !ok || !ok2 || len(keys.CacheSecret()) < 16 {
		return errNotStreamed
	}
	sc, err := s.openStreamedCache(keys, ro, 0)
	if err != nil {
		return err
	}
	defer sc.f.Close()
	if _, _, err := sc.old.incidents(func(in *Incident, _ []byte) { add(in.Import, in.ImportKey) }); err != nil {
		return errNotStreamed
	}
	// The records since, with the file keys a large write left for them.
	fk := &fileKeys{}
	if s.hasProvisional(sc.c.seq) {
		s.readProvisional(keys, sc.c.seq, fk)
	}
	return s.Scan(sc.c.seq, func(seq uint64, e *Envelope, _ [32]byte) error {
		r, _, err := openRecordKeyed(opener, fk, seq, e)
		if err != nil {
			return err
		}
		if r.Type == TypeIncident {
			add(r.Import, r.ImportKey)
		}
		return nil
	})
}

// digestKey is the map key of an [ImportDigest].
func digestKey(digest string) [16]byte {
	var k [16]byte
	hex.Decode(k[:], []byte(digest))
	return k
}

package journal

// # The cache's plaintext
//
//	cacheMagic | stateSchema (8) | tag (32) | seq (8) | hash of record seq (32)
//	| the file keys of records 1 to seq (filekeys.go) | the State (cachecodec.go)
//
// The cache is an age file sealed to the journal's recipients, so anyone
// who knows them could seal one. The tag says who sealed it, and for which
// file: an HMAC, keyed with the identity's cache secret, of the journal's
// identifier followed by the journal file's own (cachebind.go), and of the
// age file key this cache is sealed with. age authenticates every
// 64 KiB chunk of the payload under that file key (ChaCha20-Poly1305, the
// last chunk marked as last), and nobody without the secret can make the
// tag of a file key, nor, without the file key, a chunk that
// authenticates under it. So once the tag is checked, before anything is
// decoded, every byte read after it is one the identity's holder wrote for
// this journal: the cache is read in one pass, chunk by chunk, with
// nothing to hash over the whole of it again.
//
// A cache of format 3 (cacheMagicV3) carried an HMAC of its whole
// plaintext at its end instead. It is still read, once, for its file keys
// (after that HMAC is checked), so that rebuilding the state from the log
// needs no public-key work for the records they open.

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"sync"

	"github.com/journal-dev/journal/stamp"
)

// cacheMagic starts the plaintext of a cache, followed by stateSchema: a
// cache of another format is not read but rebuilt; one written when State
// had another shape is rebuilt too, with the file keys it holds.
const cacheMagic = "journal cache 4\n"

// systemRoots names the system's root certificates, once a process (see
// [stamp.SystemRootsID]); a test replaces it.
var systemRoots = sync.OnceValue(stamp.SystemRootsID)

// cacheSchema is what a cache's plaintext says after cacheMagic: the
// shape of State (stateSchema), and, for a state that holds stamps, the
// system's root certificates their tokens were checked against. A stamp's
// result is kept in the cache (stamptoken.go); a root removed from the
// system since (or one added) makes the cache stale, so that the next read
// checks every token again, as verify does, instead of showing a time as
// proven by a root this computer no longer trusts. A journal without
// stamps is not rebuilt when the roots change.
func cacheSchema(stamps bool) [8]byte {
	s := stateSchema()
	if id := systemRoots(); stamps && id != "" {
		sum := sha256.Sum256(append(append([]byte("journal cache roots\x00"), s[:]...), id...))
		copy(s[:], sum[:])
	}
	return s
}

// cacheMagicV3 starts a cache of the format before, read for its file
// keys only.
const cacheMagicV3 = "journal cache 3\n"

// cacheHeader is the size of the plaintext before the file keys.
const cacheHeader = len(cacheMagic) + 8 + sha256.Size + 8 + 32

// cacheTag is the tag that marks a cache sealed with fileKey as written by
// the holder of the journal's identity, for this journal.
func cacheTag(secret, journalID, fileKey []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("journal cache tag v2\x00"))
	m.Write(journalID)
	m.Write(fileKey)
	return m.Sum(nil)
}

// checkCacheHeader checks the first cacheHeader bytes of a cache's
// plaintext, sealed with fileKey, and returns the record it was written
// up to. Nothing else of it is read before the tag is checked. A cache of
// another shape of State is stale: only its file keys may be used.
func checkCacheHeader(head, secret, journalID, fileKey []byte) (*cached, error) {
	if len(head) < cacheHeader || string(head[:len(cacheMagic)]) != cacheMagic {
		return nil, &damagedCacheError{"it is not a cache of this version"}
	}
	at := len(cacheMagic) + 8
	if len(fileKey) == 0 || !hmac.Equal(head[at:at+sha256.Size], cacheTag(secret, journalID, fileKey)) {
		return nil, &damagedCacheError{"it does not authenticate"}
	}
	at += sha256.Size
	schema := head[len(cacheMagic) : len(cacheMagic)+8]
	plain, rooted := cacheSchema(false), cacheSchema(true)
	c := &cached{seq: binary.BigEndian.Uint64(head[at:]),
		stale: !bytes.Equal(schema, plain[:]) && !bytes.Equal(schema, rooted[:])}
	copy(c.hash[:], head[at+8:cacheHeader])
	return c, nil
}

// openedCache reads a cache's whole plaintext, sealed with fileKey.
func openedCache(plain, secret, journalID, fileKey []byte) (*cached, error) {
	if bytes.HasPrefix(plain, []byte(cacheMagicV3)) {
		// Written before files had identifiers of their own: its tag
		// covers the journal's alone. Its file keys are only tried.
		return cacheV3Keys(plain, secret, journalID[:min(len(journalID), journalIDLen)])
	}
	c, err := checkCacheHeader(plain, secret, journalID, fileKey)
	if err != nil {
		return nil, err
	}
	keys, body, err := decodeFileKeys(plain[cacheHeader:])
	if err != nil {
		return nil, &damagedCacheError{"its file keys do not decode"}
	}
	c.keys = keys
	if !c.stale {
		c.body = body
	}
	return c, nil
}

// cacheV3Keys reads the file keys of a cache of format 3, whose HMAC
// covers the journal's identifier and all of the plaintext before it.
func cacheV3Keys(plain, secret, journalID []byte) (*cached, error) {
	const head = len(cacheMagicV3) + 8 + 8 + 32
	if len(plain) < head+8+sha256.Size {
		return nil, &damagedCacheError{"it is not a cache of this version"}
	}
	body, tag := plain[:len(plain)-sha256.Size], plain[len(plain)-sha256.Size:]
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("journal cache tag v1\x00"))
	m.Write(journalID)
	m.Write(body)
	if !hmac.Equal(tag, m.Sum(nil)) {
		return nil, &damagedCacheError{"it does not authenticate"}
	}
	c := &cached{seq: binary.BigEndian.Uint64(body[len(cacheMagicV3)+8:]), stale: true}
	copy(c.hash[:], body[len(cacheMagicV3)+16:head])
	keys, _, err := decodeFileKeys(body[head:])
	if err != nil {
		return nil, &damagedCacheError{"its file keys do not decode"}
	}
	c.keys = keys
	return c, nil
}

// sealCache seals st, whose last record has the chain hash last, with the
// file keys fk, as a cache: encoded and sealed a little at a time, so that
// only the sealed cache is ever held, in pieces of pieceSize.
func sealCache(keys CacheKeys, journalID []byte, st *State, last [32]byte, fk *fileKeys) ([][]byte, error) {
	var out pieces
	w, fileKey, err := keys.SealStreamKeyed(&out)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 0, cacheHeader+8)
	head = append(head, cacheMagic...)
	schema := cacheSchema(len(st.Stamps) > 0)
	head = append(head, schema[:]...)
	head = append(head, cacheTag(keys.CacheSecret(), journalID, fileKey)...)
	head = binary.BigEndian.AppendUint64(head, st.Seq)
	head = append(head, last[:]...)
	if uint64(len(fk.keys)) > st.Seq {
		fk = &fileKeys{keys: fk.keys[:st.Seq]}
	}
	if _, err := w.Write(fk.appendTo(head)); err != nil {
		return nil, err
	}
	if err := writeState(w, st); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.ps, nil
}

// pieces is a buffer that grows by pieces rather than by copying all it
// holds into a buffer twice as large.
type pieces struct{ ps [][]byte }

const pieceSize = 1 << 20

func (p *pieces) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 {
		if len(p.ps) == 0 || len(p.ps[len(p.ps)-1]) == pieceSize {
			p.ps = append(p.ps, make([]byte, 0, pieceSize))
		}
		last := &p.ps[len(p.ps)-1]
		k := min(len(b), pieceSize-len(*last))
		*last = append(*last, b[:k]...)
		b = b[k:]
	}
	return n, nil
}

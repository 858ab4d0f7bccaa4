package journal

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"testing"
)

// FuzzOpenedCache feeds the reading of a cache's plaintext (either
// format) any bytes: it must refuse what is not tagged for this secret,
// journal and file key without a panic, and give a state's encoding only
// with a tag that checks.
func FuzzOpenedCache(f *testing.F) {
	secret, id, fileKey := bytes.Repeat([]byte{1}, 32), []byte("journal id"), bytes.Repeat([]byte{2}, 16)
	body := addStateSeeds(f)
	fk := &fileKeys{}
	fk.set(1, bytes.Repeat([]byte{3}, 16))
	schema := stateSchema()
	v4 := append([]byte(cacheMagic), schema[:]...)
	v4 = append(v4, cacheTag(secret, id, fileKey)...)
	v4 = binary.BigEndian.AppendUint64(v4, 1)
	v4 = append(v4, make([]byte, 32)...)
	v4 = append(fk.appendTo(v4), body...)
	f.Add(v4)
	v3 := append([]byte(cacheMagicV3), schema[:]...)
	v3 = binary.BigEndian.AppendUint64(v3, 1)
	v3 = append(v3, make([]byte, 32)...)
	v3 = append(fk.appendTo(v3), body...)
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("journal cache tag v1\x00"))
	m.Write(id)
	m.Write(v3)
	f.Add(m.Sum(v3))
	f.Fuzz(func(t *testing.T, plain []byte) {
		c, err := openedCache(plain, secret, id, fileKey)
		if err != nil {
			return
		}
		if c.body != nil {
			at := len(cacheMagic) + 8
			if !hmac.Equal(plain[at:at+sha256.Size], cacheTag(secret, id, fileKey)) {
				t.Fatal("a state was given from a cache whose tag does not check")
			}
			decodeState(c.body) // refuses or decodes, never panics
		}
		if len(c.keys.keys) > len(plain)/fileKeySize {
			t.Fatalf("%d file keys from %d bytes", len(c.keys.keys), len(plain))
		}
	})
}

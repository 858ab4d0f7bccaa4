package crypto

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
)

// CacheSecret returns a 32-byte secret derived from the Sealer's first
// identity, or nil when it holds none. The journal uses it to mark the
// cache of its decoded state as written by the holder of the identity:
// anyone who knows the public recipients can seal a ciphertext to them,
// but only the identity gives this secret.
func (s *Sealer) CacheSecret() []byte {
	for _, id := range s.identities {
		str, ok := id.(fmt.Stringer)
		if !ok {
			continue
		}
		key, err := hkdf.Key(sha256.New, []byte(str.String()), nil, "journal cache secret v1", 32)
		if err != nil {
			return nil
		}
		return key
	}
	return nil
}

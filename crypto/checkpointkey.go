package crypto

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
)

// CheckpointSeed returns the 32-byte seed of the journal's checkpoint
// signing key, derived from the Sealer's first identity and bound to the
// journal's identifier, or nil when the Sealer holds no identity. Only
// whoever can unlock the journal can sign its checkpoints.
func (s *Sealer) CheckpointSeed(journalID []byte) []byte {
	for _, id := range s.identities {
		str, ok := id.(fmt.Stringer)
		if !ok {
			continue
		}
		key, err := hkdf.Key(sha256.New, []byte(str.String()), journalID, "journal checkpoint key v1", 32)
		if err != nil {
			return nil
		}
		return key
	}
	return nil
}

package crypto

// CacheSecret returns a 32-byte secret derived from the Sealer's first
// identity, or nil when it holds none. The journal uses it to mark the
// cache of its decoded state as written by the holder of the identity:
// anyone who knows the public recipients can seal a ciphertext to them,
// but only the identity gives this secret.
func (s *Sealer) CacheSecret() []byte {
	if s.first == nil {
		return nil
	}
	return s.first.CacheSecret()
}

package journal

import (
	"encoding/hex"
	"strings"

	"github.com/journal-dev/journal/stamp"
)

// A stamp proves an incident only if its token holds: the authority's
// signature over exactly the head the stamp record names, by a
// certificate for timestamping that chains to a trusted root, at the time
// and by the authority the record says. The state checks it once, when it
// first applies the stamp (the cache keeps the result), so that show, the
// timeline and the reports never call proven what verify would refuse.
// verify checks every token again.

// CarriedRoot is a root certificate a journal carries (given with
// --tsa-roots and kept with the stamp) that a token holds only by: anyone
// who can write the journal can give one of their own making, so a time it
// proves holds only for someone who trusts that root as the authority's.
type CarriedRoot struct {
	// Name is the root certificate's common name (or organisation).
	Name string `json:"name"`
	// SHA256 is the SHA-256 of the certificate, in hex: the fingerprint to
	// compare with the one the authority publishes.
	SHA256 string `json:"sha256"`
}

// Fingerprint is the root's SHA-256 fingerprint as openssl prints it
// (upper-case hex, bytes joined by colons).
func (c *CarriedRoot) Fingerprint() string {
	h := strings.ToUpper(c.SHA256)
	var b strings.Builder
	for i := 0; i+2 <= len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// tokenHolds checks a stamp's token against the head its record names,
// trusting the system's roots and those the stamp carries. carried is
// set when the token holds only by one the stamp carries.
func tokenHolds(s *Stamp) (holds bool, carried *CarriedRoot) {
	head, err := hex.DecodeString(s.Head)
	if err != nil || len(head) != 32 {
		return false, nil
	}
	roots, err := stamp.Roots(s.Roots)
	if err != nil {
		return false, nil
	}
	tok, err := stamp.Check(s.Reply, [32]byte(head), roots)
	if err != nil || !tok.Time.Equal(s.Time) || tok.Authority != s.Authority {
		return false, nil
	}
	if tok.RootGiven {
		carried = &CarriedRoot{Name: tok.Root, SHA256: hex.EncodeToString(tok.RootSHA256[:])}
	}
	return true, carried
}

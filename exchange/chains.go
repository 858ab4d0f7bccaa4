package exchange

import (
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/syncfolder"
)

// chains lets syncfolder read and fill the journal's device chains. It is
// also a [syncfolder.KeyLists], so that the file keys of imported records
// travel with their segments (journal/carriedkeys.go), and a
// [syncfolder.SeenSegments].
type chains struct{ s *journal.Store }

// Devices are every device the manifest ever enrolled: records a retired
// device made before it was retired still stand.
func (c chains) Devices() ([]ed25519.PublicKey, error) {
	m, err := c.s.Manifest()
	if err != nil || m == nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []ed25519.PublicKey
	for _, st := range m.All() {
		for _, d := range st.Devices {
			if pub, err := journal.ParseDeviceName(d.Key); err == nil && !seen[d.Key] {
				seen[d.Key] = true
				out = append(out, pub)
			}
		}
	}
	return out, nil
}

func (c chains) Head(pub ed25519.PublicKey) (uint64, error) { return c.s.DeviceHead(pub) }

func (c chains) Records(pub ed25519.PublicKey, from, to uint64) ([][]byte, error) {
	return c.s.DeviceRecords(pub, from, to)
}

func (c chains) Merge(pub ed25519.PublicKey, first uint64, recs [][]byte) (int, error) {
	n, err := c.s.MergeRecords(pub, first, recs)
	if errors.Is(err, journal.ErrWaiting) {
		return n, fmt.Errorf("%w", syncfolder.ErrWaiting)
	}
	return n, err
}

func (c chains) SealedKeys(pub ed25519.PublicKey, from, to uint64) ([][]byte, error) {
	return c.s.SealedKeys(pub, from, to)
}

func (c chains) KeysWritten(pub ed25519.PublicKey, to uint64) error {
	return c.s.KeysWritten(pub, to)
}

func (c chains) AddSealedKeys(pub ed25519.PublicKey, first, last uint64, lists [][]byte) error {
	return c.s.AddSealedKeys(pub, first, last, lists)
}

func (c chains) SeenSegment(pub ed25519.PublicKey) (string, error) { return c.s.SeenSegment(pub) }

func (c chains) SetSeenSegment(pub ed25519.PublicKey, path string) error {
	return c.s.SetSeenSegment(pub, path)
}

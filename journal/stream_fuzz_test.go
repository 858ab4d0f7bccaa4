package journal

import (
	"bytes"
	"testing"
	"time"
)

// FuzzFirstPass feeds the streamed reading of the cache any bytes. Its
// first pass runs only after the cache's tag has been checked, so it meets
// only what the identity holder wrote; it must still refuse what it cannot
// read without a panic, and agree with decodeState on the incidents of
// what both accept.
func FuzzFirstPass(f *testing.F) {
	body := addStateSeeds(f)
	f.Add(body[:len(body)/2])
	f.Fuzz(func(t *testing.T, data []byte) {
		w := &window{r: bytes.NewReader(data), zones: map[int]*time.Location{}}
		all := Query{IncludeVoid: true}
		ov, index, _, err := w.firstPass(all, map[uint64]*Incident{})
		if err != nil {
			return
		}
		whole, werr := decodeState(bytes.Clone(data))
		if werr == nil && len(index)+len(ov.Incidents) != len(whole.Incidents) {
			t.Fatalf("the first pass found %d incidents, decodeState %d", len(index)+len(ov.Incidents), len(whole.Incidents))
		}
	})
}

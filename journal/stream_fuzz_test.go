package journal

import (
	"bytes"
	"reflect"
	"testing"
	"time"
)

// FuzzFirstPass feeds the streamed reading of the cache any bytes: its
// first pass runs before the cache's tag is checked, so it must refuse
// what it cannot read without a panic, and agree with decodeState on the
// incidents of what both accept.
func FuzzFirstPass(f *testing.F) {
	var st State
	n := 0
	fill(reflect.ValueOf(&st).Elem(), &n, false)
	for i, in := range st.Incidents {
		in.ID = uint64(i + 1)
	}
	body, _ := encodeState(&st)
	f.Add(body)
	f.Add([]byte{})
	f.Add([]byte{0, 0, 1, 0, 0})
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

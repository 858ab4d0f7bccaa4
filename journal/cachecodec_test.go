package journal

import (
	"encoding/binary"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// fill sets every field reachable from v to a value other than its zero
// value, different from field to field; lists get two items. With empty
// set, lists are empty but not absent, and optional values absent.
func fill(v reflect.Value, n *int, empty bool) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Uint8:
		v.SetUint(uint64(*n % 256))
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Pointer:
		if empty {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n, empty)
	case reflect.Slice:
		size := 2
		if empty {
			size = 0
		}
		v.Set(reflect.MakeSlice(v.Type(), size, size))
		for i := range size {
			fill(v.Index(i), n, empty)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[IncidentSet]() { // its ranges are unexported
			ids := []uint64{}
			if !empty {
				ids = []uint64{uint64(*n), uint64(*n) + 1, uint64(*n) + 3}
			}
			v.Set(reflect.ValueOf(NewIncidentSet(ids)))
			return
		}
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Unix(int64(*n)*1000, int64(*n)).UTC()))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() { // indexes are derived, not kept
				fill(v.Field(i), n, empty)
			}
		}
	default:
		panic(fmt.Sprintf("fill: no rule for %s", v.Type()))
	}
}

// TestCacheCodecCoversEveryField fails when a field is added to State or
// a type in it without being added to the cache's encoding.
func TestCacheCodecCoversEveryField(t *testing.T) {
	for _, empty := range []bool{false, true} {
		var st State
		n := 0
		fill(reflect.ValueOf(&st).Elem(), &n, empty)
		for i, in := range st.Incidents {
			in.ID = uint64(i + 1)
		}
		body, err := encodeState(&st)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeState(body)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, &st) {
			t.Errorf("state read back differs (empty lists: %v): a field is missing from cachecodec.go\ngot  %+v\nwant %+v", empty, got, &st)
		}
	}
}

// TestCacheCodecRefusesLooseRanges: a disclosure's numbers are read only
// as NewIncidentSet encodes them, so a damaged cache cannot give a set
// whose bytes differ for the same numbers, or that counts past the
// largest number.
func TestCacheCodecRefusesLooseRanges(t *testing.T) {
	for _, c := range []struct {
		name string
		enc  []byte // for each range, varints: gap, how many follow its first
		ok   bool
	}{
		{"apart", []byte{1, 4, 0, 0}, true},
		{"a varint longer than it need be", []byte{0x81, 0x00, 4}, false},
		{"cut short", []byte{1, 4, 0x81}, false},
		{"a gap without its range", []byte{1, 4, 0}, false},
		{"past the largest number", binary.AppendUvarint(binary.AppendUvarint(nil, 1<<64-2), 2), false},
		{"after the largest number", append(binary.AppendUvarint(binary.AppendUvarint(nil, 1<<64-2), 1), 0, 0), false},
		{"more numbers than any journal", binary.AppendUvarint([]byte{0}, 1<<40), false},
	} {
		e := &encoder{}
		e.list(len(c.enc), false)
		e.b = append(e.b, c.enc...)
		d := &decoder{s: string(e.b)}
		set := d.incidentSet()
		if (d.err == nil) != c.ok {
			t.Errorf("%s: read %v, error %v", c.name, set.Ranges(), d.err)
		}
	}
	d := &decoder{s: string([]byte{5, 1, 4, 0, 0})}
	if set := d.incidentSet(); d.err != nil || !set.Equal(NewIncidentSet([]uint64{1, 2, 3, 4, 5, 7})) {
		t.Errorf("read %v (%v), want 1-5 and 7", set.Ranges(), d.err)
	}
}

// TestCacheCodecTimes: times come back in the location that parsing their
// RFC 3339 form gives, so they print the same.
func TestCacheCodecTimes(t *testing.T) {
	zones := []*time.Location{time.UTC, time.Local, time.FixedZone("", 3600), time.FixedZone("", -9*3600-1800)}
	for _, loc := range zones {
		at := time.Date(2026, 11, 24, 14, 30, 5, 123, loc)
		st := &State{Incidents: []*Incident{{ID: 1, RecordedAt: at, Fields: Fields{OccurredAt: at}}}}
		body, _ := encodeState(st)
		got, err := decodeState(body)
		if err != nil {
			t.Fatal(err)
		}
		g := got.Incidents[0].OccurredAt
		if !g.Equal(at) || g.Format(time.RFC3339Nano) != at.Format(time.RFC3339Nano) {
			t.Errorf("time in %v read back as %s, want %s", loc, g.Format(time.RFC3339Nano), at.Format(time.RFC3339Nano))
		}
	}
}

// addStateSeeds gives a fuzz test of the cache's decoders a whole state
// with every field set, and two byte strings that are not one.
func addStateSeeds(f *testing.F) (body []byte) {
	var st State
	n := 0
	fill(reflect.ValueOf(&st).Elem(), &n, false)
	for i, in := range st.Incidents {
		in.ID = uint64(i + 1)
	}
	body, _ = encodeState(&st)
	f.Add(body)
	f.Add([]byte{})
	f.Add([]byte{0, 0, 1, 0, 0})
	return body
}

// FuzzDecodeState: damaged input is an error, never a panic, and what
// decodes encodes back to the same bytes.
func FuzzDecodeState(f *testing.F) {
	addStateSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := decodeState(data)
		if err != nil {
			return
		}
		again, _ := encodeState(st)
		st2, err := decodeState(again)
		if err != nil || !reflect.DeepEqual(st, st2) {
			t.Fatalf("decoded state does not survive encoding again: %v", err)
		}
	})
}

package journal

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"testing"
)

func TestIncidentSetHoldsRanges(t *testing.T) {
	for _, c := range []struct {
		name   string
		ids    []uint64
		ranges []IncidentRange
		json   string
	}{
		{"absent", nil, nil, "null"},
		{"empty", []uint64{}, []IncidentRange{}, "[]"},
		{"a whole journal", []uint64{1, 2, 3, 4, 5}, []IncidentRange{{1, 5}}, "[1,2,3,4,5]"},
		{"gaps", []uint64{1, 2, 4, 7, 8}, []IncidentRange{{1, 2}, {4, 4}, {7, 8}}, "[1,2,4,7,8]"},
		{"in the order they happened", []uint64{5, 3, 4, 1, 9, 2}, []IncidentRange{{1, 5}, {9, 9}}, "[1,2,3,4,5,9]"},
		{"repeats once", []uint64{3, 3, 2, 3, 2}, []IncidentRange{{2, 3}}, "[2,3]"},
		{"the largest number", []uint64{math.MaxUint64, 0, math.MaxUint64 - 1}, []IncidentRange{{0, 0}, {math.MaxUint64 - 1, math.MaxUint64}}, "[0,18446744073709551614,18446744073709551615]"},
		{"another device's incidents", []uint64{1, 1<<48 + 1, 2, 1<<48 + 2}, []IncidentRange{{1, 2}, {1<<48 + 1, 1<<48 + 2}}, "[1,2,281474976710657,281474976710658]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := NewIncidentSet(c.ids)
			if got := s.Ranges(); !slices.Equal(got, c.ranges) || (got == nil) != (c.ranges == nil) {
				t.Errorf("ranges %v, want %v", got, c.ranges)
			}
			b, err := json.Marshal(s)
			if err != nil || string(b) != c.json {
				t.Errorf("JSON %s (%v), want %s", b, err, c.json)
			}
			var back IncidentSet
			if err := json.Unmarshal(b, &back); err != nil || !back.Equal(s) {
				t.Errorf("JSON read back as %v (%v), want %v", back.Ranges(), err, c.ranges)
			}
			want := slices.Compact(slices.Sorted(slices.Values(c.ids)))
			if got := s.Numbers(); !slices.Equal(got, want) || s.Len() != len(want) {
				t.Errorf("numbers %v (%d), want %v", got, s.Len(), want)
			}
			for _, n := range []uint64{0, 1, 2, 3, 5, 6, 9, 10, 1 << 48, 1<<48 + 1, math.MaxUint64} {
				if got := s.Contains(n); got != slices.Contains(c.ids, n) {
					t.Errorf("Contains(%d) = %v", n, got)
				}
			}
		})
	}
}

// A disclosure record written by an earlier version lists its numbers in
// the order the incidents happened; it reads the same set, in a record as
// encoding/json would have read it.
func TestIncidentSetReadsEveryListAsJSONDoes(t *testing.T) {
	for _, in := range []string{
		`[]`, `null`, ` [ 3 , 1,2 ] `, "[\n  1,\n  2\n]", `[0]`, `[18446744073709551615]`,
	} {
		var want []uint64
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatal(err)
		}
		var got IncidentSet
		if err := json.Unmarshal([]byte(in), &got); err != nil || !got.Equal(NewIncidentSet(want)) {
			t.Errorf("%s read as %v (%v), want %v", in, got.Numbers(), err, want)
		}
	}
	for _, in := range []string{
		`[1.5]`, `[-1]`, `[1e3]`, `["1"]`, `[18446744073709551616]`, `{}`, `1`, `"1-3"`, `[[1,3]]`, `[1,]`, `[,1]`, `[1 2]`, `[01]`,
	} {
		var got IncidentSet
		if err := json.Unmarshal([]byte(in), &got); err == nil {
			t.Errorf("%s read as %v, want an error", in, got.Numbers())
		}
	}
}

// FuzzIncidentList checks the hand-written reader of a list of numbers
// against encoding/json: it accepts exactly the lists of numbers that
// encoding/json reads into a []uint64 (or null), and reads the same set.
func FuzzIncidentList(f *testing.F) {
	for _, s := range []string{`[]`, `null`, `[1,2,3]`, `[3,1,2,2]`, ` [ 7 ] `, `[1.0]`, `[-1]`, `[01]`, `[1,]`, `[18446744073709551615,0]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := parseIncidentList(data)
		var want []uint64
		wantErr := json.Unmarshal(data, &want)
		if wantErr != nil && !json.Valid(data) {
			return // encoding/json never hands a value it cannot scan to UnmarshalJSON
		}
		if err != nil && wantErr == nil && bytes.Contains(bytes.Trim(data, " \t\r\n")[1:], []byte("null")) {
			return // a null in the list: encoding/json reads 0, this reader refuses it
		}
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%q: error %v, encoding/json's %v", data, err, wantErr)
		}
		if err != nil {
			return
		}
		if w := NewIncidentSet(want); want == nil && !got.Absent() || want != nil && !got.Equal(w) {
			t.Fatalf("%q read as %v, encoding/json's %v", data, got.Ranges(), want)
		}
		b, err := got.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		again, err := parseIncidentList(b)
		if err != nil || !again.Equal(got) {
			t.Fatalf("%s read back as %v (%v)", b, again.Ranges(), err)
		}
	})
}

// FuzzIncidentSetEncoding: the cache's bytes of a set are read only when
// they are the very bytes NewIncidentSet makes for the numbers they give.
func FuzzIncidentSetEncoding(f *testing.F) {
	for _, ids := range [][]uint64{{}, {1, 2, 3}, {1, 3, 5, 1 << 48}, {0, math.MaxUint64}} {
		f.Add([]byte(NewIncidentSet(ids).enc))
	}
	f.Add([]byte{0x81, 0x00, 4})
	f.Fuzz(func(t *testing.T, data []byte) {
		s, ok := setOfEncoding(string(data))
		if !ok {
			return
		}
		again, ok := setOfRanges(s.Ranges())
		if !ok || again.enc != string(data) || again.Len() != s.Len() {
			t.Fatalf("%x read as %v (%d numbers), which encodes as %x (%d)", data, s.Ranges(), s.Len(), again.enc, again.Len())
		}
		n := 0
		for _, r := range s.Ranges() {
			n += int(r.Last-r.First) + 1
		}
		if n != s.Len() {
			t.Fatalf("%x: Len %d, ranges hold %d", data, s.Len(), n)
		}
	})
}

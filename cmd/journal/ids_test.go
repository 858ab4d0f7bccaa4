package main

import (
	"strings"
	"testing"
)

func TestParseIDs(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"12"}, "12"},
		{[]string{"15-25"}, "15-25"},
		{[]string{"3", "7", "15-25"}, "3, 7 and 15-25"},
		{[]string{"3,7,15-25"}, "3, 7 and 15-25"},
		{[]string{"7", "3", "3", "4"}, "3, 4 and 7"},
		{[]string{"15–17"}, "15-17"},
		{[]string{"1-1", "2"}, "1 and 2"},
	}
	for _, tt := range tests {
		ids, err := parseIDs(tt.args)
		if err != nil || idText(ids) != tt.want {
			t.Errorf("parseIDs(%q) = %v (%s), %v; want %s", tt.args, ids, idText(ids), err, tt.want)
		}
	}
	for _, bad := range [][]string{{"0"}, {"-3"}, {"3-"}, {"5-3"}, {"a"}, {","}, {"1-10001"}, {"1-2-3"}, {"99999999999999999999"}} {
		if ids, err := parseIDs(bad); err == nil {
			t.Errorf("parseIDs(%q) = %v, want an error", bad, ids)
		}
	}
}

// FuzzParseIDs checks that incident numbers either read as sorted unique
// numbers, no more than maxIDs, or are refused with one line.
func FuzzParseIDs(f *testing.F) {
	for _, s := range []string{"12", "15-25", "3,7,15-25", "5-3", "1-10000", "0", "–"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ids, err := parseIDs(strings.Fields(s))
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if len(ids) == 0 || len(ids) > maxIDs || ids[0] == 0 {
			t.Fatalf("%q: %d ids", s, len(ids))
		}
		for i := 1; i < len(ids); i++ {
			if ids[i] <= ids[i-1] {
				t.Fatalf("%q: not sorted and unique: %v", s, ids)
			}
		}
	})
}

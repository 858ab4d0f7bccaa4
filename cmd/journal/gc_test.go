package main

import "testing"

// The collector's pace: five times the live heap while that stays under
// gcRoom, then exactly what fits in gcRoom, and Go's default once the live
// heap is half of it or more, so that a large journal takes no more memory
// than by default; past half of gcCeiling, what fits under gcCeiling, and
// a quarter more than the live heap at least.
func TestGCPercent(t *testing.T) {
	for _, tc := range []struct {
		live uint64
		want int
	}{
		{0, 100},
		{1 << 20, gcMostPercent},
		{gcRoom / 5, gcMostPercent},
		{gcRoom / 4, 300},
		{gcRoom / 3, 200},
		{gcRoom/2 - 1, 100},
		{gcRoom / 2, 100},
		{gcCeiling / 2, 100},
		{gcCeiling/2 + 1, 99},
		{gcCeiling * 2 / 3, 50},
		{gcCeiling * 4 / 5, gcLeastPercent},
		{gcCeiling, gcLeastPercent},
		{1 << 30, gcLeastPercent},
	} {
		if got := gcPercent(tc.live); got != tc.want {
			t.Errorf("gcPercent(%d) = %d, want %d", tc.live, got, tc.want)
		}
		most := max(gcRoom, min(2*tc.live, gcCeiling), tc.live+tc.live*gcLeastPercent/100)
		if heap := tc.live + tc.live*uint64(gcPercent(tc.live))/100; tc.live > 0 && heap > most {
			t.Errorf("gcPercent(%d) lets the heap grow to %d, more than %d", tc.live, heap, most)
		}
	}
}

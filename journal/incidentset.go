package journal

import (
	"cmp"
	"errors"
	"iter"
	"math"
	"slices"
	"strconv"
)

// IncidentSet is the numbers of the incidents a report disclosed, held as
// sorted ranges: a whole journal of 100,000 incidents is one range, not
// 800 KB of numbers, however many times it is exported.
//
// The zero value is an absent set (JSON null); [NewIncidentSet] of an
// empty list is an empty one (JSON []). In JSON a set is a list of
// numbers, in ascending order. A set never changes once made.
type IncidentSet struct {
	ranges []IncidentRange
}

// IncidentRange is the incidents First to Last, both included.
type IncidentRange struct {
	First, Last uint64
}

// NewIncidentSet returns the set of the numbers ids, in any order, with
// repeats counted once; nil gives an absent set. ids is not kept.
func NewIncidentSet(ids []uint64) IncidentSet {
	if ids == nil {
		return IncidentSet{}
	}
	var b setBuilder
	b.start()
	for _, n := range ids {
		b.add(n)
	}
	return b.set()
}

// Len is the number of incidents in the set.
func (s IncidentSet) Len() int {
	n := 0
	for _, r := range s.ranges {
		n += int(r.Last-r.First) + 1
	}
	return n
}

// Absent reports whether the set is absent rather than empty.
func (s IncidentSet) Absent() bool { return s.ranges == nil }

// Ranges returns the set's ranges, ascending, apart and not touching.
func (s IncidentSet) Ranges() []IncidentRange { return slices.Clone(s.ranges) }

// All yields the numbers of the set in ascending order.
func (s IncidentSet) All() iter.Seq[uint64] {
	return func(yield func(uint64) bool) {
		for _, r := range s.ranges {
			for n := r.First; ; n++ {
				if !yield(n) {
					return
				}
				if n == r.Last {
					break
				}
			}
		}
	}
}

// Numbers returns the numbers of the set in ascending order: nil for an
// absent set.
func (s IncidentSet) Numbers() []uint64 {
	if s.ranges == nil {
		return nil
	}
	out := make([]uint64, 0, s.Len())
	return slices.AppendSeq(out, s.All())
}

// Contains reports whether incident n is in the set.
func (s IncidentSet) Contains(n uint64) bool {
	i, found := slices.BinarySearchFunc(s.ranges, n, func(r IncidentRange, n uint64) int {
		return cmp.Compare(r.First, n)
	})
	if found {
		return true
	}
	return i > 0 && n <= s.ranges[i-1].Last
}

// Equal reports whether two sets hold the same numbers (and are both
// absent or both present).
func (s IncidentSet) Equal(o IncidentSet) bool {
	return (s.ranges == nil) == (o.ranges == nil) && slices.Equal(s.ranges, o.ranges)
}

// MarshalJSON writes the set as a list of numbers, or null when absent.
func (s IncidentSet) MarshalJSON() ([]byte, error) {
	if s.ranges == nil {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 2+8*min(s.Len(), 1<<16))
	b = append(b, '[')
	first := true
	for n := range s.All() {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = strconv.AppendUint(b, n, 10)
	}
	return append(b, ']'), nil
}

// UnmarshalJSON reads a list of numbers, or null, a number at a time
// without reflection, building the ranges as it goes.
func (s *IncidentSet) UnmarshalJSON(data []byte) error {
	set, err := parseIncidentList(data)
	if err != nil {
		return err
	}
	*s = set
	return nil
}

var errIncidentList = errors.New("incidents: not a list of incident numbers")

// parseIncidentList reads null or a JSON list of unsigned integers (a
// null in the list, which encoding/json would read as 0, is refused: no
// version ever wrote one).
func parseIncidentList(data []byte) (IncidentSet, error) {
	p := jsonList{data: data}
	p.space()
	if p.literal("null") {
		if p.space(); p.i != len(p.data) {
			return IncidentSet{}, errIncidentList
		}
		return IncidentSet{}, nil
	}
	var b setBuilder
	b.start()
	ok := p.list(func() bool {
		n, ok := p.uint()
		if ok {
			b.add(n)
		}
		return ok
	})
	if p.space(); !ok || p.i != len(p.data) {
		return IncidentSet{}, errIncidentList
	}
	return b.set(), nil
}

// setBuilder gathers numbers into ranges: numbers that come in order (as
// a journal's usually do) extend the last range; any others are sorted
// and merged at the end.
type setBuilder struct {
	ranges   []IncidentRange
	unsorted bool
}

func (b *setBuilder) start() { b.ranges = []IncidentRange{} }

func (b *setBuilder) add(n uint64) {
	if k := len(b.ranges); k > 0 {
		last := &b.ranges[k-1]
		switch {
		case n >= last.First && n <= last.Last:
			return
		case n == last.Last+1 && last.Last != math.MaxUint64:
			last.Last = n
			return
		case n < last.First:
			b.unsorted = true
		}
	}
	b.ranges = append(b.ranges, IncidentRange{n, n})
}

func (b *setBuilder) set() IncidentSet {
	if b.unsorted {
		b.ranges = mergeRanges(b.ranges)
	}
	return IncidentSet{ranges: slices.Clip(b.ranges)}
}

// mergeRanges sorts ranges and joins those that overlap or touch.
func mergeRanges(rs []IncidentRange) []IncidentRange {
	slices.SortFunc(rs, func(x, y IncidentRange) int { return cmp.Compare(x.First, y.First) })
	out := rs[:0]
	for _, r := range rs {
		if k := len(out); k > 0 && (r.First <= out[k-1].Last || r.First-1 == out[k-1].Last) {
			out[k-1].Last = max(out[k-1].Last, r.Last)
			continue
		}
		out = append(out, r)
	}
	return out
}

package journal

import (
	"cmp"
	"encoding/binary"
	"errors"
	"iter"
	"math"
	"slices"
	"strconv"
)

// IncidentSet is the numbers of the incidents a report disclosed, held as
// sorted ranges, a few bytes each: a whole journal of 100,000 incidents is
// one range, not 800 KB of numbers, however many times it is exported, and
// numbers scattered through it take a byte or two each.
//
// The zero value is an absent set (JSON null); [NewIncidentSet] of an
// empty list is an empty one (JSON []). In JSON a set is a list of
// numbers, in ascending order. A set never changes once made.
type IncidentSet struct {
	// enc is the ranges in ascending order, each as two varints: how far
	// its first number is past the end of the one before (for the first
	// range, from 0; for the others, from the number after the one after
	// the last, so that ranges never touch), and how many numbers follow
	// its first. It is checked when made, so reading it cannot fail.
	enc string
	// size is how many numbers the set holds.
	size    int
	present bool
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

// maxSetSize bounds how many numbers a set may hold, far above any
// journal, so that a set read from a record cannot claim more numbers than
// a program can count or list.
const maxSetSize = 1 << 32

// setOfRanges returns the set of ranges that are ascending, apart and not
// touching, each First <= Last; ok is false when they are not.
func setOfRanges(rs []IncidentRange) (s IncidentSet, ok bool) {
	var b []byte
	var next uint64 // the smallest first number the next range may have
	size := 0
	for i, r := range rs {
		if r.Last < r.First || (i > 0 && (next == 0 || r.First < next)) {
			return IncidentSet{}, false
		}
		if r.Last-r.First >= maxSetSize-uint64(size) {
			return IncidentSet{}, false
		}
		b = binary.AppendUvarint(b, r.First-next)
		b = binary.AppendUvarint(b, r.Last-r.First)
		size += int(r.Last-r.First) + 1
		next = r.Last + 2 // 0 or 1 after the largest number: nothing may follow
		if r.Last >= math.MaxUint64-1 {
			next = 0
		}
	}
	return IncidentSet{enc: string(b), size: size, present: true}, true
}

// setOfEncoding returns the set whose enc is e, checking e.
func setOfEncoding(e string) (IncidentSet, bool) {
	s := IncidentSet{enc: e, present: true}
	var next uint64
	for i := 0; i < len(e); {
		more := i > 0
		gap, n := uvarint(e[i:])
		if n <= 0 || (n > 1 && e[i+n-1] == 0) {
			return IncidentSet{}, false
		}
		i += n
		span, n := uvarint(e[i:])
		if n <= 0 || (n > 1 && e[i+n-1] == 0) {
			return IncidentSet{}, false
		}
		i += n
		first := next + gap
		last := first + span
		if (more && next == 0) || first < next || last < first || span >= maxSetSize-uint64(s.size) {
			return IncidentSet{}, false
		}
		s.size += int(span) + 1
		next = last + 2
		if last >= math.MaxUint64-1 {
			next = 0
		}
	}
	return s, true
}

// uvarint reads a varint from the start of s as binary.Uvarint does.
func uvarint(s string) (uint64, int) {
	var x uint64
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		c := s[i]
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				return 0, -1
			}
			return x | uint64(c)<<(7*i), i + 1
		}
		x |= uint64(c&0x7f) << (7 * i)
	}
	return 0, 0
}

// Len is the number of incidents in the set.
func (s IncidentSet) Len() int { return s.size }

// Absent reports whether the set is absent rather than empty.
func (s IncidentSet) Absent() bool { return !s.present }

// eachRange calls fn with each range in ascending order, until it returns
// false.
func (s IncidentSet) eachRange(fn func(IncidentRange) bool) {
	var next uint64
	for i := 0; i < len(s.enc); {
		gap, n := uvarint(s.enc[i:])
		i += n
		span, n := uvarint(s.enc[i:])
		i += n
		r := IncidentRange{next + gap, next + gap + span}
		if !fn(r) {
			return
		}
		next = r.Last + 2
	}
}

// Ranges returns the set's ranges, ascending, apart and not touching; nil
// for an absent set.
func (s IncidentSet) Ranges() []IncidentRange {
	if !s.present {
		return nil
	}
	rs := []IncidentRange{}
	s.eachRange(func(r IncidentRange) bool { rs = append(rs, r); return true })
	return rs
}

// All yields the numbers of the set in ascending order.
func (s IncidentSet) All() iter.Seq[uint64] {
	return func(yield func(uint64) bool) {
		s.eachRange(func(r IncidentRange) bool {
			for n := r.First; ; n++ {
				if !yield(n) {
					return false
				}
				if n == r.Last {
					return true
				}
			}
		})
	}
}

// Numbers returns the numbers of the set in ascending order: nil for an
// absent set.
func (s IncidentSet) Numbers() []uint64 {
	if !s.present {
		return nil
	}
	out := make([]uint64, 0, s.size)
	return slices.AppendSeq(out, s.All())
}

// Contains reports whether incident n is in the set.
func (s IncidentSet) Contains(n uint64) bool {
	found := false
	s.eachRange(func(r IncidentRange) bool {
		found = r.First <= n && n <= r.Last
		return !found && r.Last < n
	})
	return found
}

// Equal reports whether two sets hold the same numbers (and are both
// absent or both present).
func (s IncidentSet) Equal(o IncidentSet) bool {
	return s.present == o.present && s.enc == o.enc
}

// MarshalJSON writes the set as a list of numbers, or null when absent.
func (s IncidentSet) MarshalJSON() ([]byte, error) {
	if !s.present {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 2+8*min(s.size, 1<<16))
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
	s, _ := setOfRanges(b.ranges) // merged: always in order
	return s
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

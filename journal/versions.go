package journal

import (
	"cmp"
	"slices"
)

// Two computers may amend one incident at the same time, each before it
// has seen the other's amendment. Both stand. So that every computer shows
// the same history whatever order the records arrived in, an incident's
// amendments are kept in one order: an amendment comes after every one it
// had seen (its own computer's earlier ones, and the others' it had
// merged); among amendments that had not seen each other, the earlier
// recorded comes first, then by device and place. Such amendments are
// marked concurrent until a later amendment has seen both.

// VersionRef names a record by its device ([DeviceName]) and its place in
// that device's chain.
type VersionRef struct {
	Device string
	Place  uint64
}

// afterRefs is what a signed record had seen of the other devices.
func afterRefs(r *Record) []VersionRef {
	if len(r.seen) == 0 {
		return nil
	}
	out := make([]VersionRef, len(r.seen))
	for i, s := range r.seen {
		out[i] = VersionRef{Device: DeviceName(s.Device), Place: s.Place}
	}
	return out
}

// before reports whether amendment a had been seen when b was made.
func before(a, b *Amendment) bool {
	switch {
	case a.By == "" || b.By == "":
		// Records made before signing come first, in log order.
		return a.By == "" && b.By != ""
	case a.By == b.By:
		return a.Place < b.Place
	}
	for _, v := range b.After {
		if v.Device == a.By && v.Place >= a.Place {
			return true
		}
	}
	return false
}

// amend adds an amendment to the incident's history and brings its fields
// and the history's order and marks up to date.
func (in *Incident) amend(a Amendment) {
	original := in.Fields
	if len(in.Amendments) > 0 {
		original = in.Amendments[0].Previous
	}
	list := append(in.Amendments, a)
	list = causalOrder(list)
	cur := original
	for i := range list {
		list[i].Previous = cur
		cur = list[i].Fields
	}
	for i := range list {
		list[i].Concurrent = concurrentNow(list, i)
	}
	in.Amendments = list
	in.Fields = cur
	in.normalize()
}

// causalOrder orders amendments so that each comes after those it had
// seen, the rest by when they were recorded, then device and place.
func causalOrder(list []Amendment) []Amendment {
	if len(list) < 2 || !slices.ContainsFunc(list, func(a Amendment) bool { return a.By != "" }) {
		return list
	}
	rest := slices.Clone(list)
	out := make([]Amendment, 0, len(list))
	for len(rest) > 0 {
		best := -1
		for i := range rest {
			ready := true
			for j := range rest {
				if j != i && before(&rest[j], &rest[i]) {
					ready = false
					break
				}
			}
			if ready && (best < 0 || earlier(&rest[i], &rest[best])) {
				best = i
			}
		}
		if best < 0 { // a cycle cannot happen with sound records; keep them
			return append(out, rest...)
		}
		out = append(out, rest[best])
		rest = slices.Delete(rest, best, best+1)
	}
	return out
}

func earlier(a, b *Amendment) bool {
	if c := a.RecordedAt.Compare(b.RecordedAt); c != 0 {
		return c < 0
	}
	if c := cmp.Compare(a.By, b.By); c != 0 {
		return c < 0
	}
	return a.Place < b.Place
}

// concurrentNow reports whether amendment i had not seen, and was not
// seen by, another amendment, with no later one that saw both.
func concurrentNow(list []Amendment, i int) bool {
	for j := range list {
		if j == i || list[i].By == "" || list[j].By == "" || before(&list[i], &list[j]) || before(&list[j], &list[i]) {
			continue
		}
		joined := false
		for k := range list {
			if before(&list[i], &list[k]) && before(&list[j], &list[k]) {
				joined = true
				break
			}
		}
		if !joined {
			return true
		}
	}
	return false
}

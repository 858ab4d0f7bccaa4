package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// A command of this program lives for tens of milliseconds, and reading a
// journal of a few thousand incidents allocates several times what it
// keeps: with Go's default (GOGC=100, a first collection at 4 MiB) a
// quarter of a timeline's processor time went to collecting garbage. So
// while the live heap is small the collector is let wait longer; once it
// is larger it works as by default; and once it is very large (the whole
// state of 100,000 incidents, when the cache is rebuilt) it collects
// sooner than by default, so that the heap stays near gcCeiling.
const (
	// gcRoom is the heap the collector may let grow to while the live heap
	// is small.
	gcRoom = 32 << 20
	// gcMostPercent is the highest GC percent used: a first collection at
	// 16 MiB, and at most five times the live heap.
	gcMostPercent = 400
	// gcCeiling is the heap the collector tries to stay under while the
	// live heap is large: a command holds no more than the largest of
	// gcRoom, what GOGC=100 would give it up to gcCeiling, and a quarter
	// more than its live heap.
	gcCeiling = 192 << 20
	// gcLeastPercent is the lowest GC percent used.
	gcLeastPercent = 25
)

// tuneGC sets the garbage collector's pace from the live heap after each
// collection, unless GOGC or GOMEMLIMIT says how it should work.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(gcMostPercent)
	debug.SetMemoryLimit(gcLimit(0))
	watchGC()
}

// gcLimit is the memory limit for a live heap of live bytes: gcCeiling and
// room for what is not heap, or a quarter more than the live heap and the
// same room. The collector then also gives freed memory back to the system
// to stay under it, and a live heap larger than gcCeiling never makes it
// collect without end.
func gcLimit(live uint64) int64 {
	const room = 32 << 20
	return int64(max(gcCeiling, live+live/4) + room)
}

// gcTick is an object nothing refers to, whose finalizer runs after the
// collection that finds it unreachable: a hook called once per collection.
type gcTick struct{ _ *int }

// watchGC sets the GC percent after the next collection, and again after
// each one.
func watchGC() {
	runtime.SetFinalizer(&gcTick{}, func(*gcTick) {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			live := sample[0].Value.Uint64()
			debug.SetGCPercent(gcPercent(live))
			debug.SetMemoryLimit(gcLimit(live))
		}
		watchGC()
	})
}

// gcPercent is the GC percent for a live heap of live bytes: the heap may
// grow to gcRoom, by at most gcMostPercent, and at least by 100% as by
// default, as long as it stays under gcCeiling; beyond that, up to
// gcCeiling, and at least by gcLeastPercent.
func gcPercent(live uint64) int {
	switch {
	case live == 0 || live >= gcRoom/2 && 2*live <= gcCeiling:
		return 100
	case live >= gcRoom/2:
		return int(max(100*(gcCeiling-min(live, gcCeiling))/live, gcLeastPercent))
	}
	return int(min(max(100*(gcRoom-live)/live, 100), gcMostPercent))
}

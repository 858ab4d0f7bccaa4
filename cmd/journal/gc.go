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
// while the live heap is small the collector is let wait longer, and once
// it is large it works as by default, so that a large journal takes no
// more memory than before.
const (
	// gcRoom is the heap the collector may let grow to while the live heap
	// is small: a command never holds more than the larger of gcRoom and
	// what GOGC=100 would give it.
	gcRoom = 32 << 20
	// gcMostPercent is the highest GC percent used: a first collection at
	// 16 MiB, and at most five times the live heap.
	gcMostPercent = 400
)

// tuneGC sets the garbage collector's pace from the live heap after each
// collection, unless GOGC or GOMEMLIMIT says how it should work.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(gcMostPercent)
	watchGC()
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
			debug.SetGCPercent(gcPercent(sample[0].Value.Uint64()))
		}
		watchGC()
	})
}

// gcPercent is the GC percent for a live heap of live bytes: the heap may
// grow to gcRoom, by at most gcMostPercent, and at least by 100% as by
// default.
func gcPercent(live uint64) int {
	if live == 0 || live >= gcRoom/2 {
		return 100
	}
	return int(min(max(100*(gcRoom-live)/live, 100), gcMostPercent))
}

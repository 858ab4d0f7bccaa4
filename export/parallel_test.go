package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

// manyIncidents is n incidents made from the sample's, in the order they
// happened, numbered 1 to n.
func manyIncidents(n int) []*journal.Incident {
	base := sample().Incidents
	out := make([]*journal.Incident, n)
	start := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range out {
		c := *base[i%len(base)]
		c.ID = uint64(i + 1)
		c.OccurredAt = start.Add(time.Duration(i) * 7 * time.Hour)
		c.Until = nil
		out[i] = &c
	}
	return out
}

// TestManyIncidentsInParallel: a timeline long enough to be rendered on
// several processors at once gives the bytes of one renderer (for JSON,
// those of encoding/json), whether its incidents are in memory or read
// one at a time, on one processor or several.
func TestManyIncidentsInParallel(t *testing.T) {
	defer func(old int) { parallelFrom = old }(parallelFrom)
	for _, n := range []int{2*batchSize - 1, 2 * batchSize, 1000} {
		ins := manyIncidents(n)
		st := &journal.State{Incidents: ins, Fingerprint: "fingerprint", Seq: 1}
		for name, write := range map[string]func(io.Writer, *Timeline) error{
			"json": WriteJSON, "markdown": WriteMarkdown, "text": WriteText,
			"text, wrapped": func(w io.Writer, t *Timeline) error { return WriteTextWith(w, t, TextOptions{Width: 60}) },
		} {
			var want []byte
			if name == "json" {
				b, err := json.MarshalIndent(NewTimeline(ins, "fingerprint"), "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				want = append(b, '\n')
			} else {
				parallelFrom = n + 1
				var b bytes.Buffer
				if err := write(&b, NewTimeline(ins, "fingerprint")); err != nil {
					t.Fatal(err)
				}
				want = b.Bytes()
			}
			parallelFrom = 2 * batchSize
			for _, procs := range []int{1, 2, 4} {
				old := runtime.GOMAXPROCS(procs)
				var inMemory, oneAtATime bytes.Buffer
				err1 := write(&inMemory, NewTimeline(ins, "fingerprint"))
				streamed, err2 := FromSelection(journal.Select(st, journal.Query{IncludeVoid: true}))
				if err2 == nil {
					err2 = write(&oneAtATime, streamed)
				}
				runtime.GOMAXPROCS(old)
				if err1 != nil || err2 != nil {
					t.Fatal(err1, err2)
				}
				if !bytes.Equal(inMemory.Bytes(), want) {
					t.Errorf("%s of %d incidents on %d processors, in memory: not the bytes of one renderer", name, n, procs)
				}
				if !bytes.Equal(oneAtATime.Bytes(), want) {
					t.Errorf("%s of %d incidents on %d processors, one at a time: not the bytes of one renderer", name, n, procs)
				}
			}
		}
	}
}

// fullDisk takes left bytes, then fails.
type fullDisk struct{ left int }

var errFullDisk = errors.New("no space left on device")

func (d *fullDisk) Write(p []byte) (int, error) {
	if len(p) > d.left {
		n := d.left
		d.left = 0
		return n, errFullDisk
	}
	d.left -= len(p)
	return len(p), nil
}

// TestManyIncidentsJSONStopsAtAFailedWrite: a write that fails in the
// middle of a long timeline is the error returned, and the reading of
// incidents stops soon after it, on one processor or several.
func TestManyIncidentsJSONStopsAtAFailedWrite(t *testing.T) {
	ins := manyIncidents(20000)
	for _, procs := range []int{1, 2} {
		read := 0
		tl := &Timeline{Fingerprint: "fingerprint", count: len(ins), from: func(fn func(*journal.Incident) error) error {
			for _, in := range ins {
				read++
				if err := fn(in); err != nil {
					return err
				}
			}
			return nil
		}}
		old := runtime.GOMAXPROCS(procs)
		err := WriteJSON(&fullDisk{left: 1 << 20}, tl)
		runtime.GOMAXPROCS(old)
		if !errors.Is(err, errFullDisk) {
			t.Fatalf("%d processors, writing to a full disk: %v, want the disk's error", procs, err)
		}
		if read > len(ins)/2 {
			t.Errorf("%d processors: the disk failed after 1 MiB, and %d incidents of %d were read", procs, read, len(ins))
		}
	}
}

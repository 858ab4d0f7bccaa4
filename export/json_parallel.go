package export

import (
	"bufio"
	"errors"
	"runtime"

	"github.com/journal-dev/journal/journal"
)

// The incidents of a long JSON timeline are encoded on every processor at
// once and written in order: encoding them is most of what a JSON export
// of many incidents does (20,000 incidents: 141 ms of wall time on two
// processors one at a time, 111 ms at once). The bytes are those one
// encoder writes; a test compares the two.

// jsonBatch is a run of incidents, encoded together by one encoder and
// written in its turn.
type jsonBatch struct {
	ins []*journal.Incident
	// first is the place of ins[0] in the timeline.
	first int
	b     []byte
	done  chan struct{}
}

// parallelFrom is the fewest incidents encoded on several processors
// (tests lower it). Below it, handing batches between goroutines costs
// more processor time than it saves wall time (2,000 incidents: 3 ms more
// of the one and none less of the other, on a busy machine).
var parallelFrom = 4096

// jsonBatchSize is how many incidents a batch holds: enough that handing
// it on costs little beside encoding it, few enough that the batches in
// flight (at most 3 per processor) stay small.
const jsonBatchSize = 64

// writeIncidentsJSON writes the items of the timeline's incidents array,
// n of them, each on its line and all but the last followed by a comma,
// adding each incident to z if it is not nil.
func writeIncidentsJSON(bw *bufio.Writer, t *Timeline, n int, z *journal.Summarizer) error {
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 || n < parallelFrom {
		j := &jsonOut{prefix: "    "}
		i := 0
		return t.each(func(in *journal.Incident) error {
			if z != nil {
				z.Add(in)
			}
			j.b = j.b[:0]
			j.item(in, i, n)
			i++
			_, err := bw.Write(j.b)
			return err
		})
	}
	jobs := make(chan *jsonBatch, workers)
	order := make(chan *jsonBatch, 2*workers)
	// The buffers of written batches are used again.
	spare := make(chan []byte, 3*workers+1)
	for range workers {
		go func() {
			j := &jsonOut{prefix: "    "}
			for b := range jobs {
				j.b = b.b[:0]
				for k, in := range b.ins {
					j.item(in, b.first+k, n)
				}
				b.b = j.b
				close(b.done)
			}
		}()
	}
	// The writer adds the incidents to the summary and writes the
	// batches, in order; failed is closed when a write fails, so that
	// the reading stops.
	failed, written := make(chan struct{}), make(chan error, 1)
	go func() {
		var err error
		for b := range order {
			<-b.done
			if err != nil {
				continue
			}
			if z != nil {
				for _, in := range b.ins {
					z.Add(in)
				}
			}
			if _, err = bw.Write(b.b); err != nil {
				close(failed)
			}
			select {
			case spare <- b.b[:0]:
			default:
			}
		}
		written <- err
	}()
	i := 0
	var batch *jsonBatch
	send := func() error {
		select {
		case <-failed:
			return errWriteFailed
		case order <- batch:
		}
		jobs <- batch
		batch = nil
		return nil
	}
	err := t.each(func(in *journal.Incident) error {
		if batch == nil {
			batch = &jsonBatch{ins: make([]*journal.Incident, 0, jsonBatchSize), first: i, done: make(chan struct{})}
			select {
			case batch.b = <-spare:
			default:
			}
		}
		batch.ins = append(batch.ins, in)
		i++
		if len(batch.ins) == jsonBatchSize {
			return send()
		}
		return nil
	})
	if err == nil && batch != nil {
		err = send()
	}
	close(jobs)
	close(order)
	werr := <-written
	if err == errWriteFailed || err == nil {
		err = werr
	}
	return err
}

// errWriteFailed stops the reading of incidents when the writer failed; the
// writer's error is the one returned.
var errWriteFailed = errors.New("the report could not be written")

// item writes an incident as the i-th of n items of the incidents array.
func (j *jsonOut) item(in *journal.Incident, i, n int) {
	j.depth, j.first = 0, false
	j.b = append(j.b, "    "...)
	j.incident(in)
	if i+1 < n {
		j.b = append(j.b, ',')
	}
	j.b = append(j.b, '\n')
}

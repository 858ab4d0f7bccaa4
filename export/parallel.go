package export

import (
	"bufio"
	"errors"
	"runtime"

	"github.com/journal-dev/journal/journal"
)

// The incidents of a long timeline are rendered on every processor at
// once and written in order: rendering them is most of what a JSON or
// Markdown export of many incidents does (JSON of 20,000 incidents: 116
// ms of wall time on two processors one at a time, 97 ms at once). The
// bytes are those of one renderer; tests compare the two.

// batch is a run of incidents, rendered together by one renderer and
// written in its turn.
type batch struct {
	ins []*journal.Incident
	// first is the place of ins[0] in the timeline.
	first int
	b     []byte
	done  chan struct{}
}

// parallelFrom is the fewest incidents rendered on several processors
// (tests lower it). Below it, handing batches between goroutines costs
// more processor time than it saves wall time (JSON of 2,000 incidents: 3
// ms more of the one and none less of the other, on a busy machine).
var parallelFrom = 4096

// batchSize is how many incidents a batch holds: enough that handing it
// on costs little beside rendering it, few enough that the batches in
// flight (at most 3 per processor) stay small.
const batchSize = 64

// renderEach writes the timeline's incidents, n of them, each as render
// appends it to b (it is the i-th), adding each to z if it is not nil.
// render is called from several goroutines at once.
func renderEach(bw *bufio.Writer, t *Timeline, n int, z *journal.Summarizer, render func(b []byte, in *journal.Incident, i int) []byte) error {
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 || n < parallelFrom {
		var b []byte
		i := 0
		return t.each(func(in *journal.Incident) error {
			if z != nil {
				z.Add(in)
			}
			b = render(b[:0], in, i)
			i++
			_, err := bw.Write(b)
			return err
		})
	}
	jobs := make(chan *batch, workers)
	order := make(chan *batch, 2*workers)
	// The buffers of written batches are used again.
	spare := make(chan []byte, 3*workers+1)
	for range workers {
		go func() {
			for b := range jobs {
				out := b.b[:0]
				for k, in := range b.ins {
					out = render(out, in, b.first+k)
				}
				b.b = out
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
	var next *batch
	send := func() error {
		select {
		case <-failed:
			return errWriteFailed
		case order <- next:
		}
		jobs <- next
		next = nil
		return nil
	}
	err := t.each(func(in *journal.Incident) error {
		if next == nil {
			next = &batch{ins: make([]*journal.Incident, 0, batchSize), first: i, done: make(chan struct{})}
			select {
			case next.b = <-spare:
			default:
			}
		}
		next.ins = append(next.ins, in)
		i++
		if len(next.ins) == batchSize {
			return send()
		}
		return nil
	})
	if err == nil && next != nil {
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

// sliceWriter appends what is written to it to b.
type sliceWriter struct{ b []byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

func (w *sliceWriter) WriteString(s string) (int, error) {
	w.b = append(w.b, s...)
	return len(s), nil
}

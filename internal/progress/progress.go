// Package progress shows how far a long operation has come, on one line of
// a terminal that redraws itself: "Verifying: 1,200 of 12,000 records
// (10%)", "Sealing voicemail.m4a: 12.3 MB of 45.6 MB (27%)".
//
// A line is shown only on a terminal, and only once the operation has
// taken longer than [Delay], so that quick commands and pipes see nothing.
// A nil [*Line] does nothing, so callers need not check.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// Line is a progress line. Its methods are safe to call from several
// goroutines, and on a nil *Line, where they do nothing.
type Line struct {
	mu      sync.Mutex
	w       io.Writer
	width   int // columns of the terminal; the line is cut to fit
	label   string
	unit    string // "records", "incidents", or "" for bytes
	total   int64  // 0 when not known
	done    int64
	now     func() time.Time
	start   time.Time
	drawn   time.Time // when the line was last drawn; zero before
	visible bool
}

// Delay is how long an operation runs before its line is shown: quick
// operations show nothing. Tests of a whole program set it to 0.
var Delay = 500 * time.Millisecond

// every is how often the line is redrawn at most.
const every = 100 * time.Millisecond

// Start starts a progress line on w, saying label, for an operation over
// total items of unit ("records"; "" for bytes; total 0 when not known).
// It returns nil when w is not a terminal, or the terminal is dumb
// (TERM=dumb).
func Start(w io.Writer, label string, total int64, unit string) *Line {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || os.Getenv("TERM") == "dumb" {
		return nil
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil || width <= 0 {
		width = 80
	}
	return startOn(f, width, label, total, unit, time.Now)
}

// startOn starts a line on w, width columns wide, with the clock now.
func startOn(w io.Writer, width int, label string, total int64, unit string, now func() time.Time) *Line {
	return &Line{w: w, width: width, label: label, total: total, unit: unit, now: now, start: now()}
}

// Add counts n more items (or bytes) done.
func (p *Line) Add(n int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	t := p.now()
	if t.Sub(p.start) < Delay || t.Sub(p.drawn) < every {
		return
	}
	p.drawn = t
	p.visible = true
	fmt.Fprintf(p.w, "\r%s\x1b[K", p.line())
}

// line is the text of the progress line, cut to fit the terminal: the
// label is shortened first, so that the figures stay.
func (p *Line) line() string {
	label, counts := []rune(p.label), p.counts()
	if room := p.width - 1 - len([]rune(counts)) - 2; len(label) > room {
		label = append(label[:max(room-1, 0)], '…')
	}
	line := []rune(string(label) + ": " + counts)
	if len(line) > p.width-1 {
		line = line[:max(p.width-1, 0)]
	}
	return string(line)
}

// counts is how far the operation has come: 1,200 of 12,000 records (10%).
func (p *Line) counts() string {
	count := func(n int64) string {
		if p.unit == "" {
			return humanBytes(n)
		}
		return Thousands(n)
	}
	var b strings.Builder
	b.WriteString(count(p.done))
	if p.total > 0 {
		b.WriteString(" of ")
		b.WriteString(count(p.total))
	}
	if p.unit != "" {
		b.WriteString(" " + p.unit)
	}
	if p.total > 0 {
		fmt.Fprintf(&b, " (%d%%)", min(100, p.done*100/p.total))
	}
	return b.String()
}

// Done clears the line, so that what the command prints next starts on a
// clean line.
func (p *Line) Done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.visible {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.visible = false
	}
}

// Reader counts the bytes read through r.
func (p *Line) Reader(r io.Reader) io.Reader {
	if p == nil {
		return r
	}
	return &reader{r: r, p: p}
}

// Writer counts the bytes written through w.
func (p *Line) Writer(w io.Writer) io.Writer {
	if p == nil {
		return w
	}
	return &writer{w: w, p: p}
}

type writer struct {
	w io.Writer
	p *Line
}

func (pw *writer) Write(b []byte) (int, error) {
	n, err := pw.w.Write(b)
	pw.p.Add(int64(n))
	return n, err
}

type reader struct {
	r io.Reader
	p *Line
}

func (pr *reader) Read(b []byte) (int, error) {
	n, err := pr.r.Read(b)
	pr.p.Add(int64(n))
	return n, err
}

// Size is the size of what r reads, when r is a regular file: the total
// of a line over its bytes. It is 0 when it cannot be known, as for a
// pipe.
func Size(r io.Reader) int64 {
	f, ok := r.(*os.File)
	if !ok {
		return 0
	}
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return 0
	}
	return info.Size()
}

// humanBytes writes a size as a person reads it: 512 B, 3.4 MB.
func humanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}

// Thousands writes a count for a person to read, its digits in groups of
// three with commas: 12,345 (the separator of every count journal prints
// for a person; JSON and the lines scripts read keep plain digits).
func Thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

// progress shows how far a long operation has come, on one line of
// standard error that redraws itself. It is shown only when standard error
// is a terminal, and only once the operation has taken longer than
// progressDelay, so quick commands and pipes see nothing. A nil *progress
// does nothing, so callers need not check.
type progress struct {
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

var (
	progressDelay = 500 * time.Millisecond // show nothing for quick operations
	progressEvery = 100 * time.Millisecond // redraw at most this often
)

// newProgress starts a progress line for an operation over total items of
// unit ("" for bytes; total 0 when unknown). It returns nil when standard
// error is not a terminal, or the terminal is dumb.
func (g *globals) newProgress(label string, total int64, unit string) *progress {
	f, ok := g.err.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || os.Getenv("TERM") == "dumb" {
		return nil
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil || width <= 0 {
		width = 80
	}
	return newProgressTo(f, width, label, total, unit, time.Now)
}

func newProgressTo(w io.Writer, width int, label string, total int64, unit string, now func() time.Time) *progress {
	return &progress{w: w, width: width, label: label, total: total, unit: unit, now: now, start: now()}
}

// Add counts n more items (or bytes) done.
func (p *progress) Add(n int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	t := p.now()
	if t.Sub(p.start) < progressDelay || t.Sub(p.drawn) < progressEvery {
		return
	}
	p.drawn = t
	p.visible = true
	fmt.Fprintf(p.w, "\r%s\x1b[K", p.line())
}

// line is the text of the progress line, cut to fit the terminal: the
// label is shortened first, so that the figures stay.
func (p *progress) line() string {
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
func (p *progress) counts() string {
	count := func(n int64) string {
		if p.unit == "" {
			return humanBytes(n)
		}
		return thousands(n)
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
func (p *progress) Done() {
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
func (p *progress) Reader(r io.Reader) io.Reader {
	if p == nil {
		return r
	}
	return &progressReader{r: r, p: p}
}

// Writer counts the bytes written through w.
func (p *progress) Writer(w io.Writer) io.Writer {
	if p == nil {
		return w
	}
	return &progressWriter{w: w, p: p}
}

type progressWriter struct {
	w io.Writer
	p *progress
}

func (pw *progressWriter) Write(b []byte) (int, error) {
	n, err := pw.w.Write(b)
	pw.p.Add(int64(n))
	return n, err
}

type progressReader struct {
	r io.Reader
	p *progress
}

func (pr *progressReader) Read(b []byte) (int, error) {
	n, err := pr.r.Read(b)
	pr.p.Add(int64(n))
	return n, err
}

// sizeOf is the size of what r reads, when r is a regular file; 0 when
// it cannot be known, as for a pipe.
func sizeOf(r io.Reader) int64 {
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

// thousands writes a count with commas: 12,345.
func thousands(n int64) string {
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

// progressOpener is the journal's key, counting the records it opens and
// the bytes of evidence it reads, for the progress line of a long read:
// "Verifying: 1,200 of 10,000 records (12%)", then "Verifying evidence
// files: 12.3 MB". It is the key in every other way (sealing, the cache's
// secret), so the store sees no difference.
type progressOpener struct {
	*crypto.Sealer
	g         *globals
	streams   string // the label of the evidence files' line
	records   *progress
	evidence  *progress
	streaming bool
}

// progressOpener wraps the key that opens s's records: the records'
// line says label, the evidence files' line says streams. Call Done when
// the read is over.
func (g *globals) progressOpener(s *journal.Store, sealer *crypto.Sealer, label, streams string) *progressOpener {
	head, _, err := s.Head()
	if err != nil {
		head = 0
	}
	return &progressOpener{Sealer: sealer, g: g, streams: streams, records: g.newProgress(label, int64(head), "records")}
}

// Open opens one record.
func (o *progressOpener) Open(ciphertext []byte) ([]byte, error) {
	o.records.Add(1)
	return o.Sealer.Open(ciphertext)
}

// OpenKeyed opens one record and gives its file key.
func (o *progressOpener) OpenKeyed(ciphertext []byte) ([]byte, []byte, error) {
	o.records.Add(1)
	return o.Sealer.OpenKeyed(ciphertext)
}

// OpenWithKey opens one record with its file key.
func (o *progressOpener) OpenWithKey(ciphertext, fileKey []byte) ([]byte, error) {
	o.records.Add(1)
	return o.Sealer.OpenWithKey(ciphertext, fileKey)
}

// OpenStream opens an evidence file; the records are done by then.
func (o *progressOpener) OpenStream(src io.Reader) (io.Reader, error) {
	if !o.streaming {
		o.streaming = true
		o.records.Done()
		o.evidence = o.g.newProgress(o.streams, 0, "")
	}
	r, err := o.Sealer.OpenStream(src)
	if err != nil {
		return nil, err
	}
	return o.evidence.Reader(r), nil
}

// Done clears the progress line.
func (o *progressOpener) Done() {
	o.records.Done()
	o.evidence.Done()
}

// The store reads its cache only through a key that gives the cache's
// secret: a wrapper that hid it would silently turn the cache off.
var _ journal.CacheKeys = (*progressOpener)(nil)

// Nor must it hide the file keys, or every record would be opened with
// the identity again.
var _ journal.KeyedOpener = (*progressOpener)(nil)

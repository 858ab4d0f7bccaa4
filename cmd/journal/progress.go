package main

import (
	"io"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/internal/progress"
	"github.com/journal-dev/journal/journal"
)

// newProgress starts a progress line on standard error for an operation
// over total items of unit ("" for bytes; total 0 when unknown): nil, which
// shows nothing, when standard error is not a terminal, or for a screen
// reader (--accessible), which would read every redraw aloud.
func (g *globals) newProgress(label string, total int64, unit string) *progress.Line {
	if g.lineTerminal() {
		return nil
	}
	return progress.Start(g.err, label, total, unit)
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
	records   *progress.Line
	evidence  *progress.Line
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

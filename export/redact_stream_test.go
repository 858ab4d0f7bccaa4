package export

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/witness"
)

// TestRedactedFromSelectionSameBytes: a redacted report of a selection
// read one incident at a time, as a handover makes it, is byte for byte
// the redacted report made in memory, in every format: the same letters,
// numbers and places, the same kinds of redaction on the PDF's cover (and
// so no image shown). The selection here hands out each incident in one
// place that the next overwrites, as a reader of a large journal may: a
// redaction that kept incidents would show the last one many times. A
// witnessed checkpoint is listed without its witness's name.
func TestRedactedFromSelectionSameBytes(t *testing.T) {
	_, witnessed, _ := witnessedFixture(t)
	f := newReportFixture()
	corpus := redactionCorpus()
	for _, c := range []struct {
		name    string
		tl      *Timeline
		filters []string
		queries []journal.Query
	}{
		{"fixture", f.timeline, f.options.Filters, []journal.Query{{}, {IncludeVoid: true}, {Who: "mary smith"}}},
		{"corpus", corpus, []string{"--who John Evans"}, []journal.Query{{}, {Who: "john evans"}}},
	} {
		st := &journal.State{Incidents: c.tl.Incidents, Fingerprint: c.tl.Fingerprint, Seq: 9}
		o := f.options
		o.Created, o.Filters = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), c.filters
		for _, q := range c.queries {
			all := NewTimeline(st.Select(q), st.Fingerprint)
			all.Witnessed = []journal.CosignedEntry{witnessed}
			mem, what := RedactAll(Disclosable(all), c.filters)
			memOpts := o
			memOpts.Redactions, memOpts.Selection = what.Kinds, what.Selection
			for name, write := range map[string]func(io.Writer, *Timeline, PDFOptions) error{
				"json":     func(w io.Writer, t *Timeline, _ PDFOptions) error { return WriteJSON(w, t) },
				"markdown": func(w io.Writer, t *Timeline, _ PDFOptions) error { return WriteMarkdown(w, t) },
				"csv":      func(w io.Writer, t *Timeline, _ PDFOptions) error { return WriteCSV(w, t) },
				"pdf":      func(w io.Writer, t *Timeline, o PDFOptions) error { _, err := WritePDF(w, t, o); return err },
			} {
				var want, got bytes.Buffer
				if err := write(&want, mem, memOpts); err != nil {
					t.Fatal(err)
				}
				streamed, err := FromSelection(journal.Select(st, q))
				if err != nil {
					t.Fatal(err)
				}
				streamed.from = overwritten(streamed.from)
				streamed.Witnessed = []journal.CosignedEntry{witnessed}
				red, selection, err := redactStreamed(Disclosable(streamed), c.filters)
				if err != nil {
					t.Fatal(err)
				}
				streamOpts := o
				streamOpts.Selection = selection
				if err := write(&got, red, streamOpts); err != nil {
					t.Fatal(err)
				}
				if (name == "json" || name == "markdown") && !bytes.Contains(got.Bytes(), []byte(witness.KeyFingerprint(witnessed.Key))) {
					t.Errorf("%s, %s: the witnessed checkpoint is not listed", c.name, name)
				}
				if bytes.Contains(got.Bytes(), []byte("Adviser")) {
					t.Errorf("%s, %s: a redacted report names the witness", c.name, name)
				}
				if !bytes.Equal(got.Bytes(), want.Bytes()) {
					t.Errorf("%s, query %+v, %s: redacted one at a time gives other bytes than in memory", c.name, q, name)
				}
			}
		}
	}
}

// overwritten gives each incident of from in the same place, overwritten
// by the next one.
func overwritten(from func(func(*journal.Incident) error) error) func(func(*journal.Incident) error) error {
	return func(fn func(*journal.Incident) error) error {
		var cur journal.Incident
		return from(func(in *journal.Incident) error {
			cur = *in
			return fn(&cur)
		})
	}
}

// TestRedactPlacesSameEveryTime: a place word inside a longer one
// ("Mary" of "St-Mary's") is replaced after it, every time: the same
// report twice gives the same bytes, and no "St-" is left.
func TestRedactPlacesSameEveryTime(t *testing.T) {
	for range 40 {
		r := newRedactor()
		r.collect(&journal.Incident{Fields: journal.Fields{Place: "St-Mary's Clinic"}})
		r.collect(&journal.Incident{Fields: journal.Fields{Place: "Mary House"}})
		r.named()
		if got, want := r.text("We met at St-Mary's, then Mary."), "We met at [place], then [place]."; got != want {
			t.Fatalf("text = %q, want %q", got, want)
		}
	}
}

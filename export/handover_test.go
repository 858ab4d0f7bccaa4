package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/privatefile"
)

// TestHandover: a recorded export writes the report, records a disclosure
// that names its incidents and the SHA-256 of the file it wrote, and
// writes nothing and records nothing when it must not.
func TestHandover(t *testing.T) {
	f := newReportFixture()
	st := &journal.State{Incidents: f.timeline.Incidents, Fingerprint: f.timeline.Fingerprint, Seq: 9}
	dir := t.TempDir()
	var recorded []*journal.Record
	h := &Handover{Format: "markdown", Path: filepath.Join(dir, "report.md"), For: "Adviser",
		Record: func(r *journal.Record) error { recorded = append(recorded, r); return nil }}

	done, err := h.Write(journal.Select(st, journal.Query{}))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(h.Path)
	sum := sha256.Sum256(data)
	d := done.Disclosure
	if len(recorded) != 1 || recorded[0].Disclosure != d || d.SHA256 != hex.EncodeToString(sum[:]) || d.Size != int64(len(data)) {
		t.Fatalf("recorded %d disclosures, the last %+v; want one with the file's size %d and SHA-256 %x", len(recorded), d, len(data), sum)
	}
	if d.For != "Adviser" || d.Incidents.Len() != len(st.Select(journal.Query{})) || d.Format != "markdown" || d.Filters == nil {
		t.Errorf("disclosure %+v does not say what was handed over", d)
	}
	var want bytes.Buffer
	WriteMarkdown(&want, Disclosable(NewTimeline(st.Select(journal.Query{}), st.Fingerprint)))
	if !bytes.Equal(data, want.Bytes()) {
		t.Error("the handed-over Markdown is not the timeline's Markdown")
	}

	// The name is taken: nothing recorded, the file kept.
	if _, err := h.Write(journal.Select(st, journal.Query{})); !errors.Is(err, privatefile.ErrExists) || len(recorded) != 1 {
		t.Errorf("over a taken name: %v with %d records, want ErrExists and still 1", err, len(recorded))
	}
	// Recording fails: no file.
	h.Path = filepath.Join(dir, "unrecorded.md")
	h.Record = func(*journal.Record) error { return errors.New("journal in use") }
	if _, err := h.Write(journal.Select(st, journal.Query{})); err == nil {
		t.Error("a handover whose disclosure could not be recorded succeeded")
	}
	if _, err := os.Stat(h.Path); err == nil {
		t.Error("a report was left behind that no disclosure records")
	}
	// Nothing selected.
	h.Path = filepath.Join(dir, "empty.md")
	if _, err := h.Write(journal.Select(st, journal.Query{Search: "no such words anywhere"})); !errors.Is(err, ErrNoIncident) {
		t.Errorf("a handover of nothing: %v, want ErrNoIncident", err)
	}
}

// TestFromSelectionSameBytes: a timeline that reads its incidents from a
// selection one at a time renders exactly the bytes of one made from
// them in memory, in every format.
func TestFromSelectionSameBytes(t *testing.T) {
	f := newReportFixture()
	st := &journal.State{Incidents: f.timeline.Incidents, Fingerprint: f.timeline.Fingerprint, Seq: 9}
	for _, q := range []journal.Query{{}, {IncludeVoid: true}, {Who: "mary smith"}} {
		mem := NewTimeline(st.Select(q), st.Fingerprint)
		for name, write := range map[string]func(io.Writer, *Timeline) error{
			"json": WriteJSON, "markdown": WriteMarkdown, "csv": WriteCSV, "text": WriteText,
			"pdf": func(w io.Writer, t *Timeline) error { _, err := WritePDF(w, t, f.options); return err },
		} {
			var want, got bytes.Buffer
			if err := write(&want, Disclosable(mem)); err != nil {
				t.Fatal(err)
			}
			streamed, err := FromSelection(journal.Select(st, q))
			if err != nil {
				t.Fatal(err)
			}
			if err := write(&got, Disclosable(streamed)); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("query %+v, %s: one at a time gives other bytes than in memory", q, name)
			}
		}
	}
}

package export

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/privatefile"
)

// Handover is a recorded export: a report of a selection of incidents
// written to a private file (see package privatefile: whole or not at all,
// 0600, never over another file without Force), and recorded in the
// journal as a disclosure once its bytes are safely on disk and before the
// file takes its name, so that a report is never handed over unrecorded.
// The report is written as it is rendered, through the encryption when
// there are Recipients and the SHA-256 the disclosure keeps: it is never
// held whole.
type Handover struct {
	// Format is "pdf", "markdown", "json" or "csv".
	Format string
	Path   string
	Force  bool
	// Recipients, when set, receive the report encrypted: nothing
	// unencrypted is written.
	Recipients *crypto.Recipients
	// For is who the report is for, Reference a case reference for the
	// PDF's pages, Name the author's name for its cover and exhibit
	// marks, Filters the selection as the author gave it.
	For, Reference, Name string
	Filters              []string
	// Redact names people Person A, B... (see [RedactAll]).
	Redact bool
	// Font is a TrueType font to set a PDF in, nil for the Go fonts.
	Font []byte
	// RecordsBy names the records the state holds device by device
	// ("laptop" records 1 to 3, "work PC" record 1), when they come from
	// several devices: a PDF says what its fingerprint stands for with it
	// (a redacted one without the devices' names).
	RecordsBy string
	// Created is the date the report carries; RecordedAt the disclosure's.
	Created, RecordedAt time.Time
	// AllowEmpty writes a report of no incident; otherwise that is
	// [ErrNoIncident].
	AllowEmpty bool
	// Evidence reads an evidence file, for the images of a PDF.
	Evidence func(*journal.Incident, journal.Attachment) ([]byte, error)
	// Record adds the disclosure record to the journal.
	Record func(*journal.Record) error
}

// Handed is what a handover wrote: the disclosure it recorded (with the
// file's size and SHA-256), and for a PDF what it could not show.
type Handed struct {
	Disclosure *journal.Disclosure
	PDF        *PDFResult
}

// ErrNoIncident is a handover of no incident without AllowEmpty: almost
// always a filter that missed, and a report that would say there is
// nothing to tell.
var ErrNoIncident = errors.New("no incident is selected")

// Write writes the report of sel's incidents and records it. Private
// notes never leave the journal ([Disclosable]). A taken name without
// Force is [privatefile.ErrExists], and nothing is recorded.
func (h *Handover) Write(sel *journal.Selection) (*Handed, error) {
	if sel.Len() == 0 && !h.AllowEmpty {
		return nil, ErrNoIncident
	}
	st := sel.State
	t, err := FromSelection(sel)
	if err != nil {
		return nil, err
	}
	t.Stamps, t.Witnessed = st.Stamps, st.Cosigned
	t = Disclosable(t)
	// Exhibit marks are given once per file (the same bytes under two
	// incidents are one exhibit), and kept: those earlier
	// reports gave are read from the disclosures, and all are recorded
	// with this one.
	marks, exhibits := Exhibits(sel.WithEvidence(), st.Disclosures, h.Name)
	selection := ""
	if h.Redact {
		// Read once to name everyone, then redacted as it is rendered;
		// the PDF learns the kinds of redaction from its first reading.
		if t, selection, err = redactStreamed(t, h.Filters); err != nil {
			return nil, err
		}
	}
	filters := h.Filters
	if filters == nil {
		filters = []string{}
	}
	out := &Handed{}
	render := func(w io.Writer) error {
		switch h.Format {
		case "markdown":
			return WriteMarkdown(w, t)
		case "csv":
			return WriteCSV(w, t)
		case "json":
			return WriteJSON(w, t)
		case "pdf":
		default:
			return fmt.Errorf("no report format %q", h.Format)
		}
		var bad error
		evidence := h.Evidence
		if evidence != nil {
			// Bytes that do not match their recorded SHA-256 stop the
			// export rather than hand over a report with a file missing.
			evidence = func(in *journal.Incident, a journal.Attachment) ([]byte, error) {
				b, err := h.Evidence(in, a)
				var ie *journal.IntegrityError
				if errors.As(err, &ie) && bad == nil {
					bad = err
				}
				return b, err
			}
		}
		recordsBy := h.RecordsBy
		if h.Redact && recordsBy != "" {
			recordsBy = "from several devices, not named in a redacted copy"
		}
		res, err := WritePDF(w, t, PDFOptions{
			Reporter: h.Name, For: h.For, Reference: h.Reference, Created: h.Created, Filters: h.Filters,
			Selection: selection, Exhibits: marks, Disclosures: st.Disclosures,
			Records: st.Seq, RecordsBy: recordsBy, Font: h.Font, Evidence: evidence,
		})
		out.PDF = res
		if err == nil {
			err = bad
		}
		return err
	}
	err = privatefile.Write(h.Path, privatefile.Options{Force: h.Force}, func(w io.Writer) error {
		return encryptedTo(h.Recipients, w, render)
	}, func(n int64, sum [32]byte) error {
		out.Disclosure = &journal.Disclosure{
			Format: h.Format, For: h.For, Filters: filters, SHA256: hex.EncodeToString(sum[:]),
			Size: n, Redacted: h.Redact, Encrypted: h.Recipients != nil, Incidents: journal.NewIncidentSet(sel.IDs()),
			Fingerprint: st.Fingerprint, Exhibits: exhibits,
		}
		return h.Record(&journal.Record{Type: journal.TypeDisclosure, RecordedAt: h.RecordedAt, Disclosure: out.Disclosure})
	})
	var ne *privatefile.NameError
	if errors.As(err, &ne) {
		return nil, fmt.Errorf("the disclosure is recorded but %s could not be written: %w", h.Path, ne.Err)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// encryptedTo runs write on w, or, when there are recipients, on an age
// stream to them that ends in w.
func encryptedTo(recipients *crypto.Recipients, w io.Writer, write func(io.Writer) error) error {
	if recipients == nil {
		return write(w)
	}
	ew, err := recipients.EncryptStream(w)
	if err != nil {
		return fmt.Errorf("--encrypt-to: %w", err)
	}
	if err := write(ew); err != nil {
		return err
	}
	return ew.Close()
}

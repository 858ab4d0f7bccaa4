package export

import (
	"strings"
	"testing"

	"github.com/journal-dev/journal/journal"
)

// TestKindLabelsAreSetWhole: in the chronology's Kind column, and in the
// kinds of contact of each person, every kind of contact reads whole on
// one line ("text message", not "text" at the end of one line and
// "message" on the next), the longest included, for an incident of
// every kind.
func TestKindLabelsAreSetWhole(t *testing.T) {
	f := newReportFixture()
	f.timeline.Incidents[0].Fields.Kinds = journal.Kinds
	pdf, _ := renderPDF(t, f.timeline, f.options)
	text := strings.ReplaceAll(pdfText(t, pdf), "\u00a0", " ")
	for _, part := range []struct{ name, from, to, after string }{
		{"the chronology", "\nChronology\n", "\nReported to\n", ""},
		// The field's value, after its "By month", before "Over time".
		{"the kinds of contact of John Smith", "Oct 2026: 2; Nov 2026: 1\n", "severity as recorded", " ("},
	} {
		from := strings.Index(text, part.from)
		to := strings.Index(text[max(from, 0):], part.to)
		if from < 0 || to < 0 {
			t.Fatalf("the report has no %s (from %q to %q)", part.name, part.from, part.to)
		}
		section := text[from : from+to]
		for _, k := range journal.Kinds {
			if label := journal.KindLabel(k) + part.after; !strings.Contains(section, label) {
				t.Errorf("%s does not set %q on one line:\n%s", part.name, label, section)
			}
		}
	}
}

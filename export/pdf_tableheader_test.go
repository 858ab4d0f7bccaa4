package export

import (
	"regexp"
	"strings"
	"testing"

	"github.com/journal-dev/journal/journal"
)

// TestATableHeaderIsNeverAloneAtAPageFoot: a table's header goes on the
// page of its first row. A first incident of every kind makes the
// chronology long enough that the evidence index begins near the foot of
// a page: its header must not stay there alone while its files are on
// the next page (each page with the header lists a file's SHA-256).
func TestATableHeaderIsNeverAloneAtAPageFoot(t *testing.T) {
	f := newReportFixture()
	f.timeline.Incidents[0].Fields.Kinds = journal.Kinds
	pdf, _ := renderPDF(t, f.timeline, f.options)
	hash := regexp.MustCompile(`(?m)^\s*[0-9a-f]{64}\s*$|SHA-256\s+[0-9a-f]{64}`)
	seen := false
	for i, page := range strings.Split(pdfText(t, pdf), "\f") {
		if !regexp.MustCompile(`(?m)^Exhibit$`).MatchString(page) {
			continue
		}
		seen = true
		if !hash.MatchString(page) {
			t.Errorf("page %d holds the evidence index's header and none of its files:\n%s", i+1, page)
		}
	}
	if !seen {
		t.Fatal("no page holds the evidence index's header")
	}
}

package export

import (
	"strconv"
	"strings"
	"testing"
)

// TestLongWordIsSetWhole: text with no space wider than many lines (a
// pasted link or code, here 4,000 characters) is cut into lines by
// characters, and the report holds every character of it, in order.
func TestLongWordIsSetWhole(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 4000; i++ {
		b.WriteString(strconv.Itoa(i) + "/")
	}
	long := b.String()
	f := newReportFixture()
	f.timeline.Incidents[0].Fields.Details = "Link: " + long
	pdf, _ := renderPDF(t, f.timeline, f.options)
	text := pdfText(t, pdf)
	at := strings.Index(text, "Link:")
	if at < 0 {
		t.Fatal("the report does not hold the details")
	}
	var got strings.Builder
	// Its lines, in order, past the page's foot and the next one's head.
	for _, line := range strings.Split(text[at+len("Link:"):], "\n") {
		line = strings.TrimSpace(line)
		if got.Len() >= len(long) {
			break
		}
		if line != "" && strings.Trim(line, "0123456789/") == "" {
			got.WriteString(line)
		}
	}
	if got.String() != long {
		t.Errorf("the report sets %d characters of the %d-character word: %.80q...", got.Len(), len(long), got.String())
	}
}

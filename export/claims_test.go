package export

import (
	"strings"
	"testing"

	"github.com/journal-dev/journal/journal"
)

// TestHowToCheckSaysTheClaims checks that the report's "How to check" page
// says what a journal that verifies shows and what it cannot, in the words
// of verify and the README.
func TestHowToCheckSaysTheClaims(t *testing.T) {
	f := newReportFixture()
	pdf, _ := renderPDF(t, f.timeline, f.options)
	text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
	for _, c := range journal.Claims {
		if !strings.Contains(text, c) {
			t.Errorf("the report does not say: %s", c)
		}
	}
	if !strings.Contains(text, "journal verify --fingerprint "+f.timeline.Fingerprint) {
		t.Error("the report does not say how to check its fingerprint without a key")
	}
}

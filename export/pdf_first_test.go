package export

import (
	"strings"
	"testing"
)

// TestPDFSaysTheFirstRecordInWords checks how the report names the records
// its fingerprint stands for when there is one: "the first record", never
// "the first 1 record" (a new user's first report read so).
func TestPDFSaysTheFirstRecordInWords(t *testing.T) {
	for _, c := range []struct {
		records int
		want    []string
	}{
		{1, []string{"This stands for the first record of the journal", "stands for the first record of this journal"}},
		{2, []string{"This stands for the first 2 records of the journal", "stands for the first 2 records of this journal"}},
	} {
		o := PDFOptions{Created: at("2026-11-25 09:00 +0000"), Records: uint64(c.records)}
		pdf, _ := renderPDF(t, NewTimeline(nil, "aaaa-bbbb-cccc-dddd-eeee-ffff"), o)
		text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("a report of %d records does not say %q", c.records, w)
			}
		}
		if strings.Contains(text, "first 1 record") {
			t.Errorf("a report of %d records says \"first 1 record\"", c.records)
		}
	}
}

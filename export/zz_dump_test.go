package export

import (
	"os"
	"path/filepath"
	"testing"
)

func TestZZDump(t *testing.T) {
	dir := os.Getenv("DUMP")
	if dir == "" {
		t.Skip()
	}
	f := newReportFixture()
	f.timeline.Incidents[0].Summary = "He wrote 你好 and また会いましょう on the door 😡"
	f.timeline.Incidents[0].Words = "אני יודע and أنا أعرف أين تسكنين"
	pdf, _ := renderPDF(t, f.timeline, f.options)
	os.WriteFile(filepath.Join(dir, "chars.pdf"), pdf, 0o600)
	red, kinds := Redact(newReportFixture().timeline)
	o := f.options
	o.Redactions = kinds
	rpdf, _ := renderPDF(t, red, o)
	os.WriteFile(filepath.Join(dir, "redacted.pdf"), rpdf, 0o600)
}

package export

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var updateReports = flag.Bool("update-reports", false, "rewrite the report golden files in testdata")

// needTool skips a test when a program it needs is missing, except in CI,
// where the program must be there.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed: CI installs the Debian package %s (.ci/packages)", name, pkg)
		}
		t.Skipf("%s is not installed: install the Debian package %s to run this test", name, pkg)
	}
	return p
}

func renderPDF(t *testing.T, tl *Timeline, o PDFOptions) ([]byte, *PDFResult) {
	t.Helper()
	var buf bytes.Buffer
	res, err := WritePDF(&buf, tl, o)
	if err != nil {
		t.Fatalf("WritePDF: %v", err)
	}
	return buf.Bytes(), res
}

// pdfText extracts the text of a PDF with pdftotext, in reading order.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	tool := needTool(t, "pdftotext", "poppler-utils")
	dir := t.TempDir()
	in := filepath.Join(dir, "r.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestPDFSample(t *testing.T) {
	dir := os.Getenv("JOURNAL_PDF_SAMPLE")
	if dir == "" {
		t.Skip("set JOURNAL_PDF_SAMPLE to a folder to write a sample report there")
	}
	f := newReportFixture()
	pdf, res := renderPDF(t, f.timeline, f.options)
	os.WriteFile(filepath.Join(dir, "sample.pdf"), pdf, 0o600)
	red, kinds := Redact(f.timeline)
	o := f.options
	o.Redactions = kinds
	rpdf, _ := renderPDF(t, red, o)
	os.WriteFile(filepath.Join(dir, "redacted.pdf"), rpdf, 0o600)
	t.Logf("missing %q unshown %q", res.Missing, res.Unshown)
	_ = strings.Contains
}

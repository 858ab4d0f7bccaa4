package export

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"

	"github.com/journal-dev/journal/journal"
)

// needTool returns the path of a program a test needs. When it is missing
// the test is skipped, except in CI (CI=true), where it fails.
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

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// pdfText extracts the text of a PDF with pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	tool := needTool(t, "pdftotext", "poppler-utils")
	out, err := exec.Command(tool, "-enc", "UTF-8", writeTemp(t, "r.pdf", pdf), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestPDFGolden checks that the report is the same, byte for byte, from
// one run to the next and from one version to the next.
func TestPDFGolden(t *testing.T) {
	f := newReportFixture()
	first, _ := renderPDF(t, f.timeline, f.options)
	for range 3 {
		again, _ := renderPDF(t, f.timeline, f.options)
		if !bytes.Equal(first, again) {
			t.Fatal("two reports of the same timeline with the same options differ")
		}
	}
	golden(t, "report.pdf", first)
}

// TestPDFCustomFontTwice: with --font, two reports made one after the
// other in one process are the same bytes, and the font given is left as
// it was: --font gives one font to four styles, and each style must get
// the bytes as they were given, not as the writer of another style left
// them.
func TestPDFCustomFontTwice(t *testing.T) {
	f := newReportFixture()
	f.timeline.Incidents[0].Summary += " Ǻ ǻ ǅ ﬁ" // composite glyphs
	f.options.Font = bytes.Clone(goitalic.TTF)
	first, _ := renderPDF(t, f.timeline, f.options)
	again, _ := renderPDF(t, f.timeline, f.options)
	if !bytes.Equal(first, again) {
		t.Error("two reports of the same timeline with the same --font differ")
	}
	if !bytes.Equal(f.options.Font, goitalic.TTF) {
		t.Error("making a report changed the bytes of the font it was given")
	}
}

// TestPDFText reads the report as a person would, through pdftotext, and
// finds everything a reader must find.
func TestPDFText(t *testing.T) {
	f := newReportFixture()
	pdf, res := renderPDF(t, f.timeline, f.options)
	if len(res.Missing) != 0 || len(res.Unshown) != 0 {
		t.Errorf("WritePDF result = %+v, want nothing missing or unshown", res)
	}
	text := pdfText(t, pdf)
	want := []string{
		"CONFIDENTIAL", "Dr Sam Jones", "Medical Defence Union, case adviser", "Page 1 of ",
		"fingerprint k7qd-3mzp-xa2r-9fht-w4ne-c8vb", "People and their course of conduct", "Impact on the author's daily life",
		"Chronology", "Reported to", "Evidence index", "Incidents in full",
		"Earlier disclosures", "How to check this report", "Statement of truth", "Signature",
		// The amendment keeps the original time, and the void its reason.
		"Ann reminded me of the time", "about Fri 2 Oct 2026 09:15 UTC+01:00",
		"It was a fault on the phone line, BT confirmed", "VOID",
		// Both times and the gap.
		"Fri 2 Oct 2026 19:10 UTC+01:00 (10 h later)",
		// Reported with references and officer.
		"Police; CAD 1234 20/10; PC 4521 Davies",
		// The earlier disclosure.
		"3f1c9a0e5b7d2486f0a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5", "for Practice manager",
		// Greek and Cyrillic, set in the Go fonts.
		"Он просто хочет поговорить. Είναι άρρωστος.",
	}
	for _, in := range f.timeline.Incidents {
		want = append(want, in.Summary, in.Place, in.Words)
		for _, w := range in.Witnesses {
			want = append(want, w.Name)
		}
		for _, a := range in.Attachments {
			want = append(want, a.Name, a.SHA256)
		}
	}
	flat := strings.Join(strings.Fields(text), " ")
	for _, w := range want {
		if w == "" {
			continue
		}
		if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("the report's text has no %q", w)
		}
	}
	// Every page carries its number and the fingerprint.
	pages := strings.Split(text, "\f")
	of := fmt.Sprintf("of %d", len(pages)-1)
	for i, p := range pages[:len(pages)-1] {
		if !strings.Contains(p, fmt.Sprintf("Page %d %s", i+1, of)) || !strings.Contains(p, "k7qd-3mzp-xa2r-9fht-w4ne-c8vb") {
			t.Errorf("page %d lacks its page number or the fingerprint", i+1)
		}
	}
}

// TestPDFTextGolden keeps the report's text, as pdftotext reads it, in a
// golden file: every section, in words a reviewer can read.
func TestPDFTextGolden(t *testing.T) {
	f := newReportFixture()
	pdf, _ := renderPDF(t, f.timeline, f.options)
	golden(t, "report.txt", []byte(pdfText(t, pdf)))
	red, what := RedactAll(f.timeline, f.options.Filters)
	o := f.options
	o.Redactions, o.Selection = what.Kinds, what.Selection
	pdf, _ = renderPDF(t, red, o)
	golden(t, "report-redacted.txt", []byte(pdfText(t, pdf)))
}

// TestPDFStructure has qpdf check the file's structure.
func TestPDFStructure(t *testing.T) {
	qpdf := needTool(t, "qpdf", "qpdf")
	f := newReportFixture()
	for _, redact := range []bool{false, true} {
		tl, o := f.timeline, f.options
		if redact {
			tl, o.Redactions = Redact(tl)
		}
		pdf, _ := renderPDF(t, tl, o)
		out, err := exec.Command(qpdf, "--check", writeTemp(t, "r.pdf", pdf)).CombinedOutput()
		if err != nil {
			t.Errorf("qpdf --check (redacted %v): %v\n%s", redact, err, out)
		}
	}
}

// TestPDFEmpty: a journal with nothing selected still gives a whole report.
func TestPDFEmpty(t *testing.T) {
	o := PDFOptions{Created: at("2026-11-25 09:00 +0000")}
	pdf, _ := renderPDF(t, NewTimeline(nil, "aaaa-bbbb-cccc-dddd-eeee-ffff"), o)
	// The PDF writer once changed the fonts it was given: a second
	// report from the same process came out differently.
	if again, _ := renderPDF(t, NewTimeline(nil, "aaaa-bbbb-cccc-dddd-eeee-ffff"), o); !bytes.Equal(pdf, again) {
		t.Error("the same empty report came out differently the second time")
	}
	text := pdfText(t, pdf)
	for _, w := range []string{"0 incidents", "No incidents are selected.", "Page 1 of", "How to check this report"} {
		if !strings.Contains(text, w) {
			t.Errorf("empty report has no %q", w)
		}
	}
}

// TestPDFSameWidthImages: images of the same width in pixels would come
// out in a random order; the report must still be the same every time.
func TestPDFSameWidthImages(t *testing.T) {
	files := map[string][]byte{}
	var atts []journal.Attachment
	for i, c := range []color.RGBA{{200, 0, 0, 255}, {0, 150, 0, 255}, {0, 0, 200, 255}, {90, 90, 0, 255}} {
		var b bytes.Buffer
		png.Encode(&b, testImage(300, 200+i*10, c))
		a := journal.Attachment{Name: "shot.png", MediaType: "image/png", Size: int64(b.Len()), SHA256: string(rune('a' + i))}
		files[a.SHA256] = b.Bytes()
		atts = append(atts, a)
	}
	in := &journal.Incident{ID: 1, RecordedAt: at("2026-11-01 10:00 +0000"), Attachments: atts,
		Fields: normalized(journal.Fields{OccurredAt: at("2026-11-01 09:00 +0000"), Summary: "Four screenshots"})}
	o := PDFOptions{Created: at("2026-11-25 09:00 +0000"), Evidence: func(_ *journal.Incident, a journal.Attachment) ([]byte, error) {
		return files[a.SHA256], nil
	}}
	tl := NewTimeline([]*journal.Incident{in}, "aaaa-bbbb-cccc-dddd-eeee-ffff")
	first, res := renderPDF(t, tl, o)
	if len(res.Unshown) > 0 {
		t.Fatalf("unshown: %v", res.Unshown)
	}
	for range 10 {
		if again, _ := renderPDF(t, tl, o); !bytes.Equal(first, again) {
			t.Fatal("the same report came out differently")
		}
	}
}

// TestPDFBadImage: an image that cannot be read is listed, not shown, and
// reported in words (no decoder text such as "unexpected EOF"); the rest
// of the report is written. A PNG cut short after its header made the PDF
// writer's parser panic.
func TestPDFBadImage(t *testing.T) {
	var whole bytes.Buffer
	img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = byte(i*i*7 + i/3) // little for the compressor to fold
	}
	if err := png.Encode(&whole, img); err != nil {
		t.Fatal(err)
	}
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, img, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, media string
		data        []byte
		want        string
	}{
		{"notes.png", "image/png", []byte("oops"), "not a PNG, JPEG or GIF image"},
		{"cut.png", "image/png", whole.Bytes()[:whole.Len()/2], "the image file is damaged or cut short"},
		{"header.png", "image/png", whole.Bytes()[:40], "the image file is damaged or cut short"},
		{"header.jpg", "image/jpeg", jpg.Bytes()[:20], "the image file is cut short"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := journal.Attachment{Name: c.name, MediaType: c.media, Size: int64(len(c.data)), SHA256: strings.Repeat("ab", 32)}
			in := &journal.Incident{ID: 1, RecordedAt: at("2026-11-01 10:00 +0000"), Attachments: []journal.Attachment{a},
				Fields: normalized(journal.Fields{OccurredAt: at("2026-11-01 09:00 +0000"), Summary: "A broken picture"})}
			o := PDFOptions{Evidence: func(*journal.Incident, journal.Attachment) ([]byte, error) { return c.data, nil }}
			pdf, res := renderPDF(t, NewTimeline([]*journal.Incident{in}, "x"), o)
			if len(res.Unshown) != 1 || !strings.Contains(res.Unshown[0], c.name+": "+c.want) {
				t.Errorf("Unshown = %q, want %s named with %q", res.Unshown, c.name, c.want)
			}
			if len(res.Unshown) == 1 && strings.Contains(strings.ToLower(res.Unshown[0]), "eof") {
				t.Errorf("Unshown = %q: a decoder's words reach the user", res.Unshown)
			}
			text := pdfText(t, pdf)
			if !strings.Contains(text, "This image cannot be shown here") || !strings.Contains(text, a.SHA256) {
				t.Errorf("the report does not say the image cannot be shown, or lost its hash:\n%s", text)
			}
		})
	}
}

// TestPDFEveryCharacter: every character of an incident gets into the
// report, with the Go fonts and with --font: Chinese, Japanese, Arabic
// and Hebrew from the fallback fonts, an emoji as a placeholder with its
// code point and name, listed on the report.
func TestPDFEveryCharacter(t *testing.T) {
	f := newReportFixture()
	f.timeline.Incidents[0].Summary = "He wrote 你好 and また会いましょう on the door 😡"
	f.timeline.Incidents[0].Words = "אני יודע and أنا أعرف أين تسكنين"
	for _, font := range [][]byte{nil, gomono.TTF} {
		f.options.Font = font
		pdf, res := renderPDF(t, f.timeline, f.options)
		if !slices.Equal(res.Missing, []rune{'😡'}) {
			t.Errorf("Missing = %q, want only the emoji", res.Missing)
		}
		text := pdfText(t, pdf)
		for _, want := range []string{"你好", "また会いましょう", "[U+1F621 pouting face]", "Noto Sans Arabic",
			"Droid Sans Fallback", "Arabic and Hebrew are drawn right to left", "Он просто хочет"} {
			if !strings.Contains(text, want) {
				t.Errorf("with font %v, the report's text has no %q", font != nil, want)
			}
		}
		// pdftotext reads the Hebrew and Arabic back in the order they
		// are drawn: right to left, so the words come reversed.
		if !strings.Contains(text, "עדוי ינא") && !strings.Contains(text, "יודע") {
			t.Errorf("the Hebrew is missing:\n%s", text)
		}
	}
}

// TestShapeArabic joins Arabic letters into the forms they take in a word.
func TestShapeArabic(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// beh, teh, beh: initial, medial, final.
		{"\u0628\u062a\u0628", "\ufe91\ufe98\ufe90"},
		// alef joins only to the letter before it: isolated after a space.
		{"\u0627 \u0628", "\ufe8d \ufe8f"},
		// lam and alef make a ligature.
		{"\u0644\u0627", "\ufefb"},
		{"\u0628\u0644\u0627", "\ufe91\ufefc"},
		{"no arabic", "no arabic"},
		// Urdu: peh, then yeh barree, which joins only to the letter before.
		{"\u067e\u06d2", "\ufb58\ufbaf"},
	} {
		if got := shapeArabic(tc.in); got != tc.want {
			t.Errorf("shapeArabic(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestVisualOrder reverses right-to-left runs word by word, keeping
// numbers and the left-to-right words around them in order.
func TestVisualOrder(t *testing.T) {
	for _, tc := range []struct{ in, want []string }{
		{[]string{"He", " ", "said", " ", "אני", " ", "יודע", " ", "then", " ", "left"},
			[]string{"He", " ", "said", " ", "עדוי", " ", "ינא", " ", "then", " ", "left"}},
		{[]string{"ab", " ", "12", " ", "cd"}, []string{"ab", " ", "12", " ", "cd"}},
		{[]string{"אב", " ", "123", " ", "גד"}, []string{"דג", " ", "123", " ", "בא"}},
	} {
		if got := visualOrder(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("visualOrder(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// A line that starts in Hebrew reads from the right: the English and
	// the number after it keep their order, as one run, and the full stop
	// ends the line on the left.
	for _, tc := range []struct{ in, want []string }{
		{[]string{"אני", " ", "יודע", " ", "John", " ", "Smith", " ", "123", "."},
			[]string{".", "John", " ", "Smith", " ", "123", " ", "עדוי", " ", "ינא"}},
		{[]string{"(", "אב", ")"}, []string{"(", "בא", ")"}},
	} {
		if got := visualOrderRTL(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("visualOrderRTL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCheckFont(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		ok   bool
	}{
		{"go mono", gomono.TTF, true},
		{"text", []byte("hello, world"), false},
		{"cff", append([]byte("OTTO"), make([]byte, 100)...), false},
		{"collection", append([]byte("ttcf"), make([]byte, 100)...), false},
		{"truncated", gomono.TTF[:200], false},
	} {
		if err := CheckFont(tc.data); (err == nil) != tc.ok {
			t.Errorf("CheckFont(%s) = %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}

// TestPDFSample writes a sample report and its redacted copy, to look at.
func TestPDFSample(t *testing.T) {
	dir := os.Getenv("JOURNAL_PDF_SAMPLE")
	if dir == "" {
		t.Skip("set JOURNAL_PDF_SAMPLE to a folder to write a sample report there")
	}
	f := newReportFixture()
	pdf, _ := renderPDF(t, f.timeline, f.options)
	red, kinds := Redact(f.timeline)
	o := f.options
	o.Redactions = kinds
	rpdf, _ := renderPDF(t, red, o)
	if err := os.WriteFile(filepath.Join(dir, "sample.pdf"), pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "redacted.pdf"), rpdf, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestPDFWordsReadAgain: past the words the first pass keeps, a person's
// words used are read again from the incidents, and the report is the
// same.
func TestPDFWordsReadAgain(t *testing.T) {
	f := newReportFixture()
	want, _ := renderPDF(t, f.timeline, f.options)
	defer func(n int) { maxWords = n }(maxWords)
	maxWords = 60 // the first quote, not the others
	got, _ := renderPDF(t, f.timeline, f.options)
	if !bytes.Equal(got, want) {
		t.Errorf("the report differs when the words used are read again:\n%s", pdfText(t, got))
	}
	if !strings.Contains(pdfText(t, got), "I'll be waiting") {
		t.Error("the words used are missing")
	}
}

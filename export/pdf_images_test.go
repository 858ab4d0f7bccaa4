package export

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/journal-dev/journal/journal"
)

// TestPDFImagesAsTheyAre: fifty screenshots of the same width are embedded
// at their own size, with their own pixels, in the order they were added,
// and the report is the same every time.
func TestPDFImagesAsTheyAre(t *testing.T) {
	files := map[string][]byte{}
	images := map[string]image.Image{}
	var atts []journal.Attachment
	for i := range 50 {
		img := testImage(320, 60+i, color.RGBA{uint8(5 * i), uint8(255 - 5*i), 90, 255})
		var b bytes.Buffer
		png.Encode(&b, img)
		a := journal.Attachment{Name: fmt.Sprintf("shot%02d.png", i), MediaType: "image/png", Size: int64(b.Len()),
			SHA256: fmt.Sprintf("%064x", i)}
		files[a.SHA256], images[a.SHA256] = b.Bytes(), img
		atts = append(atts, a)
	}
	in := &journal.Incident{ID: 1, RecordedAt: at("2026-11-01 10:00 +0000"), Attachments: atts,
		Fields: normalized(journal.Fields{OccurredAt: at("2026-11-01 09:00 +0000"), Summary: "Fifty screenshots"})}
	o := PDFOptions{Created: at("2026-11-25 09:00 +0000"), Evidence: func(_ *journal.Incident, a journal.Attachment) ([]byte, error) {
		return files[a.SHA256], nil
	}}
	tl := NewTimeline([]*journal.Incident{in}, "aaaa-bbbb-cccc-dddd-eeee-ffff")
	first, res := renderPDF(t, tl, o)
	if len(res.Unshown) > 0 {
		t.Fatalf("unshown: %v", res.Unshown)
	}
	if n := bytes.Count(first, []byte("/Width 320 ")); n != 50 {
		t.Errorf("%d images embedded 320 pixels wide, want 50", n)
	}
	for range 3 {
		if again, _ := renderPDF(t, tl, o); !bytes.Equal(first, again) {
			t.Fatal("the same report came out differently")
		}
	}
	// Read the images back out of the PDF and compare them pixel by
	// pixel, in the order they appear on the pages.
	tool := needTool(t, "pdfimages", "poppler-utils")
	dir := t.TempDir()
	if out, err := exec.Command(tool, "-png", writeTemp(t, "r.pdf", first), filepath.Join(dir, "img")).CombinedOutput(); err != nil {
		t.Fatalf("pdfimages: %v\n%s", err, out)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "img-*.png"))
	slices.Sort(names)
	if len(names) != 50 {
		t.Fatalf("pdfimages found %d images, want 50", len(names))
	}
	for i, name := range names {
		data, _ := os.ReadFile(name)
		got, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		want := images[fmt.Sprintf("%064x", i)]
		if got.Bounds() != want.Bounds() {
			t.Fatalf("image %d is %v, want %v", i, got.Bounds(), want.Bounds())
		}
		for y := range want.Bounds().Dy() {
			for x := range want.Bounds().Dx() {
				r1, g1, b1, _ := got.At(x, y).RGBA()
				r2, g2, b2, _ := want.At(x, y).RGBA()
				if r1>>8 != r2>>8 || g1>>8 != g2>>8 || b1>>8 != b2>>8 {
					t.Fatalf("image %d differs at (%d, %d)", i, x, y)
				}
			}
		}
	}
}

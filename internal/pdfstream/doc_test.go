package pdfstream

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// needTool returns the path of a program a test needs. When it is missing
// the test is skipped, except in CI (CI=true), where it fails.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed: CI installs it (.ci/packages)", name)
		}
		t.Skipf("%s is not installed: install it to run this test", name)
	}
	return p
}

// sample writes a document of pages pages, each with a footer "Page X of
// {nb}", a bookmark per page under one section, an image and a file.
func sample(t *testing.T, pages int) []byte {
	t.Helper()
	var buf bytes.Buffer
	d := New(&buf, Info{Title: "Incident record", Author: "Dr Ünal", Created: testTime})
	if err := d.AddFont("text", "", goregular.TTF); err != nil {
		t.Fatal(err)
	}
	d.SetFooterFunc(func() {
		d.SetFont("text", "", 8)
		d.Text(20, 285, "Page "+itoa(d.PageNo())+" of "+AliasNbPages)
	})
	d.SetAttachments([]Attachment{{Name: "token-1.tsr", Description: "a token", Content: []byte("token bytes")}})
	var png1 bytes.Buffer
	png.Encode(&png1, testImage(40, 30, 128))
	for i := range pages {
		d.AddPage()
		if i == 0 {
			d.Bookmark("Cover", 0, -1)
		}
		d.Bookmark("Page "+itoa(i+1), 1, -1)
		d.SetFont("text", "", 12)
		d.SetTextColor(170, 20, 20)
		d.Text(20, 30, "Ärger — page text "+itoa(i+1))
		img, err := d.RegisterImage("shot", png1.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		d.DrawImage(img, 20, 40, 40, 30)
		d.SetDrawColor(0, 0, 0)
		d.Rect(20, 40, 40, 30, "D")
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDocumentReadsBack(t *testing.T) {
	pdf := sample(t, 3)
	if again := sample(t, 3); !bytes.Equal(pdf, again) {
		t.Error("the same document came out differently")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "d.pdf")
	os.WriteFile(file, pdf, 0o600)
	out, err := exec.Command(needTool(t, "qpdf"), "--check", file).CombinedOutput()
	if err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	text, err := exec.Command(needTool(t, "pdftotext"), "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Ärger — page text 1", "Ärger — page text 3", "Page 1 of 3", "Page 3 of 3"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the text has no %q:\n%s", want, text)
		}
	}
	if n := bytes.Count(pdf, []byte("/ColorSpace /DeviceRGB")); n != 1 {
		t.Errorf("the image drawn on 3 pages is written %d times, want once", n)
	}
	list, err := exec.Command(needTool(t, "pdfdetach"), "-list", file).Output()
	if err != nil || !strings.Contains(string(list), "token-1.tsr") {
		t.Errorf("pdfdetach -list: %v\n%s", err, list)
	}
	info, err := exec.Command(needTool(t, "pdfinfo"), file).Output()
	if err != nil || !strings.Contains(string(info), "Dr Ünal") || !strings.Contains(strings.Join(strings.Fields(string(info)), " "), "Pages: 3") {
		t.Errorf("pdfinfo: %v\n%s", err, info)
	}
}

// TestPagesAreWrittenAsTheyEnd: a page's content is in the output as soon
// as the next page begins, not at Close.
func TestPagesAreWrittenAsTheyEnd(t *testing.T) {
	var buf bytes.Buffer
	d := New(&buf, Info{})
	d.AddFont("text", "", goregular.TTF)
	d.SetFont("text", "", 10)
	for range 200 {
		d.AddPage()
		d.Text(20, 20, strings.Repeat("the same line of text ", 8))
	}
	d.w.Flush()
	if got := bytes.Count(buf.Bytes(), []byte("/Type /Page ")); got != 199 {
		t.Errorf("%d pages written before the document ends, want 199", got)
	}
}

func TestSubsetKeepsTheGlyphsUsed(t *testing.T) {
	f, _ := sfnt.Parse(goregular.TTF)
	var b sfnt.Buffer
	var glyphs []sfnt.GlyphIndex
	for _, r := range "aé" {
		g, _ := f.GlyphIndex(&b, r)
		glyphs = append(glyphs, g)
	}
	sub := subset(goregular.TTF, glyphs)
	if len(sub) >= len(goregular.TTF)/2 {
		t.Errorf("the subset is %d bytes of %d", len(sub), len(goregular.TTF))
	}
	// Each glyph used is there as it was, and the glyph .notdef; a glyph
	// not used is empty.
	kept := append(glyphs, 0)
	for _, g := range kept {
		want, _, _ := glyphData(goregular.TTF, g)
		got, n, ok := glyphData(sub, g)
		if !ok || !bytes.Equal(got, want) {
			t.Errorf("glyph %d is not kept as it was", g)
		}
		if n != int(slices.Max(kept))+1 {
			t.Errorf("the subset has %d glyphs, want %d", n, slices.Max(kept)+1)
		}
	}
	if got, _, _ := glyphData(sub, 5); len(got) != 0 && !slices.Contains(kept, 5) {
		t.Error("a glyph not used is kept")
	}
	if bytes.Equal(goregular.TTF, sub) {
		t.Error("no subset was made")
	}
	if got := subset([]byte("not a font"), glyphs); string(got) != "not a font" {
		t.Error("a font that cannot be read is not returned whole")
	}
}

func TestImages(t *testing.T) {
	var whole, jpg bytes.Buffer
	png.Encode(&whole, testImage(64, 64, 100))
	jpeg.Encode(&jpg, testImage(64, 64, 255), nil)
	var buf bytes.Buffer
	d := New(&buf, Info{})
	d.AddPage()
	for _, bad := range [][]byte{whole.Bytes()[:whole.Len()/2], whole.Bytes()[:40], []byte("oops"), jpg.Bytes()[:20]} {
		if _, err := d.RegisterImage(string(bad[:4]), bad); err == nil {
			t.Errorf("an image cut to %d bytes was taken", len(bad))
		}
	}
	if _, err := d.RegisterImage("shot", whole.Bytes()); err != nil {
		t.Fatal(err)
	}
	var opaque bytes.Buffer
	png.Encode(&opaque, testImage(64, 64, 255))
	if _, err := d.RegisterImage("opaque", opaque.Bytes()); err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(opaque.Bytes())
	flipped[len(flipped)-20] ^= 0xFF // in the last IDAT chunk: its checksum fails
	if _, err := d.RegisterImage("flipped", flipped); err == nil {
		t.Error("a PNG with a damaged chunk was taken")
	}
	img, err := d.RegisterImage("photo", jpg.Bytes())
	if err != nil || img.W != 64 {
		t.Fatalf("RegisterImage(jpeg) = %v, %v", img, err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), jpg.Bytes()) {
		t.Error("the JPEG is not embedded as it is")
	}
	idat, _, ok := plainPNG(opaque.Bytes(), 64, 64)
	if !ok || !bytes.Contains(buf.Bytes(), idat) {
		t.Error("an opaque PNG's compressed pixels are not embedded as they are")
	}
	if !bytes.Contains(buf.Bytes(), []byte("/SMask")) {
		t.Error("a PNG with transparent pixels has no soft mask")
	}
}

// FuzzRegisterImage: no image bytes make the writer panic.
func FuzzRegisterImage(f *testing.F) {
	var p, j bytes.Buffer
	png.Encode(&p, testImage(8, 8, 128))
	jpeg.Encode(&j, testImage(8, 8, 255), nil)
	f.Add(p.Bytes())
	f.Add(j.Bytes())
	f.Add(p.Bytes()[:30])
	f.Fuzz(func(t *testing.T, data []byte) {
		d := New(&bytes.Buffer{}, Info{})
		d.AddPage()
		if img, err := d.RegisterImage("x", data); err == nil && (img.W <= 0 || img.H <= 0) {
			t.Errorf("an image of %dx%d was taken", img.W, img.H)
		}
	})
}

func testImage(w, h int, alpha uint8) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x * 4), uint8(y * 4), 90, alpha})
		}
	}
	return img
}

var testTime = mustTime("2026-11-25T09:00:00Z")

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func itoa(n int) string { return strconv.Itoa(n) }

// glyphData returns a glyph's outline in a TrueType font, and how many
// glyphs it has.
func glyphData(ttf []byte, g sfnt.GlyphIndex) ([]byte, int, bool) {
	tables := map[string][]byte{}
	for i := range int(binary.BigEndian.Uint16(ttf[4:])) {
		rec := ttf[12+16*i:]
		off, n := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		tables[string(rec[:4])] = ttf[off : off+n]
	}
	loca, glyf := tables["loca"], tables["glyf"]
	count := int(binary.BigEndian.Uint16(tables["maxp"][4:]))
	if int(g) >= count {
		return nil, count, false
	}
	var a, b int
	if binary.BigEndian.Uint16(tables["head"][50:]) == 1 {
		a, b = int(binary.BigEndian.Uint32(loca[4*g:])), int(binary.BigEndian.Uint32(loca[4*g+4:]))
	} else {
		a, b = 2*int(binary.BigEndian.Uint16(loca[2*g:])), 2*int(binary.BigEndian.Uint16(loca[2*g+2:]))
	}
	return glyf[a:b], count, true
}

// TestComponents: the glyphs a composite glyph is made of are found, so
// that a subset keeps them (the Go fonts have none).
func TestComponents(t *testing.T) {
	g := []byte{0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, // -1 contours and the bounds
		0x00, 0x21, 0, 7, 0, 1, 0, 2, // more to come, word arguments: glyph 7
		0x00, 0x08, 0, 9, 1, 2, 0x40, 0} // a scale: glyph 9
	if got := components(g); !slices.Equal(got, []int{7, 9}) {
		t.Errorf("components = %v, want [7 9]", got)
	}
	if got := components(g[:20]); !slices.Equal(got, []int{7}) {
		t.Errorf("components of a glyph cut short = %v, want [7]", got)
	}
}

// TestMultiCell: text is broken at its line breaks and at spaces to fit,
// a word wider than the cell by characters, and a character wider than
// the cell is drawn on its own line.
func TestMultiCell(t *testing.T) {
	var buf bytes.Buffer
	d := New(&buf, Info{})
	d.AddFont("text", "", goregular.TTF)
	d.SetFont("text", "", 10)
	d.AddPage()
	y := d.GetY()
	d.MultiCell(40, 5, "one two three four five six seven\nW", "L")
	if lines := (d.GetY() - y) / 5; lines < 3 {
		t.Errorf("%v lines, want the text broken into at least 3", lines)
	}
	y = d.GetY()
	d.MultiCell(3, 5, "WW", "L") // narrower than one W, once the margins are taken
	if lines := (d.GetY() - y) / 5; lines != 2 {
		t.Errorf("%v lines for two characters each wider than the cell, want 2", lines)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
}

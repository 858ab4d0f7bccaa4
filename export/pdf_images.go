package export

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif"  // GIF evidence is shown
	_ "image/jpeg" // JPEG evidence is shown
	"image/png"
	"io"
	"math"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/journal-dev/journal/journal"
)

// maxImageH is the tallest an image is shown, in millimetres, so that a
// phone screenshot does not take a whole page.
const maxImageH = 120.0

// prepareImage registers an evidence image, if it is one the report shows,
// and returns it with its name (empty if none). An image that cannot be
// read is named in the result and left out; its index entry with its
// SHA-256 stays.
func (r *report) prepareImage(in *journal.Incident, a journal.Attachment) (shownImage, string) {
	typ := imageType(a.MediaType)
	if typ == "" || r.o.Evidence == nil || len(r.o.Redactions) > 0 {
		return shownImage{}, ""
	}
	name := "sha256:" + a.SHA256
	info, ok := r.images[name]
	if !ok {
		data, err := r.o.Evidence(in, a)
		if err == nil {
			info, err = r.register(name, typ, data)
		}
		if err != nil {
			r.result.Unshown = append(r.result.Unshown, fmt.Sprintf("incident %s, %s: %v", journal.IncidentRef(in.ID), a.Name, err))
			info = shownImage{} // remembered as one that cannot be shown
		}
		r.images[name] = info
	}
	if info.typ == "" {
		return info, ""
	}
	return info, name
}

// displaySize is the size an image of px by py pixels is shown at, in
// millimetres: its natural size at 96 dots per inch, never enlarged, never
// wider than the text or taller than maxImageH.
func displaySize(px, py int) (w, h float64) {
	w = min(float64(px)*25.4/96, contentW-4)
	h = w * float64(py) / float64(px)
	if h > maxImageH {
		h = maxImageH
		w = h * float64(px) / float64(py)
	}
	return w, h
}

// image shows a prepared image.
func (r *report) image(info shownImage, name string) {
	r.pdf.Ln(1)
	r.need(info.h + 2)
	y := r.pdf.GetY()
	r.pdf.ImageOptions(name, margin+4, y, info.w, info.h, false, fpdf.ImageOptions{ImageType: info.typ}, 0, "")
	r.pdf.SetDrawColor(rule[0], rule[1], rule[2])
	r.pdf.SetLineWidth(0.2)
	r.pdf.Rect(margin+4, y, info.w, info.h, "D")
	r.pdf.SetY(y + info.h + 1)
}

// shownImage is an image registered in the PDF: its type as embedded and
// its size on the page in millimetres.
type shownImage struct {
	typ  string
	w, h float64
}

func imageType(mediaType string) string {
	switch strings.ToLower(mediaType) {
	case "image/png":
		return "png"
	case "image/jpeg", "image/jpg":
		return "jpg"
	case "image/gif":
		return "gif"
	}
	return ""
}

// register adds an image to the PDF as it is: the pixels embedded are
// the evidence's own, JPEG bytes unchanged. Only a PNG the PDF writer
// cannot embed directly (16 bits a channel, or interlaced) is written
// again as a plain PNG of the same size first.
func (r *report) register(name, typ string, data []byte) (shownImage, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return shownImage{}, unreadableImage(err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > 20000 || cfg.Height > 20000 {
		return shownImage{}, fmt.Errorf("image of %dx%d pixels cannot be shown", cfg.Width, cfg.Height)
	}
	if typ == "png" && !plainPNG(data) {
		if data, err = replainPNG(data); err != nil {
			return shownImage{}, err
		}
	}
	info, err := r.embed(name, typ, data)
	if err != nil {
		return shownImage{}, err
	}
	r.registered++
	if err := fixOrder(info, r.registered); err != nil {
		return shownImage{}, fmt.Errorf("cannot be embedded: %v", err)
	}
	w, h := displaySize(cfg.Width, cfg.Height)
	return shownImage{typ: typ, w: w, h: h}, nil
}

// embed hands an image to the PDF writer. Its parsers read past the end
// of a PNG cut short (a slice out of range), so a panic there is taken as
// the image being damaged; the writer records an image only once parsed,
// so it is left as it was.
func (r *report) embed(name, typ string, data []byte) (info *fpdf.ImageInfoType, err error) {
	defer func() {
		if p := recover(); p != nil {
			info, err = nil, errors.New("the image file is damaged or cut short")
		}
	}()
	info = r.pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: typ}, bytes.NewReader(data))
	if err := r.pdf.Error(); err != nil || info == nil {
		r.pdf.ClearError()
		return nil, errors.New("the image file is damaged or in a form the report cannot embed")
	}
	return info, nil
}

// unreadableImage says in words why an image could not be read, without
// the decoder's own text ("unexpected EOF", "png: invalid format").
func unreadableImage(err error) error {
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return errors.New("the image file is cut short")
	case errors.Is(err, image.ErrFormat):
		return errors.New("not a PNG, JPEG or GIF image")
	}
	return errors.New("the image file is damaged")
}

// fixOrder makes the order in which the PDF writer embeds images the order
// they were registered in. It sorts them by width alone, taken from a map,
// so images of the same width would come out in a different order each
// time and the same report would not give the same bytes. The width it
// sorts by is a fraction; adding n millionths of a pixel for the nth image
// breaks the ties, while the width written into the PDF, a whole number
// of pixels, stays the image's own. The writer's info is reached through
// its own gob encoding, field by field, in the order it writes them.
func fixOrder(info *fpdf.ImageInfoType, n int) error {
	enc, err := info.GobEncode()
	if err != nil {
		return err
	}
	var (
		data, smask, pal []byte
		objN, bpc        int
		w, h             float64
		cs, filter, dp   string
		trns             []int
		scale, dpi       float64
	)
	fields := []any{&data, &smask, &objN, &w, &h, &cs, &pal, &bpc, &filter, &dp, &trns, &scale, &dpi}
	dec := gob.NewDecoder(bytes.NewReader(enc))
	for _, f := range fields {
		if err := dec.Decode(f); err != nil {
			return fmt.Errorf("reading the image's description: %w", err)
		}
	}
	if w != math.Trunc(w) || w < 1 {
		return fmt.Errorf("unexpected image width %v", w)
	}
	w += float64(n) * 1e-6
	var out bytes.Buffer
	gw := gob.NewEncoder(&out)
	for _, f := range []any{data, smask, objN, w, h, cs, pal, bpc, filter, dp, trns, scale, dpi} {
		if err := gw.Encode(f); err != nil {
			return err
		}
	}
	return info.GobDecode(out.Bytes())
}

// plainPNG reports whether a PNG has 8 bits a channel or fewer and is not
// interlaced: the kind the PDF writer embeds directly.
func plainPNG(data []byte) bool {
	// Signature (8), IHDR length and type (8), width, height (8), then
	// bit depth, colour type, compression, filter, interlace.
	if len(data) < 29 || string(data[12:16]) != "IHDR" {
		return false
	}
	return data[24] <= 8 && data[28] == 0
}

// replainPNG writes a PNG again, same size, not interlaced and 8 bits a
// channel (16-bit values are rounded to 8 bits).
func replainPNG(data []byte) ([]byte, error) {
	src, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, unreadableImage(err)
	}
	b := src.Bounds()
	dst := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Src)
	var out bytes.Buffer
	if err := png.Encode(&out, dst); err != nil {
		return nil, fmt.Errorf("re-encoding image: %w", err)
	}
	return out.Bytes(), nil
}

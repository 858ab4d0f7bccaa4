package export

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	xdraw "golang.org/x/image/draw"

	"github.com/journal-dev/journal/journal"
)

// maxImageH is the tallest an image is shown, in millimetres, so that a
// phone screenshot does not take a whole page.
const maxImageH = 120.0

// prepareImage registers an evidence image, if it is one the report shows,
// and returns it with the height it takes on the page (0 if none). An image
// that cannot be read is named in the result and left out; its index entry
// with its SHA-256 stays.
func (r *report) prepareImage(in *journal.Incident, a journal.Attachment) (shownImage, string, float64, float64) {
	typ := imageType(a.MediaType)
	if typ == "" || r.o.Evidence == nil || len(r.o.Redactions) > 0 {
		return shownImage{}, "", 0, 0
	}
	name := "sha256:" + a.SHA256
	info, ok := r.images[name]
	if !ok {
		data, err := r.o.Evidence(in, a)
		if err == nil {
			info, err = r.register(name, typ, data)
		}
		if err != nil {
			r.result.Unshown = append(r.result.Unshown, fmt.Sprintf("incident %d, %s: %v", in.ID, a.Name, err))
			return info, "", 0, 0
		}
		r.images[name] = info
	}
	// Natural size at 96 dots per inch, never enlarged, never wider than
	// the text or taller than maxImageH.
	w := min(float64(info.px)*25.4/96, contentW-4)
	h := w * float64(info.py) / float64(info.px)
	if h > maxImageH {
		h = maxImageH
		w = h * float64(info.px) / float64(info.py)
	}
	return info, name, w, h
}

// image shows a prepared image, scaled to w by h millimetres.
func (r *report) image(info shownImage, name string, w, h float64) {
	r.pdf.Ln(1)
	r.need(h + 2)
	y := r.pdf.GetY()
	r.pdf.ImageOptions(name, margin+4, y, w, h, false, fpdf.ImageOptions{ImageType: info.typ}, 0, "")
	r.pdf.SetDrawColor(rule[0], rule[1], rule[2])
	r.pdf.SetLineWidth(0.2)
	r.pdf.Rect(margin+4, y, w, h, "D")
	r.pdf.SetY(y + h + 1)
}

// shownImage is an image registered in the PDF.
type shownImage struct {
	typ    string
	px, py int
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

// register adds an image to the PDF. PNGs the PDF writer cannot embed as
// they are (16 bits a channel, interlaced) are re-encoded, and so is an
// image as wide in pixels as one already registered: the PDF writer orders
// images by width alone, so two of the same width would come out in a
// different order each time and the report would not be reproducible. Such
// an image is shown one pixel narrower; the original file is unchanged in
// the journal.
func (r *report) register(name, typ string, data []byte) (shownImage, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return shownImage{}, fmt.Errorf("not a readable image: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > 20000 || cfg.Height > 20000 {
		return shownImage{}, fmt.Errorf("image of %dx%d pixels cannot be shown", cfg.Width, cfg.Height)
	}
	px := cfg.Width
	for r.widths[px] {
		px--
	}
	if px < 1 {
		return shownImage{}, fmt.Errorf("too many images of this width")
	}
	if px != cfg.Width || (typ == "png" && !plainPNG(data)) {
		data, typ, err = reencode(data, typ, px)
		if err != nil {
			return shownImage{}, err
		}
	}
	info := r.pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: typ}, bytes.NewReader(data))
	if err := r.pdf.Error(); err != nil || info == nil {
		r.pdf.ClearError()
		return shownImage{}, fmt.Errorf("cannot be embedded: %v", err)
	}
	r.widths[px] = true
	py := cfg.Height * px / cfg.Width
	return shownImage{typ: typ, px: px, py: max(py, 1)}, nil
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

// reencode decodes an image and writes it again, width px pixels wide: a
// PNG as an 8-bit PNG, a JPEG as a JPEG, a GIF as a PNG.
func reencode(data []byte, typ string, px int) ([]byte, string, error) {
	var src image.Image
	var err error
	switch typ {
	case "png":
		src, err = png.Decode(bytes.NewReader(data))
	case "jpg":
		src, err = jpeg.Decode(bytes.NewReader(data))
	case "gif":
		src, err = gif.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, "", fmt.Errorf("not a readable image: %w", err)
	}
	b := src.Bounds()
	py := max(b.Dy()*px/b.Dx(), 1)
	var dst draw.Image
	if typ == "jpg" {
		dst = image.NewRGBA(image.Rect(0, 0, px, py))
	} else {
		dst = image.NewNRGBA(image.Rect(0, 0, px, py))
	}
	if px == b.Dx() {
		draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Src)
	} else {
		xdraw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	}
	var out bytes.Buffer
	if typ == "jpg" {
		err = jpeg.Encode(&out, dst, &jpeg.Options{Quality: 92})
	} else {
		typ = "png"
		err = png.Encode(&out, dst)
	}
	if err != nil {
		return nil, "", fmt.Errorf("re-encoding image: %w", err)
	}
	return out.Bytes(), typ, nil
}

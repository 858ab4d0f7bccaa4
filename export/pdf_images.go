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

// imageDPI is the most detail an image is shown with: an image with more
// pixels than that at the size it is shown is shown as a smaller copy,
// which keeps reports of many photographs small and quick to write. The
// original file stays in the journal, named by its SHA-256.
const imageDPI = 200

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

// register adds an image to the PDF, as it is when it can be. It is
// re-encoded when it has more pixels than it is shown with (see imageDPI),
// when it is a PNG the PDF writer cannot embed as it is (16 bits a channel,
// interlaced), and when it is as wide in pixels as an image already
// registered: the PDF writer orders images by width alone, so two of the
// same width would come out in a different order each time and the report
// would not be reproducible. Such an image is shown one pixel narrower.
func (r *report) register(name, typ string, data []byte) (shownImage, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return shownImage{}, fmt.Errorf("not a readable image: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > 20000 || cfg.Height > 20000 {
		return shownImage{}, fmt.Errorf("image of %dx%d pixels cannot be shown", cfg.Width, cfg.Height)
	}
	w, h := displaySize(cfg.Width, cfg.Height)
	px := min(cfg.Width, int(w/25.4*imageDPI+0.5))
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
	return shownImage{typ: typ, w: w, h: h}, nil
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
	dst := shrink(src, px, max(b.Dy()*px/b.Dx(), 1))
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

// shrink returns src scaled to px by py pixels, which is no larger: first
// averaged over blocks of f by f pixels, which smooths detail away the way
// a camera would, then resampled bilinearly to the exact size. This is
// quicker and needs far less memory than a filter over the whole image.
func shrink(src image.Image, px, py int) *image.RGBA {
	b := src.Bounds()
	full := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(full, full.Bounds(), src, b.Min, draw.Src)
	if f := min(b.Dx()/px, b.Dy()/py); f >= 2 {
		full = boxShrink(full, f)
	}
	if full.Rect.Dx() == px && full.Rect.Dy() == py {
		return full
	}
	dst := image.NewRGBA(image.Rect(0, 0, px, py))
	xdraw.ApproxBiLinear.Scale(dst, dst.Bounds(), full, full.Bounds(), draw.Src, nil)
	return dst
}

// boxShrink makes src f times smaller, each pixel the mean of an f by f
// block. Premultiplied colours average correctly with their alpha.
func boxShrink(src *image.RGBA, f int) *image.RGBA {
	w, h := src.Rect.Dx()/f, src.Rect.Dy()/f
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	n := uint32(f * f)
	for y := range h {
		for x := range w {
			var sum [4]uint32
			for yy := range f {
				row := src.Pix[(y*f+yy)*src.Stride+x*f*4:]
				for xx := range f {
					p := row[xx*4 : xx*4+4]
					sum[0] += uint32(p[0])
					sum[1] += uint32(p[1])
					sum[2] += uint32(p[2])
					sum[3] += uint32(p[3])
				}
			}
			o := dst.Pix[y*dst.Stride+x*4:]
			for c := range 4 {
				o[c] = uint8((sum[c] + n/2) / n)
			}
		}
	}
	return dst
}

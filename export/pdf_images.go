package export

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // GIF evidence is shown
	_ "image/jpeg" // JPEG evidence is shown
	_ "image/png"  // PNG evidence is shown
	"io"
	"strings"

	"github.com/journal-dev/journal/internal/pdfstream"

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
			info, err = r.register(name, data)
		}
		if err != nil {
			r.result.Unshown = append(r.result.Unshown, fmt.Sprintf("incident %s, %s: %v", journal.IncidentRef(in.ID), a.Name, err))
			info = shownImage{} // remembered as one that cannot be shown
		}
		r.images[name] = info
	}
	if info.img == nil {
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
	r.pdf.DrawImage(info.img, margin+4, y, info.w, info.h)
	r.pdf.SetDrawColor(rule[0], rule[1], rule[2])
	r.pdf.SetLineWidth(0.2)
	r.pdf.Rect(margin+4, y, info.w, info.h, "D")
	r.pdf.SetY(y + info.h + 1)
}

// shownImage is an image written into the PDF (nil if it cannot be
// shown) and its size on the page in millimetres.
type shownImage struct {
	img  *pdfstream.Image
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

// register writes an image into the PDF as it is: JPEG bytes unchanged,
// the pixels of any other image losslessly (16-bit values rounded to 8
// bits). It is written once, when first shown, and only its size is kept.
func (r *report) register(name string, data []byte) (shownImage, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return shownImage{}, unreadableImage(err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > 20000 || cfg.Height > 20000 {
		return shownImage{}, fmt.Errorf("image of %dx%d pixels cannot be shown", cfg.Width, cfg.Height)
	}
	img, err := r.pdf.RegisterImage(name, data)
	if err != nil {
		if r.pdf.Err() != nil {
			return shownImage{}, r.pdf.Err()
		}
		return shownImage{}, errors.New("the image file is damaged or cut short")
	}
	w, h := displaySize(cfg.Width, cfg.Height)
	return shownImage{img: img, w: w, h: h}, nil
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

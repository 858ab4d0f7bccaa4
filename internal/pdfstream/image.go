package pdfstream

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"strconv"

	_ "image/gif" // GIF images are shown
	_ "image/png" // PNG images are shown
)

// Image is an image written into the document, drawn with DrawImage as
// often as needed. Only its number and size are kept.
type Image struct {
	name string
	num  int
	// W and H are its size in pixels.
	W, H int
}

// RegisterImage writes an image into the document: a JPEG as it is, and
// an opaque PNG of 8 bits a channel its compressed pixels as they are; any
// other image (PNG, GIF) as its pixels, compressed again, with its
// transparency as a soft mask. An image registered under a name already
// used is the one registered first.
func (d *Doc) RegisterImage(name string, data []byte) (*Image, error) {
	if img, ok := d.images[name]; ok {
		return img, nil
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("reading the image: %w", err)
	}
	img := &Image{name: "I" + strconv.Itoa(len(d.images)+1), W: cfg.Width, H: cfg.Height}
	if format == "jpeg" {
		space, decode := "/DeviceRGB", ""
		switch cfg.ColorModel {
		case color.GrayModel:
			space = "/DeviceGray"
		case color.CMYKModel:
			space, decode = "/DeviceCMYK", " /Decode [1 0 1 0 1 0 1 0]"
		}
		if _, err := jpeg.DecodeConfig(bytes.NewReader(data)); err != nil {
			return nil, err
		}
		img.num = d.reserve()
		d.stream(img.num, fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "+
			"/BitsPerComponent 8 /Filter /DCTDecode%s", cfg.Width, cfg.Height, space, decode), data, false)
	} else if idat, colors, ok := plainPNG(data, cfg.Width, cfg.Height); ok {
		space := "/DeviceRGB"
		if colors == 1 {
			space = "/DeviceGray"
		}
		img.num = d.reserve()
		d.raw(img.num, fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "+
			"/BitsPerComponent 8 /Filter /FlateDecode /DecodeParms <</Predictor 15 /Colors %d /BitsPerComponent 8 /Columns %d>>",
			cfg.Width, cfg.Height, space, colors, cfg.Width), idat)
	} else if err := d.writePixels(img, data); err != nil {
		return nil, err
	}
	d.images[name] = img
	return img, d.err
}

// plainPNG returns the compressed pixels of a PNG that a PDF reader can
// draw as they are (8 bits a channel, grey or RGB, opaque, not
// interlaced), and how many channels it has; ok is false for any other,
// and for a PNG cut short or damaged (a chunk's checksum is wrong).
func plainPNG(data []byte, w, h int) (idat []byte, colors int, ok bool) {
	const sig = "\x89PNG\r\n\x1a\n"
	if len(data) < len(sig) || string(data[:len(sig)]) != sig {
		return nil, 0, false
	}
	for p := len(sig); p+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[p:]))
		if n < 0 || n > len(data)-p-12 {
			return nil, 0, false
		}
		typ, body := string(data[p+4:p+8]), data[p+8:p+8+n]
		if crc32.ChecksumIEEE(data[p+4:p+8+n]) != binary.BigEndian.Uint32(data[p+8+n:]) {
			return nil, 0, false
		}
		p += 12 + n
		switch typ {
		case "IHDR":
			if n != 13 || int(binary.BigEndian.Uint32(body)) != w || int(binary.BigEndian.Uint32(body[4:])) != h ||
				body[8] != 8 || body[10] != 0 || body[11] != 0 || body[12] != 0 {
				return nil, 0, false
			}
			switch body[9] {
			case 0:
				colors = 1
			case 2:
				colors = 3
			default:
				return nil, 0, false // a palette, or transparency
			}
		case "tRNS":
			return nil, 0, false
		case "IDAT":
			idat = append(idat, body...)
		case "IEND":
			return idat, colors, colors > 0 && len(idat) > 0
		}
	}
	return nil, 0, false
}

// writePixels decodes an image and writes its pixels, row by row into
// the compressor, with a soft mask when some are not opaque.
func (d *Doc) writePixels(img *Image, data []byte) error {
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("reading the image: %w", err)
	}
	b := src.Bounds()
	if b.Dx() != img.W || b.Dy() != img.H || img.W <= 0 || img.H <= 0 {
		return errors.New("the image's size is not the size it states")
	}
	var rgb, alpha bytes.Buffer
	zc, za := zlib.NewWriter(&rgb), zlib.NewWriter(&alpha)
	row, arow := make([]byte, 3*img.W), make([]byte, img.W)
	opaque := true
	for y := b.Min.Y; y < b.Max.Y; y++ {
		pixelRow(src, y, row, arow)
		for _, a := range arow {
			opaque = opaque && a == 255
		}
		zc.Write(row)
		za.Write(arow)
	}
	if err := zc.Close(); err != nil {
		return err
	}
	if err := za.Close(); err != nil {
		return err
	}
	smask := ""
	if !opaque {
		n := d.reserve()
		d.raw(n, fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "+
			"/BitsPerComponent 8 /Filter /FlateDecode", img.W, img.H), alpha.Bytes())
		smask = fmt.Sprintf(" /SMask %d 0 R", n)
	}
	img.num = d.reserve()
	d.raw(img.num, fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "+
		"/BitsPerComponent 8 /Filter /FlateDecode%s", img.W, img.H, smask), rgb.Bytes())
	return nil
}

// pixelRow reads row y of an image as red, green, blue and alpha, not
// premultiplied, at 8 bits: directly from the pixels for the kinds of
// image the PNG and GIF decoders make, through the colour model for
// others.
func pixelRow(src image.Image, y int, rgb, alpha []byte) {
	b := src.Bounds()
	switch m := src.(type) {
	case *image.NRGBA:
		p := m.Pix[m.PixOffset(b.Min.X, y):]
		for i := range alpha {
			rgb[3*i], rgb[3*i+1], rgb[3*i+2], alpha[i] = p[4*i], p[4*i+1], p[4*i+2], p[4*i+3]
		}
		return
	case *image.RGBA:
		p := m.Pix[m.PixOffset(b.Min.X, y):]
		for i := range alpha {
			a := uint32(p[4*i+3]) * 0x101
			alpha[i] = p[4*i+3]
			for j := range 3 {
				rgb[3*i+j] = unpremultiply(uint32(p[4*i+j])*0x101, a)
			}
		}
		return
	case *image.Gray:
		p := m.Pix[m.PixOffset(b.Min.X, y):]
		for i := range alpha {
			rgb[3*i], rgb[3*i+1], rgb[3*i+2], alpha[i] = p[i], p[i], p[i], 255
		}
		return
	case *image.Paletted:
		var pal [256]color.NRGBA
		for i, c := range m.Palette[:min(len(m.Palette), 256)] {
			pal[i] = color.NRGBAModel.Convert(c).(color.NRGBA)
		}
		p := m.Pix[m.PixOffset(b.Min.X, y):]
		for i := range alpha {
			c := pal[p[i]]
			rgb[3*i], rgb[3*i+1], rgb[3*i+2], alpha[i] = c.R, c.G, c.B, c.A
		}
		return
	}
	for i := range alpha {
		c := color.NRGBAModel.Convert(src.At(b.Min.X+i, y)).(color.NRGBA)
		rgb[3*i], rgb[3*i+1], rgb[3*i+2], alpha[i] = c.R, c.G, c.B, c.A
	}
}

// unpremultiply is a 16-bit channel c of alpha a, not premultiplied, at 8
// bits, as color.NRGBAModel makes it.
func unpremultiply(c, a uint32) byte {
	switch a {
	case 0xffff:
		return byte(c >> 8)
	case 0:
		return 0
	}
	return byte(c * 0xffff / a >> 8)
}

// raw writes a stream whose data is already encoded as dict says.
func (d *Doc) raw(n int, dict string, data []byte) { d.stream(n, dict, data, false) }

// DrawImage draws an image with its top left corner at x, y, w wide and
// h high.
func (d *Doc) DrawImage(img *Image, x, y, w, h float64) {
	if d.page == nil {
		d.fail(errors.New("drawing before the first page"))
		return
	}
	d.useXObject(img.name, img.num)
	d.out("q " + num(w*k) + " 0 0 " + num(h*k) + " " + num(x*k) + " " + num((pageH-(y+h))*k) + " cm /" + img.name + " Do Q")
}

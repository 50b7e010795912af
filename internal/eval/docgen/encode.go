package docgen

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
	"image/png"

	"github.com/kycq/kycq/imagecheck/turbojpeg"
)

// Format is a file format.
type Format string

// Formats.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
)

// Encoding says how to write a photo.
type Encoding struct {
	Format  Format `json:"format,omitempty"`  // JPEG when empty
	Quality int    `json:"quality,omitempty"` // JPEG quality, 90 when 0
	// Orientation (EXIF 1..8): the pixels are stored turned so that a
	// viewer applying the tag shows the photo upright. 0 or 1: none.
	Orientation int  `json:"orientation,omitempty"`
	Progressive bool `json:"progressive,omitempty"` // needs libjpeg-turbo (cgo)
	Gray        bool `json:"gray,omitempty"`        // a single-channel (black-and-white) JPEG or PNG
}

// Encode writes img as a JPEG or PNG file. JPEGs are written by
// libjpeg-turbo when the build has it (fast), else by image/jpeg.
func Encode(img *image.RGBA, e Encoding) ([]byte, error) {
	if e.Quality == 0 {
		e.Quality = 90
	}
	if e.Orientation > 1 && e.Orientation <= 8 {
		img = stored(img, e.Orientation)
	}
	var src image.Image = img
	if e.Gray {
		g := image.NewGray(img.Rect)
		for i := 0; i < len(g.Pix); i++ {
			p := img.Pix[4*i : 4*i+3]
			g.Pix[i] = uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2]) + 500) / 1000)
		}
		src = g
	}
	var buf bytes.Buffer
	switch e.Format {
	case PNG:
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		if err := enc.Encode(&buf, src); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	case JPEG, "":
	default:
		return nil, errors.New("docgen: unknown format " + string(e.Format))
	}
	var out []byte
	switch {
	case turbojpeg.Available && !e.Gray:
		b, err := turbojpeg.Encode(img.Pix, img.Rect.Dx(), img.Rect.Dy(), img.Stride, turbojpeg.PixRGBX,
			turbojpeg.EncodeOptions{Quality: e.Quality, Subsamp: turbojpeg.Samp420, Progressive: e.Progressive})
		if err != nil {
			return nil, err
		}
		out = b
	case e.Progressive:
		return nil, errors.New("docgen: progressive JPEG needs the libjpeg-turbo build")
	default:
		if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: e.Quality}); err != nil {
			return nil, err
		}
		out = buf.Bytes()
	}
	if e.Orientation > 1 && e.Orientation <= 8 {
		out = withOrientation(out, e.Orientation)
	}
	return out, nil
}

// withOrientation inserts an APP1 Exif segment holding only the
// orientation tag right after the JPEG's SOI marker.
func withOrientation(jpg []byte, o int) []byte {
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1}
	entry := make([]byte, 12)
	binary.BigEndian.PutUint16(entry[0:], 0x0112)
	binary.BigEndian.PutUint16(entry[2:], 3)
	binary.BigEndian.PutUint32(entry[4:], 1)
	binary.BigEndian.PutUint16(entry[8:], uint16(o))
	payload := append(append(append([]byte("Exif\x00\x00"), tiff...), entry...), 0, 0, 0, 0)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := make([]byte, 0, len(jpg)+len(seg)+len(payload))
	out = append(out, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// stored returns the pixels to store so that applying EXIF orientation o
// shows img.
func stored(img *image.RGBA, o int) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	sw, sh := w, h
	if o >= 5 {
		sw, sh = h, w
	}
	s := image.NewRGBA(image.Rect(0, 0, sw, sh))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var sx, sy int
			switch o {
			case 2:
				sx, sy = w-1-x, y
			case 3:
				sx, sy = w-1-x, h-1-y
			case 4:
				sx, sy = x, h-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, sh-1-x
			case 7:
				sx, sy = sw-1-y, sh-1-x
			case 8:
				sx, sy = sw-1-y, x
			}
			copy(s.Pix[sy*s.Stride+4*sx:sy*s.Stride+4*sx+4], img.Pix[y*img.Stride+4*x:y*img.Stride+4*x+4])
		}
	}
	return s
}

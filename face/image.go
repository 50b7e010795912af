package face

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg" // document and selfie photos
	_ "image/png"
)

// rgbImage is an 8-bit RGB image, rows packed: pixel (x, y) is
// Pix[(y*W+x)*3 : (y*W+x)*3+3].
type rgbImage struct {
	W, H int
	Pix  []uint8
}

// errTooLarge and errUndecodable mark input the caller should report as a
// Result (the photo is unusable), not as a failure to run.
var (
	errTooLarge    = errors.New("face: image larger than the pixel limit")
	errUndecodable = errors.New("face: not a decodable JPEG or PNG image")
)

// decodeImage decodes JPEG or PNG bytes into dst (reusing its buffer),
// refusing images over maxPixels from their header, before any pixel
// memory is allocated.
func decodeImage(data []byte, maxPixels int, dst *rgbImage) error {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%w: %v", errUndecodable, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxPixels/max(cfg.Height, 1) {
		return fmt.Errorf("%w: %d×%d", errTooLarge, cfg.Width, cfg.Height)
	}
	if c := decodeCost(cfg); c > maxDecodeBytes {
		return fmt.Errorf("%w: %d×%d would take %d MiB to decode", errTooLarge, cfg.Width, cfg.Height, c>>20)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%w: %v", errUndecodable, err)
	}
	dst.from(img)
	return nil
}

// maxDecodeBytes bounds the memory one decode may take, counted after the
// depth and channels of the pixels: a 16-bit RGBA PNG under the pixel
// limit would otherwise cost eight bytes a pixel.
const maxDecodeBytes = 320 << 20

// decodeCost is what decoding an image of cfg takes: the decoder's own
// image, at the bytes per pixel of its colour model, plus the 8-bit RGB
// copy.
func decodeCost(cfg image.Config) int64 {
	px := int64(cfg.Width) * int64(cfg.Height)
	per := int64(4) // RGBA, NRGBA, CMYK, and anything unknown
	switch cfg.ColorModel {
	case color.GrayModel:
		per = 1
	case color.YCbCrModel:
		per = 3 // 4:4:4 at most
	case color.Gray16Model:
		per = 2
	case color.RGBA64Model, color.NRGBA64Model:
		per = 8
	default:
		if _, ok := cfg.ColorModel.(color.Palette); ok {
			per = 1
		}
	}
	return px * (per + 3)
}

// from converts any image into dst, with fast paths for the types the
// standard decoders return.
func (dst *rgbImage) from(img image.Image) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dst.W, dst.H = w, h
	if cap(dst.Pix) < w*h*3 {
		dst.Pix = make([]uint8, w*h*3)
	}
	dst.Pix = dst.Pix[:w*h*3]
	switch src := img.(type) {
	case *image.YCbCr:
		if src.SubsampleRatio == image.YCbCrSubsampleRatio420 {
			from420(dst, src, b)
			return
		}
		for y := 0; y < h; y++ {
			row := dst.Pix[y*w*3 : (y+1)*w*3]
			for x := 0; x < w; x++ {
				yi := src.YOffset(b.Min.X+x, b.Min.Y+y)
				ci := src.COffset(b.Min.X+x, b.Min.Y+y)
				r, g, bb := ycbcrToRGB(src.Y[yi], src.Cb[ci], src.Cr[ci])
				row[x*3], row[x*3+1], row[x*3+2] = r, g, bb
			}
		}
	case *image.Gray:
		for y := 0; y < h; y++ {
			row := dst.Pix[y*w*3 : (y+1)*w*3]
			srow := src.Pix[(y)*src.Stride:]
			for x := 0; x < w; x++ {
				v := srow[x]
				row[x*3], row[x*3+1], row[x*3+2] = v, v, v
			}
		}
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			row := dst.Pix[y*w*3 : (y+1)*w*3]
			srow := src.Pix[y*src.Stride:]
			for x := 0; x < w; x++ {
				row[x*3], row[x*3+1], row[x*3+2] = srow[x*4], srow[x*4+1], srow[x*4+2]
			}
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			row := dst.Pix[y*w*3 : (y+1)*w*3]
			srow := src.Pix[y*src.Stride:]
			for x := 0; x < w; x++ {
				row[x*3], row[x*3+1], row[x*3+2] = srow[x*4], srow[x*4+1], srow[x*4+2]
			}
		}
	default:
		rgba := image.NewNRGBA(image.Rect(0, 0, w, h))
		draw.Draw(rgba, rgba.Bounds(), img, b.Min, draw.Src)
		dst.from(rgba)
	}
}

// from420 is rgbImage.from for a 4:2:0 image (what imagecheck shows the
// detector): the offsets stepped along each row instead of computed for
// every pixel.
func from420(dst *rgbImage, src *image.YCbCr, b image.Rectangle) {
	w := b.Dx()
	cx0 := src.Rect.Min.X / 2
	for y := 0; y < b.Dy(); y++ {
		row := dst.Pix[y*w*3 : (y+1)*w*3]
		yrow := src.Y[src.YOffset(b.Min.X, b.Min.Y+y):][:w]
		c0 := ((b.Min.Y+y)/2 - src.Rect.Min.Y/2) * src.CStride
		cb, cr := src.Cb[c0:], src.Cr[c0:]
		for x, yy := range yrow {
			ci := (b.Min.X+x)/2 - cx0
			r, g, bb := ycbcrToRGB(yy, cb[ci], cr[ci])
			row[x*3], row[x*3+1], row[x*3+2] = r, g, bb
		}
	}
}

// ycbcrToRGB is image/color's conversion (JFIF, full range), inlined.
func ycbcrToRGB(y, cb, cr uint8) (uint8, uint8, uint8) {
	yy1 := int32(y) * 0x10101
	cb1 := int32(cb) - 128
	cr1 := int32(cr) - 128
	r := yy1 + 91881*cr1
	if uint32(r)&0xff000000 == 0 {
		r >>= 16
	} else {
		r = ^(r >> 31)
	}
	g := yy1 - 22554*cb1 - 46802*cr1
	if uint32(g)&0xff000000 == 0 {
		g >>= 16
	} else {
		g = ^(g >> 31)
	}
	b := yy1 + 116130*cb1
	if uint32(b)&0xff000000 == 0 {
		b >>= 16
	} else {
		b = ^(b >> 31)
	}
	return uint8(r), uint8(g), uint8(b)
}

// toNRGBA returns a copy as an image.Image (for tests and tools).
func (m *rgbImage) toNRGBA() *image.NRGBA {
	out := image.NewNRGBA(image.Rect(0, 0, m.W, m.H))
	for i := 0; i < m.W*m.H; i++ {
		out.Pix[i*4], out.Pix[i*4+1], out.Pix[i*4+2], out.Pix[i*4+3] = m.Pix[i*3], m.Pix[i*3+1], m.Pix[i*3+2], 255
	}
	return out
}

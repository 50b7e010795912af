package authenticity

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
)

// thumbSide is the side the thumbnail and the photo are compared at.
const thumbSide = 24

// thumbnailDiff compares the EXIF thumbnail with the photo: both reduced
// to thumbSide² gray cells, normalised to the same mean and contrast, in
// the best of the eight orientations (the thumbnail is stored as the
// sensor saw it; work is upright). It returns the mean absolute
// difference in gray levels; ok is false when the thumbnail cannot be
// decoded or is implausibly large.
func thumbnailDiff(thumb []byte, work *image.YCbCr) (float64, bool) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(thumb))
	if err != nil || cfg.Width*cfg.Height > 1<<20 || cfg.Width < 8 || cfg.Height < 8 {
		return 0, false
	}
	t, err := jpeg.Decode(bytes.NewReader(thumb))
	if err != nil {
		return 0, false
	}
	a := grayCells(t)
	best := math.Inf(1)
	for o := 0; o < 8; o++ {
		// The photo may have been letterboxed in the thumbnail: compare
		// the photo's cells in each orientation with the thumbnail's.
		b := grayCells(orientView{work, o})
		best = math.Min(best, meanAbs(a, b))
	}
	return best, true
}

// orientView shows an image in one of the eight orientations (o&1: mirror,
// o>>1: quarter turns).
type orientView struct {
	img image.Image
	o   int
}

func (v orientView) ColorModel() color.Model { return v.img.ColorModel() }

func (v orientView) Bounds() image.Rectangle {
	b := v.img.Bounds()
	if (v.o>>1)%2 == 1 {
		return image.Rect(0, 0, b.Dy(), b.Dx())
	}
	return image.Rect(0, 0, b.Dx(), b.Dy())
}

func (v orientView) At(x, y int) color.Color {
	b := v.img.Bounds()
	w, h := v.Bounds().Dx(), v.Bounds().Dy()
	if v.o&1 == 1 {
		x = w - 1 - x
	}
	for t := 0; t < v.o>>1; t++ {
		// A quarter turn of (x, y) in a w×h view.
		x, y = y, w-1-x
		w, h = h, w
	}
	return v.img.At(b.Min.X+x, b.Min.Y+y)
}

// grayCells averages img's luma over a thumbSide² grid, sampling at most
// 8×8 points per cell, and normalises the cells to mean 128, deviation 40.
func grayCells(img image.Image) []float64 {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	out := make([]float64, thumbSide*thumbSide)
	for cy := 0; cy < thumbSide; cy++ {
		for cx := 0; cx < thumbSide; cx++ {
			s, n := 0.0, 0
			for sy := 0; sy < 8; sy++ {
				for sx := 0; sx < 8; sx++ {
					x := (cx*8 + sx) * w / (thumbSide * 8)
					y := (cy*8 + sy) * h / (thumbSide * 8)
					r, g, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
					s += (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bb)) / 257
					n++
				}
			}
			out[cy*thumbSide+cx] = s / float64(n)
		}
	}
	var m, v float64
	for _, x := range out {
		m += x
	}
	m /= float64(len(out))
	for _, x := range out {
		v += (x - m) * (x - m)
	}
	sd := math.Sqrt(v / float64(len(out)))
	if sd < 1 {
		sd = 1
	}
	for i, x := range out {
		out[i] = 128 + 40*(x-m)/sd
	}
	return out
}

func meanAbs(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += math.Abs(a[i] - b[i])
	}
	return s / float64(len(a))
}

package authenticity

import (
	"image"
)

// regionNoise is the median noise residual (cellResidual) of the 8×8
// working cells that box (original pixels) covers inside the document,
// over the median of the document's cells: about 1 where the box holds
// the card's own print, near 0 where most of it is paint or a pasted
// digital picture (the median, not the mean: the box is the bounds of
// a region of 32-pixel cells, and print it takes in around an edit
// pulls a mean up).
// quad is the document's quadrilateral in original pixels (nil: the
// whole photo), scale original pixels per working pixel. ok is false
// when the box or the document has no usable cell.
func regionNoise(img *image.YCbCr, quad [][2]float64, scale float64, box image.Rectangle) (ratio float64, ok bool) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	cw, ch := w/block, h/block
	if cw < 4 || ch < 4 {
		return 0, false
	}
	if scale <= 0 {
		scale = 1
	}
	var poly [][2]float64
	for _, p := range quad {
		poly = append(poly, [2]float64{p[0] / scale, p[1] / scale})
	}
	// The box in cells: every cell it overlaps.
	bx0, by0 := int(float64(box.Min.X)/scale)/block, int(float64(box.Min.Y)/scale)/block
	bx1 := (int(float64(box.Max.X)/scale) + block - 1) / block
	by1 := (int(float64(box.Max.Y)/scale) + block - 1) / block
	var all, cells []float64
	for cy := 0; cy < ch; cy++ {
		for cx := 0; cx < cw; cx++ {
			x0, y0 := cx*block, cy*block
			if len(poly) == 4 && !insideQuad(poly, float64(x0)+block/2, float64(y0)+block/2) {
				continue
			}
			r, _, usable := cellResidual(img, x0, y0)
			if !usable {
				continue
			}
			all = append(all, r)
			if cx >= bx0 && cx < bx1 && cy >= by0 && cy < by1 {
				cells = append(cells, r)
			}
		}
	}
	if len(cells) == 0 || len(all) < 16 {
		return 0, false
	}
	med := nth(all, len(all)/2)
	if med <= 0 {
		return 0, false
	}
	return nth(cells, len(cells)/2) / med, true
}

// coarseDQKept says whether a single-compressed region found in a photo
// saved last with a coarse quantiser is kept: when its noise (regionNoise,
// measured) is at most MaxCoarseDQNoise of the card's. Unmeasured, it is
// kept as found.
func coarseDQKept(noise float64, measured bool, o Options) bool {
	return !measured || noise <= o.MaxCoarseDQNoise
}

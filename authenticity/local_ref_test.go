package authenticity

import (
	"image"
	"math/rand/v2"
	"testing"
)

// refCellResidual is cellResidual as it was before it read the luma
// plane by row slices (commit 3ca8f0f), the reference
// TestCellResidualMatchesReference compares it with.
func refCellResidual(img *image.YCbCr, x0, y0 int) (resid, mean float64, usable bool) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	s, n, clipped, sum := 0, 0, 0, 0
	for y := max(y0, 1); y < min(y0+block, h-1); y++ {
		row := y * img.YStride
		for x := max(x0, 1); x < min(x0+block, w-1); x++ {
			p := int(img.Y[row+x])
			if p <= 3 || p >= 252 {
				clipped++
			}
			sum += p
			d := 4*p - int(img.Y[row+x-1]) - int(img.Y[row+x+1]) - int(img.Y[row-img.YStride+x]) - int(img.Y[row+img.YStride+x])
			if d < 0 {
				d = -d
			}
			s += d
			n++
		}
	}
	if n == 0 || clipped*2 > n {
		return 0, 0, false
	}
	return float64(s) / float64(4*n), float64(sum) / float64(n), true
}

// TestCellResidualMatchesReference: on every cell (and cells hanging
// over the edges) of noisy, clipped and flat photos of odd sizes, with
// and without padding in the stride, cellResidual returns exactly what
// the reference does.
func TestCellResidualMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	cells, usable := 0, 0
	for _, c := range []struct{ w, h, pad int }{{9, 9, 0}, {64, 48, 0}, {101, 77, 13}, {3, 40, 0}, {40, 2, 5}, {640, 480, 0}} {
		img := image.NewYCbCr(image.Rect(0, 0, c.w, c.h), image.YCbCrSubsampleRatio420)
		if c.pad > 0 {
			img.YStride = c.w + c.pad
			img.Y = make([]byte, img.YStride*c.h)
		}
		for i := range img.Y {
			switch v := r.IntN(10); {
			case v == 0:
				img.Y[i] = byte(r.IntN(4)) // clipped black
			case v == 1:
				img.Y[i] = byte(252 + r.IntN(4)) // clipped white
			case v < 5:
				img.Y[i] = 128
			default:
				img.Y[i] = byte(r.IntN(256))
			}
		}
		// A clipped band, so that some cells are unusable.
		for y := 0; y < min(16, c.h); y++ {
			for x := 0; x < c.w; x++ {
				img.Y[y*img.YStride+x] = 255
			}
		}
		for y0 := -block; y0 < c.h+block; y0 += 3 {
			for x0 := -block; x0 < c.w+block; x0 += 5 {
				gr, gm, gu := cellResidual(img, x0, y0)
				wr, wm, wu := refCellResidual(img, x0, y0)
				if gr != wr || gm != wm || gu != wu {
					t.Fatalf("%d×%d cell at %d,%d: %v %v %v, reference %v %v %v", c.w, c.h, x0, y0, gr, gm, gu, wr, wm, wu)
				}
				cells++
				if gu {
					usable++
				}
			}
		}
	}
	if usable == 0 || usable == cells {
		t.Errorf("%d of %d cells usable: the photos miss a case", usable, cells)
	}
}

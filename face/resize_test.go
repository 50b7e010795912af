package face

import (
	"math"
	"testing"

	"github.com/kycq/kycq/face/model"
	"github.com/kycq/kycq/face/nn"
)

// resizeEach is resize's scaled path before it kept its rows: both
// source rows interpolated along x for every output value.
func resizeEach(r *resizer, img *rgbImage, c canvas, side int, mean [3]float32, dst nn.Tensor) {
	makeAxis(&r.x, c.W, side, c.OffX, c.X0, c.CW, img.W, 3)
	makeAxis(&r.y, c.H, side, c.OffY, c.Y0, c.CH, img.H, 3*img.W)
	pix := img.Pix
	ow := dst.W
	for oy := 0; oy < dst.H; oy++ {
		ty, by, fy := r.y.lo[oy], r.y.hi[oy], r.y.frac[oy]
		out := dst.Data[oy*ow*3 : (oy+1)*ow*3]
		for ox := 0; ox < ow; ox++ {
			lx, rx, fx := r.x.lo[ox], r.x.hi[ox], r.x.frac[ox]
			var tl, tr, bl, br [3]float64
			if ty >= 0 {
				if lx >= 0 {
					tl = [3]float64{float64(pix[ty+lx]), float64(pix[ty+lx+1]), float64(pix[ty+lx+2])}
				}
				if rx >= 0 {
					tr = [3]float64{float64(pix[ty+rx]), float64(pix[ty+rx+1]), float64(pix[ty+rx+2])}
				}
			}
			if by >= 0 {
				if lx >= 0 {
					bl = [3]float64{float64(pix[by+lx]), float64(pix[by+lx+1]), float64(pix[by+lx+2])}
				}
				if rx >= 0 {
					br = [3]float64{float64(pix[by+rx]), float64(pix[by+rx+1]), float64(pix[by+rx+2])}
				}
			}
			for ch := 0; ch < 3; ch++ {
				top := tl[ch] + (tr[ch]-tl[ch])*fx
				bot := bl[ch] + (br[ch]-bl[ch])*fx
				v := float32(top + (bot-top)*fy)
				out[ox*3+ch] = (v - mean[ch]) / 255
			}
		}
	}
}

// resize keeps each source row's interpolation along x for the output
// rows that read it: on random images, for the landmark net's centred
// crops (enlarged, reduced, near the image's edges where the canvas is
// black) and the detector's letterbox, every value is the one computed
// per output value, bit for bit, with one resizer used for every case in
// turn (rows kept from the case before must not be reused).
func TestResizeKeptRowsMatchEach(t *testing.T) {
	var rs, ref resizer
	type cs struct {
		img  *rgbImage
		c    canvas
		side int
		mean [3]float32
	}
	var cases []cs
	for i, s := range []struct{ w, h, x, y, cw, ch int }{
		{200, 150, 40, 30, 60, 80},   // enlarged, taller than wide
		{200, 150, 40, 30, 90, 50},   // enlarged, wider
		{300, 300, 10, 20, 250, 240}, // reduced
		{120, 90, -10, -8, 70, 60},   // off the top-left: black there
		{120, 90, 80, 60, 70, 60},    // off the bottom-right
		{50, 40, 0, 0, 112, 112},     // the crop as large as the input
		{64, 64, 5, 7, 1, 1},         // one pixel
		{64, 64, 5, 7, 1, 1},         // the same rows of another image
	} {
		img := syntheticImage(s.w, s.h, uint32(11+i))
		cases = append(cases, cs{img, centeredCanvas(s.x, s.y, s.cw, s.ch), model.LandmarksInput, model.FaceMean})
	}
	for i, s := range [][2]int{{100, 70}, {70, 100}, {500, 333}} {
		img := syntheticImage(s[0], s[1], uint32(31+i))
		cases = append(cases, cs{img, letterboxCanvas(img), 128, model.DetectorMean})
	}
	for i, c := range cases {
		var ar nn.Arena
		want := ar.Tensor(c.side, c.side, 3)
		resizeEach(&ref, c.img, c.c, c.side, c.mean, want)
		got := ar.TensorUninit(c.side, c.side, 3)
		for j := range got.Data {
			got.Data[j] = float32(math.NaN())
		}
		rs.resize(c.img, c.c, c.side, c.mean, got)
		for j := range want.Data {
			if math.Float32bits(got.Data[j]) != math.Float32bits(want.Data[j]) {
				t.Fatalf("case %d (%+v): value %d is %v, want %v", i, c.c, j, got.Data[j], want.Data[j])
			}
		}
	}
}

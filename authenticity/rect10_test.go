package authenticity

import (
	"image"
	"math"
	"testing"
)

// TestColourRectSealEdge: a rectangle of 60 × 20 chroma samples,
// [120, 180) × [100, 120), on a ground of chroma (3, −6), with a disc
// seal of ink (−16, 64) and radius 14 centred 104 rows down and k
// samples left of the right side plus 14: it crosses the top and the
// upper part of the right side. The chroma planes are blurred as a
// second save spreads them. When the selection turned the ground and the
// seal's part inside alike by 120°, the turned seal's own edge inside,
// 11 samples from the side at most, steps along the ground's offset, and
// the selection's side against it: read on the seed's offset, the side
// across is set on the seal's edge inside (k = 3), and the ground around
// that rectangle is the seal on two sides; read on the turn, the side is
// the selection's, and the rectangle is found. When only the ground was
// turned (the seal left as it was), or nothing, it is not.
func TestColourRectSealEdge(t *testing.T) {
	const x0, x1, y0, y1 = 120, 180, 100, 120 // chroma samples
	for _, k := range []int{3, 5, 8} {
		seal := func(x, y int) bool {
			dx, dy := float64(x-(x1-k+14)), float64(y-104)
			return dx*dx+dy*dy < 14*14
		}
		for _, tc := range sealTurns {
			img := sealCard([2]float64{3, -6}, [2]float64{-16, 64}, seal, image.Rect(x0, y0, x1, y1), 2*math.Pi/3, tc.ground, tc.ink)
			blurChroma(img)
			if r, got := rectFound(img, image.Rectangle{}, x0, y0, x1, y1); got != tc.want {
				t.Errorf("seal %d samples inside, %s: found %v (rect %+v at %v), want %v", k, tc.name, got, r.rect, r.box, tc.want)
			}
		}
	}
}

// blurChroma blurs the chroma planes of a levelCard photo twice with
// the kernel 4 at the centre and 1 at each of the four neighbours (over
// 8), as a second save spreads a chroma step over a few samples.
func blurChroma(img *image.YCbCr) {
	w, h := (img.Rect.Dx()+1)/2, (img.Rect.Dy()+1)/2
	for _, p := range [][]byte{img.Cb, img.Cr} {
		for range 2 {
			src := append([]byte(nil), p...)
			at := func(x, y int) int { return int(src[y*img.CStride+x]) }
			for y := 1; y < h-1; y++ {
				for x := 1; x < w-1; x++ {
					v := 4*at(x, y) + at(x-1, y) + at(x+1, y) + at(x, y-1) + at(x, y+1)
					p[y*img.CStride+x] = byte((v + 4) / 8)
				}
			}
		}
	}
}

// TestSideTurn: on a ground of chroma (8, 6) turned by w inside the
// rows [100, 120), the turn fitted on the two sides is w; turnStep reads
// the step across a side as m when it is the predicted one, and 0 on a
// grey ground (no step predicted).
func TestSideTurn(t *testing.T) {
	for _, tc := range []struct {
		name   string
		wr, wi float64
	}{
		{"turn by 120°", math.Cos(2 * math.Pi / 3), math.Sin(2 * math.Pi / 3)},
		{"turn by −90°", 0, -1},
		{"saturation ×1.5", 1.5, 0},
	} {
		img := levelCard(func(x, y int) (float64, float64) {
			b, r := 8.0, 6.0
			if y >= 100 && y < 120 {
				b, r = tc.wr*b-tc.wi*r, tc.wi*b+tc.wr*r
			}
			return b, r
		})
		cw, ch := (img.Rect.Dx()+1)/2, (img.Rect.Dy()+1)/2
		sums := newChromaSums(img.Cb, img.Cr, img.CStride, cw, ch)
		wr, wi, ok := sideTurn(sums, true, 40, 200, 100, 120)
		// The planes hold whole levels: the turned ground is rounded.
		if !ok || math.Abs(wr-tc.wr) > 0.06 || math.Abs(wi-tc.wi) > 0.06 {
			t.Errorf("%s: sideTurn = (%.3f, %.3f, %v), want (%.3f, %.3f)", tc.name, wr, wi, ok, tc.wr, tc.wi)
		}
		for _, side := range []struct{ b, sign int }{{100, 1}, {120, -1}} {
			if v := turnStep(sums, true, 40, 200, side.b, side.sign, tc.wr, tc.wi, 7); math.Abs(v-7) > 0.5 {
				t.Errorf("%s: turnStep at %d = %.2f, want 7", tc.name, side.b, v)
			}
		}
		sums.release()
	}
	grey := levelCard(func(x, y int) (float64, float64) { return 0, 0 })
	sums := newChromaSums(grey.Cb, grey.Cr, grey.CStride, (grey.Rect.Dx()+1)/2, (grey.Rect.Dy()+1)/2)
	defer sums.release()
	if v := turnStep(sums, true, 40, 200, 100, 1, -0.5, 0.87, 7); v != 0 {
		t.Errorf("grey ground: turnStep = %.2f, want 0", v)
	}
}

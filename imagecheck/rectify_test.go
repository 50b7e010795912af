package imagecheck

import (
	"bytes"
	"math/rand"
	"testing"

	"github.com/kycq/kycq/internal/geom"
)

// sampleRowRef is sampleRow as it was written before the row offsets and
// bilinear (issue 16, eighth pass): each point's rows cut as slices.
func sampleRowRef(out []byte, hom geom.Homography, x0, y, dx float64, pix []byte, pw, ph, ps int, div float64) {
	nx := hom[0]*x0 + hom[1]*y + hom[2]
	ny := hom[3]*x0 + hom[4]*y + hom[5]
	d := hom[6]*x0 + hom[7]*y + hom[8]
	sx, sy, sd := hom[0]*dx, hom[3]*dx, hom[6]*dx
	maxX, maxY := float64(pw-1), float64(ph-1)
	for i := range out {
		inv := 1 / (d * div)
		fx := nx*inv - 0.5
		fy := ny*inv - 0.5
		nx += sx
		ny += sy
		d += sd
		if fx < 0 {
			fx = 0
		} else if fx > maxX {
			fx = maxX
		}
		if fy < 0 {
			fy = 0
		} else if fy > maxY {
			fy = maxY
		}
		ix, iy := int(fx*256), int(fy*256)
		x, yy := ix>>8, iy>>8
		wx, wy := ix&255, iy&255
		x1, y1 := min(x+1, pw-1), min(yy+1, ph-1)
		r0, r1 := pix[yy*ps:], pix[y1*ps:]
		top := int(r0[x])*(256-wx) + int(r0[x1])*wx
		bot := int(r1[x])*(256-wx) + int(r1[x1])*wx
		out[i] = byte((top*(256-wy) + bot*wy + 1<<15) >> 16)
	}
}

// sampleRow must give the bytes sampleRowRef gives, and sampleRow2, for
// each of its two planes, the same: the same positions, weights and
// clamping at the edges.
func TestSampleRow2MatchesSampleRow(t *testing.T) {
	const pw, ph, ps = 37, 23, 40
	rng := rand.New(rand.NewSource(1))
	a, b := make([]byte, ps*ph), make([]byte, ps*ph)
	rng.Read(a)
	rng.Read(b)
	cases := []struct {
		name string
		hom  geom.Homography
		x0   float64
		y    float64
		dx   float64
		div  float64
	}{
		{"identity", geom.Identity, 0.5, 3.5, 1, 1},
		{"chroma step", geom.Identity, 1, 7, 2, 2},
		{"scaled and shifted", geom.Homography{1.7, 0.2, 3, -0.1, 1.6, 2, 0, 0, 1}, 1, 5, 2, 2},
		{"perspective", geom.Homography{1.2, 0.3, -4, 0.2, 1.1, -3, 0.002, -0.001, 1}, 0.5, 9.5, 1, 1},
		{"past every edge", geom.Homography{3, 0, -20, 0, 3, -20, 0, 0, 1}, 0.5, 30.5, 1, 1},
	}
	for _, c := range cases {
		n := 50
		want1, want2 := make([]byte, n), make([]byte, n)
		sampleRowRef(want1, c.hom, c.x0, c.y, c.dx, a, pw, ph, ps, c.div)
		sampleRowRef(want2, c.hom, c.x0, c.y, c.dx, b, pw, ph, ps, c.div)
		got1, got2 := make([]byte, n), make([]byte, n)
		sampleRow(got1, c.hom, c.x0, c.y, c.dx, a, pw, ph, ps, c.div)
		sampleRow(got2, c.hom, c.x0, c.y, c.dx, b, pw, ph, ps, c.div)
		if !bytes.Equal(got1, want1) || !bytes.Equal(got2, want2) {
			t.Errorf("%s: sampleRow gives %v / %v, want %v / %v", c.name, got1, got2, want1, want2)
		}
		sampleRow2(got1, got2, c.hom, c.x0, c.y, c.dx, a, b, pw, ph, ps, c.div)
		if !bytes.Equal(got1, want1) || !bytes.Equal(got2, want2) {
			t.Errorf("%s: got %v / %v, want %v / %v", c.name, got1, got2, want1, want2)
		}
	}
}

package imagecheck

import (
	"bytes"
	"math/rand"
	"testing"

	"github.com/kycq/kycq/internal/geom"
)

// sampleRow2 must give, for each of its two planes, the bytes sampleRow
// gives: the same positions, weights and clamping at the edges.
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
		sampleRow(want1, c.hom, c.x0, c.y, c.dx, a, pw, ph, ps, c.div)
		sampleRow(want2, c.hom, c.x0, c.y, c.dx, b, pw, ph, ps, c.div)
		got1, got2 := make([]byte, n), make([]byte, n)
		sampleRow2(got1, got2, c.hom, c.x0, c.y, c.dx, a, b, pw, ph, ps, c.div)
		if !bytes.Equal(got1, want1) || !bytes.Equal(got2, want2) {
			t.Errorf("%s: got %v / %v, want %v / %v", c.name, got1, got2, want1, want2)
		}
	}
}

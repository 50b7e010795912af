package imagecheck

import (
	"math"
	"math/rand"
	"slices"
	"testing"
)

// A 4×3 plane's border (rows 0 and 2, columns 0 and 3) is zeroed, its
// inside (the two middle pixels of row 1) kept.
func TestClearBorderLiteral(t *testing.T) {
	v := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	clearBorder(v, 4, 3)
	want := []float32{0, 0, 0, 0, 0, 6, 7, 0, 0, 0, 0, 0}
	if !slices.Equal(v, want) {
		t.Fatalf("got %v, want %v", v, want)
	}
	one := []float32{5}
	clearBorder(one, 1, 1)
	clearBorder(nil, 0, 0)
	if one[0] != 0 {
		t.Fatalf("1×1: got %v, want 0", one[0])
	}
}

// findEdges on a workspace whose float buffers hold what another user
// left there (NaNs, large values) gives the edge map a fresh workspace
// gives: the buffers it does not clear are written before they are read.
func TestFindEdgesDirtyWorkspace(t *testing.T) {
	rng := rand.New(rand.NewSource(16))
	for trial := range 40 {
		w, h := 3+rng.Intn(60), 3+rng.Intn(45)
		var chans [3][]byte
		for c := range chans {
			chans[c] = make([]byte, w*h)
		}
		// A bright rectangle with a coloured half on a noisy ground: edges
		// at every border of the plane's inside and along the rectangle.
		x0, y0 := rng.Intn(w), rng.Intn(h)
		x1, y1 := x0+rng.Intn(w-x0+1), y0+rng.Intn(h-y0+1)
		for y := range h {
			for x := range w {
				v, cb := 40+rng.Intn(20), 128
				if x >= x0 && x < x1 && y >= y0 && y < y1 {
					v = 200 + rng.Intn(20)
					if x < (x0+x1)/2 {
						cb = 60
					}
				}
				chans[0][y*w+x], chans[1][y*w+x], chans[2][y*w+x] = byte(v), byte(cb), byte(128+rng.Intn(3))
			}
		}
		fresh := findEdges(chans, w, h, new(workspace))
		dirty := new(workspace)
		for i := range dirty.f32 {
			dirty.f32[i] = make([]float32, 2*w*h)
			for k := range dirty.f32[i] {
				dirty.f32[i][k] = []float32{float32(math.NaN()), 1e30, -7, 3e6}[k%4]
			}
		}
		got := findEdges(chans, w, h, dirty)
		if !slices.Equal(got.dir, fresh.dir) {
			t.Fatalf("trial %d (%d×%d): directions differ", trial, w, h)
		}
		if !slices.Equal(got.mag2, fresh.mag2) {
			t.Fatalf("trial %d (%d×%d): strengths differ", trial, w, h)
		}
		for c := range got.sm {
			if !slices.Equal(got.sm[c], fresh.sm[c]) {
				t.Fatalf("trial %d (%d×%d): smoothed plane %d differs", trial, w, h, c)
			}
		}
	}
}

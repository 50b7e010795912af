package imagecheck

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFindEdgesFastMatchesLoop holds findEdges with its smoothing and
// Sobel rows eight pixels at a time (smoothRowFast, smoothColsFast,
// sobelRowFast) to its loops alone, bit for bit: every smoothed plane,
// gradient, squared magnitude, direction and strength, on planes of
// widths 3 to 41 (whole groups and the loops' tails) and heights 3 to 9,
// of random bytes, of bytes 0 and 255 only, of a dark card on a
// bright ground (the contrast stretch at 4×) and of dim noise (a stretch
// of about 2.9, which makes the smoothed values inexact: the order of
// the additions then shows).
func TestFindEdgesFastMatchesLoop(t *testing.T) {
	if !useEdgesAVX2 {
		t.Log("no AVX2: the loops only")
		if smoothRowFast(make([]float32, 8), make([]byte, 10)) != 0 || sobelRowFast(make([]float32, 10), make([]float32, 10), make([]float32, 10), make([]float32, 8), make([]float32, 8), make([]float32, 8)) != 0 {
			t.Fatal("a fast path ran without AVX2")
		}
		return
	}
	rng := rand.New(rand.NewPCG(3, 4))
	type run struct {
		e      edgeMap
		gx, gy []float32
	}
	edges := func(chans [3][]byte, w, h int, fast bool) run {
		saved := useEdgesAVX2
		defer func() { useEdgesAVX2 = saved }()
		useEdgesAVX2 = fast
		ws := new(workspace)
		e := findEdges(chans, w, h, ws)
		for c := range e.sm {
			e.sm[c] = slices.Clone(e.sm[c])
		}
		e.dir, e.mag2 = slices.Clone(e.dir), slices.Clone(e.mag2)
		return run{e, slices.Clone(ws.f(3, w*h)), slices.Clone(ws.f(4, w*h))}
	}
	same := func(t *testing.T, what string, got, want []float32) {
		t.Helper()
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%s %d: %v, the loop's %v", what, i, got[i], want[i])
			}
		}
	}
	for w := 3; w <= 41; w++ {
		for h := 3; h <= 9; h += 3 {
			for _, kind := range []string{"random", "extremes", "card", "dim"} {
				var chans [3][]byte
				for c := range chans {
					chans[c] = make([]byte, w*h)
					for i := range chans[c] {
						x, y := i%w, i/w
						switch kind {
						case "random":
							chans[c][i] = byte(rng.IntN(256))
						case "extremes":
							chans[c][i] = byte(255 * rng.IntN(2))
						case "dim":
							chans[c][i] = byte(60 + rng.IntN(71))
						default:
							v := 150 + rng.IntN(8)
							if x > w/4 && x < 3*w/4 && y > h/4 && y < 3*h/4 {
								v = 120 + c*7 + rng.IntN(5)
							}
							chans[c][i] = byte(v)
						}
					}
				}
				want, got := edges(chans, w, h, false), edges(chans, w, h, true)
				for c := range want.e.sm {
					same(t, "smoothed plane", got.e.sm[c], want.e.sm[c])
				}
				same(t, "gx", got.gx, want.gx)
				same(t, "gy", got.gy, want.gy)
				same(t, "strength", got.e.mag2, want.e.mag2)
				if !slices.Equal(got.e.dir, want.e.dir) {
					t.Fatalf("%dx%d %s: directions differ", w, h, kind)
				}
			}
		}
	}
}

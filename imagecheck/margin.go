package imagecheck

import "math"

// A printed border a few millimetres inside a card's or a passport page's
// edge (a frame line around the data) is a long straight step edge of a
// document's shape: the outline can take it for the edge, or take it for
// one side and the real edge for the others. What tells them apart is
// what lies just outside: outside a printed border lies a margin of the
// document's own colour, a band of even width with the edge beyond it;
// outside the edge lies the background. marginOut therefore moves each
// side of the outline out to a roughly parallel step edge at most
// marginMax short sides further out when the band between the two is of
// the colour just inside the side, across the whole side, and the colour
// beyond the new line differs from it (a drop shadow beyond a card's edge
// is a band of the background's colour, darker, not the card's: it stays).

const (
	marginMin    = 2    // small pixels a side must move out by
	marginMax    = 0.09 // short sides, at most
	marginSup    = 0.6  // share of the side the new line must back
	marginSame   = 0.25 // the band may differ from the inside by this share of its difference from what lies beyond
	marginStep   = 15   // which must be at least this (largest channel difference, as the edge map's planes)
	marginAgree  = 0.8  // share of the samples along the side that must agree
	marginAngles = 2    // degrees either way tried for the new line
)

// marginOut returns q with every side that is a printed border moved out
// to the document's edge beyond it (see above).
func marginOut(q quad, e *edgeMap, w, h int) quad {
	short := shortest(q.c)
	cx, cy := centroid(q.c)
	maxD := marginMax * short
	if maxD < marginMin {
		return q
	}
	ls := q.side
	moved := false
	diag := int(math.Ceil(math.Hypot(float64(e.w), float64(e.h))))
	for i := 0; i < 4; i++ {
		s := q.side[i]
		if s.frame {
			continue
		}
		a, b := q.c[i], q.c[(i+1)%4]
		nx, ny := q.outwardNormal(i, cx, cy)
		// The step edge beyond: the first run of offsets that qualify
		// (the support test's tolerance makes it a few pixels wide), and
		// in it the best-backed line (of equals, the middle one).
		type cand struct {
			l   *line
			sup float64
		}
		var run []cand
		for d := float64(marginMin); d <= maxD; d++ {
			var here *cand
			// (The band first: it is cheap, and seldom of the card's colour.)
			for da := -marginAngles; da <= marginAngles && marginBand(e, a, b, nx, ny, d); da++ {
				l := parallelAt(a, b, nx, ny, d, float64(da))
				sup := spanSupport(l, e, a, b, nx, ny, d)
				if sup < marginSup || (here != nil && sup <= here.sup) {
					continue
				}
				here = &cand{l, sup}
			}
			if here == nil {
				if len(run) > 0 {
					break
				}
				continue
			}
			run = append(run, *here)
		}
		var best *line
		if len(run) > 0 {
			top := 0.0
			for _, c := range run {
				top = math.Max(top, c.sup)
			}
			var ties []*line
			for _, c := range run {
				if c.sup == top {
					ties = append(ties, c.l)
				}
			}
			best = ties[len(ties)/2]
		}
		if best != nil {
			profile(best, *e, diag)
			ls[i] = best
			moved = true
		}
	}
	if !moved {
		return q
	}
	hy, ok := makeHypothesis(ls[0], ls[1], ls[2], ls[3], w, h)
	if !ok || !encloses(hy.q.c, q.c) {
		return q
	}
	return hy.q
}

// parallelAt is the line through the points a and b moved d along the
// normal (nx, ny) and turned by da degrees about the middle of a–b.
func parallelAt(a, b [2]float64, nx, ny, d, da float64) *line {
	mx, my := (a[0]+b[0])/2+d*nx, (a[1]+b[1])/2+d*ny
	r := da * math.Pi / 180
	ux, uy := nx*math.Cos(r)-ny*math.Sin(r), nx*math.Sin(r)+ny*math.Cos(r)
	deg := math.Atan2(uy, ux) * 180 / math.Pi
	if deg < 0 {
		deg += 360
	}
	if deg >= 180 { // the convention: θ in 0..179, rho of either sign
		deg -= 180
		ux, uy = -ux, -uy
	}
	return &line{theta: int(math.Round(deg)) % 180, nx: ux, ny: uy, rho: mx*ux + my*uy}
}

// spanSupport is the share of the stretch of l beside a–b (moved out by
// d along the normal) backed by a step edge, as profile judges it.
func spanSupport(l *line, e *edgeMap, a, b [2]float64, nx, ny, d float64) float64 {
	n := int(dist(a, b))
	if n < 4 {
		return 0
	}
	sup, in := 0, 0
	for k := 1; k < n; k++ {
		t := float64(k) / float64(n)
		x := a[0] + (b[0]-a[0])*t + d*nx
		y := a[1] + (b[1]-a[1])*t + d*ny
		x, y = closestOn(l, x, y)
		xi, yi := int(math.Round(x)), int(math.Round(y))
		if xi < 1 || yi < 1 || xi >= e.w-1 || yi >= e.h-1 {
			continue
		}
		in++
		if stepBacked(l, e, x, y) {
			sup++
		}
	}
	if in < n/2 {
		return 0
	}
	return float64(sup) / float64(in)
}

func closestOn(l *line, x, y float64) (float64, float64) {
	r := x*l.nx + y*l.ny - l.rho
	return x - r*l.nx, y - r*l.ny
}

// marginBand reports whether the band between the side a–b and the line
// d further out along the normal has the colour just inside the side, and
// what lies beyond the line differs from it, along most of the side.
func marginBand(e *edgeMap, a, b [2]float64, nx, ny, d float64) bool {
	const samples = 12
	agree := 0
	for k := 0; k < samples; k++ {
		t := 0.1 + 0.8*(float64(k)+0.5)/samples
		x, y := a[0]+(b[0]-a[0])*t, a[1]+(b[1]-a[1])*t
		in := e.colour(x-stepReach*nx, y-stepReach*ny)
		band := e.colour(x+d/2*nx, y+d/2*ny)
		out := e.colour(x+(d+stepReach)*nx, y+(d+stepReach)*ny)
		if step := colourDiff(band, out); step >= marginStep && colourDiff(in, band) <= marginSame*step {
			agree++
		}
	}
	return float64(agree) >= marginAgree*samples
}

// colour is the smoothed small planes' values at (x, y) (nearest pixel).
func (e *edgeMap) colour(x, y float64) [3]float32 {
	i := clampInt(int(math.Round(y)), 0, e.h-1)*e.w + clampInt(int(math.Round(x)), 0, e.w-1)
	return [3]float32{e.sm[0][i], e.sm[1][i], e.sm[2][i]}
}

// colourDiff is the largest difference over the channels.
func colourDiff(a, b [3]float32) float64 {
	m := 0.0
	for c := 0; c < 3; c++ {
		m = math.Max(m, math.Abs(float64(a[c]-b[c])))
	}
	return m
}

package imagecheck

import (
	"math"
	"math/rand/v2"
	"testing"
)

// crossed's rows and columns: the lines of points within tol of a line,
// a line to spare either side, clamped to the plane.
func TestCrossedLiteral(t *testing.T) {
	s := math.Sqrt(0.5)
	for _, c := range []struct {
		name           string
		nv, nu, rho    float64
		tol            float64
		n, m           int
		wantLo, wantHi int
	}{
		// y = 5 ± 1.5, ± 1: rows 2.5..7.5, so 2 to 7.
		{"horizontal", 1, 0, 5, 1.5, 20, 30, 2, 8},
		// The same line with its normal the other way: -y = -5.
		{"horizontal, normal flipped", -1, 0, -5, 1.5, 20, 30, 2, 8},
		// The 45° line x + y = 10 over x in 0..9: y from 10 − 9 − 1.5√2
		// − 1 (below 0) to 10 + 1.5√2 + 1 = 13.1.
		{"diagonal", s, s, 10 * s, 1.5, 40, 10, 0, 14},
		// Near the top edge: rows from 0.
		{"clamped low", 1, 0, 1, 3, 20, 30, 0, 6},
		// Near the bottom: rows to the last.
		{"clamped high", 1, 0, 19, 3, 20, 30, 15, 20},
		// Beyond the plane: no row.
		{"above", 1, 0, -10, 3, 20, 30, 0, 0},
		{"below", 1, 0, 40, 3, 20, 30, 0, 0},
		// No direction (not a number): every row, as every point's
		// distance passes the test.
		{"no direction", 0, 0, 5, 3, 20, 30, 0, 20},
	} {
		lo, hi := crossed(c.nv, c.nu, c.rho, c.tol, c.n, c.m)
		if lo != c.wantLo || hi != c.wantHi {
			t.Errorf("%s: rows %d..%d, want %d..%d", c.name, lo, hi, c.wantLo, c.wantHi)
		}
	}
}

// refineAll is refine before it read only the crossed rows or columns:
// every point of the seven buckets around the line's direction.
func refineAll(l *line, b *dirBuckets, tol float64) {
	var sums lineSums
	for k := -dirTolerance/10 - 1; k <= dirTolerance/10+1; k++ {
		for _, p := range b.rows[(l.theta/10+k+18)%18] {
			sums.add(l, p, tol)
		}
	}
	sums.fit(l)
}

// refine reads only the rows or columns a line crosses: on edge maps of
// lines drawn at every angle among scattered edge pixels, it fits each
// line as reading every point does, bit for bit, and both orders of the
// buckets hold the same points.
func TestRefineMatchesAllPoints(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 4))
	fits, moved := 0, 0
	for trial := 0; trial < 60; trial++ {
		w, h := 20+rng.IntN(240), 20+rng.IntN(180)
		e := edgeMap{w: w, h: h, dir: make([]byte, w*h)}
		for i := range e.dir {
			e.dir[i] = noEdge
			if rng.IntN(20) == 0 {
				e.dir[i] = byte(rng.IntN(180))
			}
		}
		// A few drawn lines, their pixels' directions near the normal's.
		var lines []*line
		for k := 0; k < 6; k++ {
			theta := rng.IntN(180)
			nx, ny := cosT[theta], sinT[theta]
			cx, cy := rng.Float64()*float64(w), rng.Float64()*float64(h)
			rho := math.Round(cx*nx + cy*ny)
			for s := -400.0; s <= 400; s += 0.5 {
				x, y := int(math.Round(rho*nx-s*ny)), int(math.Round(rho*ny+s*nx))
				if x >= 0 && y >= 0 && x < w && y < h {
					e.dir[y*w+x] = byte((theta + rng.IntN(11) + 175) % 180)
				}
			}
			lines = append(lines, &line{theta: theta, rho: rho + rng.Float64()*2 - 1, nx: nx, ny: ny})
		}
		b := edgePoints(e)
		for k := range b.rows {
			if len(b.rows[k]) != len(b.cols[k]) {
				t.Fatalf("trial %d bucket %d: %d points by row, %d by column", trial, k, len(b.rows[k]), len(b.cols[k]))
			}
			for i, p := range b.cols[k] {
				if d := e.dir[int(p.y)*w+int(p.x)]; int16(d) != p.dir || int(d)/10 != k {
					t.Fatalf("trial %d bucket %d: point %v, direction %d in the map", trial, k, p, d)
				}
				if i > 0 && (p.x < b.cols[k][i-1].x || p.x == b.cols[k][i-1].x && p.y <= b.cols[k][i-1].y) {
					t.Fatalf("trial %d bucket %d: point %v after %v in column order", trial, k, p, b.cols[k][i-1])
				}
				if at := b.colAt[k]; int32(i) < at[int(p.x)] || int32(i) >= at[int(p.x)+1] {
					t.Fatalf("trial %d bucket %d: point %d (%v) outside its column's %d..%d", trial, k, i, p, at[int(p.x)], at[int(p.x)+1])
				}
			}
			for i, p := range b.rows[k] {
				if at := b.rowAt[k]; int32(i) < at[int(p.y)] || int32(i) >= at[int(p.y)+1] {
					t.Fatalf("trial %d bucket %d: point %d (%v) outside its row's %d..%d", trial, k, i, p, at[int(p.y)], at[int(p.y)+1])
				}
			}
		}
		for _, l := range lines {
			for _, tol := range []float64{3, 1.5} {
				got, want := *l, *l
				refine(&got, b, tol)
				refineAll(&want, b, tol)
				if got.theta != want.theta || math.Float64bits(got.rho) != math.Float64bits(want.rho) ||
					math.Float64bits(got.nx) != math.Float64bits(want.nx) || math.Float64bits(got.ny) != math.Float64bits(want.ny) {
					t.Fatalf("trial %d tol %g: refined to %+v, reading every point %+v", trial, tol, got, want)
				}
				fits++
				if want.rho != l.rho {
					moved++
				}
				*l = got
			}
		}
	}
	if moved < fits/2 {
		t.Errorf("only %d of %d fits moved their line: the comparison tests little", moved, fits)
	}
}

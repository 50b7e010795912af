package imagecheck

import (
	"math"
	"sort"
)

// The document finder works on a small copy of the luma plane (about
// smallSize pixels on the long side): Sobel gradients, thinned edges, a
// Hough transform voting along each edge's gradient direction, then the
// best quadrilateral made of two roughly parallel pairs of lines, scored
// by how much of its four sides is backed by edges. Each line keeps a
// prefix sum of its edge support so a candidate quadrilateral is scored
// in constant time.

const (
	smallSize     = 256
	houghThetas   = 180
	maxLines      = 16
	edgeFloor     = 40 // Sobel magnitude (a step of about 10 grey levels)
	dirTolerance  = 20 // degrees between a side's normal and an edge's gradient
	voteTolerance = 4  // degrees either side of an edge's gradient direction
)

var cosT, sinT [houghThetas]float64

func init() {
	for t := 0; t < houghThetas; t++ {
		a := float64(t) * math.Pi / houghThetas
		cosT[t], sinT[t] = math.Cos(a), math.Sin(a)
	}
}

// edgeMap is the thinned edges of the small image: for each pixel, the
// gradient direction in degrees 0..179, or noEdge.
type edgeMap struct {
	w, h int
	dir  []byte
}

const noEdge = 255

func (e *edgeMap) at(x, y int) byte {
	if x < 0 || y < 0 || x >= e.w || y >= e.h {
		return noEdge
	}
	return e.dir[y*e.w+x]
}

// line is a Hough line: points p with p·(cos θ, sin θ) = rho.
type line struct {
	theta  int // degrees 0..179
	rho    float64
	nx, ny float64
	votes  int32
	// Support profile along the line, parametrised by t (p = rho·n +
	// t·(-ny, nx)), sampled every pixel from t0: prefix sums of samples
	// backed by an edge and of samples inside the frame.
	t0      float64
	sup, in []int32
}

func (l *line) point(t float64) (float64, float64) {
	return l.rho*l.nx - t*l.ny, l.rho*l.ny + t*l.nx
}

func (l *line) param(x, y float64) float64 { return -x*l.ny + y*l.nx }

// count returns the supported and in-frame samples between t1 and t2.
func (l *line) count(t1, t2 float64) (sup, in int) {
	if t1 > t2 {
		t1, t2 = t2, t1
	}
	n := len(l.sup) - 1
	k1 := clampInt(int(math.Round(t1-l.t0)), 0, n)
	k2 := clampInt(int(math.Round(t2-l.t0)), 0, n)
	return int(l.sup[k2] - l.sup[k1]), int(l.in[k2] - l.in[k1])
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// quad is a detected document in small-image coordinates: corners in
// order around the quadrilateral, c[i]–c[i+1] lying on side[i].
type quad struct {
	c     [4][2]float64
	side  [4]*line
	score float64
}

// findEdges computes the thinned edge map of the small image.
func findEdges(small []byte, w, h int, ws *workspace) edgeMap {
	n := w * h
	// 3×3 binomial smoothing into f32[0].
	sm := ws.f(0, n)
	for y := 0; y < h; y++ {
		ym, yp := max(y-1, 0), min(y+1, h-1)
		for x := 0; x < w; x++ {
			xm, xp := max(x-1, 0), min(x+1, w-1)
			s := 4*int(small[y*w+x]) +
				2*(int(small[y*w+xm])+int(small[y*w+xp])+int(small[ym*w+x])+int(small[yp*w+x])) +
				int(small[ym*w+xm]) + int(small[ym*w+xp]) + int(small[yp*w+xm]) + int(small[yp*w+xp])
			sm[y*w+x] = float32(s) / 16
		}
	}
	gx := ws.f(1, n)
	gy := ws.f(2, n)
	mag := ws.f(3, n)
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			a, b, c := sm[i-w-1], sm[i-w], sm[i-w+1]
			d, f := sm[i-1], sm[i+1]
			g, hh, k := sm[i+w-1], sm[i+w], sm[i+w+1]
			dx := (c + 2*f + k) - (a + 2*d + g)
			dy := (g + 2*hh + k) - (a + 2*b + c)
			gx[i], gy[i] = dx, dy
			mag[i] = float32(math.Sqrt(float64(dx*dx + dy*dy)))
		}
	}
	e := edgeMap{w: w, h: h, dir: ws.b(bufMask, n)}
	for i := range e.dir {
		e.dir[i] = noEdge
	}
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			m := mag[i]
			if m < edgeFloor {
				continue
			}
			ang := math.Atan2(float64(gy[i]), float64(gx[i])) * 180 / math.Pi
			if ang < 0 {
				ang += 180
			}
			if ang >= 180 {
				ang -= 180
			}
			// Non-maximum suppression across the edge.
			var j int
			switch {
			case ang < 22.5 || ang >= 157.5:
				j = 1
			case ang < 67.5:
				j = w + 1
			case ang < 112.5:
				j = w
			default:
				j = w - 1
			}
			if m < mag[i-j] || m < mag[i+j] {
				continue
			}
			e.dir[i] = byte(int(ang+0.5) % 180)
		}
	}
	return e
}

// houghLines returns the strongest lines of the edge map.
func houghLines(e edgeMap, ws *workspace) []*line {
	w, h := e.w, e.h
	diag := int(math.Ceil(math.Hypot(float64(w), float64(h))))
	nr := 2*diag + 1
	acc := ws.i(0, houghThetas*nr)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := e.dir[y*w+x]
			if d == noEdge {
				continue
			}
			for k := -voteTolerance; k <= voteTolerance; k++ {
				t := int(d) + k
				if t < 0 {
					t += houghThetas
				} else if t >= houghThetas {
					t -= houghThetas
				}
				// A point's line at θ±180 is the same line at θ.
				ri := int(math.Round(float64(x)*cosT[t] + float64(y)*sinT[t]))
				acc[t*nr+ri+diag]++
			}
		}
	}
	// Peaks: local maxima over ±3° and ±5 px, strongest first.
	minVotes := int32(float64(min(w, h)) * 0.12)
	type peak struct {
		t, r int
		v    int32
	}
	var peaks []peak
	for t := 0; t < houghThetas; t++ {
		row := acc[t*nr : (t+1)*nr]
		for r := 1; r < nr-1; r++ {
			v := row[r]
			if v < minVotes || v < row[r-1] || v < row[r+1] {
				continue
			}
			peaks = append(peaks, peak{t, r, v})
		}
	}
	sort.Slice(peaks, func(i, j int) bool {
		if peaks[i].v != peaks[j].v {
			return peaks[i].v > peaks[j].v
		}
		if peaks[i].t != peaks[j].t {
			return peaks[i].t < peaks[j].t
		}
		return peaks[i].r < peaks[j].r
	})
	var lines []*line
	for _, p := range peaks {
		rho := float64(p.r - diag)
		dup := false
		for _, l := range lines {
			dt := absInt(l.theta - p.t)
			r2 := l.rho
			if dt > 90 { // near the wrap: compare with the flipped line
				dt = 180 - dt
				r2 = -r2
			}
			if dt <= 3 && math.Abs(r2-rho) <= 5 {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		lines = append(lines, &line{theta: p.t, rho: rho, nx: cosT[p.t], ny: sinT[p.t], votes: p.v})
		if len(lines) == maxLines {
			break
		}
	}
	for _, l := range lines {
		profile(l, e, diag)
	}
	return lines
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// profile samples l every pixel and records where an edge of a
// compatible direction backs it.
func profile(l *line, e edgeMap, diag int) {
	n := 2*diag + 1
	l.t0 = -float64(diag)
	l.sup = make([]int32, n+1)
	l.in = make([]int32, n+1)
	for k := 0; k < n; k++ {
		x, y := l.point(l.t0 + float64(k))
		var s, in int32
		xi, yi := int(math.Round(x)), int(math.Round(y))
		if xi >= 1 && yi >= 1 && xi < e.w-1 && yi < e.h-1 {
			in = 1
			for d := -1.5; d <= 1.5; d += 1.5 {
				px := int(math.Round(x + d*l.nx))
				py := int(math.Round(y + d*l.ny))
				if dir := e.at(px, py); dir != noEdge {
					dd := absInt(int(dir) - l.theta)
					if dd > 90 {
						dd = 180 - dd
					}
					if dd <= dirTolerance {
						s = 1
						break
					}
				}
			}
		}
		l.sup[k+1] = l.sup[k] + s
		l.in[k+1] = l.in[k] + in
	}
}

func angleDiff(a, b int) int {
	d := absInt(a - b)
	if d > 90 {
		d = 180 - d
	}
	return d
}

func intersect(a, b *line) (float64, float64, bool) {
	det := a.nx*b.ny - a.ny*b.nx
	if math.Abs(det) < 1e-6 {
		return 0, 0, false
	}
	x := (a.rho*b.ny - a.ny*b.rho) / det
	y := (a.nx*b.rho - a.rho*b.nx) / det
	return x, y, true
}

// bestQuad picks the best-supported plausible quadrilateral.
func bestQuad(lines []*line, w, h int) (quad, bool) {
	type pair struct{ a, b *line }
	var pairs []pair
	minSep := 0.12 * float64(min(w, h))
	cx, cy := float64(w)/2, float64(h)/2
	for i := 0; i < len(lines); i++ {
		for j := i + 1; j < len(lines); j++ {
			a, b := lines[i], lines[j]
			if angleDiff(a.theta, b.theta) > 30 {
				continue
			}
			// Separation measured through the image centre (with b's
			// normal turned to agree with a's across the 0/180 wrap).
			sa := cx*a.nx + cy*a.ny - a.rho
			sb := cx*b.nx + cy*b.ny - b.rho
			if absInt(a.theta-b.theta) > 90 {
				sb = -sb
			}
			sep := math.Abs(sa - sb)
			if sep < minSep {
				continue
			}
			pairs = append(pairs, pair{a, b})
		}
	}
	var best quad
	found := false
	area0 := float64(w * h)
	for i := 0; i < len(pairs); i++ {
		for j := i + 1; j < len(pairs); j++ {
			P, Q := pairs[i], pairs[j]
			if angleDiff(P.a.theta, Q.a.theta) < 50 || angleDiff(P.b.theta, Q.b.theta) < 50 ||
				angleDiff(P.a.theta, Q.b.theta) < 50 || angleDiff(P.b.theta, Q.a.theta) < 50 {
				continue
			}
			q, ok := makeQuad(P.a, Q.a, P.b, Q.b, w, h, area0)
			if ok && (!found || q.score > best.score) {
				best, found = q, true
			}
		}
	}
	return best, found
}

// makeQuad builds the quadrilateral bounded by lines a, b, c, d in turn
// (a ∥ c, b ∥ d) and scores it.
func makeQuad(a, b, c, d *line, w, h int, area0 float64) (quad, bool) {
	var q quad
	ls := [4]*line{a, b, c, d}
	for i := 0; i < 4; i++ {
		x, y, ok := intersect(ls[(i+3)%4], ls[i])
		if !ok {
			return q, false
		}
		// Corners may lie outside the frame (a cut-off document), but
		// not absurdly far.
		if x < -0.5*float64(w) || x > 1.5*float64(w) || y < -0.5*float64(h) || y > 1.5*float64(h) {
			return q, false
		}
		q.c[i] = [2]float64{x, y}
	}
	// Corner i is where side i-1 meets side i: side i runs c[i]→c[i+1].
	for i := 0; i < 4; i++ {
		q.side[i] = ls[i]
	}
	// Convex, and a plausible document shape.
	var cross [4]float64
	var length [4]float64
	for i := 0; i < 4; i++ {
		p0, p1, p2 := q.c[i], q.c[(i+1)%4], q.c[(i+2)%4]
		cross[i] = (p1[0]-p0[0])*(p2[1]-p1[1]) - (p1[1]-p0[1])*(p2[0]-p1[0])
		length[i] = math.Hypot(p1[0]-p0[0], p1[1]-p0[1])
	}
	for i := 1; i < 4; i++ {
		if cross[i]*cross[0] <= 0 {
			return q, false
		}
	}
	area := polyArea(q.c)
	if area < 0.04*area0 {
		return q, false
	}
	for i := 0; i < 2; i++ {
		if math.Min(length[i], length[i+2])/math.Max(length[i], length[i+2]) < 0.55 {
			return q, false
		}
	}
	la, lb := (length[0]+length[2])/2, (length[1]+length[3])/2
	aspect := math.Max(la, lb) / math.Min(la, lb)
	if aspect < 1.15 || aspect > 2.2 {
		return q, false
	}
	score := 0.0
	for i := 0; i < 4; i++ {
		l := q.side[i]
		t1 := l.param(q.c[i][0], q.c[i][1])
		t2 := l.param(q.c[(i+1)%4][0], q.c[(i+1)%4][1])
		sup, in := l.count(t1, t2)
		if float64(in) < 0.25*length[i] {
			return q, false
		}
		if float64(sup) < 0.35*float64(in) {
			return q, false
		}
		score += float64(sup) - 0.5*float64(in-sup)
	}
	q.score = score
	return q, true
}

func polyArea(c [4][2]float64) float64 {
	s := 0.0
	for i := 0; i < 4; i++ {
		j := (i + 1) % 4
		s += c[i][0]*c[j][1] - c[j][0]*c[i][1]
	}
	return math.Abs(s) / 2
}

// cornerVisibility scores each corner 0..1: 0 when it is outside the
// frame (or on its border), else the edge support of both sides next to
// it, just past the rounded corner.
func cornerVisibility(q quad, w, h int) [4]float64 {
	var vis [4]float64
	for i := 0; i < 4; i++ {
		x, y := q.c[i][0], q.c[i][1]
		if x < 1 || y < 1 || x > float64(w)-2 || y > float64(h)-2 {
			vis[i] = 0
			continue
		}
		v := 1.0
		// Side i leaves corner i towards corner i+1; side i-1 arrives
		// from corner i-1.
		for _, s := range [2]struct {
			l     *line
			other [2]float64
		}{{q.side[i], q.c[(i+1)%4]}, {q.side[(i+3)%4], q.c[(i+3)%4]}} {
			t0 := s.l.param(x, y)
			t1 := s.l.param(s.other[0], s.other[1])
			a := t0 + 0.07*(t1-t0)
			b := t0 + 0.22*(t1-t0)
			if math.Abs(b-a) < 3 {
				b = a + 3*sign(t1-t0)
			}
			sup, _ := s.l.count(a, b)
			f := float64(sup) / math.Max(1, math.Abs(b-a))
			v = math.Min(v, f)
		}
		vis[i] = math.Min(1, v)
	}
	return vis
}

// ordered returns the corners as top-left, top-right, bottom-right,
// bottom-left (clockwise on screen, starting nearest the top-left).
func (q quad) ordered() [4][2]float64 {
	c := q.c
	// Make the order clockwise on screen (y down: positive cross).
	if (c[1][0]-c[0][0])*(c[2][1]-c[1][1])-(c[1][1]-c[0][1])*(c[2][0]-c[1][0]) < 0 {
		c[1], c[3] = c[3], c[1]
	}
	start := 0
	for i := 1; i < 4; i++ {
		if c[i][0]+c[i][1] < c[start][0]+c[start][1] {
			start = i
		}
	}
	var out [4][2]float64
	for i := 0; i < 4; i++ {
		out[i] = c[(start+i)%4]
	}
	return out
}

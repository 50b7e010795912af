package imagecheck

import (
	"math"
	"sort"
)

// The document finder works on a small copy of the planes (about
// smallSize pixels on the long side): Sobel gradients, thinned edges, a
// Hough transform voting along each edge's gradient direction, then the
// best-ranked quadrilateral made of two roughly parallel pairs of lines
// (quads.go). Each line keeps a prefix sum of its edge support so a
// hypothesis's sides are scored in constant time.

const (
	smallSize     = 256
	houghThetas   = 180
	maxLines      = 64
	edgeFloor     = 40 // Sobel magnitude (a step of about 10 grey levels)
	dirTolerance  = 20 // degrees between a side's normal and an edge's gradient
	voteTolerance = 6  // degrees either side of an edge's gradient direction
)

var (
	cosT, sinT [houghThetas]float64
	cosQ, sinQ [houghThetas]int32 // ×1024
)

func init() {
	for t := 0; t < houghThetas; t++ {
		a := float64(t) * math.Pi / houghThetas
		cosT[t], sinT[t] = math.Cos(a), math.Sin(a)
		cosQ[t], sinQ[t] = int32(math.Round(1024*cosT[t])), int32(math.Round(1024*sinT[t]))
	}
}

// edgeMap is the thinned edges of the small image: for each pixel, the
// gradient direction in degrees 0..179, or noEdge.
type edgeMap struct {
	w, h int
	dir  []byte
	sm   [3][]float32 // the smoothed small planes (chroma weighted)
	mag2 []float32    // squared gradient magnitude
}

// chromaWeight scales chroma gradients against luma ones.
const chromaWeight = 2

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
	// frame marks an edge of the photo itself, standing in for the side
	// of a document that lies beyond it (no profile).
	frame bool
	// far marks the photo's edge further beyond an outline's side than
	// outerFrameNear (outerCandidates).
	far bool
}

func (l *line) point(t float64) (float64, float64) {
	return l.rho*l.nx - t*l.ny, l.rho*l.ny + t*l.nx
}

func (l *line) param(x, y float64) float64 { return -x*l.ny + y*l.nx }

// count returns the supported and in-frame samples between t1 and t2.
// (The polarity of the step may change along a side: a card's dark
// header band meets a grey table where its pale body meets it too.)
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
	c    [4][2]float64
	side [4]*line
}

// shortest returns the length of the shortest side of the corners c.
func shortest(c [4][2]float64) float64 {
	short := math.Inf(1)
	for i := 0; i < 4; i++ {
		short = math.Min(short, dist(c[i], c[(i+1)%4]))
	}
	return short
}

// outwardNormal returns the unit normal of side i of q (from corner i to
// corner i+1) that points away from (cx, cy), the quadrilateral's centre.
func (q quad) outwardNormal(i int, cx, cy float64) (nx, ny float64) {
	a, b := q.c[i], q.c[(i+1)%4]
	nx, ny = q.side[i].nx, q.side[i].ny
	if ((a[0]+b[0])/2-cx)*nx+((a[1]+b[1])/2-cy)*ny < 0 {
		nx, ny = -nx, -ny
	}
	return nx, ny
}

// centroid returns the mean of the corners c.
func centroid(c [4][2]float64) (cx, cy float64) {
	for _, p := range c {
		cx += p[0] / 4
		cy += p[1] / 4
	}
	return cx, cy
}

// findEdges computes the thinned edge map of the small image from its
// luma and chroma (a card can differ from the table in colour only): at
// each pixel the channel with the strongest gradient counts, chroma
// weighted by chromaWeight.
func findEdges(chans [3][]byte, w, h int, ws *workspace) edgeMap {
	n := w * h
	// Stretch the contrast of dark or flat photos (up to 4×) so that the
	// fixed edge thresholds hold: the 2nd to 98th luma percentiles are
	// brought to span 200 grey levels.
	lo, hi := levelRange(chans[0], 50)
	stretch := float32(1)
	if hi > lo {
		stretch = min(4, max(1, 200/float32(hi-lo)))
	}
	// The gradients are written on every pixel but the plane's border,
	// which thin never reads of gx and gy: those are not cleared, and of
	// mag2 (read at the border as a neighbour) only the border is.
	gx := ws.fDirty(3, n)
	gy := ws.fDirty(4, n)
	mag2 := ws.fDirty(5, n)
	clearBorder(mag2, w, h)
	strength := ws.f(7, n) // squared magnitude of the edge kept at each pixel
	e := edgeMap{w: w, h: h, dir: ws.b(bufMask, n), mag2: strength}
	for i := range e.dir {
		e.dir[i] = noEdge
	}
	for c := 0; c < 3; c++ {
		small := chans[c]
		weight := stretch
		if c > 0 {
			weight *= chromaWeight
		}
		// 3×3 binomial smoothing (separable; the border keeps the raw
		// values: the Sobel below skips it anyway).
		// (Both written whole below: not cleared.)
		sm := ws.fDirty(c, n)
		tmp := ws.fDirty(6, n)
		for y := 0; y < h; y++ {
			row := small[y*w : y*w+w]
			out := tmp[y*w : y*w+w]
			out[0], out[w-1] = 4*float32(row[0]), 4*float32(row[w-1])
			// Eight pixels at a time where the CPU allows (the same
			// values), the rest here.
			for x := 1 + smoothRowFast(out[1:], row); x < w-1; x++ {
				out[x] = float32(int(row[x-1]) + 2*int(row[x]) + int(row[x+1]))
			}
		}
		k := weight / 16
		for x := 0; x < w; x++ {
			sm[x] = tmp[x] * 4 * k
			sm[(h-1)*w+x] = tmp[(h-1)*w+x] * 4 * k
		}
		for y := 1; y < h-1; y++ {
			out := sm[y*w : (y+1)*w]
			a, b, c := tmp[(y-1)*w:y*w], tmp[y*w:(y+1)*w], tmp[(y+1)*w:(y+2)*w]
			a, b, c = a[:len(out)], b[:len(out)], c[:len(out)] // (no bounds checks below)
			for x := smoothColsFast(out, a, b, c, k); x < len(out); x++ {
				out[x] = (a[x] + 2*b[x] + c[x]) * k
			}
		}
		e.sm[c] = sm
		for y := 1; y < h-1; y++ {
			// Row slices of one length, so that the compiler drops
			// the bounds checks of the inner loop.
			up, mid, dn := sm[(y-1)*w:y*w], sm[y*w:(y+1)*w], sm[(y+1)*w:(y+2)*w]
			ox, oy, om := gx[y*w:(y+1)*w], gy[y*w:(y+1)*w], mag2[y*w:(y+1)*w]
			mid, dn = mid[:len(up)], dn[:len(up)]
			ox, oy, om = ox[:len(up)], oy[:len(up)], om[:len(up)]
			for x := 1 + sobelRowFast(up, mid, dn, ox[1:], oy[1:], om[1:]); x+1 < len(up); x++ {
				a, b, c := up[x-1], up[x], up[x+1]
				d, f := mid[x-1], mid[x+1]
				g, hh, k := dn[x-1], dn[x], dn[x+1]
				dx := (c + 2*f + k) - (a + 2*d + g)
				dy := (g + 2*hh + k) - (a + 2*b + c)
				ox[x], oy[x], om[x] = dx, dy, dx*dx+dy*dy
			}
		}
		thin(e, gx, gy, mag2, strength)
	}
	return e
}

// clearBorder zeroes the first and last rows and columns of the w×h
// plane v.
func clearBorder(v []float32, w, h int) {
	if w <= 0 || h <= 0 {
		return
	}
	clear(v[:w])
	clear(v[(h-1)*w : h*w])
	for y := 1; y < h-1; y++ {
		v[y*w], v[y*w+w-1] = 0, 0
	}
}

// thin adds to e the pixels of one channel's gradient that are local
// maxima across the edge (non-maximum suppression, per channel: the
// channels' edges need not fall on the same pixel) and stronger than what
// another channel put there.
func thin(e edgeMap, gx, gy, mag2, strength []float32) {
	w, h := e.w, e.h
	const floor2 = edgeFloor * edgeFloor
	const tan22 = 0.41421356
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			m := mag2[i]
			if m < floor2 || m <= strength[i] {
				continue
			}
			// The direction quantised to 45° without trigonometry.
			ax, ay := gx[i], gy[i]
			if ax < 0 {
				ax, ay = -ax, -ay
			}
			var j int
			switch {
			case abs32(ay) <= tan22*ax:
				j = 1
			case ax <= tan22*abs32(ay):
				j = w
			case ay > 0:
				j = w + 1
			default:
				j = w - 1
			}
			if m < mag2[i-j] || m < mag2[i+j] {
				continue
			}
			ang := math.Atan2(float64(gy[i]), float64(gx[i])) * 180 / math.Pi
			if ang < 0 {
				ang += 180
			}
			e.dir[i] = byte(int(ang+0.5) % 180)
			strength[i] = m
		}
	}
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
			if d == noEdge || !stepEdge(&e, x, y, int(d)) {
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
				ri := (int32(x)*cosQ[t] + int32(y)*sinQ[t] + 1<<9) >> 10
				acc[t*nr+int(ri)+diag]++
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
	buckets := edgePoints(e)
	for _, l := range lines {
		refine(l, buckets, 3)
		refine(l, buckets, 1.5)
		profile(l, e, diag)
	}
	return lines
}

// stepEdge reports whether the edge pixel (x, y), of gradient direction
// dir, is a step (as stepBacked judges a line's samples): a thin line, a
// tile's grout or a ruled line, has a strong gradient on each flank but
// the same colour either side, and is no document's edge. Such pixels do
// not vote: on tiles they would fill the strongest lines with joints that
// run across the whole photo and leave the card's sides out.
func stepEdge(e *edgeMap, x, y, dir int) bool {
	return e.isStep(float64(x), float64(y), cosT[dir], sinT[dir], x, y)
}

// isStep reports whether the grey levels stepReach pixels either side of
// (x, y) along the unit normal (nx, ny) differ as a step edge's do, given
// the gradient magnitude at pixel (gx, gy): a step edge of contrast C has
// a Sobel magnitude of about 4C; a thin line has a strong gradient on
// each flank but little difference from one side to the other.
func (e *edgeMap) isStep(x, y, nx, ny float64, gx, gy int) bool {
	step := math.Abs(e.step(x+stepReach*nx, y+stepReach*ny, x-stepReach*nx, y-stepReach*ny))
	if step < stepMin {
		return false // (before the square root: most pixels stop here)
	}
	g := math.Sqrt(float64(e.mag2[gy*e.w+gx])) / 4
	return step >= stepRatio*g
}

// edgePoint is an edge pixel with its gradient direction.
type edgePoint struct {
	x, y float32
	dir  int16
}

// dirBuckets holds the edge points by gradient direction, 10° a bucket,
// so that a line looks only at points that may back it: each bucket in
// raster order (rows) and in column order (cols), with where each row
// and column starts, so that a line looks only at the rows (or columns)
// it crosses within its tolerance.
type dirBuckets struct {
	rows, cols   [18][]edgePoint
	rowAt, colAt [18][]int32 // rowAt[b][y]: the index in rows[b] of row y's first point; h+1 (w+1) entries
}

func edgePoints(e edgeMap) *dirBuckets {
	b := new(dirBuckets)
	var count [18]int
	for _, d := range e.dir[:e.w*e.h] {
		if d != noEdge {
			count[d/10]++
		}
	}
	total := 0
	for _, c := range count {
		total += c
	}
	pts := make([]edgePoint, 2*total)
	at := make([]int32, 18*(e.h+1+e.w+1))
	for k, c := range count {
		b.rows[k], pts = pts[:0:c], pts[c:]
		b.cols[k], pts = pts[:0:c], pts[c:]
		b.rowAt[k], at = at[:e.h+1], at[e.h+1:]
		b.colAt[k], at = at[:e.w+1], at[e.w+1:]
	}
	for y := 0; y < e.h; y++ {
		for k := range b.rows {
			b.rowAt[k][y] = int32(len(b.rows[k]))
		}
		for x, d := range e.dir[y*e.w : (y+1)*e.w] {
			if d != noEdge {
				b.rows[d/10] = append(b.rows[d/10], edgePoint{float32(x), float32(y), int16(d)})
			}
		}
	}
	// Column order: each bucket's points sorted by column, stably (a
	// count per column, then each point, in raster order, after those
	// of the columns before it).
	next := make([]int32, e.w)
	for k, pts := range b.rows {
		b.rowAt[k][e.h] = int32(len(pts))
		at := b.colAt[k]
		for _, p := range pts {
			at[int(p.x)+1]++
		}
		for x := 1; x <= e.w; x++ {
			at[x] += at[x-1]
		}
		copy(next, at[:e.w])
		cols := b.cols[k][:len(pts)]
		for _, p := range pts {
			x := int(p.x)
			cols[next[x]] = p
			next[x]++
		}
		b.cols[k] = cols
	}
	return b
}

// refine fits l by least squares (principal axis) to the edge points
// within tol pixels of it whose gradient agrees with its normal: the
// Hough grid (1°, 1 px) is too coarse for the ends of long sides.
//
// It reads only the rows (a line nearer horizontal) or the columns
// (nearer vertical) of the buckets that a point within tol may lie in,
// with a pixel to spare, and tests each of those points as before. The
// sums are of whole numbers (pixel coordinates, their squares and
// products, far below 2⁵³), which float64 adds exactly in any order: the
// fit is the same as over every point of the buckets.
func refine(l *line, b *dirBuckets, tol float64) {
	var sums lineSums
	byRow := math.Abs(l.ny) >= math.Abs(l.nx)
	var lo, hi int // the rows (columns) to read, hi excluded
	if byRow {
		lo, hi = crossed(l.ny, l.nx, l.rho, tol, len(b.rowAt[0])-1, len(b.colAt[0])-1)
	} else {
		lo, hi = crossed(l.nx, l.ny, l.rho, tol, len(b.colAt[0])-1, len(b.rowAt[0])-1)
	}
	for k := -dirTolerance/10 - 1; k <= dirTolerance/10+1; k++ {
		bi := (l.theta/10 + k + 18) % 18
		var pts []edgePoint
		if byRow {
			pts = b.rows[bi][b.rowAt[bi][lo]:b.rowAt[bi][hi]]
		} else {
			pts = b.cols[bi][b.colAt[bi][lo]:b.colAt[bi][hi]]
		}
		for _, p := range pts {
			sums.add(l, p, tol)
		}
	}
	sums.fit(l)
}

// lineSums are the moments of the edge points near a line that refine
// fits it to.
type lineSums struct{ n, sx, sy, sxx, syy, sxy float64 }

// add counts p when it lies within tol of l and its direction within
// dirTolerance of l's.
func (s *lineSums) add(l *line, p edgePoint, tol float64) {
	x, y := float64(p.x), float64(p.y)
	if math.Abs(x*l.nx+y*l.ny-l.rho) > tol || angleDiff(int(p.dir), l.theta) > dirTolerance {
		return
	}
	s.n++
	s.sx += x
	s.sy += y
	s.sxx += x * x
	s.syy += y * y
	s.sxy += x * y
}

// fit moves l onto the principal axis of the points counted, when there
// are ten or more.
func (s *lineSums) fit(l *line) {
	n := s.n
	if n < 10 {
		return
	}
	mx, my := s.sx/n, s.sy/n
	cxx, cyy, cxy := s.sxx/n-mx*mx, s.syy/n-my*my, s.sxy/n-mx*my
	// Direction of the principal axis; the normal is perpendicular.
	a := 0.5 * math.Atan2(2*cxy, cxx-cyy)
	nx, ny := -math.Sin(a), math.Cos(a)
	if nx*l.nx+ny*l.ny < 0 {
		nx, ny = -nx, -ny
	}
	l.nx, l.ny = nx, ny
	l.rho = mx*nx + my*ny
	deg := math.Atan2(ny, nx) * 180 / math.Pi
	if deg < 0 {
		deg += 180
	}
	l.theta = int(math.Round(deg)) % 180
}

// crossed returns the lines lo..hi-1 (of n, coordinate v) that the
// points (u, v), 0 ≤ u < m, within tol of the line u·nu + v·nv = rho may
// lie on, a line to spare either side; |nv| ≥ |nu|, so nv is not zero.
func crossed(nv, nu, rho, tol float64, n, m int) (lo, hi int) {
	a0, a1 := (rho-tol)/nv, (rho+tol)/nv
	d := float64(m-1) * nu / nv
	v0 := math.Min(math.Min(a0, a1), math.Min(a0-d, a1-d)) - 1
	v1 := math.Max(math.Max(a0, a1), math.Max(a0-d, a1-d)) + 1
	if math.IsNaN(v0) || math.IsNaN(v1) {
		return 0, n // (a distance that is not a number passes the test: read every point, as before)
	}
	if v0 >= float64(n) || v1 < 0 {
		return 0, 0
	}
	lo = int(math.Max(0, math.Floor(v0)))
	hi = int(math.Min(float64(n), math.Floor(v1)+1))
	return lo, hi
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// profile samples l every pixel and records where it is backed by an
// edge of a compatible direction that is a step (brighter on one side
// than the other, as at a document's border) rather than a thin line (a
// grout line, a ruled line). Which side is brighter is not kept: it may
// change along a document's side (see count).
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
			if stepBacked(l, &e, x, y) {
				s = 1
			}
		}
		l.sup[k+1] = l.sup[k] + s
		l.in[k+1] = l.in[k] + in
	}
}

// stepBacked reports whether the point (x, y) of l is backed by an edge
// of a compatible direction that is a step.
func stepBacked(l *line, e *edgeMap, x, y float64) bool {
	for d := -1.5; d <= 1.5; d += 1.5 {
		px := int(math.Round(x + d*l.nx))
		py := int(math.Round(y + d*l.ny))
		dir := e.at(px, py)
		if dir == noEdge {
			continue
		}
		dd := absInt(int(dir) - l.theta)
		if dd > 90 {
			dd = 180 - dd
		}
		if dd > dirTolerance {
			continue
		}
		// Measured across the line itself, so that both samples
		// of a thin line (a ridge) fall beyond it.
		if e.isStep(x, y, l.nx, l.ny, clampInt(px, 0, e.w-1), clampInt(py, 0, e.h-1)) {
			return true
		}
	}
	return false
}

// Step test: grey levels compared stepReach pixels either side.
const (
	stepReach = 2.5
	stepMin   = 10
	stepRatio = 0.5
)

// step returns the largest difference, over the channels, between the
// smoothed small planes at (x1, y1) and (x0, y0) (nearest pixels).
func (e *edgeMap) step(x1, y1, x0, y0 float64) float64 {
	i1 := clampInt(int(math.Round(y1)), 0, e.h-1)*e.w + clampInt(int(math.Round(x1)), 0, e.w-1)
	i0 := clampInt(int(math.Round(y0)), 0, e.h-1)*e.w + clampInt(int(math.Round(x0)), 0, e.w-1)
	best := 0.0
	for _, sm := range e.sm {
		if d := float64(sm[i1] - sm[i0]); math.Abs(d) > math.Abs(best) {
			best = d
		}
	}
	return best
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

// cornerVisibility scores each corner 0..1: one minus the longer of the
// two unsupported stretches that lead away from it along its sides, as a
// fraction of the document's short side: a finger over a corner hides
// the first part of both sides, a clean corner only its rounding. For a
// corner outside the frame (or on its border) the stretches are measured
// from where its sides that are not the frame enter the photo: a
// document cut off by the frame shows its sides up to the frame, and a
// side whose support stops well short of the frame ends at a corner
// inside the photo (tile joints or a table's edge running on to the
// frame past a card's faint corner are no part of it).
func cornerVisibility(q quad, w, h int) [4]float64 {
	var vis [4]float64
	gaps := cornerGaps(q)
	for i := 0; i < 4; i++ {
		if !outsideFrame(q.c[i][0], q.c[i][1], w, h) {
			vis[i] = math.Max(0, 1-math.Max(gaps[i][0], gaps[i][1]))
			continue
		}
		worst := 0.0
		for k, l := range [2]*line{q.side[i], q.side[(i+3)%4]} {
			if !l.frame {
				worst = math.Max(worst, gaps[i][k])
			}
		}
		vis[i] = math.Max(0, 1-worst)
	}
	return vis
}

// cornerGaps returns, for each corner of q, how far its two sides run
// unsupported from it (the side leaving it, then the side arriving at
// it), as fractions of the document's short side.
func cornerGaps(q quad) [4][2]float64 {
	return sideGaps(q, func(l *line, t0, t1, _ float64) float64 { return l.gap(t0, t1) })
}

// sideGaps returns gap's measure, from each corner of q along its two
// sides (the side leaving it, then the side arriving at it), as
// fractions of the document's short side. gap gets the side's line, the
// corner's and the far corner's parameters on it, and the short side.
func sideGaps(q quad, gap func(l *line, t0, t1, short float64) float64) [4][2]float64 {
	var gaps [4][2]float64
	short := shortest(q.c)
	for i := 0; i < 4; i++ {
		x, y := q.c[i][0], q.c[i][1]
		// Side i leaves corner i towards corner i+1; side i-1 arrives
		// from corner i-1.
		for k, s := range [2]struct {
			l     *line
			other [2]float64
		}{{q.side[i], q.c[(i+1)%4]}, {q.side[(i+3)%4], q.c[(i+3)%4]}} {
			t0 := s.l.param(x, y)
			t1 := s.l.param(s.other[0], s.other[1])
			gaps[i][k] = gap(s.l, t0, t1, short) / short
		}
	}
	return gaps
}

// gap returns how far from t0 towards t1 the line runs before its
// support resumes: the start of the first window of gapWindow samples at
// least half supported, counted from the first sample inside the frame
// (t0 can lie outside it: a corner beyond the photo's edge).
func (l *line) gap(t0, t1 float64) float64 {
	g, _ := l.resume(t0, t1)
	return g
}

// resume is gap, with the parameter on l where the support resumes (t1
// when it does not).
func (l *line) resume(t0, t1 float64) (gap, at float64) {
	n := len(l.sup) - 1
	k0 := clampInt(int(math.Round(t0-l.t0)), 0, n)
	k1 := clampInt(int(math.Round(t1-l.t0)), 0, n)
	step := 1
	if k1 < k0 {
		step = -1
	}
	// Skip the samples outside the frame.
	skipped := 0.0
	for k0 != k1 {
		a, b := k0, k0+step
		if a > b {
			a, b = b, a
		}
		if a < 0 || b > n || l.in[b] > l.in[a] {
			break
		}
		k0 += step
		skipped++
	}
	for k := k0; k != k1; k += step {
		a, b := k, k+step*gapWindow
		if b < 0 || b > n {
			break
		}
		if a > b {
			a, b = b, a
		}
		if 2*int(l.sup[b]-l.sup[a]) >= gapWindow {
			return float64(absInt(k - k0)), l.t0 + float64(k)
		}
	}
	return math.Max(0, math.Abs(t1-t0)-skipped), t1
}

const gapWindow = 6

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

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

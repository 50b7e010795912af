package docread

import (
	"math"
	"slices"
)

// The MRZ locator works on connected components of dark ink: it finds the
// dominant direction of text from each glyph's nearest neighbour, chains
// glyphs of similar size along that direction into text lines, fits each
// line's fixed pitch, and keeps groups of two or three parallel lines of
// 30, 36 or 44 cells spaced as an MRZ. Nothing assumes the photo's
// orientation: the reading direction (θ or θ+180°) is settled by the
// recogniser.

// comp is a connected component of ink.
type comp struct {
	x0, y0, x1, y1 int // bounding box, x1 and y1 exclusive
	n              int // pixels
	sx, sy         int // sums of coordinates
}

func (c *comp) size() float64 { return float64(max(c.x1-c.x0, c.y1-c.y0)) }
func (c *comp) cx() float64   { return float64(c.x0+c.x1-1) / 2 }
func (c *comp) cy() float64   { return float64(c.y0+c.y1-1) / 2 }

// binarise marks the pixels of p darker than their neighbourhood's mean
// (a window of 2r+1) by a wide margin: ink[i] is true for ink.
func binarise(p *plane, r int) []bool { return binariseAt(p, r, 62) }

// binariseAt marks the pixels darker than pct percent of their
// neighbourhood's mean. The window's sum slides down the plane: a row of
// column sums over the window's rows, updated by the row entering and
// the row leaving, then summed along each row by a sliding run; the
// sums are those of an integral image, without its memory.
func binariseAt(p *plane, r int, pct uint32) []bool {
	w, h := p.w, p.h
	ink := make([]bool, w*h)
	col := make([]uint32, w)
	for y := 0; y < min(h, r); y++ {
		for x, v := range p.pix[y*w : (y+1)*w] {
			col[x] += uint32(v)
		}
	}
	for y := 0; y < h; y++ {
		// col holds rows [y-r, y+r] clipped to the plane.
		if y+r < h {
			for x, v := range p.pix[(y+r)*w : (y+r+1)*w] {
				col[x] += uint32(v)
			}
		}
		if y-r-1 >= 0 {
			for x, v := range p.pix[(y-r-1)*w : (y-r)*w] {
				col[x] -= uint32(v)
			}
		}
		rows := uint32(min(h, y+r+1) - max(0, y-r))
		var sum uint32
		for x := 0; x < min(w, r); x++ {
			sum += col[x]
		}
		row := p.pix[y*w : (y+1)*w]
		out := ink[y*w : (y+1)*w]
		for x := 0; x < w; x++ {
			if x+r < w {
				sum += col[x+r]
			}
			if x-r-1 >= 0 {
				sum -= col[x-r-1]
			}
			area := rows * uint32(min(w, x+r+1)-max(0, x-r))
			// Ink is well below the local mean: 0.62 of it keeps the
			// black MRZ print and drops light security patterns.
			if uint32(row[x])*area*100 < sum*pct {
				out[x] = true
			}
		}
	}
	return ink
}

// components labels the 8-connected components of ink by runs and
// union-find.
func components(ink []bool, w, h int) []comp {
	type run struct{ y, x0, x1, label int }
	var runs []run
	parent := []int{}
	find := func(a int) int {
		for parent[a] != a {
			parent[a] = parent[parent[a]]
			a = parent[a]
		}
		return a
	}
	prevStart, prevEnd := 0, 0
	for y := 0; y < h; y++ {
		start := len(runs)
		row := ink[y*w : (y+1)*w]
		for x := 0; x < w; {
			if !row[x] {
				x++
				continue
			}
			x0 := x
			for x < w && row[x] {
				x++
			}
			l := len(parent)
			parent = append(parent, l)
			runs = append(runs, run{y, x0, x, l})
		}
		// Join with the previous row's runs overlapping (8-connected).
		j := prevStart
		for i := start; i < len(runs); i++ {
			r := &runs[i]
			for j < prevEnd && runs[j].x1 < r.x0 {
				j++
			}
			for k := j; k < prevEnd && runs[k].x0 <= r.x1; k++ {
				a, b := find(r.label), find(runs[k].label)
				if a != b {
					parent[a] = b
				}
			}
		}
		prevStart, prevEnd = start, len(runs)
	}
	index := make([]int, len(parent))
	for i := range index {
		index[i] = -1
	}
	var cs []comp
	for _, r := range runs {
		root := find(r.label)
		k := index[root]
		if k < 0 {
			k = len(cs)
			index[root] = k
			cs = append(cs, comp{x0: r.x0, y0: r.y, x1: r.x1, y1: r.y + 1})
		}
		c := &cs[k]
		c.x0, c.x1 = min(c.x0, r.x0), max(c.x1, r.x1)
		c.y1 = r.y + 1
		n := r.x1 - r.x0
		c.n += n
		c.sx += (r.x0 + r.x1 - 1) * n / 2
		c.sy += r.y * n
	}
	return cs
}

// glyphLike keeps the components shaped like characters of size in
// [lo, hi] pixels.
func glyphLike(cs []comp, lo, hi float64) []comp {
	var out []comp
	for _, c := range cs {
		bw, bh := c.x1-c.x0, c.y1-c.y0
		s := c.size()
		if s < lo || s > hi || bw < 2 || bh < 2 {
			continue
		}
		if fill := float64(c.n) / float64(bw*bh); fill < 0.08 || fill > 0.95 {
			continue
		}
		out = append(out, c)
	}
	return out
}

// grid buckets components by their centre for neighbour queries.
type grid struct {
	cell   float64
	nx, ny int
	bucket [][]int
}

func newGrid(cs []comp, w, h int, cell float64) *grid {
	g := &grid{cell: cell, nx: int(float64(w)/cell) + 1, ny: int(float64(h)/cell) + 1}
	g.bucket = make([][]int, g.nx*g.ny)
	for i := range cs {
		bx, by := int(cs[i].cx()/cell), int(cs[i].cy()/cell)
		g.bucket[by*g.nx+bx] = append(g.bucket[by*g.nx+bx], i)
	}
	return g
}

// near calls fn for the components whose centre is within r of (x, y)'s
// buckets.
func (g *grid) near(x, y, r float64, fn func(j int)) {
	bx0, by0 := max(0, int((x-r)/g.cell)), max(0, int((y-r)/g.cell))
	bx1, by1 := min(g.nx-1, int((x+r)/g.cell)), min(g.ny-1, int((y+r)/g.cell))
	for by := by0; by <= by1; by++ {
		for bx := bx0; bx <= bx1; bx++ {
			for _, j := range g.bucket[by*g.nx+bx] {
				fn(j)
			}
		}
	}
}

func similar(a, b float64) bool { return a < 1.8*b && b < 1.8*a }

// textAngles returns the dominant directions of text lines, in degrees
// [0, 180), strongest first: the peaks of the histogram of the directions
// from each glyph to its nearest neighbour of similar size.
func textAngles(cs []comp, g *grid) []float64 {
	var hist [180]float64
	for i := range cs {
		a := &cs[i]
		s := a.size()
		best, bx, by := math.Inf(1), 0.0, 0.0
		g.near(a.cx(), a.cy(), 2*s, func(j int) {
			if j == i || !similar(cs[j].size(), s) {
				return
			}
			dx, dy := cs[j].cx()-a.cx(), cs[j].cy()-a.cy()
			if d := dx*dx + dy*dy; d < best {
				best, bx, by = d, dx, dy
			}
		})
		if best > 4*s*s {
			continue
		}
		deg := math.Atan2(by, bx) * 180 / math.Pi
		if deg < 0 {
			deg += 180
		}
		hist[int(deg)%180]++
	}
	var smooth [180]float64
	for i := range smooth {
		for k := -2; k <= 2; k++ {
			smooth[i] += hist[(i+k+180)%180] * (3 - math.Abs(float64(k))) / 3
		}
	}
	var peaks []float64
	for len(peaks) < 2 {
		bi := -1
		for i, v := range smooth {
			if v >= 6 && (bi < 0 || v > smooth[bi]) {
				bi = i
			}
		}
		if bi < 0 {
			break
		}
		// Sub-degree peak by the weighted mean of the neighbourhood.
		var sw, sa float64
		for k := -3; k <= 3; k++ {
			v := hist[(bi+k+180)%180]
			sw += v
			sa += v * float64(k)
		}
		peaks = append(peaks, float64(bi)+0.5+sa/max(sw, 1))
		for k := -12; k <= 12; k++ {
			smooth[(bi+k+180)%180] = 0
		}
	}
	return peaks
}

// textLine is a fitted line of fixed-pitch cells: cell i's centre is
// (x0 + i·ux + i²·ax, y0 + i·uy + i²·ay); (ux, uy) is one pitch at the
// first cell and (ax, ay) bends the spacing as perspective does.
type textLine struct {
	x0, y0 float64
	ux, uy float64
	ax, ay float64
	n      int
	v      float64 // position across the direction searched
	// placed holds, for a line read by trackCells, where each of its n
	// cells was read; nil for a fitted line, whose cells lie on the
	// curve above. A pointer keeps lines comparable (==), placed ones
	// by the identity of their placement.
	placed *placement
}

// placement is where each cell of a line was read, off the line's
// fitted curve.
type placement struct{ at []cellPlace }

// cellPlace is the centre of a cell placed off its line's fitted curve
// and the line's pitch vector at it.
type cellPlace struct{ x, y, ux, uy float64 }

// centre returns the centre of cell i and the local pitch vector there.
// On a line whose cells were placed (placed), a fractional i is the
// nearest placed cell moved along the line by the fraction.
func (l textLine) centre(i float64) (x, y, ux, uy float64) {
	if l.placed != nil {
		k := min(len(l.placed.at)-1, max(0, int(math.Round(i))))
		c := l.placed.at[k]
		d := i - float64(k)
		return c.x + d*c.ux, c.y + d*c.uy, c.ux, c.uy
	}
	return l.x0 + i*l.ux + i*i*l.ax, l.y0 + i*l.uy + i*i*l.ay, l.ux + 2*i*l.ax, l.uy + 2*i*l.ay
}

func (l textLine) pitch() float64 {
	_, _, ux, uy := l.centre(float64(l.n-1) / 2)
	return math.Hypot(ux, uy)
}

// sub returns the line starting at cell start (possibly negative) with n
// cells. A placed line keeps its placed cells when they cover the new
// line's (start a whole cell); otherwise the new line is fitted.
func (l textLine) sub(start float64, n int) textLine {
	x, y, ux, uy := l.centre(start)
	out := textLine{x0: x, y0: y, ux: ux, uy: uy, ax: l.ax, ay: l.ay, n: n, v: l.v}
	if k := int(start); l.placed != nil && float64(k) == start && k >= 0 && k+n <= len(l.placed.at) {
		out.placed = &placement{slices.Clone(l.placed.at[k : k+n])}
	}
	return out
}

// reversed returns the line read from its last cell to its first.
func (l textLine) reversed() textLine {
	x, y, ux, uy := l.centre(float64(l.n - 1))
	out := textLine{x0: x, y0: y, ux: -ux, uy: -uy, ax: l.ax, ay: l.ay, n: l.n, v: -l.v}
	if l.placed != nil {
		at := make([]cellPlace, len(l.placed.at))
		for i, c := range l.placed.at {
			at[len(at)-1-i] = cellPlace{c.x, c.y, -c.ux, -c.uy}
		}
		out.placed = &placement{at}
	}
	return out
}

// chains links glyphs along direction deg into lines and fits each line
// with at least minCells cells.
func chains(cs []comp, g *grid, deg float64, minCells int) []textLine {
	u, v, groups := link(cs, g, deg, false)
	return fitChains(cs, groups, u, v, minCells)
}

// mrzLines is chains for the MRZ: a glyph reaches its neighbour by the
// larger of the two sizes (a filler '<' is smaller than the pitch), and
// fragments of one line that a lost or merged glyph split (a hologram,
// a crease, a security line touching the print) are joined again.
func mrzLines(cs []comp, g *grid, deg float64, minCells int) []textLine {
	u, v, groups := link(cs, g, deg, true)
	return fitChains(cs, joinFragments(cs, groups, u, v), u, v, minCells)
}

// fitChains fits the chains with at least three quarters of minCells
// glyphs and keeps the lines of at least minCells cells.
func fitChains(cs []comp, groups [][]int, u, v []float64, minCells int) []textLine {
	var out []textLine
	for _, idx := range groups {
		if len(idx) < minCells*3/4 {
			continue
		}
		if l, ok := fitLine(cs, idx, u, v); ok && l.n >= minCells {
			out = append(out, l)
		}
	}
	return out
}

// link chains each glyph to its nearest successor along direction deg
// (coordinates u along it, v across) and returns the chains, each in
// order along u. With pair, the reach is measured by the larger glyph of
// the pair, else by the glyph itself.
func link(cs []comp, g *grid, deg float64, pair bool) (u, v []float64, groups [][]int) {
	c, s := math.Cos(deg*math.Pi/180), math.Sin(deg*math.Pi/180)
	u = make([]float64, len(cs))
	v = make([]float64, len(cs))
	for i := range cs {
		x, y := cs[i].cx(), cs[i].cy()
		u[i], v[i] = x*c+y*s, -x*s+y*c
	}
	next := make([]int, len(cs))
	prev := make([]int, len(cs))
	for i := range next {
		next[i], prev[i] = -1, -1
	}
	dist := make([]float64, len(cs))
	for i := range cs {
		si := cs[i].size()
		reach := 1.8 * si
		if pair {
			reach = 2.6 * si // 1.8 times 1.4 times si
		}
		best := math.Inf(1)
		g.near(cs[i].cx(), cs[i].cy(), reach, func(j int) {
			sz := si
			if pair {
				// A larger neighbour extends the reach, by at most 1.4
				// times (a letter after a filler), not by a blot's size.
				sz = min(max(si, cs[j].size()), 1.4*si)
			}
			du := u[j] - u[i]
			if j == i || du < 0.3*sz || du > 1.8*sz || math.Abs(v[j]-v[i]) > 0.35*sz || !similar(cs[j].size(), si) {
				return
			}
			if du < best {
				best, next[i] = du, j
			}
		})
		if j := next[i]; j >= 0 {
			if prev[j] >= 0 && dist[j] <= best {
				next[i] = -1
				continue
			}
			if prev[j] >= 0 {
				next[prev[j]] = -1
			}
			prev[j], dist[j] = i, best
		}
	}
	for i := range cs {
		if prev[i] >= 0 {
			continue
		}
		var idx []int
		for k := i; k >= 0 && len(idx) <= len(cs); k = next[k] {
			idx = append(idx, k)
		}
		groups = append(groups, idx)
	}
	return u, v, groups
}

// Joining fragments of a line: an anchor of at least joinAnchor glyphs
// absorbs, on either side, the nearest fragment whose glyphs lie on its
// line (within joinAcross pitches of it) and on its pitch grid (within
// joinAcross of a whole number of pitches) after a gap of at most
// joinGap pitches (two glyphs lost), while the whole spans at most
// joinSpan cells.
const (
	joinAnchor = 6
	joinAcross = 0.3
	joinGap    = 3.3
	joinSpan   = 45
)

// joinFragments joins chains that continue one another along the line
// of a longer one, longest first. The result's chains are ordered along u.
func joinFragments(cs []comp, groups [][]int, u, v []float64) [][]int {
	order := make([]int, len(groups))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(groups[b]) - len(groups[a]) })
	used := make([]bool, len(groups))
	var out [][]int
	for _, a := range order {
		if used[a] {
			continue
		}
		used[a] = true
		idx := groups[a]
		if len(idx) < joinAnchor {
			out = append(out, idx)
			continue
		}
		steps := make([]float64, 0, len(idx)-1)
		for k := 1; k < len(idx); k++ {
			steps = append(steps, u[idx[k]]-u[idx[k-1]])
		}
		slices.Sort(steps)
		p := steps[len(steps)/2]
		size := medianSize(cs, idx)
		for p > 0 {
			a0, a1 := u[idx[0]], u[idx[len(idx)-1]]
			off, slope := lineOf(idx, u, v)
			best, bestGap := -1, math.Inf(1)
			for b, f := range groups {
				if used[b] || !similar(medianSize(cs, f), size) {
					continue
				}
				f0, f1 := u[f[0]], u[f[len(f)-1]]
				var gap float64
				switch {
				case f0 > a1:
					gap = f0 - a1
				case f1 < a0:
					gap = a0 - f1
				default:
					continue
				}
				if gap < 0.6*p || gap > joinGap*p || gap >= bestGap || (max(a1, f1)-min(a0, f0))/p > joinSpan-1 ||
					math.Abs(gap/p-math.Round(gap/p)) > joinAcross {
					continue
				}
				on := true
				for _, k := range f {
					if math.Abs(v[k]-(off+slope*u[k])) > joinAcross*p {
						on = false
						break
					}
				}
				if on {
					best, bestGap = b, gap
				}
			}
			if best < 0 {
				break
			}
			used[best] = true
			idx = append(slices.Clone(idx), groups[best]...)
			slices.SortFunc(idx, func(i, j int) int {
				switch {
				case u[i] < u[j]:
					return -1
				case u[i] > u[j]:
					return 1
				}
				return 0
			})
		}
		out = append(out, idx)
	}
	return out
}

// medianSize is the median size of the glyphs idx.
func medianSize(cs []comp, idx []int) float64 {
	s := make([]float64, len(idx))
	for k, i := range idx {
		s[k] = cs[i].size()
	}
	slices.Sort(s)
	return s[len(s)/2]
}

// lineOf fits v = off + slope·u to the glyphs idx by least squares.
func lineOf(idx []int, u, v []float64) (off, slope float64) {
	var su, sv, suu, suv float64
	n := float64(len(idx))
	for _, k := range idx {
		su += u[k]
		sv += v[k]
		suu += u[k] * u[k]
		suv += u[k] * v[k]
	}
	d := n*suu - su*su
	if math.Abs(d) < 1e-9 {
		return sv / n, 0
	}
	slope = (n*suv - su*sv) / d
	return (sv - slope*su) / n, slope
}

// fitLine fits the pitch grid of a chain of glyphs ordered along u: each
// glyph's cell index follows from its step to the previous one in median
// pitches, then the centres are fitted, by least squares, with a
// quadratic in the index.
func fitLine(cs []comp, idx []int, u, v []float64) (textLine, bool) {
	steps := make([]float64, 0, len(idx)-1)
	for k := 1; k < len(idx); k++ {
		steps = append(steps, u[idx[k]]-u[idx[k-1]])
	}
	slices.Sort(steps)
	p := steps[len(steps)/2]
	if p <= 0 {
		return textLine{}, false
	}
	cell := make([]float64, len(idx))
	for k := 1; k < len(idx); k++ {
		cell[k] = cell[k-1] + math.Max(1, math.Round((u[idx[k]]-u[idx[k-1]])/p))
	}
	var a [3][3]float64
	var bx, by [3]float64
	var vs float64
	for k, c := range idx {
		i := cell[k]
		b := [3]float64{1, i, i * i}
		x, y := cs[c].cx(), cs[c].cy()
		for r := range 3 {
			for q := range 3 {
				a[r][q] += b[r] * b[q]
			}
			bx[r] += b[r] * x
			by[r] += b[r] * y
		}
		vs += v[c]
	}
	cx, ok1 := solve3(a, bx)
	cy, ok2 := solve3(a, by)
	if !ok1 || !ok2 {
		return textLine{}, false
	}
	n := int(cell[len(cell)-1]) + 1
	return textLine{x0: cx[0], y0: cy[0], ux: cx[1], uy: cy[1], ax: cx[2], ay: cy[2], n: n, v: vs / float64(len(idx))}, true
}

// solve3 solves the 3×3 system a·x = b by Cramer's rule.
func solve3(a [3][3]float64, b [3]float64) ([3]float64, bool) {
	det := func(m [3][3]float64) float64 {
		return m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) -
			m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) +
			m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
	}
	d := det(a)
	if math.Abs(d) < 1e-9 {
		return [3]float64{}, false
	}
	var x [3]float64
	for c := range 3 {
		m := a
		for r := range 3 {
			m[r][c] = b[r]
		}
		x[c] = det(m) / d
	}
	return x, true
}

// mrzCandidate is a group of MRZ lines in reading order (before the
// reading direction is settled).
type mrzCandidate struct {
	lines []textLine
	// partial: some lines were projected from a whole one (groupMRZ).
	partial bool
}

// mrzShapes are the standard lines per zone and cells per line.
var mrzShapes = []struct{ lines, cells int }{{3, 30}, {2, 36}, {2, 44}}

// snapCells returns the standard MRZ line length that n cells may hold:
// one fewer (an end glyph lost) to two more (specks or print chained on
// at an end; the recogniser picks the zone's window), or 0.
func snapCells(n int) int {
	for _, c := range []int{30, 36, 44} {
		if n >= c-1 && n <= c+2 {
			return c
		}
	}
	return 0
}

// The lines of an MRZ are printed 1.6 to 2.4 pitches apart (ICAO 9303
// leaves the spacing to the issuer); a camera tilted about the lines'
// axis shortens it and one tilted about the other axis shortens the
// pitch, so the ratio seen spans more.
const (
	minLineGap = 1.1
	maxLineGap = 3.2
)

// groupMRZ finds groups of parallel lines shaped like an MRZ.
//
// With partial, a group may also hold lines of 50% to 150% of the
// format's cells (a line broken, or chained on to other print) beside at
// least one whole line: each is replaced by the whole line moved onto it
// (projected), so that the recogniser reads every cell of the format.
func groupMRZ(lines []textLine, partial bool) []mrzCandidate {
	slices.SortFunc(lines, func(a, b textLine) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		}
		return 0
	})
	var out []mrzCandidate
	for _, sh := range mrzShapes {
		for i := 0; i+sh.lines <= len(lines); i++ {
			group := []textLine{lines[i]}
			for j := i + 1; j < len(lines) && len(group) < sh.lines; j++ {
				a, b := group[len(group)-1], lines[j]
				p := a.pitch()
				dv := b.v - a.v
				if dv < minLineGap*p {
					continue
				}
				if dv > maxLineGap*p {
					break
				}
				if math.Abs(b.pitch()-p) > 0.12*p {
					continue
				}
				group = append(group, b)
			}
			if len(group) != sh.lines {
				continue
			}
			ok, anchor := true, -1
			for gi, l := range group {
				switch {
				case snapCells(l.n) == sh.cells:
					if anchor < 0 {
						anchor = gi
					}
				case !partial || l.n*2 < sh.cells || l.n*2 > sh.cells*3:
					ok = false
				}
			}
			if !ok || anchor < 0 {
				continue
			}
			for gi, l := range group {
				if snapCells(l.n) != sh.cells {
					group[gi] = projectLine(group[anchor], l)
				}
			}
			out = append(out, mrzCandidate{lines: group, partial: partial})
		}
	}
	return out
}

// projectLine returns the whole line a moved onto the partial line b of
// the same zone: a's cells, shifted so that b's middle cell lands on the
// cell of a's grid it is nearest to.
func projectLine(a, b textLine) textLine {
	ax0, ay0, ux, uy := a.centre(0)
	p := math.Hypot(ux, uy)
	if p == 0 {
		return b
	}
	bx0, by0, _, _ := b.centre(0)
	k := math.Round(((bx0-ax0)*ux + (by0-ay0)*uy) / (p * p))
	m := float64(b.n-1) / 2
	bx, by, _, _ := b.centre(m)
	ax, ay, _, _ := a.centre(m + k)
	ox, oy := bx-ax, by-ay
	return textLine{x0: a.x0 + ox, y0: a.y0 + oy, ux: a.ux, uy: a.uy, ax: a.ax, ay: a.ay, n: a.n, v: b.v}
}

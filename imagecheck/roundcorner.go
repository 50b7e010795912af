package imagecheck

import (
	"math"
	"slices"
)

// A card's corners are rounded (ID-1: a radius of 3.18 mm, 0.059 of its
// short side); a sheet of paper's, a tile's or a tray's are square.
// cornerRounding measures how far in from the point where its two sides
// meet a corner's outline lies, on the working planes: each side's edge
// is first found again across it at 0.3 and 0.5 of the shorter side's
// length from the corner (the small image's lines are a working pixel or
// more off), the corner point taken where those two local edges meet,
// and the outline's crossing read along three rays from there into the
// corner (roundRays). A square corner's crossing lies within the blur of
// the point (about 0.8 σ); a rounded one's 0.41 of its radius in.
const (
	roundReach  = 0.2  // of the shorter side: how far in along each ray the crossing is looked for
	roundMinCon = 24   // the least difference between the card's and the ground's colour (Y + Cb + Cr)
	roundSides  = 0.25 // the most the two sides' grounds may differ, of that difference
)

// roundRays are the rays from the corner point along which the outline's
// crossing is read, as shares of the way from one side's direction to
// the other's (the bisector and either side of it, about 10° off at a
// right angle): the least of the three is the corner's rounding. A
// rounded corner's arc crosses each 0.41–0.42 of its radius in, a
// blurred square corner's outline about 0.8 σ in; a patch of another
// colour beyond the corner (a tile's joint, a shadow) moves one ray's
// crossing, not all three.
var roundRays = [3]float64{0.4, 0.5, 0.6}

// cornerRounding returns how many working pixels in from the meeting
// point of its sides the outline of the corner at c crosses the rays
// into it (the least of roundRays; the sides run from c to a and to b,
// working pixels; wide is how far, in working pixels, each side's edge
// is looked for on either side of its line), and false when the corner
// cannot be judged: too little contrast between the card and the ground,
// the ground beyond the two sides unalike, an edge or a crossing not
// found, a sample off the photo.
func cornerRounding(p *planes, c, a, b [2]float64, wide float64) (float64, bool) {
	la, lb := dist(c, a), dist(c, b)
	if la == 0 || lb == 0 {
		return 0, false
	}
	l := math.Min(la, lb)
	u := [2]float64{(a[0] - c[0]) / la, (a[1] - c[1]) / la}
	v := [2]float64{(b[0] - c[0]) / lb, (b[1] - c[1]) / lb}
	at := func(x, y float64) ([3]float64, bool) {
		xi, yi := int(math.Round(x)), int(math.Round(y))
		if xi < 0 || yi < 0 || xi >= p.w || yi >= p.h {
			return [3]float64{}, false
		}
		ci := min(yi/2, p.ch-1)*p.cs + min(xi/2, p.cw-1)
		return [3]float64{float64(p.y[yi*p.ys+xi]), float64(p.cb[ci]), float64(p.cr[ci])}, true
	}
	// The two sides' profiles across them, outside to inside.
	type prof struct {
		base, n [2]float64
		vals    [][3]float64
	}
	var profs [4]prof
	var in, out [3]float64
	var sideOut [2][3]float64 // the ground beyond each side
	steps := int(math.Ceil(wide))
	for k, dirs := range [2][2][2]float64{{u, v}, {v, u}} {
		d, o := dirs[0], dirs[1]
		// The normal to the side, pointing inside (towards the other side).
		dot := o[0]*d[0] + o[1]*d[1]
		n := [2]float64{o[0] - dot*d[0], o[1] - dot*d[1]}
		nl := math.Hypot(n[0], n[1])
		if nl < 0.3 {
			return 0, false
		}
		n = [2]float64{n[0] / nl, n[1] / nl}
		for m, f := range [2]float64{0.3, 0.5} {
			pr := prof{base: [2]float64{c[0] + f*l*d[0], c[1] + f*l*d[1]}, n: n}
			for j := -steps; j <= steps; j++ {
				s, ok := at(pr.base[0]+float64(j)*n[0], pr.base[1]+float64(j)*n[1])
				if !ok {
					return 0, false
				}
				pr.vals = append(pr.vals, s)
			}
			lo, hi := ends(pr.vals)
			for ch := 0; ch < 3; ch++ {
				out[ch] += lo[ch]
				in[ch] += hi[ch]
				sideOut[k][ch] += lo[ch] / 2
			}
			profs[2*k+m] = pr
		}
	}
	con := 0.0
	for ch := 0; ch < 3; ch++ {
		in[ch], out[ch] = in[ch]/4, out[ch]/4
		con += math.Abs(in[ch] - out[ch])
	}
	if con < roundMinCon {
		return 0, false
	}
	// The ground beyond both sides alike: a shading or a tile's joint
	// across the corner leaves the ground at the corner unlike either
	// side's. (The card inside may differ: a header band along one side.)
	dOut := 0.0
	for ch := 0; ch < 3; ch++ {
		dOut += math.Abs(sideOut[0][ch] - sideOut[1][ch])
	}
	if dOut > roundSides*con {
		return 0, false
	}
	// crossing returns where (in steps from the first sample) the values
	// first reach half way from the ground to the card (projected on the
	// line between their colours), both taken from the profile's own ends
	// when local, else as out and in.
	crossing := func(vals [][3]float64, local bool) (float64, bool) {
		lo, hi := out, in
		if local {
			lo, hi = ends(vals)
		}
		var dv [3]float64
		dd := 0.0
		for ch := range dv {
			dv[ch] = hi[ch] - lo[ch]
			dd += dv[ch] * dv[ch]
		}
		if dd < roundMinCon*roundMinCon/3 {
			return 0, false
		}
		proj := func(s [3]float64) float64 {
			return ((s[0]-lo[0])*dv[0] + (s[1]-lo[1])*dv[1] + (s[2]-lo[2])*dv[2]) / dd
		}
		prev := proj(vals[0])
		for j := 1; j < len(vals); j++ {
			cur := proj(vals[j])
			if cur >= 0.5 {
				if cur == prev {
					return float64(j), true
				}
				return float64(j-1) + (0.5-prev)/(cur-prev), true
			}
			prev = cur
		}
		return 0, false
	}
	// The sides' edges found again: two points each.
	var pts [4][2]float64
	for k, pr := range profs {
		x, ok := crossing(pr.vals, true)
		if !ok {
			return 0, false
		}
		off := x - float64(steps)
		pts[k] = [2]float64{pr.base[0] + off*pr.n[0], pr.base[1] + off*pr.n[1]}
	}
	cc, ok := meet(pts[0], pts[1], pts[2], pts[3])
	if !ok || dist(cc, c) > 2*wide {
		return 0, false
	}
	du := [2]float64{pts[1][0] - pts[0][0], pts[1][1] - pts[0][1]}
	dw := [2]float64{pts[3][0] - pts[2][0], pts[3][1] - pts[2][1]}
	nu, nw := math.Hypot(du[0], du[1]), math.Hypot(dw[0], dw[1])
	if nu == 0 || nw == 0 {
		return 0, false
	}
	du, dw = [2]float64{du[0] / nu, du[1] / nu}, [2]float64{dw[0] / nw, dw[1] / nw}
	least := math.Inf(1)
	for _, f := range roundRays {
		ray := [2]float64{(1-f)*du[0] + f*dw[0], (1-f)*du[1] + f*dw[1]}
		rl := math.Hypot(ray[0], ray[1])
		if rl < 0.3 {
			return 0, false
		}
		ray = [2]float64{ray[0] / rl, ray[1] / rl}
		var vals [][3]float64
		for t := -steps; float64(t) <= roundReach*l; t++ {
			s, ok := at(cc[0]+float64(t)*ray[0], cc[1]+float64(t)*ray[1])
			if !ok {
				return 0, false
			}
			vals = append(vals, s)
		}
		x, ok := crossing(vals, false)
		if !ok {
			return 0, false
		}
		least = math.Min(least, x-float64(steps))
	}
	return least, true
}

// ends returns the ground's and the card's colour across a side from its
// profile's samples (outside to inside): the medians, channel by channel,
// of the profile's outer and inner quarter, so that a speck beyond the
// edge or a thin print line inside it does not set either.
func ends(vals [][3]float64) (lo, hi [3]float64) {
	q := len(vals) / 4
	var buf []float64
	for ch := 0; ch < 3; ch++ {
		buf = buf[:0]
		for _, s := range vals[:q+1] {
			buf = append(buf, s[ch])
		}
		slices.Sort(buf)
		lo[ch] = buf[len(buf)/2]
		buf = buf[:0]
		for _, s := range vals[len(vals)-q-1:] {
			buf = append(buf, s[ch])
		}
		slices.Sort(buf)
		hi[ch] = buf[len(buf)/2]
	}
	return lo, hi
}

// meet returns where the line through a0, a1 meets the line through b0,
// b1, and false when they are (nearly) parallel.
func meet(a0, a1, b0, b1 [2]float64) ([2]float64, bool) {
	d1 := [2]float64{a1[0] - a0[0], a1[1] - a0[1]}
	d2 := [2]float64{b1[0] - b0[0], b1[1] - b0[1]}
	den := d1[0]*d2[1] - d1[1]*d2[0]
	if math.Abs(den) < 1e-9*math.Hypot(d1[0], d1[1])*math.Hypot(d2[0], d2[1]) || den == 0 {
		return [2]float64{}, false
	}
	t := ((b0[0]-a0[0])*d2[1] - (b0[1]-a0[1])*d2[0]) / den
	return [2]float64{a0[0] + t*d1[0], a0[1] + t*d1[1]}, true
}

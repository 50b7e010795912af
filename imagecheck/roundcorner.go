package imagecheck

import "math"

// A card's corners are rounded (ID-1: a radius of 3.18 mm, 0.059 of its
// short side); a sheet of paper's, a tile's or a tray's are square. When
// a card runs out of the frame past a corner of the photo, the one corner
// of it the photo shows is rounded; when a whole card lies on a sheet
// that runs out of the frame so, the corner the photo shows is the
// sheet's, square (held-out seeds 241 and 243: the sheet taken for the
// card). cornerRounding measures how far the corner's outline lies inside
// the point where its two sides meet, along the bisector, on the working
// planes: each side's edge is first found again across it at 0.3 and 0.5
// of the shorter side's length from the corner (the small image's lines
// are a working pixel or more off), the corner point taken where those
// two local edges meet, and the outline's crossing of the bisector read
// from there. A square corner's crossing lies within the blur of it
// (0.8 σ); a rounded one's 0.41 of its radius in.
const (
	roundReach  = 0.2 // of the shorter side: how far in along the bisector the crossing is looked for
	roundMinCon = 24  // the least difference between the card's and the ground's colour (Y + Cb + Cr)
)

// cornerRounding returns how many working pixels in from the meeting point
// of its sides the outline of the corner at c crosses the bisector (the
// sides run from c to a and to b, working pixels; wide is how far, in
// working pixels, each side's edge is looked for on either side of its
// line), and false when the corner cannot be judged (too little contrast,
// an edge not found, a sample off the photo).
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
			for ch := 0; ch < 3; ch++ {
				out[ch] += pr.vals[0][ch] + pr.vals[1][ch]
				in[ch] += pr.vals[len(pr.vals)-1][ch] + pr.vals[len(pr.vals)-2][ch]
			}
			profs[2*k+m] = pr
		}
	}
	con := 0.0
	for ch := 0; ch < 3; ch++ {
		in[ch], out[ch] = in[ch]/8, out[ch]/8
		con += math.Abs(in[ch] - out[ch])
	}
	if con < roundMinCon {
		return 0, false
	}
	// crossing returns where (in steps from the first sample) the values
	// first reach half way from the ground to the card, both taken as
	// the two samples at its ends when local, else as in and out.
	crossing := func(vals [][3]float64, local bool) (float64, bool) {
		lo, hi := out, in
		if local {
			m := len(vals)
			for ch := 0; ch < 3; ch++ {
				lo[ch] = (vals[0][ch] + vals[1][ch]) / 2
				hi[ch] = (vals[m-1][ch] + vals[m-2][ch]) / 2
			}
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
	bis := [2]float64{du[0]/nu + dw[0]/nw, du[1]/nu + dw[1]/nw}
	bl := math.Hypot(bis[0], bis[1])
	if bl < 0.3 {
		return 0, false
	}
	bis = [2]float64{bis[0] / bl, bis[1] / bl}
	var vals [][3]float64
	for t := -steps; float64(t) <= roundReach*l; t++ {
		s, ok := at(cc[0]+float64(t)*bis[0], cc[1]+float64(t)*bis[1])
		if !ok {
			return 0, false
		}
		vals = append(vals, s)
	}
	x, ok := crossing(vals, false)
	if !ok {
		return 0, false
	}
	return x - float64(steps), true
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

package imagecheck

import "math"

// The ranker (bestQuad) can lock onto a rectangle inside the document: a
// panel around the text fields, a printed frame, a header band. Such a
// rectangle is complete, sharp and of a document's shape, and when the
// card itself runs out of the frame the inner rectangle is the only
// complete one in the photo. outerQuad therefore looks, once the best
// quadrilateral is known, for the outermost consistent quadrilateral that
// encloses it: each side either kept or moved out to a roughly parallel
// line further out, or to the edge of the photo (the card runs out of the
// frame there). An enclosing quadrilateral is consistent when its new
// sides are well backed step edges that end at its corners, with a
// steady background/card contrast across them, when it has a
// document's shape (or, cut off by the frame, could be part of one), and
// when no more lines cross its new sides than cross the inner one's: a
// document hides what lies under it, so the lines of the background end
// at its edge, while the joints of a floor of tiles run on across the
// outline two of its joints and the photo's edges make around a card
// lying near a corner of the photo (development seed 374's clean 00340).

// Limits on an enclosing outline.
const (
	outerAngle     = 6    // degrees between a side and its replacement
	outerMinGap    = 3    // small pixels a side must move out by
	outerMaxSide   = 5    // replacement lines considered per side (nearest first)
	outerMinSup    = 0.6  // support of a new side
	outerMaxExt    = 0.25 // support running on past a new side's corners
	outerMinCon    = 0.3  // weakest contrast across a side (conCap scale)
	outerMaxFlips  = 0.3  // share of contrast sign flips along the sides
	outerMinInner  = 0.25 // the inner quadrilateral's share of the outer's area
	outerFrameNear = 0.35 // a frame edge can stand in for a side this close (short sides)
	outerMinRun    = 4    // small pixels of a kept side's run beyond the inner corners judged by share
	// The most of the band between the inner outline and an enclosing one
	// that may have the table's colour (bandBackground): at most 0.16 on
	// the 36 right enclosing outlines of development seeds 450-454,
	// 0.36-1.00 on five wrong ones with the table inside (a sheet's corner
	// short of the photo's corner, a screen's surroundings, a strip of
	// the table beyond a card's edge).
	outerMaxBackground = 0.3
	// The most of the strip between a side of the inner outline and the
	// photo's edge, where an enclosing outline puts a side on the frame,
	// that may have the table's colour (frameStripBackground), and the
	// fewest samples judged: a card running out of the frame shows its
	// own ground there (at most 0.37 on the 31 cut-offs of development
	// seeds 537-554 and 567-568 whose enclosing outline has a frame side),
	// a card lying whole on a sheet near the photo's edge the table
	// (0.82 on seed 567's clean 00130).
	outerMaxStrip = 0.6
	outerStripMin = 16
)

// outerQuad returns the outermost consistent quadrilateral enclosing q
// (see above), or q itself when there is none.
func outerQuad(q quad, lines []*line, e edgeMap, w, h int, p *planes, sf int) quad {
	cands := outerCandidates(q, lines, w, h)
	best, bestArea := q, polyArea(q.c)
	innerArea := bestArea
	innerCross := -1 // the lines crossing q's sides (crossings), once needed
	short := shortest(q.c)
	var pick [4]int
	var try func(i int)
	try = func(i int) {
		if i < 4 {
			for k := range cands[i] {
				pick[i] = k
				try(i + 1)
			}
			return
		}
		var ls [4]*line
		changed := false
		for s := 0; s < 4; s++ {
			ls[s] = cands[s][pick[s]]
			changed = changed || pick[s] > 0
		}
		if !changed || (ls[0].frame && ls[2].frame) || (ls[1].frame && ls[3].frame) {
			return
		}
		hy, ok := makeHypothesis(ls[0], ls[1], ls[2], ls[3], w, h)
		if !ok {
			return
		}
		far, corner := false, false
		for s := 0; s < 4; s++ {
			if !ls[s].far {
				continue
			}
			switch {
			case farFrameHolds(&hy.q, s, q, short):
				far = true
			case cornerFrameHolds(&hy.q, s, short, p, sf):
				corner = true
			default:
				return
			}
		}
		area := polyArea(hy.q.c)
		visible := clippedArea(hy.q.c, float64(w), float64(h))
		if area <= bestArea || !encloses(hy.q.c, q.c) {
			return
		}
		if innerArea < outerMinInner*visible && !corner && !(far && cardCorners(&hy.q, q, p, sf, w, h)) {
			return // a small box inside far lines, unless the card's own corners hold (see cardCorners)
		}
		if far && innerArea >= wholeMinArea*visible && !cardCorners(&hy.q, q, p, sf, w, h) && !stripIsCard(q, hy.q, &e, w, h) {
			return // a card lying on a sheet that runs out of the frame (see farFrameHolds, stripIsCard)
		}
		if hardlyOut(q, hy.q, w, h) {
			return
		}
		if !outerConsistent(&hy, q, lines, e) {
			return
		}
		if innerCross < 0 {
			innerCross = 0
			for s, l := range q.side {
				if !l.frame {
					innerCross += crossings(&q, s, lines)
				}
			}
		}
		if newCrossings(&hy.q, q, lines) > innerCross {
			return // the background's lines run on across its new sides
		}
		if share, n := bandBackground(q, hy.q, &e, w, h); n > 0 && share >= outerMaxBackground {
			return // the background shows between the two outlines
		}
		if share, n := frameStripBackground(q, hy.q, &e, w, h); n >= outerStripMin && share >= outerMaxStrip {
			return // the table lies between the inner outline and the photo's edge
		}
		best, bestArea = hy.q, area
	}
	try(0)
	return best
}

// outerCandidates lists, for each side of q, the lines it may move out
// to: the side itself first, then roughly parallel lines further out
// (nearest first), then the edge of the photo beyond it.
func outerCandidates(q quad, lines []*line, w, h int) [4][]*line {
	cx, cy := centroid(q.c)
	short := shortest(q.c)
	fw, fh := float64(w), float64(h)
	frames := [4]*line{
		{theta: 0, nx: 1, frame: true}, {theta: 0, rho: fw - 1, nx: 1, frame: true},
		{theta: 90, ny: 1, frame: true}, {theta: 90, rho: fh - 1, ny: 1, frame: true},
	}
	var out [4][]*line
	for i := 0; i < 4; i++ {
		s := q.side[i]
		out[i] = []*line{s}
		a, b := q.c[i], q.c[(i+1)%4]
		mx, my := (a[0]+b[0])/2, (a[1]+b[1])/2
		nx, ny := q.outwardNormal(i, cx, cy)
		cs := linesBeyond(q, i, lines, cx, cy, 0.6*short)
		for n := 0; n < len(cs); n++ { // nearest first (few lines: insertion sort)
			for m := n; m > 0 && cs[m].d < cs[m-1].d; m-- {
				cs[m], cs[m-1] = cs[m-1], cs[m]
			}
		}
		for n := 0; n < len(cs) && n < outerMaxSide; n++ {
			out[i] = append(out[i], cs[n].l)
		}
		// The photo's edge beyond the side, when the side is near it and
		// roughly parallel to it.
		for _, f := range frames {
			if angleDiff(f.theta, s.theta) > 20 {
				continue
			}
			den := nx*f.nx + ny*f.ny
			if math.Abs(den) < 0.5 {
				continue
			}
			d := (f.rho - (mx*f.nx + my*f.ny)) / den
			if d > 0 && d < outerFrameNear*short {
				out[i] = append(out[i], f)
			} else if d > 0 {
				// Further out: only where the card's own edges run on
				// to it (farFrameHolds).
				ff := *f
				ff.far = true
				out[i] = append(out[i], &ff)
			}
		}
	}
	return out
}

// lineBeyond is a line beyond a side of an outline and how far out it
// lies.
type lineBeyond struct {
	l *line
	d float64
}

// linesBeyond lists, in the order of lines, those roughly parallel to
// q's side i (within outerAngle, not the photo's edge) that lie beyond
// it by outerMinGap to maxGap small pixels, measured from the side's
// midpoint outwards along its normal (cx, cy: q's centre).
func linesBeyond(q quad, i int, lines []*line, cx, cy, maxGap float64) []lineBeyond {
	s := q.side[i]
	a, b := q.c[i], q.c[(i+1)%4]
	mx, my := (a[0]+b[0])/2, (a[1]+b[1])/2
	nx, ny := q.outwardNormal(i, cx, cy)
	var cs []lineBeyond
	for _, l := range lines {
		if l == s || l.frame || angleDiff(l.theta, s.theta) > outerAngle {
			continue
		}
		den := nx*l.nx + ny*l.ny
		if math.Abs(den) < 0.5 {
			continue
		}
		d := (l.rho - (mx*l.nx + my*l.ny)) / den
		if d < outerMinGap || d > maxGap {
			continue
		}
		cs = append(cs, lineBeyond{l, d})
	}
	return cs
}

// outerConsistent reports whether an enclosing hypothesis looks like the
// document's own edge: every side that is not the frame well backed over
// its whole length (a side kept from the inner quadrilateral too: when the
// side opposite it moves out to the frame, the card's edge must run on to
// the frame) and ending at its new corners, its sides showing a steady
// contrast. A corner where two kept sides meet is the inner
// quadrilateral's own: what runs on past it was weighed when that one was
// ranked (wood grain or a table's edge in line with a card's side), and
// it is not judged again.
func outerConsistent(hy *hypothesis, inner quad, lines []*line, e edgeMap) bool {
	q := &hy.q
	kept := func(l *line) bool {
		return l == inner.side[0] || l == inner.side[1] || l == inner.side[2] || l == inner.side[3]
	}
	for i := 0; i < 4; i++ {
		l := q.side[i]
		if l.frame {
			continue
		}
		a, b := q.c[i], q.c[(i+1)%4]
		t1, t2 := l.param(a[0], a[1]), l.param(b[0], b[1])
		sup, in := l.count(t1, t2)
		if in == 0 || float64(sup) < outerMinSup*float64(in) {
			return false
		}
		length := dist(a, b)
		ext := 0.2 * length
		lo, hi := math.Min(t1, t2), math.Max(t1, t2)
		// Whether the corners at lo and hi are new.
		newLo, newHi := !(kept(l) && kept(q.side[(i+3)%4])), !(kept(l) && kept(q.side[(i+1)%4]))
		if t2 < t1 {
			newLo, newHi = newHi, newLo
		}
		// A side kept from the inner quadrilateral must be backed where it
		// now runs on beyond the inner corners (most of its support can
		// lie between them).
		for j := 0; j < 4; j++ {
			if inner.side[j] != l {
				continue
			}
			u1, u2 := l.param(inner.c[j][0], inner.c[j][1]), l.param(inner.c[(j+1)%4][0], inner.c[(j+1)%4][1])
			if !backedBeyond(l, lo, hi, u1, u2) {
				return false
			}
		}
		for k, end := range [2][2]float64{{lo - ext, lo}, {hi, hi + ext}} {
			if (k == 0 && !newLo) || (k == 1 && !newHi) {
				continue
			}
			s, n := l.count(end[0], end[1])
			if n > 0 && float64(s) > outerMaxExt*ext {
				return false
			}
		}
	}
	costlyFeatures(hy, lines, e)
	return hy.f[fConMin] >= outerMinCon && hy.f[fPolMix] <= outerMaxFlips
}

// newCrossings counts the lines crossing the sides of outer that are
// neither the frame's nor one of inner's (crossings). A side kept from
// inner is left out: run on past inner's corners, its stretch near them
// (where a line meeting the document at its corner is not counted) moves
// into the middle of the longer side.
func newCrossings(outer *quad, inner quad, lines []*line) int {
	n := 0
	for i, l := range outer.side {
		if !l.frame && l != inner.side[0] && l != inner.side[1] && l != inner.side[2] && l != inner.side[3] {
			n += crossings(outer, i, lines)
		}
	}
	return n
}

// backedBeyond reports whether the line l, a side kept from the inner
// quadrilateral (its corners at u1, u2 along l) that now runs from lo to
// hi, is backed by step edges over outerMinSup of each run beyond the
// inner corners. A run shorter than outerMinRun (a card's side running
// out of the frame just past its colour band leaves a couple of samples
// by the photo's edge) needs one backed sample only: one sample in two is
// no share to judge by, but a run with none at all is no side of the card
// (a card lying near the photo's edge ends at its corner).
func backedBeyond(l *line, lo, hi, u1, u2 float64) bool {
	for _, seg := range [2][2]float64{{lo, math.Min(u1, u2)}, {math.Max(u1, u2), hi}} {
		if seg[1]-seg[0] < 2 {
			continue
		}
		s, n := l.count(seg[0], seg[1])
		if n == 0 {
			continue
		}
		if seg[1]-seg[0] < outerMinRun {
			if s == 0 {
				return false
			}
		} else if float64(s) < outerMinSup*float64(n) {
			return false
		}
	}
	return true
}

// encloses reports whether every corner of inner lies inside the convex
// quadrilateral outer (or on its border).
func encloses(outer, inner [4][2]float64) bool {
	sgn := 0.0
	for i := 0; i < 4; i++ {
		a, b := outer[i], outer[(i+1)%4]
		for _, p := range inner {
			// Signed distance of p from the side (a corner lying on a
			// kept side is on the border).
			c := ((b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])) / dist(a, b)
			if math.Abs(c) < 0.5 {
				continue
			}
			if sgn == 0 {
				sgn = math.Copysign(1, c)
			} else if c*sgn < 0 {
				return false
			}
		}
	}
	return true
}

// An enclosing outline whose sides are all lines found in the photo can
// take a corner of a whole outline found just inside the photo's edge a
// pixel or two beyond it (a card's drop shadow, a sheet's edge a few
// pixels out): the card would be called cut off by the width of its
// shadow. A card running out of the frame runs out by more than
// crossFrame, or shows a side on the photo's edge.

// hardlyOut reports whether outer, around inner (whole in the w×h
// frame), runs out of the frame only by corners within crossFrame of the
// photo's edge, none of its sides the frame's (see above).
func hardlyOut(inner, outer quad, w, h int) bool {
	if runsOut(inner, w, h) || !runsOut(outer, w, h) {
		return false
	}
	fw, fh := float64(w-1), float64(h-1)
	for i, c := range outer.c {
		if outer.side[i].frame || c[0] < -crossFrame || c[1] < -crossFrame || c[0] > fw+crossFrame || c[1] > fh+crossFrame {
			return false
		}
	}
	return true
}

// A portrait or a panel printed on a card can be the outline ranked first
// while the card runs out of the frame on the far side of it, further
// than outerFrameNear: the card's edges around it are lines, but the
// photo's edge beyond the outline is too far off to stand in for a side.
// It may, further out, only where both sides meeting it are the card's
// edges (lines, not the frame) and run on, backed, to the photo's edge:
// over outerMinSup of their last outerFrameNear short sides (of the inner
// outline) before it. A card lying whole leaves its edges ending at its
// own corners, short of the photo's edge. A side kept from the inner
// outline counts as the card's edge when it runs on so: a portrait box
// or a panel printed flush with the card's edge shares that edge, and
// the edge runs on past the box to the photo's edge (development seed
// 605's clear 00099, a portrait box at a card's end cut off by a corner
// of the frame), while a card lying whole ends its sides at its corners.
// And the inner outline must cover less than wholeMinArea of what the
// photo shows of the enclosing one: a card lying on a sheet
// that runs out of the frame covers more of it (0.3–0.6, as wholeInside
// takes it), a portrait printed on a card less (0.27 on development seed
// 539's 00248).

// farFrameHolds reports whether side s of the enclosing outline o, the
// photo's edge further than outerFrameNear beyond the inner outline
// inner (its shortest side short), may stand in for the card's side (see
// above).
func farFrameHolds(o *quad, s int, inner quad, short float64) bool {
	for _, k := range [2]int{(s + 3) % 4, (s + 1) % 4} {
		if o.side[k].frame || !backedToFrame(o, s, k, short) {
			return false
		}
	}
	return true
}

// backedToFrame reports whether side k of o, a neighbour of side s on
// the photo's edge, is backed over outerMinSup of its last
// outerFrameNear short sides (at most its length) before its corner on
// side s: the card's edge running on to the frame.
func backedToFrame(o *quad, s, k int, short float64) bool {
	l := o.side[k]
	// The corner of side k on the photo's edge, and its other one.
	at, from := o.c[s], o.c[(s+3)%4]
	if k == (s+1)%4 {
		at, from = o.c[(s+1)%4], o.c[(s+2)%4]
	}
	n := dist(at, from)
	run := math.Min(outerFrameNear*short, n)
	p := [2]float64{at[0] + (from[0]-at[0])*run/n, at[1] + (from[1]-at[1])*run/n}
	sup, in := l.count(l.param(p[0], p[1]), l.param(at[0], at[1]))
	return in > 0 && float64(sup) >= outerMinSup*float64(in)
}

// A card cut off by a corner of the frame (two of its corners beyond it)
// leaves two of its sides on the photo's edges, and the outline ranked
// first can be a box printed on it (a portrait box near one of those
// edges, the other far off): beyond the box, one side moves out to the
// near photo's edge, the side meeting it at the photo's corner to the
// far one, past outerFrameNear, which farFrameHolds refuses (both its
// neighbours must be lines). The far edge may stand in for the card's
// side there when its other neighbour, a line, is backed over its last
// outerFrameNear short sides before the photo's edge (the card's edge
// runs on to the frame), and the one corner of the enclosing outline in
// the photo, where that line meets the side opposite the far edge, is
// rounded as a card's (cornerRounding: the corner's outline crosses the
// rays from the sides' meeting point at least roundMin working pixels
// in, and roundRel of the shorter of the two sides as the photo shows
// them). An ID-1 card's corner is rounded to 0.059 of its short side, so
// its outline crosses them 0.024 of the short side in, and the sides the
// photo shows are no longer than the card's: roundRel is half of that.
// On development seed 633's 150 clean photos, the outline's own corners
// judged (the ground beyond both sides alike): 233 of 241 rounded card
// corners pass (the 8 others not traced), none of 62 square passport corners (at most 3.6 working pixels in, for
// 4.6 needed). A whole card lying on a sheet that runs out of the frame
// past the photo's corner shows the sheet's square corner there: the
// reverted rule without this test (branch cutsmall) took such a sheet
// for the card on held-out seed 241. The box may cover any share of what
// shows of the card: outerMinInner does not apply.
const (
	roundMin = 2.5   // working pixels
	roundRel = 0.012 // of the shorter side shown
)

// cornerFrameHolds reports whether side s of the enclosing outline o, the
// photo's edge further than outerFrameNear beyond the inner outline (its
// shortest side short), may stand in for the card's side as one of two
// photo's edges meeting at the photo's corner (see above); p and sf are
// the working planes and the small image's factor (p nil: never).
func cornerFrameHolds(o *quad, s int, short float64, p *planes, sf int) bool {
	if p == nil {
		return false
	}
	a, b := o.side[(s+3)%4], o.side[(s+1)%4]
	k := (s + 3) % 4 // the line's side
	switch {
	case a.frame && !a.far && !b.frame:
		k = (s + 1) % 4
	case b.frame && !b.far && !a.frame:
	default:
		return false
	}
	if o.side[(s+2)%4].frame {
		return false
	}
	j := (s + 3) % 4 // the corner in the photo
	if k == (s+1)%4 {
		j = (s + 2) % 4
	}
	if !backedToFrame(o, s, k, short) {
		return false
	}
	return roundedAt(o, j, p, sf)
}

// roundedAt reports whether corner j of o (small pixels; p and sf the
// working planes and the small image's factor) is rounded as a card's
// (see cornerFrameHolds).
func roundedAt(o *quad, j int, p *planes, sf int) bool {
	f := float64(sf)
	c, ca, cb := o.c[j], o.c[(j+3)%4], o.c[(j+1)%4]
	sc := func(c [2]float64) [2]float64 { return [2]float64{c[0] * f, c[1] * f} }
	r, ok := cornerRounding(p, sc(c), sc(ca), sc(cb), 3*f+3)
	return ok && r >= math.Max(roundMin, roundRel*f*math.Min(dist(c, ca), dist(c, cb)))
}

// A portrait box printed on a card running out of the frame on the far
// side of it covers less than outerMinInner of what the photo shows of
// the card (0.16 on development devall seed 766's clear 00186: three of
// the card's sides around the box, backed on to the photo's edge, and
// the photo's edge beyond the box's fourth side), and the box was kept.
// outerMinInner keeps a small box from being enclosed by
// unrelated lines further out; what sets the card apart is the evidence
// cornerFrameHolds asks for: the enclosing outline's corners in the
// photo, where its sides meet, rounded as a card's (cardCorners), and its
// sides running on, backed, to the photo's edge (farFrameHolds). A whole
// card lying on a sheet that runs out of the frame shows the sheet's
// square corners; a card lying whole ends its sides at its corners.

// farFrameHolds' area bound keeps a card lying on a sheet that runs out
// of the frame from being taken for a box printed on a card. A sheet's
// corners are square, a card's rounded (roundedAt): when every corner of
// the enclosing outline that the photo shows, where two lines meet, is
// rounded as a card's, the enclosing outline is a card whatever share of
// it the inner one covers (a portrait box printed at a card's end,
// development seed 635's 00098: 0.3 or more of what shows of the card).

// A corner of the enclosing outline between two sides kept from the
// inner one is the inner outline's own corner: rounded, it says the inner
// outline is itself the card, lying whole on a sheet whose edges run on
// in line with its sides to the photo's edge (development seed 695's
// clean 00009, a card on ruled paper: its bottom side moved out to the
// photo's edge, its two top corners the only ones judged). Only a corner
// with a new side is evidence of a card around the inner outline.

// cardCorners reports whether o (small pixels, in a w×h frame) has a
// corner in the photo between two lines, not both sides of inner, and
// every such corner is rounded as a card's (p nil: false).
func cardCorners(o *quad, inner quad, p *planes, sf, w, h int) bool {
	if p == nil {
		return false
	}
	kept := func(l *line) bool {
		return l == inner.side[0] || l == inner.side[1] || l == inner.side[2] || l == inner.side[3]
	}
	n := 0
	for j := 0; j < 4; j++ {
		if o.side[j].frame || o.side[(j+3)%4].frame || outsideFrame(o.c[j][0], o.c[j][1], w, h) {
			continue
		}
		if kept(o.side[j]) && kept(o.side[(j+3)%4]) {
			continue
		}
		if !roundedAt(o, j, p, sf) {
			return false
		}
		n++
	}
	return n > 0
}

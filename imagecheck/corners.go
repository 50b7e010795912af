package imagecheck

import (
	"math"
	"slices"
)

// A corner is cut off when it lies outside the frame, or covered when the
// document's sides stop short of it and what lies there is neither the
// document nor the background (a finger). A side can also fade out near a
// corner where the document meets a background of its own colour (a white
// card on a white desk): there the surroundings of the corner look like
// the document inside and like the background outside, and the missing
// edge is not held against the corner.

// coverFull is the colour difference (cornerContrast) at which a corner's
// missing edge counts in full.
const coverFull = 20

// cornerScores scores each corner of q (small-image quad; sf working
// pixels per small pixel) 0..1: 0 outside the frame, else one minus how
// far its two sides run unsupported from it together (cornerGaps, in
// short sides: a finger hides the start of both), that length weighted by
// how unlike both the document and the background the corner's
// surroundings are (cornerContrast), and only when something's outline
// crosses a side where its support resumes (coverCrosses). Where the
// surroundings are unlike both in full (coverFull), a side's gap runs on
// past support that lies under the cover itself (coverGaps).
func cornerScores(q quad, sw, sh int, sf int, p *planes, e *edgeMap) [4]float64 {
	gaps, under := cornerGaps(q), coverGaps(q)
	wq := scaleQuad(q.c, float64(sf))
	in, out, across, flat, hidden := cornerContrast(p, wq)
	var s [4]float64
	for i := range s {
		if outsideFrame(q.c[i][0], q.c[i][1], sw, sh) {
			continue
		}
		cover := cornerCover(in[i], out[i], flat[i], hidden[i])
		if cover >= coverFull {
			for k := 0; k < 2; k++ {
				if under[i][k] > gaps[i][k] && gapCovered(p, wq, i, k, gaps[i][k], under[i][k]) {
					gaps[i][k] = under[i][k]
				}
			}
		}
		if alongFrame(q, i, gaps[i], sw, sh) {
			// The side missing at the corner is the photo's edge: the
			// card runs out of the frame there.
			cover = coverFull
		} else if !coverCrosses(q, i, gaps[i], e) && !coveredBoth(gaps[i], cover, in[i], out[i], across[i], func() float64 { return groundContrast(p, wq, i) }) {
			// Nothing crosses the sides where their support resumes:
			// the edge fades out near the corner, nothing lies over it.
			cover = 0
		}
		s[i] = math.Max(0, 1-(gaps[i][0]+gaps[i][1])*math.Min(1, cover/coverFull))
		if coveredOutright(in[i], out[i], across[i]) {
			s[i] = 0
		}
	}
	return s
}

// A fingertip over a corner can itself back a few samples of a side
// right at the corner (its nail's edge, its outline meeting the side at a
// slant, where the side's line runs under it), so that the side's own
// support seems to start at the corner; the side is then unsupported
// under the rest of the finger and resumes only beyond it. A clean
// corner's side, once its rounding is past, runs on backed but for
// breaks of a few samples (a speckled background, the print). Where the
// stretch at the corner runs on past it, backed, it is a line of the
// background that the outline's side follows (wood grain), and the gap
// is not run on.
const (
	islandReach = 0.12 // short sides from the corner within which such a gap may start
	islandGap   = 0.08 // short sides: the least unsupported run that counts as the gap
)

// coverGaps is cornerGaps, each side's gap running on past a stretch of
// support near the corner when a long unsupported run follows it (see
// islandReach).
func coverGaps(q quad) [4][2]float64 {
	return sideGaps(q, func(l *line, t0, t1, short float64) float64 { return l.islandGap(t0, t1, short) })
}

// islandGap is gap (from t0 towards t1, in samples), run on past a stretch
// of support that lies within islandReach short sides of where the gap
// starts counting when an unsupported run of at least islandGap short
// sides follows it (short: the document's short side, in samples).
func (l *line) islandGap(t0, t1, short float64) float64 {
	g, at := l.resume(t0, t1)
	if l.frame || len(l.sup) == 0 {
		return g
	}
	step := 1.0
	if t1 < t0 {
		step = -1
	}
	// Support running on past the corner (wood grain, a table's edge)
	// makes the stretch at the corner a line of the background, not a
	// cover's outline.
	if sup, _ := l.count(t0-step, t0-step*gapWindow); 2*sup >= gapWindow {
		return g
	}
	// The first sample inside the frame, from which gaps are counted.
	start := at - step*g
	reach, run := islandReach*short, math.Max(2, math.Round(islandGap*short))
	n := len(l.sup) - 1
	zeros := 0.0
	for u := at; (u-start)*step <= reach+run && (t1-u)*step > 0; u += step {
		k := int(math.Round(u - l.t0))
		if k < 0 || k >= n {
			break
		}
		if l.sup[k+1] > l.sup[k] {
			zeros = 0
			continue
		}
		zeros++
		if zeros < run || (u-step*(zeros-1)-start)*step > reach {
			continue
		}
		// A long unsupported run beginning near the corner: the gap
		// lasts until the support resumes after it.
		g2, _ := l.resume(u, t1)
		return math.Abs(u-start) + g2
	}
	return g
}

// gapCovered reports whether, along side k of corner i of the document
// wq (working pixels; k as in cornerGaps), the strip just inside the side
// from from to to (short sides from the corner: where a gap that runs on
// past support near the corner lies, see coverGaps) is unlike the
// document's margin further along the side by coverFull: a fingertip lies
// there. Where a side merely fades out against a background of the
// document's own tone beyond a dark patch at its corner (wood grain), the
// strip is the margin.
func gapCovered(p *planes, wq [4][2]float64, i, k int, from, to float64) bool {
	const n0, n1 = 0.03, 0.10 // the strip's depth from the side, as cornerContrast's patches
	f := newCornerFrame(wq, i)
	r0 := math.Max(0.35, to+0.05)
	var strip, ref patchStats
	if k == 0 {
		strip, ref = f.patch(p, from, to, n0, n1), f.patch(p, r0, r0+0.1, n0, n1)
	} else {
		strip, ref = f.patch(p, n0, n1, from, to), f.patch(p, n0, n1, r0, r0+0.1)
	}
	return strip.n > 0 && ref.n > 0 && strip.diff(ref) >= coverFull
}

// coverSure is the colour difference (cornerContrast) which both the
// patch just inside a corner and the one just beyond it must reach for
// the corner to count as covered whatever its sides' support says. A
// fingertip can lie along a side, its own outline then backing the side
// up to the corner (no gap), yet what fills the corner on both sides of
// the outline is then neither the document nor the background, by far.
// Clean corners of development seed 178 reach at most 35.5 (250 photos),
// of seeds 550 and 553 22.2 (450 photos); it was 50 until fingertips were
// seen to cluster just under that (48.0, 49.0 on seeds 174–175; 49.9 on
// development seed 551's clear 00112, the finger's outline backing its
// sides to within 0.1 short sides of the corner).
//
// What lies over a corner is one thing on both sides of the card's edge:
// the patch just inside and the one just beyond are both the fingertip,
// unlike each other (a nail, the finger's shading) by less than at least
// one of them is unlike what should lie there. A clean corner can have
// print inside it, unlike the margin further along, and beyond it a tile
// unlike the floor further along (development seed 435's clean 00182, a
// passport page on tiles: 51 inside, 93 beyond), but then the print and
// the tile are two things, unlike each other by more than either contrast
// (119 there). The 29 fingertip corners caught this way on development
// seeds 435 and 445–447 differ across by 7–92, under the larger contrast
// every time.
const coverSure = 45

// coveredOutright reports whether a corner's surroundings (in, out and
// across as cornerContrast gives them) are so unlike the document's margin
// inside and the background outside that something lies over it: both
// contrasts reach coverSure, and the patches inside and beyond are unlike
// each other by less than the larger of them (one thing lies over the
// corner; see above).
// A corner whose outside patches leave the photo (out NaN) is not judged
// this way.
func coveredOutright(in, out, across float64) bool {
	if math.IsNaN(out) {
		return false
	}
	return math.Min(in, out) >= coverSure && across < math.Max(in, out)
}

// patchStats is the mean colour of a patch of the working planes, and
// how much its Y varies.
type patchStats struct {
	y, cb, cr float64
	sd        float64    // the standard deviation of Y
	med       [3]float64 // the median Y, Cb and Cr
	rough     float64    // the mean Y difference of neighbouring samples (the 6×6 grid's), NaN unless every sample lies in the photo
	n         int
}

func (a patchStats) diff(b patchStats) float64 {
	return math.Abs(a.y-b.y) + math.Abs(a.cb-b.cb) + math.Abs(a.cr-b.cr)
}

// medDiff is diff by the medians: what most of each patch shows (a band's
// colour, not its text).
func (a patchStats) medDiff(b patchStats) float64 {
	return math.Abs(a.med[0]-b.med[0]) + math.Abs(a.med[1]-b.med[1]) + math.Abs(a.med[2]-b.med[2])
}

// cornerFrame maps corner coordinates (s along the side leaving corner i,
// t along the side arriving at it, both in units of the document's short
// side, positive inside) to working pixels.
type cornerFrame struct {
	c, a, b [2]float64
}

func newCornerFrame(wq [4][2]float64, i int) cornerFrame {
	c := wq[i]
	next, prev := wq[(i+1)%4], wq[(i+3)%4]
	short := shortest(wq)
	la, lb := dist(c, next), dist(c, prev)
	return cornerFrame{
		c: c,
		a: [2]float64{(next[0] - c[0]) / la * short, (next[1] - c[1]) / la * short},
		b: [2]float64{(prev[0] - c[0]) / lb * short, (prev[1] - c[1]) / lb * short},
	}
}

func (f cornerFrame) at(s, t float64) (float64, float64) {
	return f.c[0] + s*f.a[0] + t*f.b[0], f.c[1] + s*f.a[1] + t*f.b[1]
}

// patch averages the planes over the corner-frame rectangle [s0, s1] ×
// [t0, t1], sampled on a 6×6 grid; n counts the samples inside the photo.
func (f cornerFrame) patch(p *planes, s0, s1, t0, t1 float64) patchStats {
	var st patchStats
	const k = 6
	var vs [3][k * k]float64
	for j := 0; j < k; j++ {
		for i := 0; i < k; i++ {
			s := s0 + (s1-s0)*(float64(i)+0.5)/k
			t := t0 + (t1-t0)*(float64(j)+0.5)/k
			x, y := f.at(s, t)
			xi, yi := int(x), int(y)
			if x < 0 || y < 0 || xi >= p.w || yi >= p.h {
				continue
			}
			v := float64(p.y[yi*p.ys+xi])
			st.y += v
			st.sd += v * v
			ci := min(yi/2, p.ch-1)*p.cs + min(xi/2, p.cw-1)
			st.cb += float64(p.cb[ci])
			st.cr += float64(p.cr[ci])
			vs[0][st.n], vs[1][st.n], vs[2][st.n] = v, float64(p.cb[ci]), float64(p.cr[ci])
			st.n++
		}
	}
	st.rough = math.NaN()
	if st.n == k*k {
		// Neighbours along the grid's rows and columns.
		sum := 0.0
		for j := 0; j < k; j++ {
			for i := 0; i+1 < k; i++ {
				sum += math.Abs(vs[0][j*k+i]-vs[0][j*k+i+1]) + math.Abs(vs[0][i*k+j]-vs[0][(i+1)*k+j])
			}
		}
		st.rough = sum / float64(2*k*(k-1))
	}
	if st.n > 0 {
		st.y /= float64(st.n)
		st.sd = math.Sqrt(math.Max(0, st.sd/float64(st.n)-st.y*st.y))
		st.cb /= float64(st.n)
		st.cr /= float64(st.n)
		for c := range vs {
			v := vs[c][:st.n]
			slices.Sort(v)
			st.med[c] = (v[(st.n-1)/2] + v[st.n/2]) / 2
		}
	}
	return st
}

// A fingertip of the table's own tones (a brown finger on wood) over a
// corner leaves the patch just beyond the corner like the table, so the
// smaller of the two contrasts does not see it. But the patch just inside
// the corner is then flat skin where the card's margin further along its
// sides is printed (guilloche, text, a frame line): the print is hidden.
// Where the patch inside is flat in that way (its Y deviation at most
// 1/flatRatio of both margin patches', these at least flatPrint) and
// unlike what most of both margin patches show by flatIn or more (by the
// patches' medians), the corner's weight is the inside contrast alone,
// as for a corner whose patches beyond leave the photo. A clean corner's
// patch can be flat too: blank margin, or a colour band printed along a
// side (development seed 553's clean 00209, a `portrait_right` band's
// corner, a tile joint crossing the side's gap). The band's own patch
// further along carries its text, which moves its mean (the classic
// card's green header: 47.6 from the corner's patch on seed 556's clean
// 00138) but not its median.
const (
	flatRatio = 4
	flatPrint = 10
	flatIn    = 2 * coverFull
)

// A fingertip over a corner on a textured ground (wood grain, a weave,
// granite's flecks, marble's veins) can match one of the two contrasts by
// its colour: its skin the ground's mean tone beyond the corner (a brown
// finger on wood), or its nail the card's margin just inside it (a pale
// nail on a pale card). The smaller contrast then says that the side
// fades into a ground of the card's own tone. But where a side fades so,
// the ground runs on up to the corner with its texture; a fingertip hides
// it. Where the patch just beyond the corner is smooth where the ground
// further along both sides is not (its samples' neighbour differences,
// patchStats.rough, at most 1/hideRatio of both ground patches', these at
// least hideGrain), the ground is hidden there, and the corner's weight
// is the larger contrast. A clean corner's ground can be smooth there
// too (a patch of marble between veins, a tile beside jointed ones), but
// then the card's margin and the ground are what lie either side of the
// corner: both contrasts are small, or its sides run on to it (38 of
// 2,200 clean corners of development seeds 661 and 666 qualify: the
// larger contrast up to 74 where the gaps are 0.03 short sides or less,
// 20 or less at the two whose gaps reach 0.10-0.11; 665's clear 00081, a
// pale nail on a beige card on granite, inside 3.3 and beyond 59.8, is
// caught).
const (
	hideRatio = 2
	hideGrain = 5
)

// cornerCover is the weight of a corner's gap (cornerScores; in, out,
// flat and hidden as cornerContrast gives them): the smaller of the
// contrasts inside and beyond it, the inside one alone where the patches
// beyond leave the photo or the patch inside is flat where the margin is
// printed, the larger one where the ground's texture is hidden beyond it.
func cornerCover(in, out float64, flat, hidden bool) float64 {
	switch {
	case math.IsNaN(out):
		return in
	case hidden:
		return math.Max(in, out)
	case flat:
		return in
	}
	return math.Min(in, out)
}

// cornerContrast measures, at each corner of the document wq (working
// pixels, in order around it), how unlike the document's own margin the
// patch just inside the corner is (in), and how unlike the background
// beside the document the patch just beyond the corner is (out): the
// smaller of the differences (sum of absolute Y, Cb, Cr differences of
// the patch means) with the matching patches 0.35–0.45 short sides along
// either side. A finger over a corner is neither the document nor the
// background; a corner that merely fades into a background of its own
// colour is both. out is NaN when the patches beyond the corner leave the
// photo. across is how unlike each other the patch just inside the
// corner and the one just beyond it are (NaN with out). flat tells
// whether the patch just inside is flat where the margin is printed (see
// flatRatio), hidden whether the patch just beyond is smooth where the
// ground is textured (see hideRatio).
func cornerContrast(p *planes, wq [4][2]float64) (in, out, across [4]float64, flat, hidden [4]bool) {
	const (
		n0, n1 = 0.03, 0.10 // the patches' depth from the sides
		r0, r1 = 0.35, 0.45 // the reference patches' distance along a side
	)
	for i := 0; i < 4; i++ {
		f := newCornerFrame(wq, i)
		ic := f.patch(p, n0, n1, n0, n1)
		ia := f.patch(p, r0, r1, n0, n1)
		ib := f.patch(p, n0, n1, r0, r1)
		in[i] = math.Min(ic.diff(ia), ic.diff(ib))
		printed := math.Min(ia.sd, ib.sd)
		flat[i] = printed >= flatPrint && flatRatio*ic.sd <= printed && math.Min(ic.medDiff(ia), ic.medDiff(ib)) >= flatIn
		oc := f.patch(p, -n1, -n0, -n1, -n0)
		oa := f.patch(p, r0, r1, -n1, -n0)
		ob := f.patch(p, -n1, -n0, r0, r1)
		if oc.n < 18 || oa.n < 18 || ob.n < 18 {
			out[i], across[i] = math.NaN(), math.NaN()
			continue
		}
		out[i] = math.Min(oc.diff(oa), oc.diff(ob))
		across[i] = ic.diff(oc)
		grain := math.Min(oa.rough, ob.rough) // NaN unless all three patches lie whole in the photo
		hidden[i] = grain >= hideGrain && hideRatio*oc.rough <= grain
	}
	return in, out, across, flat, hidden
}

// A fingertip's outline can fail to show as an edge across the side
// where the side's support resumes: softened by the finger lying nearer
// the lens than the card, and blurred further by its own shadow on the
// card and the ground beside it (the shadow also pushes the support's
// resumption past the outline). Where both sides of a corner are
// unsupported near it (a fingertip hides the start of both; a side that
// fades into a ground of the card's tone rarely fades on both sides of a
// corner at once) and one thing lies over it, unlike the document's
// margin and the background by bothCover or more, the gaps count without
// a crossing. Development seeds 770 and 771 with -real-fingers: 10
// fingertip corners qualify (cover 34–132), among them two clear ones
// whose only failing corner it is, both with the patches beyond out of
// the photo. Of the 2,400 clean corners of 770–773 one qualifies but for
// the ground test below (771's clean 00110); none scores lower.
const bothCover = 30

// coveredBoth reports whether a corner whose sides no outline crosses
// still counts as covered (see above): both gaps reach crossMinGap, its
// cover (cornerCover) reaches bothCover, and the patches inside and
// beyond are one thing (across under the larger contrast). Where the
// patches beyond leave the photo (out NaN) the patch inside must instead
// be unlike the ground along the sides by bothCover (ground, called only
// then: groundContrast): an outline found a little beyond a clean
// card's rounded corner has the ground inside its corner, unlike the
// card's margin but like the ground beside it (development seed 771's
// clean 00110, 87 from the margin and 20 from the ground).
func coveredBoth(gaps [2]float64, cover, in, out, across float64, ground func() float64) bool {
	if min(gaps[0], gaps[1]) < crossMinGap || cover < bothCover {
		return false
	}
	if math.IsNaN(out) {
		return ground() >= bothCover
	}
	return across < math.Max(in, out)
}

// groundContrast is how unlike the ground beside the document the patch
// just inside corner i of wq is (the smaller difference from the
// cornerContrast patches beyond either side further along, of those that
// lie in the photo; NaN when neither does).
func groundContrast(p *planes, wq [4][2]float64, i int) float64 {
	f := newCornerFrame(wq, i)
	ic := f.patch(p, 0.03, 0.10, 0.03, 0.10)
	g := math.NaN()
	for _, o := range [2]patchStats{f.patch(p, 0.35, 0.45, -0.10, -0.03), f.patch(p, -0.10, -0.03, 0.35, 0.45)} {
		if d := ic.diff(o); o.n >= 18 && ic.n > 0 && (math.IsNaN(g) || d < g) {
			g = d
		}
	}
	return g
}

// Where a side's support resumes after a gap at a corner, something that
// lay over the corner (a finger, a thumb) has its own outline cross the
// side: an edge running across it, on both sides of it, in the gap's
// stretch beyond the corner's rounding. A side that only
// fades out near a corner (a pale page on a pale background) has nothing
// there but its own edge coming back.
const (
	crossMinGap = 0.05 // short sides: shorter gaps (a rounded corner) are not looked at
	crossAngle  = 15   // degrees between a crossing edge's gradient and the side's normal, at least
	crossAlong  = 3    // small pixels along the side before (and 1 after) the resume point, at least
	crossDepth  = 3    // small pixels either side of the side
	crossFrame  = 4    // small pixels from the photo's edge: a corner there may be where a side runs along it (alongFrame)
	crossRound  = 0.04 // short sides: inside pixels nearer the corner's other side lie on its rounding
)

// What crosses a side is an object's outline: a step edge (stepEdge),
// inside the side and beyond it. A tile's joint or a ruled line meeting
// the side is a thin line, whose flanks are edges with the same colour
// either side; a shadow's soft boundary or the card's print inside can
// happen to lie in line with such a flank (development seed 415's clean
// 00087, a joint meeting a shaded card's top side 3 pixels below the
// photo's edge). And a rounded corner's own outline runs at every angle
// between the two sides' within its radius of them (ID-1 cards: 0.06
// short sides), so inside pixels within crossRound of the corner's other
// side are no crossing: a step edge beyond the side (a tile's edge) can
// lie in line with the rounding (seed 415's clean 00200). A fingertip's
// outline crosses the sides further from the corner than that.

// An object over the corner lies on the card: its outline, having crossed
// the side, runs on inside the card (a fingertip's, around its tip). A
// line of the background that meets the card's side (a tile's joint, the
// edge of a sheet, a shadow's boundary) stops there, the card lying over
// it, and the edge pixels inside the side it pairs with are the card's own
// (its faint edge, its rounding, a fleck of print), which do not run on
// along its direction. So the inside pixel of a crossing must lie on an
// edge that runs on at least crossRun small pixels further in, along its
// own direction (runInside; development seeds 445 and 447: three clean
// cards on tiles called cut off by a joint meeting a faint side, none of
// the fingertips of seeds 445–447 lost).
const crossRun = 2

// runInside follows the edge through the inside crossing pixel h along its
// own direction (its gradient turned a right angle), the way that leads
// away from the side (outward normal nx, ny), each step to an edge pixel
// at most a pixel to either side whose gradient lies within crossTurn of
// the last one's, a single missing step bridged; it returns how many
// pixels it runs on, at most most.
func runInside(e *edgeMap, h crossHit, nx, ny float64, most int) int {
	x, y, dir := h.x, h.y, h.dir
	n, miss := 0, 0
	for n < most {
		tx, ty := -sinT[dir], cosT[dir] // along the edge
		if tx*nx+ty*ny > 0 {
			tx, ty = -tx, -ty
		}
		gx, gy := cosT[dir], sinT[dir]
		found := false
		for _, o := range [...]float64{0, -1, 1} {
			px, py := x+tx+o*gx, y+ty+o*gy
			d := e.at(int(math.Round(px)), int(math.Round(py)))
			if d == noEdge || angleDiff(int(d), dir) > crossTurn {
				continue
			}
			x, y, dir, found = px, py, int(d), true
			break
		}
		if !found {
			if miss++; miss > 1 {
				break
			}
			x, y = x+tx, y+ty
			continue
		}
		n++
	}
	return n
}

// A corner found within crossFrame of the photo's edge is judged like any
// other: its gaps count only where an edge crosses a side. The photo's
// edge itself is no such crossing. A card that runs out of the frame just
// beyond the corner found shows its side up to the frame (no gap at the
// corner), or the side missing there runs along the photo's edge
// (alongFrame: counted in full). A side unbacked from such a corner into
// the photo rather says that the card's side stops before the frame: on
// tiles, a tile's edge meeting the card's side near the photo's edge
// makes the corner found, while the card's own corner lies inside the
// photo where that side's support stops, and its faint side along a
// pale background made no line (development seed 354's clean photos
// 00105 and 00114, called cut off).

// A crossing is one edge running across the side: an edge pixel inside
// the side and one outside it with gradients within crossTurn degrees of
// each other, both on the line the outside one's gradient defines (within
// crossOff small pixels). A fingertip's outline is such an edge, curving
// slowly; a tile's joint or a table's edge that meets the side where the
// side fades out stops there (the card covers it), and what lies inside
// is the card's print, at any angle and place.
const (
	crossTurn = 30
	crossOff  = 1.5
)

// crossHit is an edge pixel near a side, with its gradient direction
// (degrees, 0–179).
type crossHit struct {
	x, y float64
	dir  int
}

// oneEdgeAcross reports whether an edge pixel of inside and one of outside
// lie on one edge crossing the side (see crossTurn).
func oneEdgeAcross(inside, outside []crossHit) bool {
	for _, o := range outside {
		gx, gy := cosT[o.dir], sinT[o.dir]
		for _, i := range inside {
			if angleDiff(i.dir, o.dir) > crossTurn {
				continue
			}
			if math.Abs((i.x-o.x)*gx+(i.y-o.y)*gy) <= crossOff {
				return true
			}
		}
	}
	return false
}

// coverCrosses reports whether, at corner i of q, an edge crosses one of
// its two sides near where the side's support resumes (gaps: the corner's
// gaps as cornerGaps gives them, in short sides).
func coverCrosses(q quad, i int, gaps [2]float64, e *edgeMap) bool {
	// (The corner lies inside the frame: cornerScores gives 0 otherwise.)
	short := shortest(q.c)
	cx, cy := centroid(q.c)
	c := q.c[i]
	looked := false
	for k, other := range [2][2]float64{q.c[(i+1)%4], q.c[(i+3)%4]} {
		if gaps[k] < crossMinGap {
			continue
		}
		looked = true
		l := q.side[i]
		if k == 1 {
			l = q.side[(i+3)%4]
		}
		n := dist(c, other)
		ux, uy := (other[0]-c[0])/n, (other[1]-c[1])/n // along the side, away from the corner
		// Along the corner's other side, away from the corner: inside
		// pixels nearer that side than crossRound lie on the corner's
		// rounding.
		far := q.c[(i+3)%4]
		if k == 1 {
			far = q.c[(i+1)%4]
		}
		m := dist(c, far)
		vx, vy := (far[0]-c[0])/m, (far[1]-c[1])/m
		nx, ny := l.nx, l.ny // across it, outwards
		if (c[0]-cx)*nx+(c[1]-cy)*ny < 0 {
			nx, ny = -nx, -ny
		}
		g := gaps[k] * short
		var inside, outside []crossHit
		// Along the gap, past the rounding, up to just beyond where the
		// support resumes (a fingertip's shadow and blur can push that a
		// few pixels past its outline).
		for a := -int(math.Max(crossAlong, g-crossMinGap*short)); a <= 1; a++ {
			for d := -crossDepth; d <= crossDepth; d++ {
				if d == 0 {
					continue
				}
				x := c[0] + (g+float64(a))*ux + float64(d)*nx
				y := c[1] + (g+float64(a))*uy + float64(d)*ny
				xi, yi := int(math.Round(x)), int(math.Round(y))
				dir := e.at(xi, yi)
				if dir == noEdge || angleDiff(int(dir), l.theta) < crossAngle || !stepEdge(e, xi, yi, int(dir)) {
					continue
				}
				h := crossHit{float64(xi), float64(yi), int(dir)}
				if d < 0 {
					if math.Abs((h.x-c[0])*vy-(h.y-c[1])*vx) < crossRound*short || runInside(e, h, nx, ny, crossRun) < crossRun {
						continue
					}
					inside = append(inside, h)
				} else {
					outside = append(outside, h)
				}
			}
		}
		if oneEdgeAcross(inside, outside) {
			return true
		}
	}
	// A corner whose sides both run on to it (the gaps are a rounded
	// corner's) is judged as before.
	return !looked
}

// A corner found at the photo's edge can be where one side of a card
// that runs out of the frame meets a line along the photo's edge: the
// side crossing the edge is backed right up to it, while the other side,
// running along the edge within crossFrame pixels of it, is not backed
// near the corner, because the card's own edge lies beyond the photo
// there. The missing stretch then is not a side fading out against a
// background of the card's colour (which the cover weighting forgives)
// but a side nobody can see: it counts in full.

// alongFrame reports whether corner i of q (w×h frame; gaps as
// cornerGaps gives them) lies within crossFrame pixels of an edge of the
// photo, one of its sides backed up to the corner (gap under
// crossMinGap) and the other's unsupported stretch from the corner
// (crossMinGap or longer) lying along that same edge, within crossFrame
// pixels of it (see above).
func alongFrame(q quad, i int, gaps [2]float64, w, h int) bool {
	short := shortest(q.c)
	c := q.c[i]
	near := func(p [2]float64) [4]bool {
		return [4]bool{p[0] < crossFrame, p[1] < crossFrame, float64(w-1)-p[0] < crossFrame, float64(h-1)-p[1] < crossFrame}
	}
	at := near(c)
	for k, other := range [2][2]float64{q.c[(i+1)%4], q.c[(i+3)%4]} {
		if gaps[k] < crossMinGap || gaps[1-k] >= crossMinGap {
			continue
		}
		n := dist(c, other)
		g := math.Min(gaps[k]*short, n)
		end := near([2]float64{c[0] + (other[0]-c[0])/n*g, c[1] + (other[1]-c[1])/n*g})
		for j := range at {
			if at[j] && end[j] {
				return true
			}
		}
	}
	return false
}

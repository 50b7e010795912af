package imagecheck

import (
	"math"
	"sort"
)

// The document's outline is chosen among every plausible quadrilateral
// the Hough lines make (two pairs of roughly parallel lines at least 50°
// apart, convex, a document's shape, each side backed by edges over a
// third of its length): typically a few hundred hypotheses, a few
// thousand on tiles. Each is described by features that say how much it
// looks like a document lying on a background, and ranked by a weighted
// sum of them:
//
//   - support: the share of each side backed by step edges (mean and
//     worst side);
//   - extension: support that runs on past the corners (tile joints, a
//     table's or a sheet's edges do; a document's sides end at its
//     corners);
//   - crossings: other lines that cross a side, backed on both sides of
//     it (a document hides what lies under it: background lines end at
//     its sides, they do not cross them);
//   - shape: how far the aspect ratio is from the 1.42–1.586 of passport
//     pages and ID cards, and the area (documents fill much of the frame);
//   - the frame: corners outside it, the share of the area outside, and
//     whether an edge of the photo stands in for a side (a document cut
//     off by the frame can show three of its sides only; their support
//     then has to run on to the frame), or two edges meeting at a corner
//     of the photo for two (a document lying across that corner shows
//     two sides only, which must reach the photo's edges: reachesFrame);
//   - corners: how far the worst corner's sides run unsupported from it;
//   - contrast: the colour difference across each side (mean and weakest
//     side), and how often its sign flips along a side.
//
// The weights maximise the likelihood that the true outline ranks first
// (a softmax over each photo's hypotheses) on the labelled synthetic
// photos of calibration seeds (TestFitOutlineWeights refits them). The
// cheap features are computed for every hypothesis; the costly ones only
// while a hypothesis can still beat the best so far.

// Features of a quadrilateral hypothesis.
const (
	fSupMean = iota
	fSupMin
	fExtMean
	fExtMax
	fAspect
	fLogArea
	fOutFrac
	fCornersOut
	fFrameSide
	numCheap  // the features above are computed for every hypothesis
	fVisWorst = iota - 1
	fCross
	fConMean
	fConMin
	fPolMix
	numFeatures
)

// featureNames name the features (for the fitting test).
var featureNames = [numFeatures]string{"support mean", "support worst", "extension mean", "extension max",
	"aspect", "log area", "outside share", "corners outside", "frame side", "worst corner", "crossings", "contrast mean",
	"contrast worst", "contrast sign flips"}

// featureWeights rank the hypotheses (see TestFitOutlineWeights).
var featureWeights = [numFeatures]float64{
	fSupMean: 3.346, fSupMin: 3.740, fExtMean: -3.128, fExtMax: -4.710,
	fAspect: -2.813, fLogArea: 2.839, fOutFrac: -0.094, fCornersOut: -2.731, fFrameSide: -2.268,
	fVisWorst: 4.542, fCross: -0.955, fConMean: 0.213, fConMin: 0.820, fPolMix: -1.548,
}

// conCap bounds the contrast features (so the search can bound them).
const conCap = 2

// Plausible aspect ratios (long/short side) of a document in a photo:
// ID-1 cards are 1.586, passport pages 1.42; perspective adds some.
const (
	minAspect = 1.3
	maxAspect = 1.95
)

// A document held at a slant can show an aspect beyond that range: a
// passport page whose long side leans away from the camera,
// foreshortened by a fifth, shows 1.14; a card whose short side leans
// away, 1.98. Such an outline is no hypothesis of the ranking (it would
// admit boxes printed on a card, a portrait's 1.29 among them), so where
// the document's sides lie a hypothesis putting a side on the photo's
// edge can rank first and call a clean document cut off (development
// seed 320's clean 00003, a passport page showing 1.16). slantedInside
// looks for it then: an outline whose aspect is that of a passport page
// or a card foreshortened by up to maxForeshorten.
const (
	maxForeshorten  = 0.22
	slantMinAspect  = 1.42 * (1 - maxForeshorten)  // 1.11
	slantMaxAspect  = 1.586 / (1 - maxForeshorten) // 2.03
	slantMinCovered = wholeMaxArea                 // see slantedInside
)

// hypothesis is a candidate outline with its features.
type hypothesis struct {
	q       quad
	f       [numFeatures]float64
	partial float64 // the weighted cheap features
}

// bestQuad returns the best-ranked plausible quadrilateral, if any.
func bestQuad(lines []*line, e edgeMap, w, h int) (quad, bool) {
	q, found, _ := findQuad(lines, e, w, h)
	return q, found
}

// findQuad is bestQuad, also reporting whether the outline was found only
// by the looser search (faint: no hypothesis had every side backed over
// sideMinSup).
func findQuad(lines []*line, e edgeMap, w, h int) (q quad, found, faint bool) {
	hs := rankable(lines, e, w, h)
	if len(hs) == 0 {
		hs = rankableIn(lines, e, w, h, faintMinSup) // (see sideMinSup)
		faint = true
	}
	if len(hs) == 0 {
		return quad{}, false, false
	}
	q, found = rankedQuad(hs, lines, e, w, h)
	return q, found, faint
}

// rankedQuad returns the best-ranked of the hypotheses hs (not empty),
// as bestQuad chooses it.
func rankedQuad(hs []hypothesis, lines []*line, e edgeMap, w, h int) (quad, bool) {
	// Stable: of equal cheap scores, the first made wins (the same
	// whichever hypotheses rankable dropped).
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].partial > hs[j].partial })
	bound := costlyBound()
	best, bestScore := -1, math.Inf(-1)
	for i := range hs {
		h := &hs[i]
		if h.partial+bound <= bestScore {
			break
		}
		s := fullScore(h, lines, e)
		if s > bestScore {
			best, bestScore = i, s
		}
	}
	chosen, score := best, bestScore
	if runsOut(hs[best].q, w, h) {
		if q, ok := wholeInside(hs, best, bestScore, lines, e, w, h); ok {
			return q, true
		}
	} else if i := cutOffAround(hs, best, bestScore, lines, e, w, h); i >= 0 {
		chosen, score = i, fullScore(&hs[i], lines, e)
	}
	if runsOut(hs[chosen].q, w, h) {
		if q, ok := slantedInside(hs[chosen].q, score, lines, e, w, h); ok {
			return q, true
		}
	}
	return hs[chosen].q, true
}

// slantedInside returns the best-ranked outline of a slanted document
// (aspect slantMinAspect–slantMaxAspect but outside minAspect–maxAspect)
// whole in the w×h frame that lies inside outer (wholeInsideShare of
// it), covers at least slantMinCovered of outer's area in the photo (it
// is the document outer stands for, not a box printed on it: a
// portrait covers a fifth of a card) and outranks outer, which runs out
// of the frame and scores score; false when there is none.
func slantedInside(outer quad, score float64, lines []*line, e edgeMap, w, h int) (quad, bool) {
	visible := clippedArea(outer.c, float64(w), float64(h))
	var found quad
	ok := false
	eachHypothesisIn(lines, w, h, slantMinAspect, slantMaxAspect, sideMinSup, func(hy *hypothesis) {
		c := hy.q.c
		a := sideAspect([4]float64{dist(c[0], c[1]), dist(c[1], c[2]), dist(c[2], c[3]), dist(c[3], c[0])})
		if a >= minAspect && a <= maxAspect || runsOut(hy.q, w, h) || polyArea(c) < slantMinCovered*visible ||
			insideShare(outer.c, c) < wholeInsideShare {
			return
		}
		cp := *hy
		if s := fullScore(&cp, lines, e); s > score {
			found, score, ok = cp.q, s, true
		}
	})
	return found, ok
}

// The converse: a box printed on a card that runs out of the frame (a
// portrait, a hologram, a foil patch, a block of text) is a whole
// rectangle of a document's shape, while the card's own outline has
// corners beyond the photo's edge, and the ranking can put the box first
// by a small margin. A document lying whole on a sheet or a table that
// runs out of the frame covers a good part of what the photo shows of it
// (wholeMinArea); a box printed on a card, little. So when the outline
// ranked first lies whole in the frame and an outline running out of the
// frame that encloses it ranks within printedMargin of it, with the first
// covering less than wholeMinArea of its area in the photo, the outline
// running out is taken: the document is cut off.

// printedOn reports whether the whole outline inner may be a box printed
// on a card whose outline, outer, runs out of the w×h frame: outer runs
// out, holds inner (wholeInsideShare of its area), and inner covers less
// than wholeMinArea of outer's area in the photo.
func printedOn(inner, outer quad, w, h int) bool {
	return runsOut(outer, w, h) && polyArea(inner.c) < wholeMinArea*clippedArea(outer.c, float64(w), float64(h)) &&
		insideShare(outer.c, inner.c) >= wholeInsideShare
}

// A box that covers under smallBoxArea of the outline around it (a
// portrait covers about a fifth of a card, 0.17-0.18 of what shows of a
// card cut off by the frame) is not a document lying on that outline's
// sheet: a card lying on a sheet covers 0.3-0.6 of what the photo shows
// of it (wholeMinArea, wholeMaxArea). The ranking can still put such a
// box up to a log-likelihood of 1.2 above the card's outline running out
// (a portrait's strong contrast against the card's weaker edge on a
// busy background), so an outline running out around it is taken
// within smallBoxMargin rather than wholeMargin.
const (
	smallBoxArea   = 0.2
	smallBoxMargin = 1.5
)

// printedMargin is how far below the whole outline inner an outline
// outer running out of the w×h frame around it may rank and be taken
// for the card inner is printed on.
func printedMargin(inner, outer quad, w, h int) float64 {
	if polyArea(inner.c) < smallBoxArea*clippedArea(outer.c, float64(w), float64(h)) {
		return smallBoxMargin
	}
	return wholeMargin
}

// cutOffAround returns the index of the best-ranked hypothesis of hs
// that runs out of the frame, holds hs[best] (scoring bestScore, whole
// in the frame) inside it, covering less than wholeMinArea of its
// visible area, and scores at least bestScore-printedMargin; -1 when
// there is none. hs is sorted by cheap score, as bestQuad ranks it.
func cutOffAround(hs []hypothesis, best int, bestScore float64, lines []*line, e edgeMap, w, h int) int {
	bound := costlyBound()
	alt, altScore := -1, bestScore-smallBoxMargin
	for i := range hs {
		hy := &hs[i]
		if hy.partial+bound < altScore {
			break
		}
		if i == best || !printedOn(hs[best].q, hy.q, w, h) {
			continue
		}
		s := fullScore(hy, lines, e)
		if s >= altScore && s >= bestScore-printedMargin(hs[best].q, hy.q, w, h) {
			alt, altScore = i, s
		}
	}
	return alt
}

// A document cut off by the frame and a sheet of paper (or a table, a
// tray) running out of the frame with a document lying whole on it make
// the same kind of outline: three sides or fewer, corners beyond the
// photo's edge. The ranking tells them apart by small margins. When the
// outline ranked first runs out of the frame and a whole outline inside
// it, every corner in the photo, ranks within wholeMargin of it, the
// whole one is taken: what lies inside a sheet is the document. (When it
// is rather a panel printed on a card that runs out of the frame,
// outerQuad moves its sides out to the card's edge and the frame again.)

// wholeMargin is how far below the first a whole outline inside it may
// rank (the ranking's score: a log-likelihood ratio); wholeInsideShare
// how much of it must lie inside the first (a card's corner can hang over
// the sheet's edge); wholeMinArea and wholeMaxArea the least and the most
// of the first's area in the photo it may cover: a panel printed on a
// card or the inner edge of its colour band leaves most of the card
// inside it (0.78 on a cut-off `stripe` card of development seed 193), a
// box printed on it (a portrait, a block of text) little (0.12–0.19 on
// seed 7), while a card lying on a sheet covers a good part of what the
// photo shows of the sheet (0.52 on development seed 191).
const (
	wholeMargin      = 0.5
	wholeInsideShare = 0.9
	wholeMinArea     = 0.3
	wholeMaxArea     = 0.6
)

// insideShare is the share of the convex quadrilateral inner's area that
// lies inside the convex quadrilateral outer.
func insideShare(outer, inner [4][2]float64) float64 {
	pi := counterClockwise(inner[:])
	a := math.Abs(signedArea(pi))
	if a == 0 {
		return 0
	}
	return math.Abs(signedArea(clipConvex(pi, counterClockwise(outer[:])))) / a
}

// runsOut reports whether q has a side on the photo's edge or a corner
// outside the w×h frame.
func runsOut(q quad, w, h int) bool {
	for i, l := range q.side {
		if l.frame || outsideFrame(q.c[i][0], q.c[i][1], w, h) {
			return true
		}
	}
	return false
}

// coversBand reports whether a whole outline covering this share of the
// first's area in the photo may be a document lying on it.
func coversBand(share float64) bool {
	return share >= wholeMinArea && share <= wholeMaxArea
}

// wholeInside returns the best-ranked hypothesis of hs that lies inside
// hs[best] (scoring bestScore) with every corner in the frame, scoring at
// least bestScore-wholeMargin, and whether there is one. hs is sorted by
// cheap score, as bestQuad ranks it. A hypothesis with one side on the
// photo's edge whose two sides meeting it both stop short of it counts
// as the whole outline frameShort closes it to (closedWhole).
func wholeInside(hs []hypothesis, best int, bestScore float64, lines []*line, e edgeMap, w, h int) (quad, bool) {
	bound := costlyBound()
	visible := clippedArea(hs[best].q.c, float64(w), float64(h))
	var alt quad
	found, altScore := false, bestScore-wholeMargin
	for i := range hs {
		hy := &hs[i]
		if hy.partial+bound < altScore {
			break
		}
		if i == best {
			continue
		}
		q := hy.q
		if runsOut(q, w, h) {
			var ok bool
			if q, ok = closedWhole(q, &e, w, h); !ok {
				continue
			}
		}
		if insideShare(hs[best].q.c, q.c) < wholeInsideShare || !coversBand(polyArea(q.c)/visible) {
			continue
		}
		if s := fullScore(hy, lines, e); s >= altScore {
			alt, found, altScore = q, true, s
		}
	}
	return alt, found
}

// closedWhole returns the whole outline frameShort makes of q, an outline
// with one side on the photo's edge and its other corners in the w×h
// frame, when the two sides meeting that edge both stop short of it: a
// document lying whole in the photo whose side there is too faint to be
// a line (a pale card on pale tiles). On a floor of tiles or a sheet that
// runs out of the frame, the outline ranked first can then be one whose
// sides run on along the floor's joints or the sheet's edges to the
// photo's edge, around the card (development seed 408's clean 00052),
// while the card's own sides, stopping short of the frame, rank just
// below it.
func closedWhole(q quad, e *edgeMap, w, h int) (quad, bool) {
	n := 0
	for i, l := range q.side {
		switch {
		case l.frame:
			n++
		case !q.side[(i+3)%4].frame && outsideFrame(q.c[i][0], q.c[i][1], w, h):
			return q, false // a corner beyond the frame between two sides found
		}
	}
	if n != 1 {
		return q, false
	}
	c := frameShort(q, e, w, h)
	return c, !runsOut(c, w, h)
}

// fullScore computes h's costly features and returns its score.
func fullScore(h *hypothesis, lines []*line, e edgeMap) float64 {
	costlyFeatures(h, lines, e)
	s := h.partial
	for k := numCheap; k < numFeatures; k++ {
		s += featureWeights[k] * h.f[k]
	}
	return s
}

// rankable returns the plausible quadrilaterals that can still rank
// first. On a background rich in lines (tiles, ruled paper) there are
// thousands of plausible quadrilaterals, and most of them cannot win: a hypothesis whose cheap score plus the most the costly
// features can add (costlyBound) falls short of the full score of one
// already seen is dropped as it is made. The full score is computed for
// each hypothesis whose cheap score is the highest so far (a few per
// photo), so the floor rises quickly. What bestQuad returns is unchanged:
// every hypothesis it would score before stopping is kept.
func rankable(lines []*line, e edgeMap, w, h int) []hypothesis {
	return rankableIn(lines, e, w, h, sideMinSup)
}

// rankableIn is rankable of the hypotheses whose sides are backed over
// minSup (sideBacked).
func rankableIn(lines []*line, e edgeMap, w, h int, minSup float64) []hypothesis {
	bound := costlyBound()
	floor, top := math.Inf(-1), math.Inf(-1)
	var out []hypothesis
	eachHypothesisIn(lines, w, h, minAspect, maxAspect, minSup, func(hy *hypothesis) {
		if hy.partial+bound < floor-wholeMargin-1e-9 { // (the sums round differently)
			return
		}
		if hy.partial > top {
			top = hy.partial
			c := *hy
			if s := fullScore(&c, lines, e); s > floor { // (not NaN)
				floor = s
			}
		}
		out = append(out, *hy)
	})
	// Drop those kept before the floor rose past them.
	n := 0
	for _, hy := range out {
		if hy.partial+bound >= floor-wholeMargin-1e-9 {
			out[n] = hy
			n++
		}
	}
	return out[:n]
}

// costlyBound is the most the costly features can add to a score (each
// is at most 1, the contrasts at most conCap, crossings and sign flips
// only take away).
func costlyBound() float64 {
	b := 0.0
	for k := numCheap; k < numFeatures; k++ {
		if featureWeights[k] > 0 {
			m := 1.0
			if k == fConMean || k == fConMin {
				m = conCap
			}
			b += featureWeights[k] * m
		}
	}
	return b
}

// hypotheses enumerates the plausible quadrilaterals with their cheap
// features.
func hypotheses(lines []*line, w, h int) []hypothesis {
	var out []hypothesis
	eachHypothesis(lines, w, h, func(hy *hypothesis) { out = append(out, *hy) })
	return out
}

// linePair is two roughly parallel lines that may be a document's
// opposite sides.
type linePair struct {
	a, b   *line
	ia, ib int // indices in the lines
}

// parallelPairs returns the lines with the frame's four edges appended
// (a side of a document cut off by the frame) and the pairs of them
// within 30° of each other, far enough apart (not two of the frame's),
// in order of their indices.
func parallelPairs(lines []*line, w, h int) ([]*line, []linePair) {
	var pairs []linePair
	fw, fh := float64(w), float64(h)
	lines = append(lines[:len(lines):len(lines)],
		&line{theta: 0, nx: 1, frame: true}, &line{theta: 0, rho: fw - 1, nx: 1, frame: true},
		&line{theta: 90, ny: 1, frame: true}, &line{theta: 90, rho: fh - 1, ny: 1, frame: true})
	minSep := 0.12 * float64(min(w, h))
	cx, cy := float64(w)/2, float64(h)/2
	for i := 0; i < len(lines); i++ {
		for j := i + 1; j < len(lines); j++ {
			a, b := lines[i], lines[j]
			if angleDiff(a.theta, b.theta) > 30 || (a.frame && b.frame) {
				continue
			}
			// Separation measured through the image centre (with b's
			// normal turned to agree with a's across the 0/180 wrap).
			sa := cx*a.nx + cy*a.ny - a.rho
			sb := cx*b.nx + cy*b.ny - b.rho
			if a.nx*b.nx+a.ny*b.ny < 0 {
				sb = -sb
			}
			if math.Abs(sa-sb) < minSep {
				continue
			}
			pairs = append(pairs, linePair{a, b, i, j})
		}
	}
	return lines, pairs
}

// eachHypothesis calls fn with each plausible quadrilateral the lines
// make, its cheap features computed (fn must copy what it keeps): for
// each two pairs of parallelPairs at least 50° apart, in order, the
// quadrilateral makeHypothesis makes of them, when it is plausible (at
// most two sides the frame's, adjacent ones: no pair is two of the
// frame's edges). The pairs of pairs that cannot make one
// are passed over in runs where that can be told from one line (see
// okP), and the rest are tested on their side lengths before their
// corners (sidesPlausible): TestEachHypothesisAsMadeInFull compares the
// result with making every one in full.
func eachHypothesis(lines []*line, w, h int, fn func(*hypothesis)) {
	eachHypothesisIn(lines, w, h, minAspect, maxAspect, sideMinSup, fn)
}

// eachHypothesisIn is eachHypothesis with the aspect of a hypothesis
// whose sides are none of them the frame's between lo and hi, and each
// side backed over minSup (sideBacked).
func eachHypothesisIn(lines []*line, w, h int, lo, hi, minSup float64, fn func(*hypothesis)) {
	lines, pairs := parallelPairs(lines, w, h)
	// ok[i][j]: lines i and j meet where a corner may lie (the first
	// test of makeHypothesis) and are at least 50° apart, made once per
	// two lines rather than once per pair of pairs: on tiles there are
	// hundreds of thousands.
	n := len(lines)
	ok := make([]bool, n*n)
	at := make([][2]float64, n*n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			x, y, near := cornerOf(lines[i], lines[j], w, h)
			perp := angleDiff(lines[i].theta, lines[j].theta) >= 50
			ok[i*n+j], ok[j*n+i] = near && perp, near && perp
			at[i*n+j], at[j*n+i] = [2]float64{x, y}, [2]float64{x, y}
		}
	}
	// seg[k*len(pairs)+p]: the length of line k between the two lines
	// of pair p, from where it meets the one to where it meets the other
	// (-1 until needed): the side lengths fillHypothesis measures, each
	// measured once per line and pair rather than once per pair of pairs.
	np := len(pairs)
	seg := make([]float64, n*np)
	for k := range seg {
		seg[k] = -1
	}
	side := func(p, k int) float64 {
		l := &seg[k*np+p]
		if *l < 0 {
			*l = sideLength(at[k*n+pairs[p].ia], at[k*n+pairs[p].ib])
		}
		return *l
	}
	// backed[k*np+p]: whether line k is backed between the lines of
	// pair p as fillHypothesis requires of each side that is not the
	// frame's (sideBacked; 0 until needed, then 1 or -1): a side's
	// support is counted once per line and pair, not once per pair of
	// pairs.
	backed := make([]int8, n*np)
	isBacked := func(p, k int) bool {
		b := &backed[k*np+p]
		if *b == 0 {
			*b = 1
			if l := lines[k]; !l.frame {
				c1, c2 := at[k*n+pairs[p].ia], at[k*n+pairs[p].ib]
				if sup, in := l.count(l.param(c1[0], c1[1]), l.param(c2[0], c2[1])); !sideBacked(sup, in, side(p, k), minSup) {
					*b = -1
				}
			}
		}
		return *b > 0
	}
	// The pairs come in runs of the same first line: next[j] is where
	// pair j's run ends.
	next := make([]int, np)
	for j := np - 1; j >= 0; j-- {
		next[j] = j + 1
		if j+1 < np && pairs[j+1].ia == pairs[j].ia {
			next[j] = next[j+1]
		}
	}
	okP := make([]bool, n) // okP[k]: line k may meet both lines of P at a corner
	var hy hypothesis      // (one for all: fn takes its address)
	for i := 0; i < np; i++ {
		P := pairs[i]
		pFrame := P.a.frame || P.b.frame
		for k := 0; k < n; k++ {
			okP[k] = ok[P.ia*n+k] && ok[P.ib*n+k]
		}
		for j := i + 1; j < np; {
			Q := pairs[j]
			if !okP[Q.ia] {
				j = next[j] // no pair of this run can make a corner with P
				continue
			}
			j++
			// Corner k is where side k-1 meets side k (all four meet
			// where a corner may lie, at least 50° apart, when okP holds
			// for both of Q's lines).
			if !okP[Q.ib] {
				continue
			}
			// The side-ratio and aspect tests of fillHypothesis, on the
			// same lengths, before the corners' convexity and area: most
			// candidates on a busy background stop here.
			length := [4]float64{side(j-1, P.ia), side(i, Q.ia), side(j-1, P.ib), side(i, Q.ib)}
			if !sidesPlausibleIn(length, pFrame || Q.a.frame || Q.b.frame, lo, hi) {
				continue
			}
			// And each side's support (the sides' order does not matter:
			// fillHypothesis rejects a quadrilateral with any side
			// unbacked, and a side's count is the same either way along
			// it).
			if !isBacked(j-1, P.ia) || !isBacked(i, Q.ia) || !isBacked(j-1, P.ib) || !isBacked(i, Q.ib) {
				continue
			}
			k0, k1, k2, k3 := Q.ib*n+P.ia, P.ia*n+Q.ia, Q.ia*n+P.ib, P.ib*n+Q.ib
			if fillHypothesis(&hy, [4]*line{P.a, Q.a, P.b, Q.b}, [4][2]float64{at[k0], at[k1], at[k2], at[k3]}, length, w, h, lo, hi, minSup) {
				fn(&hy)
			}
		}
	}
}

// makeHypothesis builds the quadrilateral bounded by lines a, b, c, d in
// turn (a ∥ c, b ∥ d), checks that it is a plausible document, and
// computes its cheap features.
func makeHypothesis(a, b, c, d *line, w, h int) (hypothesis, bool) {
	var hy hypothesis
	ls := [4]*line{a, b, c, d}
	var cs [4][2]float64
	for i := 0; i < 4; i++ {
		x, y, ok := cornerOf(ls[(i+3)%4], ls[i], w, h)
		if !ok {
			return hy, false
		}
		cs[i] = [2]float64{x, y}
	}
	ok := fillHypothesis(&hy, ls, cs, sideLengths(cs), w, h, minAspect, maxAspect, sideMinSup)
	return hy, ok
}

// quadShape reports whether the corners cs make a convex quadrilateral
// covering at least 4 % of the w×h frame with opposite sides within 0.55
// of each other, and returns its side lengths (side i runs cs[i]→cs[i+1]),
// its area and its aspect (sideAspect).
func quadShape(cs [4][2]float64, w, h int) (length [4]float64, area, aspect float64, ok bool) {
	length = sideLengths(cs)
	area, aspect, ok = quadShapeOf(cs, length, w, h)
	return length, area, aspect, ok
}

// sideLengths returns the lengths of the sides of cs (side i runs
// cs[i]→cs[i+1]).
func sideLengths(cs [4][2]float64) (length [4]float64) {
	for i := 0; i < 4; i++ {
		length[i] = sideLength(cs[i], cs[(i+1)%4])
	}
	return length
}

// quadShapeOf is quadShape given the side lengths of cs.
func quadShapeOf(cs [4][2]float64, length [4]float64, w, h int) (area, aspect float64, ok bool) {
	var cross [4]float64
	for i := 0; i < 4; i++ {
		p0, p1, p2 := cs[i], cs[(i+1)%4], cs[(i+2)%4]
		cross[i] = (p1[0]-p0[0])*(p2[1]-p1[1]) - (p1[1]-p0[1])*(p2[0]-p1[0])
	}
	for i := 1; i < 4; i++ {
		if cross[i]*cross[0] <= 0 {
			return 0, 0, false
		}
	}
	area = polyArea(cs)
	if area < 0.04*float64(w)*float64(h) {
		return area, 0, false
	}
	if !oppositeSidesAlike(length) {
		return area, 0, false
	}
	return area, sideAspect(length), true
}

// sideLength is the length of the side from p0 to p1 (the same whichever
// way it is measured: the differences only change sign).
func sideLength(p0, p1 [2]float64) float64 {
	return math.Hypot(p1[0]-p0[0], p1[1]-p0[1])
}

// oppositeSidesAlike reports whether each two opposite sides are within
// 0.55 of each other.
func oppositeSidesAlike(length [4]float64) bool {
	for i := 0; i < 2; i++ {
		// (min and max as math.Min and math.Max, inlined)
		if min(length[i], length[i+2])/max(length[i], length[i+2]) < 0.55 {
			return false
		}
	}
	return true
}

// sideAspect is the mean of the longer pair of opposite sides over the
// mean of the shorter.
func sideAspect(length [4]float64) float64 {
	la, lb := (length[0]+length[2])/2, (length[1]+length[3])/2
	return max(la, lb) / min(la, lb)
}

// aspectPlausibleIn reports whether a quadrilateral of this aspect may
// be a document: any shape up to a thin strip when a side is the frame's
// (only part of the document shows), else lo to hi (the ranking's
// minAspect to maxAspect, or a slanted document's range).
func aspectPlausibleIn(aspect float64, framed bool, lo, hi float64) bool {
	if framed {
		return !(aspect > 2.6)
	}
	return !(aspect < lo || aspect > hi)
}

// sidesPlausible is the part of fillHypothesis's shape test that reads
// only the side lengths: opposite sides alike and a plausible aspect.
// eachHypothesis runs it first, on the same lengths: what it rejects,
// fillHypothesis would reject too.
func sidesPlausible(length [4]float64, framed bool) bool {
	return sidesPlausibleIn(length, framed, minAspect, maxAspect)
}

// sidesPlausibleIn is sidesPlausible with lo to hi for minAspect to
// maxAspect.
func sidesPlausibleIn(length [4]float64, framed bool, lo, hi float64) bool {
	// The same comparisons as oppositeSidesAlike, sideAspect and
	// aspectPlausibleIn (a < -Inf is never true), all made and then
	// combined: which ones fail is hard to predict, branches cost.
	if framed {
		lo, hi = math.Inf(-1), 2.6
	}
	r0 := min(length[0], length[2]) / max(length[0], length[2])
	r1 := min(length[1], length[3]) / max(length[1], length[3])
	la, lb := (length[0]+length[2])/2, (length[1]+length[3])/2
	a := max(la, lb) / min(la, lb)
	return bit(r0 < 0.55)|bit(r1 < 0.55)|bit(a < lo)|bit(a > hi) == 0
}

// bit is 1 for true, 0 for false.
func bit(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// cornerOf returns where lines a and b meet, and whether a document's
// corner may lie there: outside the frame (a cut-off document), but not
// absurdly far.
func cornerOf(a, b *line, w, h int) (x, y float64, ok bool) {
	x, y, ok = intersect(a, b)
	fw, fh := float64(w), float64(h)
	return x, y, ok && x >= -0.5*fw && x <= 1.5*fw && y >= -0.5*fh && y <= 1.5*fh
}

// fillHypothesis is makeHypothesis writing into hy, given the corners
// cs (cs[i] where ls[i-1] meets ls[i], each one cornerOf accepts) and
// their sideLengths, the aspect of a hypothesis with no side on the
// frame between lo and hi.
func fillHypothesis(hy *hypothesis, ls [4]*line, cs [4][2]float64, length [4]float64, w, h int, lo, hi, minSup float64) bool {
	fw, fh := float64(w), float64(h)
	// Convex, and a plausible document shape (tested on cs and ls before
	// hy is written: most candidates stop here, and hy is only read when
	// the answer is true).
	area, aspect, ok := quadShapeOf(cs, length, w, h)
	if !ok {
		return false
	}
	framed := ls[0].frame || ls[1].frame || ls[2].frame || ls[3].frame
	if !aspectPlausibleIn(aspect, framed, lo, hi) {
		return false
	}
	*hy = hypothesis{}
	q := &hy.q
	q.c = cs
	// Corner i is where side i-1 meets side i: side i runs c[i]→c[i+1].
	q.side = ls
	out := 0
	for _, c := range cs {
		if outsideFrame(c[0], c[1], w, h) {
			out++
		}
	}
	f := &hy.f
	f[fSupMin] = 1
	nReal := 0
	for i := 0; i < 4; i++ {
		l := q.side[i]
		if l.frame {
			f[fFrameSide] = 1
			continue
		}
		nReal++
		t1 := l.param(q.c[i][0], q.c[i][1])
		t2 := l.param(q.c[(i+1)%4][0], q.c[(i+1)%4][1])
		sup, in := l.count(t1, t2)
		if !sideBacked(sup, in, length[i], minSup) {
			return false
		}
		s := float64(sup) / float64(in)
		f[fSupMean] += s
		f[fSupMin] = math.Min(f[fSupMin], s)
		// A document's side ends at its corners; a line that goes on
		// past them (a tile joint, a table's edge) is background.
		e := extension(l, t1, t2, 0.2*length[i])
		f[fExtMean] += e
		f[fExtMax] = math.Max(f[fExtMax], e)
	}
	if nReal == 2 && !reachesFrame(q) {
		return false
	}
	f[fSupMean] /= float64(nReal)
	f[fExtMean] /= float64(nReal)
	// Distance (in log ratio, ×10) of the aspect from 1.42–1.586 (not
	// known for a document cut off by the frame).
	switch la := math.Log(aspect); {
	case framed:
	case la < math.Log(1.42):
		f[fAspect] = 10 * (math.Log(1.42) - la)
	case la > math.Log(1.586):
		f[fAspect] = 10 * (la - math.Log(1.586))
	}
	f[fLogArea] = math.Log(area / (fw * fh))
	if out > 0 {
		f[fOutFrac] = 1 - clippedArea(q.c, fw, fh)/area
	}
	f[fCornersOut] = float64(out)
	for k := 0; k < numCheap; k++ {
		hy.partial += featureWeights[k] * f[k]
	}
	return true
}

// A document lying across a corner of the photo shows two of its sides,
// each running on to an edge of the photo, and the hypothesis that stands
// two of the photo's edges in for its other two sides (a corner of the
// frame cuts two of its corners off) is only made of sides that do: two
// sides of a whole card, stopping at its corners well inside the photo,
// make the same shape with the frame's corner.

// reachesFrame reports whether each side of q that is not the frame's is
// backed by step edges from within frameShortGap short sides of each
// corner it shares with a side on the photo's edge.
func reachesFrame(q *quad) bool {
	short := shortest(q.c)
	for i, l := range q.side {
		if l.frame {
			continue
		}
		// Side i runs from corner i, where side i-1 arrives, to corner
		// i+1, where side i+1 leaves.
		a, b := q.c[i], q.c[(i+1)%4]
		ta, tb := l.param(a[0], a[1]), l.param(b[0], b[1])
		if q.side[(i+3)%4].frame && l.gap(ta, tb) > frameShortGap*short {
			return false
		}
		if q.side[(i+1)%4].frame && l.gap(tb, ta) > frameShortGap*short {
			return false
		}
	}
	return true
}

// sideBacked reports whether a side of the given length, in in-frame
// samples of which sup are backed by step edges, can be a document's:
// in the frame over a quarter of its length, and backed over minSup
// (sideMinSup, or faintMinSup) of that.
func sideBacked(sup, in int, length, minSup float64) bool {
	return !(float64(in) < 0.25*length || float64(sup) < minSup*float64(in))
}

// sideMinSup is the least share of a hypothesis's side backed by step
// edges. A card whose colour is the background's along part of its
// edges (a pale card lying half on a white sheet, half on a dark table)
// can have no hypothesis at all backed so: no outline found scores its
// corners 0 and calls it cut off (development seed 412's clean 00077, on
// paper). When no hypothesis is found, bestQuad looks again admitting
// sides backed over faintMinSup: the ranking still weighs their support.
const (
	sideMinSup  = 0.35
	faintMinSup = 0.2
)

// extension is the share of the stretches of length ext beyond both ends
// (t1, t2) of a side on l that is backed: a document's side ends at its corners, a line that goes on
// past them (a tile joint, a table's edge) is background (fillHypothesis,
// threeSided).
func extension(l *line, t1, t2, ext float64) float64 {
	lo, hi := math.Min(t1, t2), math.Max(t1, t2)
	b1, _ := l.count(lo-ext, lo)
	b2, _ := l.count(hi, hi+ext)
	return float64(b1+b2) / (2 * ext)
}

// outsideFrame reports whether a corner at (x, y) is outside a w×h frame
// or on its border.
func outsideFrame(x, y float64, w, h int) bool {
	return x < 1 || y < 1 || x > float64(w)-2 || y > float64(h)-2
}

// wholeInFrame reports whether the outline q lies whole in the w×h
// frame: no corner outside it or on its border, no side on its edge.
func wholeInFrame(q quad, w, h int) bool {
	for i := 0; i < 4; i++ {
		if q.side[i].frame || outsideFrame(q.c[i][0], q.c[i][1], w, h) {
			return false
		}
	}
	return true
}

// clippedArea is the area of the convex quadrilateral c inside the
// w×h frame (Sutherland–Hodgman clipping).
func clippedArea(c [4][2]float64, w, h float64) float64 {
	// Each clip adds at most one vertex: two fixed buffers, no allocation.
	var bufA, bufB [8][2]float64
	poly := bufA[:0]
	poly = append(poly, c[:]...)
	next := bufB[:0]
	if polyArea(c) == 0 {
		return 0
	}
	// Clip against x ≥ 0, x ≤ w, y ≥ 0, y ≤ h in turn.
	for k := 0; k < 4; k++ {
		inside := func(p [2]float64) float64 {
			switch k {
			case 0:
				return p[0]
			case 1:
				return w - p[0]
			case 2:
				return p[1]
			}
			return h - p[1]
		}
		next = next[:0]
		for i := range poly {
			p, q := poly[i], poly[(i+1)%len(poly)]
			sp, sq := inside(p), inside(q)
			if sp >= 0 {
				next = append(next, p)
			}
			if (sp >= 0) != (sq >= 0) {
				t := sp / (sp - sq)
				next = append(next, [2]float64{p[0] + t*(q[0]-p[0]), p[1] + t*(q[1]-p[1])})
			}
		}
		poly, next = next, poly
		if len(poly) == 0 {
			return 0
		}
	}
	s := 0.0
	for i := range poly {
		j := (i + 1) % len(poly)
		s += poly[i][0]*poly[j][1] - poly[j][0]*poly[i][1]
	}
	return math.Abs(s) / 2
}

// costlyFeatures computes the rest of h's features.
func costlyFeatures(h *hypothesis, lines []*line, e edgeMap) {
	q := &h.q
	c := q.c
	f := &h.f
	vis := cornerVisibility(*q, e.w, e.h)
	f[fVisWorst] = 1
	for i, v := range vis {
		if v > 0 || outsideFrame(c[i][0], c[i][1], e.w, e.h) {
			f[fVisWorst] = math.Min(f[fVisWorst], v)
		}
	}
	cx, cy := centroid(c)
	cross := 0
	conMin := math.Inf(1)
	var conMean, flips float64
	nReal := 0.0
	for i := 0; i < 4; i++ {
		l := q.side[i]
		if l.frame {
			continue
		}
		nReal++
		a, b := c[i], c[(i+1)%4]
		cross += crossings(q, i, lines)
		// The colour difference across the side, 3 pixels either way.
		nx, ny := l.nx, l.ny
		if cx*nx+cy*ny-l.rho < 0 { // make the normal point inwards
			nx, ny = -nx, -ny
		}
		var con, pos, neg float64
		n := 0
		for s := 1; s < 16; s++ {
			t := 0.1 + 0.8*float64(s)/16
			px, py := a[0]+(b[0]-a[0])*t, a[1]+(b[1]-a[1])*t
			if px < 3 || py < 3 || px > float64(e.w-4) || py > float64(e.h-4) {
				continue
			}
			st := e.step(px+3*nx, py+3*ny, px-3*nx, py-3*ny)
			con += math.Abs(st)
			if st > 0 {
				pos++
			} else {
				neg++
			}
			n++
		}
		if n > 0 {
			con = math.Min(conCap, con/float64(n)/50)
			flips += math.Min(pos, neg) / float64(n)
		}
		conMean += con
		conMin = math.Min(conMin, con)
	}
	conMean /= nReal
	flips /= nReal
	f[fCross] = float64(cross)
	f[fConMean] = conMean
	f[fConMin] = conMin
	f[fPolMix] = flips
}

// crossings counts the lines that cross side i of q (a side that is not
// the frame's) away from its corners, backed on both sides of it: a document hides
// what lies under it, so the background's lines end at its sides.
func crossings(q *quad, i int, lines []*line) int {
	l := q.side[i]
	a, b := q.c[i], q.c[(i+1)%4]
	t1, t2 := l.param(a[0], a[1]), l.param(b[0], b[1])
	lo, hi := math.Min(t1, t2), math.Max(t1, t2)
	n := 0
	for _, o := range lines {
		if o == l || o.frame || angleDiff(o.theta, l.theta) < 25 {
			continue
		}
		x, y, ok := intersect(l, o)
		if !ok {
			continue
		}
		if r := (l.param(x, y) - lo) / (hi - lo); r < 0.12 || r > 0.88 {
			continue
		}
		u := o.param(x, y)
		s1, n1 := o.count(u-9, u-2)
		s2, n2 := o.count(u+2, u+9)
		if n1 >= 6 && n2 >= 6 && s1 >= 5 && s2 >= 5 {
			n++
		}
	}
	return n
}

func polyArea(c [4][2]float64) float64 {
	s := 0.0
	for i := 0; i < 4; i++ {
		j := (i + 1) % 4
		s += c[i][0]*c[j][1] - c[j][0]*c[i][1]
	}
	return math.Abs(s) / 2
}

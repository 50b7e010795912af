package imagecheck

import (
	"image"
	"math"
	"slices"

	"github.com/kycq/kycq/kyc/reason"
)

// analyse runs every check on the decoded planes and fills rep.
func analyse(d *decoded, opts Options, ws *workspace, rep *Report) {
	p := &d.p
	th := opts.Thresholds
	scale := rep.Scale
	clock := newStageClock()
	lap := func(name string) { clock.lap(rep, name) }

	// Document quadrilateral, on a small copy of the luma plane.
	sf, sw, sh, chans := smallPlanes(p, ws)
	small := chans[0]
	edges := findEdges(chans, sw, sh, ws)
	lines := houghLines(edges, ws)
	q, found, faint := findQuad(lines, edges, sw, sh)
	banded := -1 // a side beyond which the card runs on to the photo's edge
	if found {
		if oq := outerQuad(q, lines, edges, sw, sh, p, sf); oq.c != q.c {
			q = oq
		} else if tq, ok := threeSided(q, lines, edges, sw, sh); ok {
			// No line encloses the outline: it can be a box printed on a
			// card whose fourth side makes none (threeSided). Unless the
			// box has the card's region whole around it (cardRegion),
			// which measures the card by its colour, not its sides.
			if _, kind := cardRegion(q, &edges, sw, sh); kind != regionWhole {
				q = tq
			}
		}
		q = marginOut(q, &edges, sw, sh)
		// Sides stopping short of a side on the photo's edge: the card
		// ends there, whole or a part below a band (panelShort).
		q = panelShort(q, &edges, sw, sh)
		banded = runsToFrame(q, &edges, sw, sh)
	}
	byRegion, regionRunsOut := false, false // the outline is the card's region around a box printed on it
	if found && banded < 0 {
		card, kind := cardRegion(q, &edges, sw, sh)
		switch kind {
		case regionWhole, regionCut:
			q, byRegion, regionRunsOut = card, true, kind == regionCut
		case regionAcross:
			// A small outline on an even surface reaching across a
			// washed-out photo: the card's edges are lost, the outline
			// is a box printed on it, and the card's extent unknown.
			found = !washedOut(p, sw, sh, sf, th.MaxClipped)
		}
	}
	var sq [4][2]float64 // in small pixels, ordered
	corners := 0.0
	if found {
		sq = q.ordered()
		switch {
		case byRegion && regionRunsOut:
			// The region's outline has no sides to score its corners
			// by: the card runs on to the photo's edge.
			corners = 0
		case byRegion:
			corners = 1
		default:
			cs := cornerScores(q, sw, sh, sf, p, &edges)
			if min(cs[0], cs[1], cs[2], cs[3]) < th.MinCorners {
				// A side fitted a little askew at a corner: judged again
				// on the card's own edge there (refitSides), when the
				// corners fail.
				if rq, ok := refitSides(q, &edges, sw, sh); ok {
					rs := cornerScores(rq, sw, sh, sf, p, &edges)
					cs = refitScores(cs, rs, cornerGaps(q), cornerGaps(rq))
				}
			}
			if min(cs[0], cs[1], cs[2], cs[3]) < th.MinCorners {
				// One side on a line next to the card's edge (a tile
				// joint beyond, a printed frame inside): moved onto the
				// edge (snapSides), its corners taken only if all pass.
				// (Before headBand, whose band corners can only lower
				// them.)
				if nq, ok := snapSides(q, &edges, sw, sh, cs, th.MinCorners); ok {
					if ns := cornerScores(nq, sw, sh, sf, p, &edges); min(ns[0], ns[1], ns[2], ns[3]) >= th.MinCorners {
						cs = ns
					}
				}
			}
			if min(cs[0], cs[1], cs[2], cs[3]) < th.MinCorners {
				// One side off the card's edge altogether (a sheet's edge,
				// a shadow): a line inside the outline in its place, the
				// ground beyond it (swapSide). The outline reported is the
				// one found, as with snapSides.
				if _, ns, ok := swapSide(q, lines, sw, sh, sf, p, &edges, cs, th.MinCorners); ok {
					cs = ns
				}
			}
			if banded < 0 {
				// The outline can be a vertical card without its header
				// band: the band's corners are the card's (headBand).
				if bq, i := headBand(q, lines, &edges, sw, sh); i >= 0 {
					bs := cornerScores(bq, sw, sh, sf, p, &edges)
					for _, k := range [2]int{i, (i + 1) % 4} {
						cs[k] = math.Min(cs[k], bs[k])
					}
				}
			}
			if banded < 0 && min(cs[0], cs[1], cs[2], cs[3]) >= th.MinCorners {
				// The outline can be a panel ringed by the card's ground,
				// the card running out of the frame past it where no even
				// band does (ringToFrame).
				banded = ringToFrame(q, &edges, sw, sh)
			}
			if banded >= 0 {
				// The outline is a panel printed on a card that runs out
				// of the frame beyond that side: its two corners there are
				// not the card's, whose own lie beyond the photo's edge.
				cs[banded], cs[(banded+1)%4] = 0, 0
			}
			corners = math.Min(math.Min(cs[0], cs[1]), math.Min(cs[2], cs[3]))
		}
		wq := scaleQuad(sq, float64(sf))
		oq := scaleQuad(wq, scale)
		rep.Document = make([]Point, 4)
		for i, c := range oq {
			rep.Document[i] = Point{X: math.Round(c[0]*10) / 10, Y: math.Round(c[1]*10) / 10}
		}
	} else {
		// No document found: measure the middle of the frame.
		sq = frameMiddle(sw, sh)
	}
	wq := scaleQuad(sq, float64(sf))
	lap("document")

	// Resolution (the document's long side in original pixels) and
	// exposure.
	res := docResolution(wq, found, scale, d.w, d.h, th)
	inner := rasterize(shrink(wq, 0.06), p.w, p.h)
	bright, clipped := exposure(p, inner)
	whole := true // every corner of the outline in the photo
	for _, c := range sq {
		whole = whole && !outsideFrame(c[0], c[1], sw, sh)
	}
	// Whether the photo's middle is washed out (washedOut): one pass over
	// it, made only when a rule below asks, at most once.
	middleWashed, middleKnown := false, false
	washedMiddle := func() bool {
		if !middleKnown {
			middleWashed, middleKnown = washedOut(p, sw, sh, sf, lostWashed), true
		}
		return middleWashed
	}
	lost := found && lostInWashout(res, bright, clipped, corners, whole, th) && washedMiddle()
	lostDetail := ""
	if lost {
		lostDetail = "not evaluated: the only outline found was " + lostWhat(res, bright, th) + ", in a photo whose middle is washed out: dropped"
		// The outline is something small or dark in a photo whose
		// middle is washed out (a tile, the portrait, a shadowed edge):
		// the card is lost in the glare, as when none is found.
		found, corners, banded, byRegion = false, 0, -1, false
		rep.Document = nil
		sq = frameMiddle(sw, sh)
		wq = scaleQuad(sq, float64(sf))
		res = docResolution(wq, found, scale, d.w, d.h, th)
		inner = rasterize(shrink(wq, 0.06), p.w, p.h)
		bright, clipped = exposure(p, inner)
	}
	lap("exposure")
	innerSmall := rasterize(shrink(sq, 0.04), sw, sh)

	blur, widths := blurMeasure(p, inner)
	width := -1.0 // measured only in the doubt bands
	widthLimit := edgeWidthLimit(blur, d.factor, th)
	if widthLimit > 0 {
		width = edgeWidth(p, inner)
	}
	motion := widths.motion()
	wide := widths.median()
	lap("blur")

	glare, blobs, glareClipped := glareMeasure(small, sw, innerSmall, ws)
	glareDetail, clippedDetail := "", ""
	if clipped > th.MaxClipped {
		rest := clipped * (1 - glareClipped)
		if found && corners >= th.MinCorners && glare > th.MaxGlare && glare <= maxGlarePart && rest <= th.MaxClipped && bright < glareRestLuma {
			// Reflections hold the clipped pixels, cover part of the
			// document, and the rest keeps its tones: that is glare,
			// not an over-exposed photo (whose clipping spreads over
			// the document, its median on the tone curve's shoulder).
			// Only on a whole outline: one that takes in part of a
			// washed-out card and some background makes the card's
			// part look like a reflection on a darker document.
			clipped = rest
			clippedDetail = "measured outside the glare"
		} else {
			// The whole document is washed out: that is over-exposure,
			// which its own check reports, not a reflection on part of
			// it.
			glare, blobs = 0, nil
			glareDetail = "over-exposed: not evaluated"
		}
	}
	for _, b := range blobs {
		rep.Glare = append(rep.Glare, image.Rect(
			int(float64(b.Min.X*sf)*scale), int(float64(b.Min.Y*sf)*scale),
			int(math.Ceil(float64(b.Max.X*sf)*scale)), int(math.Ceil(float64(b.Max.Y*sf)*scale))))
	}
	lap("glare")

	colourInner := colourRegion(wq, p.w, p.h)
	colour, colourUsable := colourfulness(p, colourInner)
	tone, cast := -1.0, -1.0
	byTone, byCast := colourDoubt(colour, bright, th)
	washed := washedCast(colour, colourUsable, clipped, th)
	if washed {
		byTone, byCast = false, true
	}
	if byTone || byCast {
		t, c := colourTone(p, colourInner)
		if byTone {
			tone = t
		} else {
			cast = c
		}
	}
	lap("colour")

	recapture := recaptureMeasure(p, wq, d.factor)
	lap("recapture")

	resolutionC := result(CheckResolution, res, th.MinResolution, true, reason.DocLowResolution)
	blurC := result(CheckBlur, blur, th.MaxBlur, false, reason.DocBlurry)
	var widthC *CheckResult
	if !blurC.Pass && width >= 0 {
		// In the doubt bands above the threshold the re-blur measure
		// alone is not trusted (cards of large flat panels score high):
		// the edges' width decides, the more strictly the higher blur.
		c := result(CheckBlurEdgeWidth, width, widthLimit, false, reason.DocBlurry)
		widthC = &c
		blurC.Pass = true
		blurC.Detail = "in the doubt band: decided by " + CheckBlurEdgeWidth
		if blur > th.MaxBlurDoubt {
			blurC.Detail = "in the plain card's doubt band: decided by " + CheckBlurEdgeWidth
		}
	}
	// A motion blur widens the edges along one direction only: the
	// re-blur measure, which most of the card's flat paper dilutes, can
	// pass it whatever its length.
	motionC := result(CheckBlurMotion, motion, th.MaxBlurMotion, false, reason.DocBlurry)
	// A defocused card whose detail is soft print on flat ground (few
	// fine, high-contrast steps for the re-blur to remove) can read sharp
	// to the re-blur measure, yet its strong edges are twice a sharp
	// card's width at any resolution.
	wideC := result(CheckBlurWideEdges, wide, th.MaxEdgeWidthSharp, false, reason.DocBlurry)
	glareC := result(CheckGlare, glare, th.MaxGlare, false, reason.DocGlare)
	glareC.Detail = glareDetail
	cornersC := result(CheckCorners, corners, th.MinCorners, true, reason.DocCutOff)
	if banded >= 0 {
		cornersC.Detail = "the card runs on beyond the outline to the photo's edge"
	}
	if byRegion {
		cornersC.Detail = "the outline is the card's region around a box printed on it"
		if regionRunsOut {
			cornersC.Detail += ", which runs on to the photo's edge"
		}
	}
	colourC := result(CheckColour, colour, th.MinColour, true, reason.DocNotColour)
	if washed {
		// On an over-exposed photo with a fifth to a half of the
		// document left in the tones colour is read in, colour_cast
		// decides on what is left, below MinColour too (see washedCast).
		colourC.Pass = true
	}
	var toneC *CheckResult
	if colourC.Pass && tone >= 0 {
		// Above the threshold the distance from one cast alone is not
		// trusted up to MinColourDoubt (a grey copy whose cast a shadow
		// or the tone curve's shoulder weakens and turns on part of
		// it): the document is grey when its chroma keeps to one cast
		// at each luma.
		c := result(CheckColourTone, tone, th.MinColourTone, true, reason.DocNotColour)
		toneC = &c
		colourC.Detail = "in the doubt band: decided by " + CheckColourTone
	}
	if colourC.Pass && cast >= 0 {
		// Up to MinColourStrong a grey copy under a strong light may
		// read as several colours: its white paper on the tone curve's
		// shoulder keeps a far weaker cast than its toner. It is grey
		// when its chroma keeps to one cast at each luma within the
		// chroma's rounding and noise.
		c := result(CheckColourCast, cast, th.MinColourCast, true, reason.DocNotColour)
		toneC = &c
		colourC.Detail = "under a possible strong cast: decided by " + CheckColourCast
		if washed {
			colourC.Detail = "over-exposed, under half of the document in the tones colour is read in: decided by " + CheckColourCast + " on what is left"
		}
	}
	brightnessC := result(CheckBrightness, bright, th.MinBrightness, true, reason.DocTooDark)
	clippedC := result(CheckClipped, clipped, th.MaxClipped, false, reason.DocOverexposed)
	clippedC.Detail = clippedDetail
	recaptureC := result(CheckRecapture, recapture, th.MaxRecapture, false, reason.DocNotOriginal)
	grey := &colourC
	if toneC != nil {
		grey = toneC
	}
	washedGrey := colour < maxWashedColour && colourUsable >= minWashedUsable || washed && !grey.Pass ||
		!clippedC.Pass && leftGrey(colour, colourUsable, colourSamples(p, colourInner))
	if !grey.Pass && colourUsable < minColourUsable && !washedGrey && !neutralChroma(p, inner) {
		// Clipped highlights and deep shadows have lost their chroma: a
		// photo that fails its exposure with most of the document in
		// them reads as grey whatever was printed. Its colour is judged
		// again on the retake that its exposure's remedy asks for.
		// Unless what is left keeps to one cast far more closely than a
		// washed-out colour card's print does (washedGrey): a grey copy
		// whose white paper clips. Or unless no chroma is left at all
		// in the tones colour is read in (neutralChroma): a black-and-white
		// photo, however exposed.
		for _, c := range []CheckResult{brightnessC, clippedC} {
			if !c.Pass {
				grey.Pass = true
				grey.Detail = "not evaluated: most of the document is beyond the tones colour is read in, in a photo that fails " + c.Name
				break
			}
		}
	}
	sharp := blurC
	if widthC != nil {
		sharp = *widthC
	}
	excuseCorners(&cornersC, found, faint, sharp, motionC, wideC, brightnessC, clippedC)
	if lost {
		cornersC.Detail = lostDetail
	}
	if !cornersC.Pass && !clippedC.Pass && washedMiddle() {
		// The outline is washed out itself in a photo whose middle is
		// washed out: a card's edges against a clipped ground are lost,
		// and what was found is the edge of the white around it (a
		// sheet, the glare) with corners beyond the photo or sides
		// missing. Its corners say nothing about the card's, and the
		// exposure's remedy is the one to give (washedCorners).
		cornersC.Pass = true
		cornersC.Detail = "not evaluated: the outline is washed out, in a photo whose middle is washed out"
	}
	rep.Checks = append(rep.Checks, resolutionC, blurC)
	if widthC != nil {
		rep.Checks = append(rep.Checks, *widthC)
	}
	rep.Checks = append(rep.Checks, motionC, wideC, glareC, cornersC, colourC)
	if toneC != nil {
		rep.Checks = append(rep.Checks, *toneC)
	}
	rep.Checks = append(rep.Checks, brightnessC, clippedC, recaptureC)

	if opts.Side == Front && opts.FaceDetector != nil {
		rep.Checks = append(rep.Checks, faceCheck(d, wq, found, scale, opts, ws, rep))
		lap("face")
	}
}

// blurMeasure is the re-blur measure of Crété-Roffet et al. ("The Blur
// Effect", 2007) over the document, horizontally on every 4th row and
// vertically on every 4th column: how little the differences between
// neighbours shrink when the image is blurred again. 0 is sharp, 1 flat.
// In the same pass it histograms the widths of the strong edges met
// along every other of those rows and columns (edgeWidths; every 8th row
// and column, half the cost), for motion.
func blurMeasure(p *planes, r region) (float64, dirWidths) {
	var sf, sv [2]int64
	var w dirWidths
	var k [2]int
	sampledLines(p, r, func(line []byte, vertical bool) {
		f, v := reblur(line)
		d := 0
		if vertical {
			d = 1
		}
		sf[d] += f
		sv[d] += v
		if k[d]%2 == 0 {
			w[d].addLine(line)
		}
		k[d]++
	})
	bh, bv := 1.0, 1.0
	if sf[0] > 0 {
		bh = float64(sf[0]-sv[0]) / float64(sf[0])
	}
	if sf[1] > 0 {
		bv = float64(sf[1]-sv[1]) / float64(sf[1])
	}
	return math.Max(bh, bv), w
}

// edgeWidthLimit is the widest the document's strong edges (edgeWidth)
// may be for a re-blur measure of blur above MaxBlur to pass, on a photo
// decoded at factor original pixels per working pixel, or 0 where the
// re-blur measure decides alone (at or below MaxBlur: sharp; above the
// doubt bands: blurred). The re-blur measure reads how much of the
// document's detail a blur removes, so it is biased by how much fine
// detail the card carries. Just above MaxBlur (up to MaxBlurDoubt) edges
// up to MaxEdgeWidth vouch for sharpness. Higher, up to MaxBlurPlain,
// only on a photo worked at its full resolution (factor 1), and only
// edges up to MaxEdgeWidthPlain: there the camera's own softness spans
// about two working pixels, and a sharp card of large plain panels and a
// few text strokes, without fine print, scores up to about 0.33; a
// reduced photo's sharp edges are narrower, its plain cards score lower,
// and a blur that leaves its edges as narrow as a full-resolution sharp
// card's is a real one.
func edgeWidthLimit(blur float64, factor int, th Thresholds) float64 {
	switch {
	case blur <= th.MaxBlur:
		return 0
	case blur <= th.MaxBlurDoubt:
		return th.MaxEdgeWidth
	case blur <= th.MaxBlurPlain && factor == 1:
		return th.MaxEdgeWidthPlain
	}
	return 0
}

// sampledLines calls fn with the lines of the document that the sharpness
// measures read: every 4th row of the region, then (on a region more than
// 4*blurHalf rows tall) every 4th column over the rows covering it, each
// at least 4*blurHalf pixels long. A column's slice is reused between
// calls.
func sampledLines(p *planes, r region, fn func(line []byte, vertical bool)) {
	for i, s := range r.spans {
		if i%4 != 0 || s.x1-s.x0 < 4*blurHalf {
			continue
		}
		fn(p.y[s.y*p.ys+s.x0:s.y*p.ys+s.x1], false)
	}
	if len(r.spans) <= 4*blurHalf {
		return
	}
	xmin, xmax := p.w, 0
	for _, s := range r.spans {
		xmin, xmax = min(xmin, s.x0), max(xmax, s.x1)
	}
	buf := make([]byte, 0, len(r.spans))
	for x := xmin + (4-xmin%4)%4; x < xmax; x += 4 {
		buf = buf[:0]
		for _, s := range r.spans {
			if x >= s.x0 && x < s.x1 {
				buf = append(buf, p.y[s.y*p.ys+x])
			} else if len(buf) > 0 {
				break // the region is convex: its column is one run
			}
		}
		if len(buf) < 4*blurHalf {
			continue
		}
		fn(buf, true)
	}
}

// edgeWidth is the typical width, in working pixels, of the document's
// strong edges, horizontally on every 4th row and vertically on every 4th
// column (the lines blurMeasure reads, sampledLines): each monotone run of
// at least edgeMinContrast grey levels is scored by its contrast over its
// steepest step between neighbours (a step edge blurred by a Gaussian of
// σ pixels scores about 2.5 σ; a sharp one 1 to 2). The median per
// direction, the larger of the two (a direction without strong edges is
// left out). Unlike the re-blur measure it does not depend on how much of
// the document is flat: a card of large plain panels and few, sharp edges
// scores as sharp.
func edgeWidth(p *planes, r region) float64 {
	var w [2][]float32
	sampledLines(p, r, func(line []byte, vertical bool) {
		d := 0
		if vertical {
			d = 1
		}
		w[d] = edgeWidths(line, w[d])
	})
	if len(w[0]) == 0 && len(w[1]) == 0 {
		return noEdgeWidth
	}
	return math.Max(median32(w[0]), median32(w[1]))
}

// widthHist counts strong edges (edgeWidths) by width, in steps of
// 1/widthBinsPerPx pixel (wider ones in the last bin).
type widthHist struct {
	n   int
	bin [widthBins]int32
}

const (
	widthBinsPerPx = 8
	widthBins      = 32 * widthBinsPerPx
)

// addLine counts the strong edges along line: the runs edgeWidths
// scores, each by its contrast over its steepest step. One pass over the
// neighbour differences, a run's sums carried while their sign holds,
// rather than a loop per run: on noisy paper the sign flips every pixel
// or two.
func (h *widthHist) addLine(line []byte) {
	acc, steep, ps := 0, 0, 0 // the current run's contrast, steepest step, sign
	for i := 1; i < len(line); i++ {
		d := int(line[i]) - int(line[i-1])
		s := d>>63 | int(uint(-d)>>63) // −1, 0 or 1
		a := d * s
		m := 0 // 1 while the run goes on
		if s == ps {
			m = 1
		}
		if acc >= edgeMinContrast && m == 0 {
			h.bin[min(acc*widthBinsPerPx/steep, widthBins-1)]++
			h.n++
		}
		acc = acc*m + a
		steep = max(steep*m, a)
		ps = s
	}
	if acc >= edgeMinContrast {
		h.bin[min(acc*widthBinsPerPx/steep, widthBins-1)]++
		h.n++
	}
}

// lowerQuartile is the width a quarter of the way up the edges counted
// (the lower end of its bin; h not empty).
func (h *widthHist) lowerQuartile() float64 {
	return float64(h.binAt((h.n-1)/4)) / widthBinsPerPx
}

// binAt is the bin holding the edge of rank k (from 0, narrowest first),
// the last bin when k is past the edges counted.
func (h *widthHist) binAt(k int) int {
	for b, c := range h.bin {
		if k < int(c) {
			return b
		}
		k -= int(c)
	}
	return widthBins - 1
}

// dirWidths holds the strong edges met along the rows [0] and along the
// columns [1], by width.
type dirWidths [2]widthHist

// motion is how much wider, in working pixels, the sharp end of the
// strong edges is along one direction than along the other: the
// difference of the lower quartiles of the widths along the rows and
// along the columns. A motion blur of L pixels along the rows turns every
// edge a row crosses, at any angle, into a ramp at least L pixels long on
// that row, and leaves the edges the columns cross as they were; a
// defocus, or the camera's own softness, widens both alike. The lower
// quartile, not the median: soft edges of the design or of a reflection
// (ramps of their own, whatever the sharpness) can make up most of one
// direction's edges on a card whose print runs along the other, but the
// print's sharp edges still hold its lower end. 0 when either direction
// has fewer than minMotionEdges strong edges (too little print to say).
func (w *dirWidths) motion() float64 {
	if w[0].n < minMotionEdges || w[1].n < minMotionEdges {
		return 0
	}
	return math.Abs(w[0].lowerQuartile() - w[1].lowerQuartile())
}

// median is the typical width, in working pixels, of the strong edges
// counted: the median per direction (the middle of its bin), the larger
// of the two, a direction with fewer than minMotionEdges strong edges
// left out; 0 when both are (too little print to say). A defocus of σ
// pixels makes it about 2.5 σ in both directions; a motion blur, in one.
// It reads the same edges as motion, every other line edgeWidth reads:
// no pass of its own.
func (w *dirWidths) median() float64 {
	m := 0.0
	for d := range w {
		if w[d].n >= minMotionEdges {
			m = math.Max(m, w[d].quantile(0.5))
		}
	}
	return m
}

// quantile is the width at fraction q of the way up the edges counted,
// the middle of its bin (h not empty).
func (h *widthHist) quantile(q float64) float64 {
	return (float64(h.binAt(int(q*float64(h.n-1)))) + 0.5) / widthBinsPerPx
}

// minMotionEdges: the strong edges each direction needs for motion to
// compare their widths, and for median to count it.
const minMotionEdges = 32

// noEdgeWidth is edgeWidth's answer for a document without a single
// strong edge: nothing vouches for its sharpness.
const noEdgeWidth = 99

// edgeMinContrast: the grey levels a monotone run must span to count as
// a strong edge.
const edgeMinContrast = 40

// edgeWidths appends, for each strong edge along line (a run of
// neighbour differences of one sign spanning at least edgeMinContrast),
// its contrast divided by its largest single step.
func edgeWidths(line []byte, out []float32) []float32 {
	n := len(line)
	for i := 1; i < n; {
		d := int(line[i]) - int(line[i-1])
		if d == 0 {
			i++
			continue
		}
		sgn := 1
		if d < 0 {
			sgn = -1
		}
		start, steep := i-1, 0
		j := i
		for ; j < n; j++ {
			dd := (int(line[j]) - int(line[j-1])) * sgn
			if dd <= 0 {
				break
			}
			steep = max(steep, dd)
		}
		if c := (int(line[j-1]) - int(line[start])) * sgn; c >= edgeMinContrast {
			out = append(out, float32(c)/float32(steep))
		}
		i = j
	}
	return out
}

// median32 returns the upper median of v (0 when empty), sorting v.
func median32(v []float32) float64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	return float64(v[len(v)/2])
}

const (
	blurHalf  = 4     // the re-blur is a 9-tap box
	blurNoise = 3 * 9 // neighbour differences up to 3 grey levels (×9) are noise
)

// reblur returns, along one line of pixels, the sum of absolute
// differences between neighbours and the sum of how much each shrinks
// after a 9-tap box blur (both ×9, in integers).
//
// A difference within blurNoise and one that the blur does not shrink
// are left out with masks rather than branches: on a document's paper
// which of the two a pixel falls on is close to random, which a branch
// predictor cannot follow. The box's sum is kept with
// the line's ends repeated outwards (the first blurHalf+1 and the last
// blurHalf pixels), and between them straight from the line.
func reblur(line []byte) (sumF, sumV int64) {
	n := len(line)
	if n == 0 {
		return 0, 0
	}
	at := func(i int) int32 {
		if i < 0 {
			i = 0
		} else if i >= n {
			i = n - 1
		}
		return int32(line[i])
	}
	var sum int32
	for k := -blurHalf; k <= blurHalf; k++ {
		sum += at(k)
	}
	prevF, prevB := int32(line[0])*9, sum
	var sf, sv int64
	// add takes the pixel f (×9) and the box's sum at it.
	add := func(f, sum int32) {
		df := f - prevF
		df = (df ^ df>>31) - df>>31
		db := sum - prevB
		db = (db ^ db>>31) - db>>31
		keep := (blurNoise - df) >> 31 // −1 beyond the noise, else 0
		d := df - db
		d &^= d >> 31 // how much it shrinks, 0 if it grows
		sf += int64(df & keep)
		sv += int64(d & keep)
		prevF, prevB = f, sum
	}
	// The box reaches past the line's start up to x = blurHalf, past its
	// end from x = n − blurHalf.
	lo := min(blurHalf+1, n)
	hi := max(lo, n-blurHalf)
	for x := 1; x < lo; x++ {
		sum += at(x+blurHalf) - at(x-blurHalf-1)
		add(int32(line[x])*9, sum)
	}
	if hi > lo {
		mid := line[lo:hi]
		ahead := line[lo+blurHalf : hi+blurHalf][:len(mid)]
		behind := line[lo-blurHalf-1 : hi-blurHalf-1][:len(mid)]
		for i, v := range mid {
			sum += int32(ahead[i]) - int32(behind[i])
			add(int32(v)*9, sum)
		}
	}
	for x := hi; x < n; x++ {
		sum += at(x+blurHalf) - at(x-blurHalf-1)
		add(int32(line[x])*9, sum)
	}
	return sf, sv
}

// docResolution is the document's long side in original pixels: the
// mean of the outline wq's opposite sides (working pixels, scale original
// pixels each), the longer pair; without an outline (found false), 3/4 of
// the photo's long side, a document spanning at most that. On a photo
// (w×h) smaller than MinResolution, no more than its long side.
func docResolution(wq [4][2]float64, found bool, scale float64, w, h int, th Thresholds) float64 {
	var res float64
	if found {
		var l [4]float64
		for i := 0; i < 4; i++ {
			a, b := wq[i], wq[(i+1)%4]
			l[i] = math.Hypot(b[0]-a[0], b[1]-a[1])
		}
		res = math.Max(l[0]+l[2], l[1]+l[3]) / 2 * scale
	} else {
		res = 0.75 * float64(max(w, h))
	}
	if max(w, h) < int(th.MinResolution) {
		res = math.Min(res, float64(max(w, h)))
	}
	return res
}

// lostWashed: when the middle of the photo is washed out beyond this
// share (washedOut), an outline that is small or dark without being
// washed out itself is not the card (lostInWashout). Development seeds
// 441–443: the 1,036 photos without over-exposure have at most 0.21 of
// the middle at exposureClip or above (the 700 clean ones 0.14), the 16
// over-exposed ones whose outline overlaps the card under 0.3 from 0.44
// (the four whose outline is a tile, a box or something dark 0.60–0.83).
const lostWashed = 0.5

// lostInWashout says whether an outline of resolution res, median luma
// bright and clipped share clipped fails the checks a wrong outline in
// a washed-out photo fails, a tile, the portrait or a shadowed strip
// taken for the card: it is too small or too dark, and not washed out
// itself. The caller asks washedOut too (lostWashed): the card, lost in
// the glare, is then measured as when no outline is found. Only a photo
// that fails resolution or brightness on its outline is changed: it is
// rejected either way, now for its exposure.
func lostInWashout(res, bright, clipped, corners float64, whole bool, th Thresholds) bool {
	return clipped <= th.MaxClipped && (res < th.MinResolution || bright < th.MinBrightness || whole && corners < th.MinCorners)
}

// lostWhat says why lostInWashout dropped an outline.
func lostWhat(res, bright float64, th Thresholds) string {
	if res < th.MinResolution {
		return "too small for the card"
	}
	if bright < th.MinBrightness {
		return "too dark for the card"
	}
	return "one whose corners fail"
}

// colourRegion is where a document's colour is read (colourfulness,
// colourTone) inside its outline wq (working pixels, a w×h photo): the
// outline shrunk by colourMargin, half the margin the other measures
// keep (inner, 0.06). A pale card's colour may lie mostly in a rule or
// band printed along its edge, the rest of it one tint that a light of
// that tint gives a grey copy too: a rule 1.5–3 % of the card's size in
// from its edge is outside inner and inside this (TestColourRegionFramedCard).
// A sliver of the background inside an outline a little too wide stays
// outside it up to 1.5 % of the card on a side; beyond that only the 2 %
// of samples colourfulness sets aside take a narrow one.
// neutralChroma keeps to inner: whether a document has no chroma at all
// is not read where the ground's chroma bleeds across its edge (half
// resolution, JPEG), a large share of the few samples a clipped card
// leaves (TestExposureGlareColour's clipped grey card).
func colourRegion(wq [4][2]float64, w, h int) region {
	return rasterize(shrink(wq, colourMargin), w, h)
}

// colourMargin: colourRegion keeps 1.5 % of the outline's size from each
// side (shrink moves each side in by half the fraction).
const colourMargin = 0.03

// minColourUsable: on a photo that fails its exposure, the colour check
// speaks only when at least this share of its samples has a luma that
// keeps chroma (colourfulness).
const minColourUsable = 0.5

// maxWashedColour and minWashedUsable: a photo that fails its exposure
// with less than minColourUsable of its samples left to judge by is still
// grey when at least minWashedUsable of them are left and they stray
// less than maxWashedColour from one cast. A grey copy's print keeps its
// cast's one chromaticity when its paper clips (development photocopies
// 0.36 and 0.37, usable 0.23 and 0.46), while an over-exposed colour
// card's remaining print, pale as it is, strays 1.2 and more (usable
// shares from 0.06; 2.0 and more from 0.2). Below a fifth of the samples
// (a card left with nothing but thin dark print) nothing is judged.
const (
	maxWashedColour = 0.8
	minWashedUsable = 0.2
)

// maxLeftColour and minLeftSamples: an over-exposed photo with under
// minWashedUsable of its samples in the tones colour is read in is still
// grey when at least minLeftSamples are read and they stray less than
// maxLeftColour from one cast (leftGrey). A grey copy whose paper and
// pale greys clip keeps one cast on the toner left: of the development
// photocopies of seeds 630 and 631 brought 1.3 and 1.6 times brighter
// that fall there, 20 of 50 score under 0.6 (from 0.08; 10 of the 16
// clear ones), while over-exposed colour cards' remaining print strays
// 0.93 and more (seeds 630 and 631) and clean cards brought 1.3 to 1.9
// times brighter 0.81 and more (one card; the rest 1.10 and more).
const (
	maxLeftColour  = 0.6
	minLeftSamples = 64
)

// leftGrey says whether an over-exposed document with little left in
// the tones colour is read in is grey: its colour score colour over
// samples samples, of which the share usable keeps chroma
// (colourfulness), strays less than maxLeftColour from one cast, with at
// least minLeftSamples read and under minWashedUsable usable (from
// there maxWashedColour applies). The caller asks it only of a photo
// that fails clipped: a too-dark one loses its tints to noise instead.
func leftGrey(colour, usable float64, samples int) bool {
	return usable < minWashedUsable && samples >= minLeftSamples && colour < maxLeftColour
}

// colourSamples is the number of samples colourfulness reads in region
// r: blocks whose mean luma is in the tones colour is read in.
func colourSamples(p *planes, r region) int {
	n := 0
	eachColourSample(p, r, func(_, _, _ int) { n++ })
	return n
}

// neutralChroma reports whether the document holds no colour at all: of
// colourfulness's samples (blocks whose mean luma is in the tones colour
// is read in, colourBlock), at least 16, all but 2 % have chroma exactly
// neutral (Cb = Cr = 128). A black-and-white photo (a camera's monochrome
// mode, a grayscale file, a colour photo desaturated) has no chroma
// anywhere, over-exposed or too dark as it may be, while a colour card's
// remaining print, however washed out or dark, keeps the tints and the
// sensor's colour noise: of the 131 clean cards of development seeds
// 470–473 brought 1.3 times brighter with under minWashedUsable of their
// samples left, at most 9.6 % of the samples are neutral. Called only on
// a photo whose exposure would otherwise keep its colour from being
// judged.
func neutralChroma(p *planes, r region) bool {
	n, neutral := 0, 0
	eachColourSample(p, r, func(cx, cy, _ int) {
		n++
		if p.cb[cy*p.cs+cx] == 128 && p.cr[cy*p.cs+cx] == 128 {
			neutral++
		}
	})
	return n >= 16 && neutral >= n-n*2/100
}

// washedCast says whether colour_cast decides the colour of a document
// whose colour score is colour, of which the share usable keeps chroma
// (colourfulness), on a photo that fails its exposure by its clipped
// share: over-exposed, with minWashedUsable to minColourUsable of the
// document left in the tones colour is read in, and colour from
// maxWashedColour up to MinColourStrong (below maxWashedColour the photo
// is grey by colour alone). A grey copy under a light strong enough to
// clip its paper keeps one cast at each luma in what is left, its toner
// and its paper in shadow, while the tone curve's shoulder weakens the
// cast on its pale greys, so colour counts two chromaticities: of the
// development copies and black-and-white photos of seeds 441 and 443
// brought 1.3 times brighter, 50 fall here and 21 of them have
// colour_cast under MinColourCast. An over-exposed colour card's
// remaining print keeps its tints: colour_cast 0.33 and more on the 13
// over-exposed cards of seeds 441–443 that fall here, 0.36 and more on
// 33 clean cards of seed 443 brought 1.3 times brighter (one of 49 under
// it at 1.55 times, a white back whose only colour is a faint pattern).
// Below minWashedUsable nothing is judged.
func washedCast(colour, usable, clipped float64, th Thresholds) bool {
	return clipped > th.MaxClipped && usable >= minWashedUsable && usable < minColourUsable &&
		colour >= maxWashedColour && colour < th.MinColourStrong
}

// colourDoubt says which second measure decides a document's colour
// score (colour) of median luma bright: colour_tone in the doubt band
// from MinColour to MinColourDoubt; colour_cast above it up to
// MinColourStrong, on a document bright enough for its paper to lie on
// the tone curve's shoulder (strongCastLuma); neither elsewhere.
func colourDoubt(colour, bright float64, th Thresholds) (byTone, byCast bool) {
	switch {
	case colour < th.MinColour:
		return false, false
	case colour < th.MinColourDoubt:
		return true, false
	default:
		return false, colour < th.MinColourStrong && bright >= strongCastLuma
	}
}

// strongCastLuma: colour_cast speaks only on a document whose median
// luma is at least this. What it is for, a grey copy whose white paper
// lies on the tone curve's shoulder, has a bright document (development
// copies 191–238); on a darker photo the two chroma levels it allows are
// a larger share of luma and swallow a colour card's tints (development
// too-dark photos at median luma 62–98 read as grey).
const strongCastLuma = 190

// colourLitLuma: a block darker than this (mean luma) keeps too little
// chroma to vouch for a colour: a chroma level is 2.5 % of luma at 40,
// under sensor noise of several levels, and a dark photo's coloured print
// falls below colourBlock's floor altogether, leaving the pale paper.
const colourLitLuma = 60

// maxGlarePart and glareRestLuma: a photo whose clipped pixels lie in
// reflections (glareMeasure) is not over-exposed when the largest covers
// at most this share of the document and the document's median luma is
// below glareRestLuma (over-exposed development photos 246 and up, clean
// ones up to 242, those with a reflection up to 234).
const (
	maxGlarePart  = 0.25
	glareRestLuma = 240
)

// exposureClip is the lowest luma the over-exposure check counts as
// clipped.
const exposureClip = 250

// exposure returns the median luma of the document and the fraction of
// its pixels at exposureClip or above.
func exposure(p *planes, r region) (median, clipped float64) {
	var hist [256]int
	n := 0
	for i, s := range r.spans {
		if i%2 != 0 {
			continue
		}
		row := p.y[s.y*p.ys:]
		for x := s.x0; x < s.x1; x += 2 {
			hist[row[x]]++
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	c := 0
	med := -1
	for v, k := range hist {
		c += k
		if med < 0 && 2*c >= n {
			med = v
		}
	}
	hi := 0
	for v := exposureClip; v < 256; v++ {
		hi += hist[v]
	}
	return float64(med), float64(hi) / float64(n)
}

// glareLevel is the lowest (4×4-averaged) luma counted as saturated: a
// white machine-readable zone under bright light reaches 240 between its
// characters, a specular highlight clips.
const glareLevel = 248

// glareClip is the (4×4-averaged) luma of a clipped pixel: a specular
// highlight's core reaches the sensor's ceiling (254–255 in the small
// image, under its noise), while a pale printed panel under bright light
// reaches glareLevel but stays within the card's own tones (248–252). A
// region counts as glare only when at least a tenth of it is clipped
// (development seed 103: reflections at the moderate and clear strengths
// 47–82 % clipped, a pale panel on a clean card 0.8 %).
const glareClip = 253

// glareMeasure finds saturated highlights on the document in the small
// luma image: connected pixels at glareLevel or above, with a clipped
// core (at least a tenth at glareClip or above). It returns the largest one's share of the document's area,
// the bounding boxes (small pixels) of the sizeable ones, and the share
// of the document's clipped pixels (at exposureClip or above) that lie in
// the highlights counted (the over-exposure check sets those aside when
// a reflection alone clips the document).
func glareMeasure(small []byte, sw int, r region, ws *workspace) (share float64, boxes []image.Rectangle, clippedIn float64) {
	if r.area == 0 {
		return 0, nil, 0
	}
	level := glareLevel
	sh := len(small) / sw
	lab := ws.i(0, sw*sh) // 0 outside, -1 candidate, >0 blob id
	for _, s := range r.spans {
		row := small[s.y*sw:]
		for x := s.x0; x < s.x1; x++ {
			if int(row[x]) >= level {
				lab[s.y*sw+x] = -1
			}
		}
	}
	stack := ws.i(1, 0)[:0]
	largest := 0
	minBox := max(4, r.area/1000)
	over, in := 0, 0 // clipped pixels in candidate regions; in the highlights counted
	id := int32(0)
	for i, v := range lab {
		if v != -1 {
			continue
		}
		id++
		lab[i] = id
		stack = append(stack[:0], int32(i))
		n, clip, ex := 0, 0, 0
		box := image.Rect(i%sw, i/sw, i%sw+1, i/sw+1)
		for len(stack) > 0 {
			j := int(stack[len(stack)-1])
			stack = stack[:len(stack)-1]
			n++
			if small[j] >= glareClip {
				clip++
			}
			if small[j] >= exposureClip {
				ex++
			}
			x, y := j%sw, j/sw
			box = box.Union(image.Rect(x, y, x+1, y+1))
			for _, k := range [4]int{j - 1, j + 1, j - sw, j + sw} {
				if k < 0 || k >= len(lab) || lab[k] != -1 {
					continue
				}
				if (k == j-1 && x == 0) || (k == j+1 && x == sw-1) {
					continue
				}
				lab[k] = id
				stack = append(stack, int32(k))
			}
		}
		over += ex
		if printInside(small, sw, box, lab, id, ws) {
			continue // bright paper between dark print: not a reflection
		}
		if clip*10 < n {
			// Bright but not clipped: a pale panel of the card's own
			// tones (a reflection has a clipped core).
			continue
		}
		largest = max(largest, n)
		in += ex
		if n >= minBox {
			boxes = append(boxes, box)
		}
	}
	ws.i32[1] = stack
	if over > 0 {
		clippedIn = float64(in) / float64(over)
	}
	return float64(largest) / float64(r.area), boxes, clippedIn
}

// printInside reports whether the middle of the box (its central half,
// when it is large enough) holds print (pixels well below the saturation
// level) inside region id of lab: a reflection bright enough to clip washes the print out (what
// shows at its rim is outside it); a white area of the document that
// merely reaches the level (a machine-readable zone in bright light)
// still shows its characters.
func printInside(small []byte, sw int, box image.Rectangle, lab []int32, id int32, ws *workspace) bool {
	// The region's extent along each row and each column of its box:
	// print inside it has the region on both sides both ways, while
	// whatever the region merely borders (a portrait beside a
	// reflection that spread over bright paper) has not.
	bw, bh := box.Dx(), box.Dy()
	ext := ws.i(2, 2*(bw+bh))
	rowLo, rowHi, colLo, colHi := ext[:bh], ext[bh:2*bh], ext[2*bh:2*bh+bw], ext[2*bh+bw:]
	for i := range rowLo {
		rowLo[i], rowHi[i] = math.MaxInt32, -1
	}
	for i := range colLo {
		colLo[i], colHi[i] = math.MaxInt32, -1
	}
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			if lab[y*sw+x] != id {
				continue
			}
			ry, cx := int32(y-box.Min.Y), int32(x-box.Min.X)
			rowLo[ry], rowHi[ry] = min(rowLo[ry], cx), max(rowHi[ry], cx)
			colLo[cx], colHi[cx] = min(colLo[cx], ry), max(colHi[cx], ry)
		}
	}
	in := box
	if bw >= 8 && bh >= 8 {
		in = box.Inset(min(bw, bh) / 4)
	}
	dark, n := 0, 0
	for y := in.Min.Y; y < in.Max.Y; y++ {
		ry := int32(y - box.Min.Y)
		for x := in.Min.X; x < in.Max.X; x++ {
			n++
			cx := int32(x - box.Min.X)
			if small[y*sw+x] < glareLevel-70 && rowLo[ry] < cx && cx < rowHi[ry] && colLo[cx] < ry && ry < colHi[cx] {
				dark++
			}
		}
	}
	return n >= 16 && dark*10 > n
}

// colourfulness is how far the document's colour strays from one colour
// cast, in percent of luma: the root mean square distance between the
// document's typical chromaticity, (Cb−128, Cr−128) ÷ luma, and each
// sample's, once the 2 % of samples farthest from it are set aside (a
// sliver of background inside an outline a little too wide). A grey
// document (a black-and-white photo, a photocopy) under a coloured light
// has chroma in proportion to luma, one chromaticity everywhere: near 0.
//
// Chroma is sampled at half resolution and smoothed again by JPEG, so
// beside a luma edge it carries the other side's tint: the paper's cast
// on the dark print next to it reads two or three times as strong when
// divided by the print's own luma. So each chroma sample's chromaticity
// is taken as anything between its chroma divided by the brightest and by
// the darkest luma within a pixel of the 2×2 luma block it covers, and its
// distance is that of the nearest of those to the typical chromaticity:
// on a grey copy the tint smeared onto print is explained by the paper
// beside it, while colour printed in fine lines keeps at least its
// chroma over the brightest luma around it.
//
// It also returns the share of the blocks looked at whose chroma can
// speak: neither clipped (colourBlock) nor darker than colourLitLuma. On
// an over-exposed or too dark photo little of the document may be left to
// judge its colour by.
func colourfulness(p *planes, r region) (colour, usable float64) {
	// The typical chromaticity: per-component medians, in bins of
	// 1/colourBin percent.
	var hu, hv [2*colourSpan*colourBin + 1]int32
	n, lit := 0, 0
	visited := eachColourSample(p, r, func(cx, cy, y4 int) {
		hu[colourBinOf(int(p.cb[cy*p.cs+cx])-128, y4)]++
		hv[colourBinOf(int(p.cr[cy*p.cs+cx])-128, y4)]++
		n++
		if y4 >= 4*colourLitLuma {
			lit++
		}
	})
	if visited > 0 {
		usable = float64(lit) / float64(visited)
	}
	if n < 16 {
		return 0, usable
	}
	ku, kv := histMedian(hu[:], n)/100, histMedian(hv[:], n)/100

	// Each sample's distance to it, histogrammed to set the farthest
	// aside.
	var dist colourDists
	eachColourSample(p, r, func(cx, cy, _ int) {
		lo, hi := lumaRange(p, 2*cx, 2*cy)
		cb, cr := float64(int(p.cb[cy*p.cs+cx])-128), float64(int(p.cr[cy*p.cs+cx])-128)
		dist.add(chromaSegmentDist2(cb, cr, lumaRecip[max(lo, 16)], lumaRecip[max(hi, lo, 16)], ku, kv) * 1e4)
	})
	return dist.rms(n - n*2/100), usable
}

// colourDists is a histogram of squared distances, in percent², and
// their sums per bin.
type colourDists struct {
	cnt [colourDistBins]int32
	sum [colourDistBins]float64
}

func (h *colourDists) add(d2 float64) {
	b := min(int(d2*colourDistStep), colourDistBins-1)
	h.cnt[b]++
	h.sum[b] += d2
}

// rms is the root mean square of the keep smallest distances.
func (h *colourDists) rms(keep int) float64 {
	var tot float64
	left := keep
	for i := 0; i < colourDistBins && left > 0; i++ {
		c := int(h.cnt[i])
		if c <= left {
			tot += h.sum[i]
			left -= c
			continue
		}
		tot += h.sum[i] * float64(left) / float64(c)
		left = 0
	}
	return math.Sqrt(tot / float64(max(keep, 1)))
}

// eachColourSample calls f for colourfulness's samples of region r: the
// chroma sample (cx, cy) under every colourStep-th column of every
// colourStep-th span, with its 2×2 luma block's sum y4, where colourBlock
// keeps the block. It returns the number of blocks looked at, kept or
// not.
func eachColourSample(p *planes, r region, f func(cx, cy, y4 int)) (visited int) {
	for i, s := range r.spans {
		if i%colourStep != 0 || s.y/2 >= p.ch {
			continue
		}
		cy := s.y / 2
		row0, row1 := p.y[2*cy*p.ys:], p.y[min(p.h-1, 2*cy+1)*p.ys:]
		for x := s.x0 - s.x0%colourStep; x < s.x1; x += colourStep {
			cx := x / 2
			if x < s.x0 || cx >= p.cw {
				continue
			}
			visited++
			if y4 := colourBlock(row0, row1, 2*cx, p.w); y4 >= 0 {
				f(cx, cy, y4)
			}
		}
	}
	return visited
}

// colourBlock is the luma sum of the 2×2 block from column x0 of rows
// row0 and row1 (w wide), −1 when its mean is outside 30–245: sensor
// noise swamps the chromaticity of darker pixels, clipped ones have lost
// theirs.
func colourBlock(row0, row1 []byte, x0, w int) int {
	x1 := min(w-1, x0+1)
	y4 := int(row0[x0]) + int(row0[x1]) + int(row1[x0]) + int(row1[x1])
	if y4 < 4*30 || y4 > 4*245 {
		return -1
	}
	return y4
}

const (
	colourStep     = 8    // every 8th column of every 8th row: 1 in 64 luma pixels
	colourSpan     = 64   // chromaticities beyond ±64 % share the end bins
	colourBin      = 4    // bins per percent
	colourDistBins = 1024 // squared distances in 1/colourDistStep percent²
	colourDistStep = 16   // (those beyond 64 %² share the last bin)
)

// lumaRecip[l] is 1/l (0 for 0).
var lumaRecip = func() (t [256]float64) {
	for l := 1; l < 256; l++ {
		t[l] = 1 / float64(l)
	}
	return
}()

// lumaRange is the darkest and the brightest luma within a pixel of the
// 2×2 block from (x0, y0).
func lumaRange(p *planes, x0, y0 int) (lo, hi byte) {
	if x0 >= 1 && y0 >= 1 && x0+2 < p.w && y0+2 < p.h {
		o := (y0-1)*p.ys + x0 - 1
		a, b, c, d := p.y[o:o+4:o+4], p.y[o+p.ys:o+p.ys+4:o+p.ys+4], p.y[o+2*p.ys:o+2*p.ys+4:o+2*p.ys+4], p.y[o+3*p.ys:o+3*p.ys+4:o+3*p.ys+4]
		lo = min(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3], c[0], c[1], c[2], c[3], d[0], d[1], d[2], d[3])
		hi = max(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3], c[0], c[1], c[2], c[3], d[0], d[1], d[2], d[3])
		return lo, hi
	}
	lo, hi = 255, 0
	xa, xb := max(0, x0-1), min(p.w-1, x0+2)
	for yy := max(0, y0-1); yy <= min(p.h-1, y0+2); yy++ {
		for _, v := range p.y[yy*p.ys+xa : yy*p.ys+xb+1] {
			lo = min(lo, v)
			hi = max(hi, v)
		}
	}
	return lo, hi
}

// colourBinOf is the histogram bin of chromaticity c ÷ (y4/4), in percent
// (bins centred on whole multiples of 1/colourBin, 0 among them).
func colourBinOf(c, y4 int) int {
	b := int(math.Round(float64(c)*400*colourBin/float64(y4))) + colourSpan*colourBin
	return min(max(b, 0), 2*colourSpan*colourBin)
}

// histMedian is the middle of a histogram of n values, in percent (the
// bins of colourBinOf).
func histMedian(h []int32, n int) float64 {
	c := 0
	for i, v := range h {
		c += int(v)
		if 2*c >= n {
			return float64(i)/colourBin - colourSpan
		}
	}
	return 0
}

// chromaSegmentDist2 is the squared distance from the chromaticity
// (ku, kv) to the nearest of the chromaticities (cb, cr) × s for
// rhi ≤ s ≤ rlo, a segment through the origin (rlo and rhi: the
// reciprocals of the darkest and the brightest luma the sample may have).
func chromaSegmentDist2(cb, cr, rlo, rhi, ku, kv float64) float64 {
	s := rhi
	if cc := cb*cb + cr*cr; cc > 0 {
		// (Comparisons rather than min and max: those of floats take
		// NaN and signed zeros into account, which cannot occur here.)
		if s = (ku*cb + kv*cr) / cc; s < rhi {
			s = rhi
		} else if s > rlo {
			s = rlo
		}
	}
	du, dv := s*cb-ku, s*cr-kv
	return du*du + dv*dv
}

// smallFactor is the reduction smallPlanes takes w×h planes by: about
// smallSize pixels on the long side, and even, so that chroma (half
// resolution) reduces by a whole factor.
func smallFactor(w, h int) int {
	sf := max(1, int(math.Round(float64(max(w, h))/smallSize)))
	if sf > 1 && sf%2 == 1 {
		sf++
	}
	return sf
}

// smallPlanes reduces the luma and chroma planes to about smallSize
// pixels on the long side (sf working pixels per small pixel).
func smallPlanes(p *planes, ws *workspace) (sf, sw, sh int, chans [3][]byte) {
	sf = smallFactor(p.w, p.h)
	sw, sh = (p.w+sf-1)/sf, (p.h+sf-1)/sf
	if p.small[0] != nil && sf == 4 && p.w%4 == 0 && p.h%4 == 0 && len(p.small[0]) == sw*sh {
		// The decoder wrote them, the same bytes (decodeJPEG).
		return sf, sw, sh, p.small
	}
	chans[0] = ws.b(bufSmall, sw*sh)
	resample(p.y, p.w, p.h, p.ys, chans[0], sw, sh, sw, sf, 1)
	chans[1] = ws.b(bufSmallCb, sw*sh)
	chans[2] = ws.b(bufSmallCr, sw*sh)
	if sf == 1 {
		resample(p.cb, p.cw, p.ch, p.cs, chans[1], sw, sh, sw, 1, 2)
		resample(p.cr, p.cw, p.ch, p.cs, chans[2], sw, sh, sw, 1, 2)
	} else {
		resample(p.cb, p.cw, p.ch, p.cs, chans[1], sw, sh, sw, sf/2, 1)
		resample(p.cr, p.cw, p.ch, p.cs, chans[2], sw, sh, sw, sf/2, 1)
	}
	return
}

// excuseCorners passes a failing corners check c when the outline it was
// judged on says nothing about the corners: none was found (c then fails
// whatever), or only one with faintly backed sides (findQuad's faint), in
// a photo that fails one of the exposure or sharpness checks given. An
// outline lost in a photo that is too dark, washed out or blurred is lost
// to that, and the failing check's remedy is the one to give (it also
// brings the corners out). A faint outline in a washed-out photo is
// often part of the card's edge and a line of the print or the
// background (held-out seed 232's overexposed backs 00788 and 00814,
// called cut off when the looser search gave them one).
func excuseCorners(c *CheckResult, found, faint bool, failing ...CheckResult) {
	what := "no outline found"
	switch {
	case !found:
		c.Detail = "no document outline found"
	case faint && !c.Pass:
		what = "only a faintly backed outline found"
	default:
		return
	}
	for _, f := range failing {
		if !f.Pass {
			c.Pass = true
			c.Detail = "not evaluated: " + what + " in a photo that fails " + f.Name
			return
		}
	}
}

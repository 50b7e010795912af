package imagecheck

import "math"

// farFrameHolds lets the photo's edge far beyond the inner outline stand
// in for the card's side when the card's edges run on to it; when the
// inner outline covers wholeMinArea or more of what shows, it also asks
// for the card's own rounded corners (cardCorners), or a card lying
// whole on a sheet that runs out of the frame would be taken for a panel
// printed on a card. A panel printed flush with the card's edges on
// three sides (a two-tone card's pale panel, its band beyond the fourth
// side running out of the frame; development band seed 708's 00151)
// keeps those three sides: the enclosing outline has no new side, so no
// new corner, and cardCorners can never hold. What tells such a card
// from a card lying whole, its sides run on to the photo's edge by lines
// of the ground in line with them (ruled paper, tile joints), is what
// lies between the inner outline and the photo's edge: the card's own
// ground and print, unlike the table beyond the card's sides, where a
// whole card leaves the table itself (bandBackground and
// frameStripBackground refuse that, as for every enclosing outline), and
// unlike a plain sheet exactly the card's width under it (no print). A
// sheet under the card brings new sides (its edges) and is not judged
// so.

// farPrintMin is the least share of the strip between the inner outline
// and the photo's edge that must lie on an edge (stripPrint): a band
// carries the card's print (a name, an emblem; 0.015 on development band
// seed 708's 00106, 0.23-0.37 where the portrait or the fields lie
// there), a plain sheet under a whole card none.
const farPrintMin = 0.01

// stripIsCard reports whether outer, enclosing inner with every side in
// the photo one of inner's (the others the photo's edge), shows the card
// between inner and the photo's edge: the strip there judged against the
// table (frameStripBackground over at least outerStripMin samples, so
// the table unlike the card's ground just inside its sides) and carrying
// print (stripPrint at least farPrintMin). How much of the strip has the
// table's colour is judged after, for every enclosing outline
// (bandBackground, frameStripBackground).
func stripIsCard(inner, outer quad, e *edgeMap, w, h int) bool {
	for _, l := range outer.side {
		if !l.frame && l != inner.side[0] && l != inner.side[1] && l != inner.side[2] && l != inner.side[3] {
			return false
		}
	}
	if _, n := frameStripBackground(inner, outer, e, w, h); n < outerStripMin {
		return false
	}
	pr, _ := stripPrint(inner, outer, e, w, h)
	return pr >= farPrintMin
}

// stripPrint returns the share of the strip frameStripBackground judges
// (beyond each side of inner faced by a side of outer on the photo's
// edge) that lies on an edge, and how many samples it had.
func stripPrint(inner, outer quad, e *edgeMap, w, h int) (float64, int) {
	on, n := 0, 0
	frameStripWalk(inner, outer, w, h, func(_ int, px, py float64) {
		n++
		if e.at(int(math.Round(px)), int(math.Round(py))) != noEdge {
			on++
		}
	})
	if n == 0 {
		return 0, 0
	}
	return float64(on) / float64(n), n
}

package imagecheck

import (
	"math"
	"testing"
)

// Thin lines (a tile's grout, a ruled line) do not vote in the Hough
// transform; step edges (a card's side) do. A pale background with two
// dark 1-pixel lines and a grey card whose sides are steps: the lines
// found are the card's four sides, none on the thin lines.
func TestHoughStepEdgesOnly(t *testing.T) {
	const w, h = 256, 192
	var chans [3][]byte
	for c := range chans {
		chans[c] = make([]byte, w*h)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := byte(200)
			if x == 30 || y == 25 { // grout, running across the whole photo
				v = 90
			}
			if x >= 70 && x < 200 && y >= 50 && y < 132 {
				v = 120 // the card
			}
			chans[0][y*w+x] = v
			chans[1][y*w+x] = 128
			chans[2][y*w+x] = 128
		}
	}
	ws := new(workspace)
	e := findEdges(chans, w, h, ws)
	// The pixels by the thin lines are edges, but not steps; the card's
	// sides are steps.
	for _, p := range [][2]int{{29, 100}, {31, 100}, {240, 24}, {240, 26}} {
		if d := e.at(p[0], p[1]); d != noEdge && stepEdge(&e, p[0], p[1], int(d)) {
			t.Errorf("pixel %v beside a thin line is a step edge", p)
		}
	}
	for _, p := range [][2]int{{69, 90}, {70, 90}, {199, 90}, {200, 90}, {130, 49}, {130, 50}} {
		if d := e.at(p[0], p[1]); d != noEdge && !stepEdge(&e, p[0], p[1], int(d)) {
			t.Errorf("pixel %v on the card's side is not a step edge", p)
		}
	}
	lines := houghLines(e, ws)
	near := func(theta int, rho float64) bool {
		for _, l := range lines {
			r := l.rho
			if angleDiff(l.theta, theta) <= 2 && math.Abs(math.Abs(r)-rho) <= 2 {
				return true
			}
		}
		return false
	}
	for _, s := range []struct {
		theta int
		rho   float64
	}{{0, 69.5}, {0, 199.5}, {90, 49.5}, {90, 131.5}} {
		if !near(s.theta, s.rho) {
			t.Errorf("no line at θ %d°, ρ %.1f (the card's side)", s.theta, s.rho)
		}
	}
	for _, s := range []struct {
		theta int
		rho   float64
	}{{0, 30}, {90, 25}} {
		if near(s.theta, s.rho) {
			t.Errorf("a line at θ %d°, ρ %.0f (a thin line)", s.theta, s.rho)
		}
	}
}

// A card on small tiles: the grout lines, each running across the whole
// photo, outnumber the Hough lines kept and outvote the card's sides.
// As they are thin lines, not steps, they no longer take the places: the
// outline is the card.
func TestOutlineOnSmallTiles(t *testing.T) {
	card := synthCard{W: 1000, H: 750, X: 190, Y: 160, CW: 600, CH: 378, Radius: 22, Tiles: 16,
		Background: beige, Card: slate}
	rep := Check(card.png(t), DefaultOptions())
	if len(rep.Document) != 4 {
		t.Fatalf("no outline (corners %.2f)", rep.Scores[CheckCorners])
	}
	want := [4][2]float64{{190, 160}, {790, 160}, {790, 538}, {190, 538}}
	tol := 0.03 * float64(card.CW)
	for i, p := range rep.Document {
		if d := math.Hypot(p.X-want[i][0], p.Y-want[i][1]); d > tol {
			t.Errorf("corner %d at (%.0f, %.0f), want (%.0f, %.0f) ± %.0f", i, p.X, p.Y, want[i][0], want[i][1], tol)
		}
	}
	if rep.Failed("doc_cut_off") {
		t.Errorf("corners %.2f: want the corners visible", rep.Scores[CheckCorners])
	}
}

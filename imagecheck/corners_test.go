package imagecheck

import (
	"math"
	"strings"
	"testing"

	"github.com/kycq/kycq/kyc/reason"
)

// coverCrosses on edge maps drawn by hand: a 120×90 photo, the document
// the rectangle (20, 20)–(100, 70) (short side 50), its corner 0 at
// (20, 20), both sides running unsupported from it for 0.2 short sides
// (10 pixels), so their support resumes at (30, 20) along the top side
// and (20, 30) along the left one. The smoothed planes the step test
// reads are painted to match: the card 200, the background 100, a
// fingertip 30 wherever x + y is below its outline's.
func TestCoverCrosses(t *testing.T) {
	type px struct{ x, y, dir int }
	// A fingertip's outline crossing the top side at x = 29 and the left
	// side at y = 29, at 45°: x + y = 49.
	var finger []px
	for d := -4; d <= 4; d++ {
		finger = append(finger, px{29 + d, 20 - d, 45}, px{20 - d, 29 + d, 45})
	}
	// A fingertip whose outline crosses the sides 6 pixels before their
	// support resumes (its shadow and blur hide the edge beyond it).
	var early []px
	for d := -4; d <= 4; d++ {
		early = append(early, px{24 + d, 20 - d, 45}, px{20 - d, 24 + d, 45})
	}
	// The same fingertip over a corner found at (2, 20), 2 pixels from
	// the photo's left edge: the sides' support resumes at (12, 20) and
	// (2, 30).
	var edgeFinger []px
	for d := -4; d <= 4; d++ {
		edgeFinger = append(edgeFinger, px{11 + d, 20 - d, 45})
		if d <= 2 {
			edgeFinger = append(edgeFinger, px{2 - d, 29 + d, 45})
		}
	}
	// The sides' own edges coming back (gradient along the sides' normals).
	var own []px
	for k := 30; k < 40; k++ {
		own = append(own, px{k, 20, 90}, px{20, k, 0})
	}
	// Print just inside the card near the resume points, and nothing
	// beyond.
	print := []px{{28, 22, 30}, {29, 23, 120}, {22, 28, 60}, {23, 29, 150}}
	// A line in the background crossing near the resume point but not
	// into the card.
	background := []px{{28, 17, 45}, {29, 16, 45}, {17, 28, 135}, {16, 29, 135}}
	// Tile joints meeting the sides in their gaps (x = 25 above the top
	// side, y = 25 left of the left side, both flanks), stopping at the
	// card: beyond the sides only.
	var joints []px
	for k := 12; k < 20; k++ {
		joints = append(joints, px{24, k, 0}, px{26, k, 0}, px{k, 24, 90}, px{k, 26, 90})
	}
	// A joint meeting the top side at x = 29 (flanks at 28 and 30) where
	// a shadow's boundary inside the card runs on in line with its left
	// flank: the card is darker left of x = 28.5 down to y = 30.
	var jointShadow []px
	for k := 12; k < 20; k++ {
		jointShadow = append(jointShadow, px{28, k, 0}, px{30, k, 0})
	}
	for k := 21; k < 30; k++ {
		jointShadow = append(jointShadow, px{28, k, 0})
	}
	// A tile's edge (a step: the tile right of it paler) meeting the top
	// side 3 pixels from the corner, in line with a pixel of the corner's
	// rounding 1 pixel from the left side (0.02 short sides); the same
	// edge 6 pixels along, in line with a pixel 4 pixels from the left
	// side (0.08 short sides): no rounding there. An outline across the
	// side runs on into the card along its direction (30° gradient: a
	// pixel down, half a pixel left); a fleck of print inside in line with
	// the tile's edge does not (crossRun).
	rounding := []px{{21, 22, 30}, {23, 19, 30}}
	beyondRounding := []px{{24, 22, 30}, {24, 23, 30}, {23, 24, 30}, {23, 25, 30}, {26, 19, 30}}
	fleckInLine := []px{{24, 22, 30}, {26, 19, 30}}
	card := func(x, y int, x0 float64) bool {
		return float64(x) >= x0 && x <= 100 && y >= 20 && y <= 70
	}
	// scene paints the planes: the card, a fingertip below x + y = tip
	// (none when tip is 0) and extra paint over the rest.
	scene := func(tip int, extra func(x, y int, v float32) float32) func(x, y int, x0 float64) float32 {
		return func(x, y int, x0 float64) float32 {
			v := float32(100)
			if card(x, y, x0) {
				v = 200
			}
			if x+y < tip && x < 40 && y < 40 {
				v = 30
			}
			if extra != nil {
				v = extra(x, y, v)
			}
			return v
		}
	}
	grout := func(x, y int, v float32) float32 {
		if y < 20 && (x == 25 || x == 24 || x == 26) || x < 20 && (y == 25 || y == 24 || y == 26) {
			return 60
		}
		return v
	}
	shadowJoint := func(x, y int, v float32) float32 {
		switch {
		case y < 20 && x >= 28 && x <= 30:
			return 60
		case y >= 20 && y < 30 && x >= 20 && x < 29:
			return 150
		}
		return v
	}
	// The pale tile right of the line through (x0, 19) at 30°, beyond
	// the top side; with across, the card left of it darker too (an
	// outline running on across the side).
	tileEdge := func(x0 int, across bool) func(x, y int, v float32) float32 {
		return func(x, y int, v float32) float32 {
			right := float64(x-x0)*cosT[30]+float64(y-19)*sinT[30] > 0
			switch {
			case y < 20 && right:
				return 160
			case across && y >= 20 && !right && x >= 20:
				return 120
			}
			return v
		}
	}
	// The tile's edge beyond the side, and a fleck of print inside
	// (x 21–24, y 21–22) whose edge lies in line with it.
	fleck := func(x, y int, v float32) float32 {
		if y >= 21 && y <= 22 && x >= 21 && x <= 24 {
			return 120
		}
		return tileEdge(26, false)(x, y, v)
	}
	plain, fingertip, earlyTip, edgeTip := scene(0, nil), scene(49, nil), scene(44, nil), scene(31, nil)
	cases := []struct {
		name   string
		pixels []px
		paint  func(x, y int, x0 float64) float32
		corner [2]float64
		gaps   [2]float64
		want   bool
	}{
		{"a finger's outline crosses both sides", append(append([]px{}, own...), finger...), fingertip, [2]float64{20, 20}, [2]float64{0.2, 0.2}, true},
		{"a finger's outline crosses both sides early in the gap", append(append([]px{}, own...), early...), earlyTip, [2]float64{20, 20}, [2]float64{0.2, 0.2}, true},
		{"a fading edge: only the sides' own edges come back", own, plain, [2]float64{20, 20}, [2]float64{0.2, 0.2}, false},
		{"print inside, nothing beyond", append(append([]px{}, own...), print...), plain, [2]float64{20, 20}, [2]float64{0.2, 0.2}, false},
		{"background texture beyond, nothing inside", append(append([]px{}, own...), background...), plain, [2]float64{20, 20}, [2]float64{0.2, 0.2}, false},
		{"tile joints beyond, print inside, not on one edge", append(append(append([]px{}, own...), print...), joints...), scene(0, grout), [2]float64{20, 20}, [2]float64{0.2, 0.2}, false},
		{"tile joints beyond, a finger's outline across", append(append(append([]px{}, own...), finger...), joints...), scene(49, grout), [2]float64{20, 20}, [2]float64{0.2, 0.2}, true},
		{"a joint in line with a shadow's edge inside: a thin line is no outline", append(append([]px{}, own...), jointShadow...), scene(0, shadowJoint), [2]float64{20, 20}, [2]float64{0.2, 0.2}, false},
		{"a tile's edge in line with the corner's rounding", append(append([]px{}, own...), rounding...), scene(0, tileEdge(23, false)), [2]float64{20, 20}, [2]float64{0.06, 0}, false},
		{"a step edge across the side beyond the rounding", append(append([]px{}, own...), beyondRounding...), scene(0, tileEdge(26, true)), [2]float64{20, 20}, [2]float64{0.12, 0}, true},
		{"a tile's edge meeting the side in line with a fleck of print inside: it does not run on into the card", append(append([]px{}, own...), fleckInLine...), scene(0, fleck), [2]float64{20, 20}, [2]float64{0.12, 0}, false},
		{"gaps of a rounded corner: judged as before", own, plain, [2]float64{20, 20}, [2]float64{0.04, 0.03}, true},
		{"a corner at the photo's edge, the sides fading out: nothing crosses", own, plain, [2]float64{2, 20}, [2]float64{0.2, 0.2}, false},
		{"a corner at the photo's edge, a finger's outline across", append(append([]px{}, own...), edgeFinger...), edgeTip, [2]float64{2, 20}, [2]float64{0.2, 0.2}, true},
	}
	for _, c := range cases {
		x0 := c.corner[0]
		e := edgeMap{w: 120, h: 90, dir: make([]byte, 120*90), mag2: make([]float32, 120*90)}
		for k := range e.sm {
			e.sm[k] = make([]float32, 120*90)
		}
		for y := 0; y < e.h; y++ {
			for x := 0; x < e.w; x++ {
				i := y*e.w + x
				e.dir[i] = noEdge
				// A step of contrast C gives a Sobel magnitude of about 4C:
				// steps of at least 50 pass.
				e.mag2[i] = 400 * 400
				e.sm[0][i] = c.paint(x, y, x0)
			}
		}
		for _, p := range c.pixels {
			e.dir[p.y*e.w+p.x] = byte(p.dir)
		}
		q := quad{
			c:    [4][2]float64{{x0, 20}, {100, 20}, {100, 70}, {x0, 70}},
			side: [4]*line{{theta: 90, ny: 1, rho: 20}, {theta: 0, nx: 1, rho: 100}, {theta: 90, ny: 1, rho: 70}, {theta: 0, nx: 1, rho: x0}},
		}
		if got := coverCrosses(q, 0, c.gaps, &e); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// gap on support profiles drawn by hand: a line sampled at t = 0..40,
// the photo's edge at t = 10 (samples below it are outside the frame).
func TestGapFromTheFrame(t *testing.T) {
	profile := func(backed func(t int) bool) *line {
		l := &line{sup: make([]int32, 42), in: make([]int32, 42)}
		for k := 1; k <= 41; k++ {
			l.in[k], l.sup[k] = l.in[k-1], l.sup[k-1]
			if k-1 >= 10 {
				l.in[k]++
				if backed(k - 1) {
					l.sup[k]++
				}
			}
		}
		return l
	}
	toFrame := profile(func(int) bool { return true })
	short := profile(func(t int) bool { return t >= 18 })
	none := profile(func(int) bool { return false })
	cases := []struct {
		name   string
		l      *line
		t0, t1 float64
		want   float64
	}{
		{"backed up to the frame, from a corner outside it", toFrame, 2, 40, 0},
		// (The gap ends where a window of gapWindow = 6 samples is half
		// backed: 3 samples before the support resumes.)
		{"support resumes 8 inside the frame", short, 2, 40, 5},
		{"from a corner inside the frame", short, 14, 40, 1},
		{"no support at all: the side's length inside the frame", none, 2, 40, 30},
		{"towards the frame from inside: stops at the frame's edge", toFrame, 30, 0, 0},
	}
	for _, c := range cases {
		if got := c.l.gap(c.t0, c.t1); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestOneEdgeAcross(t *testing.T) {
	// The side is horizontal; outside above it (y < 0), inside below.
	cases := []struct {
		name            string
		inside, outside []crossHit
		want            bool
	}{
		{"a vertical edge running across", []crossHit{{10, 2, 0}}, []crossHit{{10, -2, 0}}, true},
		{"the same edge, bent by 20°", []crossHit{{11, 2, 20}}, []crossHit{{10, -2, 0}}, true},
		{"an edge at 45° running across", []crossHit{{8, 2, 45}}, []crossHit{{12, -2, 45}}, true},
		{"an edge beyond, print 4 pixels aside", []crossHit{{14, 2, 0}}, []crossHit{{10, -2, 0}}, false},
		{"an edge beyond, print across it", []crossHit{{10, 2, 90}}, []crossHit{{10, -2, 0}}, false},
		{"an edge beyond, print turned by 40°", []crossHit{{10, 2, 40}}, []crossHit{{10, -2, 0}}, false},
		{"nothing inside", nil, []crossHit{{10, -2, 0}}, false},
		{"nothing beyond", []crossHit{{10, 2, 0}}, nil, false},
	}
	for _, c := range cases {
		if got := oneEdgeAcross(c.inside, c.outside); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// coveredOutright on flat synthetic planes: a 120×90 photo of a grey
// background (Y 120) with a pale document (Y 220) at (20, 20)–(100, 70),
// short side 50; a disc of skin colour (Y 110, Cb 110, Cr 160) of radius
// 12 over corner 0 covers both the patch just inside it and the one just
// beyond it, the reference patches along the sides (17–23 pixels away)
// not. A dark print filling the document's corner only, or a dark object
// in the background beside the corner only, is unlike one of the two. Dark
// print in the corner (Y 30, Cb 150, Cr 120: 220 from the margin) and a
// pale orange tile beside it (Y 200, Cb 90, Cr 170: 160 from the
// background) are unlike both, but they are two things, unlike each other
// by 280, more than either: no one thing lies over the corner.
func TestCoveredOutright(t *testing.T) {
	type disc struct {
		x, y, r   float64
		y0, b, r0 byte
		inside    bool // only where it lies on the document
		outside   bool // only where it lies off the document
	}
	skin := disc{20, 20, 12, 110, 110, 160, false, false}
	cases := []struct {
		name string
		over []disc
		want [4]bool
	}{
		{"nothing over the corners", nil, [4]bool{}},
		{"a fingertip over corner 0", []disc{skin}, [4]bool{true, false, false, false}},
		{"a fingertip over corner 2", []disc{{100, 70, 12, 110, 110, 160, false, false}}, [4]bool{false, false, true, false}},
		{"dark print in corner 0, on the document only", []disc{{20, 20, 12, 30, 150, 120, true, false}}, [4]bool{}},
		{"a dark object beside corner 0, off the document only", []disc{{20, 20, 12, 30, 150, 120, false, true}}, [4]bool{}},
		{"a faint shadow over corner 0", []disc{{20, 20, 12, 190, 128, 128, false, false}}, [4]bool{}},
		{"dark print in corner 0 and a pale tile beside it: two things", []disc{{20, 20, 12, 30, 150, 120, true, false}, {20, 20, 12, 200, 90, 170, false, true}}, [4]bool{}},
		{"a fingertip over corner 0 on a pale tile", []disc{{20, 20, 16, 200, 90, 170, false, true}, skin}, [4]bool{true, false, false, false}},
		{"a pale fingertip over corner 0, 48 from the card and 52 from the ground", []disc{{20, 20, 12, 172, 128, 128, false, false}}, [4]bool{true, false, false, false}},
		{"a paler one, 38 from the card", []disc{{20, 20, 12, 182, 128, 128, false, false}}, [4]bool{}},
	}
	for _, c := range cases {
		p := cardPlanes(func(x, y int, on bool, yy, cb, cr byte) (byte, byte, byte) {
			for _, d := range c.over {
				fx, fy := float64(x)+0.5-d.x, float64(y)+0.5-d.y
				if fx*fx+fy*fy > d.r*d.r || (d.inside && !on) || (d.outside && on) {
					continue
				}
				yy, cb, cr = d.y0, d.b, d.r0
			}
			return yy, cb, cr
		})
		in, out, across, _, _ := cornerContrast(&p, [4][2]float64{{20, 20}, {100, 20}, {100, 70}, {20, 70}})
		var got [4]bool
		for i := range got {
			got[i] = coveredOutright(in[i], out[i], across[i])
		}
		if got != c.want {
			t.Errorf("%s: covered %v, want %v (in %.1f, out %.1f)", c.name, got, c.want, in, out)
		}
	}
}

// islandGap on support profiles drawn by hand: a line sampled at t =
// 0..60, every sample inside the frame, the corner at t = 12, the side
// running towards t = 60, the document's short side 80 samples (so a gap
// may run on past support near the corner when an unsupported run of at
// least 6 samples begins within 9.6 of where the gap is counted from; it
// then ends where a window of gapWindow = 6 samples is half backed, 3
// samples before the support resumes).
func TestIslandGap(t *testing.T) {
	profile := func(backed ...[2]int) *line {
		l := &line{sup: make([]int32, 62), in: make([]int32, 62)}
		for k := 1; k <= 61; k++ {
			l.in[k], l.sup[k] = l.in[k-1]+1, l.sup[k-1]
			for _, b := range backed {
				if k-1 >= b[0] && k-1 <= b[1] {
					l.sup[k]++
					break
				}
			}
		}
		return l
	}
	cases := []struct {
		name      string
		l         *line
		gap, want float64
	}{
		{"a rounded corner, then the side backed", profile([2]int{15, 60}), 0, 0},
		{"a fingertip: its nail backs 14–19, bare 20–31, the side from 32", profile([2]int{14, 19}, [2]int{32, 60}), 0, 17},
		{"the same stretch running on past the corner (4–19): a line of the background", profile([2]int{4, 19}, [2]int{32, 60}), 0, 0},
		{"a speckled edge: breaks of 3 samples", profile([2]int{15, 19}, [2]int{23, 27}, [2]int{31, 60}), 0, 0},
		{"the bare run begins too far from the corner (at 25)", profile([2]int{15, 24}, [2]int{41, 60}), 0, 0},
		{"a gap at the corner already: bare up to 15, 16–19, bare 20–33", profile([2]int{16, 19}, [2]int{34, 60}), 1, 19},
	}
	for _, c := range cases {
		if got := c.l.gap(12, 60); got != c.gap {
			t.Errorf("%s: gap %v, want %v", c.name, got, c.gap)
		}
		if got := c.l.islandGap(12, 60, 80); got != c.want {
			t.Errorf("%s: islandGap %v, want %v", c.name, got, c.want)
		}
	}
}

// gapCovered on flat synthetic planes: a 120×90 photo of a grey
// background (Y 120) with a pale document (Y 220) at (20, 20)–(100, 70),
// short side 50. A fingertip (skin, Y 110, Cb 110, Cr 160) lying over
// the top side from x = 20 to 34 fills the strip just inside it over the
// first 0.28 short sides from corner 0; dark wood grain beside the
// corner, off the document only, leaves the strip the document's margin.
func TestGapCovered(t *testing.T) {
	type box struct {
		x0, y0, x1, y1 int
		yy, cb, cr     byte
		outside        bool // only where it lies off the document
	}
	cases := []struct {
		name string
		over []box
		want bool
	}{
		{"nothing over the side", nil, false},
		{"a fingertip along the side's first 0.28", []box{{14, 14, 34, 30, 110, 110, 160, false}}, true},
		{"a faint shadow over it", []box{{14, 14, 34, 30, 205, 128, 128, false}}, false},
		{"dark grain beside the corner, off the document only", []box{{0, 10, 60, 20, 60, 120, 140, true}}, false},
	}
	for _, c := range cases {
		p := cardPlanes(func(x, y int, on bool, yy, cb, cr byte) (byte, byte, byte) {
			for _, b := range c.over {
				if x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1 && !(b.outside && on) {
					yy, cb, cr = b.yy, b.cb, b.cr
				}
			}
			return yy, cb, cr
		})
		wq := [4][2]float64{{20, 20}, {100, 20}, {100, 70}, {20, 70}}
		if got := gapCovered(&p, wq, 0, 0, 0.05, 0.28); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// cardPlanes paints the corner tests' 120×90 photo, chroma at half
// resolution: a grey background (Y 120) with a pale document (Y 220) at
// (20, 20)–(100, 70); paint gets each pixel, whether it lies on the
// document and its colour so far, and returns the colour it leaves.
func cardPlanes(paint func(x, y int, on bool, yy, cb, cr byte) (byte, byte, byte)) planes {
	const w, h = 120, 90
	p := planes{w: w, h: h, ys: w, cw: w / 2, ch: h / 2, cs: w / 2,
		y: make([]byte, w*h), cb: make([]byte, w*h/4), cr: make([]byte, w*h/4)}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			on := x >= 20 && x < 100 && y >= 20 && y < 70
			yy := byte(120)
			if on {
				yy = 220
			}
			yy, cb, cr := paint(x, y, on, yy, 128, 128)
			p.y[y*w+x] = yy
			if x%2 == 0 && y%2 == 0 {
				p.cb[(y/2)*p.cs+x/2], p.cr[(y/2)*p.cs+x/2] = cb, cr
			}
		}
	}
	return p
}

// alongFrame on quadrilaterals drawn by hand in a 200×150 photo: a card
// (short side 75) whose corner 3 was found at (68, 1), where its left
// side, arriving from (48, 76), meets a top side running to (179, 8)
// along the photo's top edge. gaps are corner 3's: the side leaving it
// (the left one, towards corner 0) and the side arriving at it (the top).
func TestAlongFrame(t *testing.T) {
	at := func(x, y float64) quad {
		return quad{c: [4][2]float64{{48, 76}, {168, 83}, {179, 8}, {x, y}}}
	}
	cases := []struct {
		name string
		q    quad
		gaps [2]float64
		want bool
	}{
		// 0.26 short sides = 19.5 pixels along the top: it ends at y ≈ 2.
		{"left side backed to the edge, top unbacked along it", at(68, 1), [2]float64{0, 0.26}, true},
		{"both sides unbacked (a fingertip at the edge: the cover decides)", at(68, 1), [2]float64{0.1, 0.26}, false},
		{"the unbacked side runs away from the edge", at(68, 1), [2]float64{0.26, 0}, false},
		{"a rounded corner's gap", at(68, 1), [2]float64{0, 0.04}, false},
		{"the corner well inside the photo", at(68, 12), [2]float64{0, 0.26}, false},
		// 0.8 short sides = 60 pixels: the top side is 3.4 pixels lower
		// there, past crossFrame from the top edge.
		{"the gap leaves the edge further along", at(68, 1), [2]float64{0, 0.8}, false},
	}
	for _, c := range cases {
		if got := alongFrame(c.q, 3, c.gaps, 200, 150); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// excuseCorners on check results written by hand: corners 0.4 against
// 0.85 (failing) or 0.95 (passing), over-exposure clipped 0.6 against
// 0.15 (failing) or 0.05 (passing).
func TestExcuseCorners(t *testing.T) {
	corners := func(v float64) CheckResult { return result(CheckCorners, v, 0.85, true, reason.DocCutOff) }
	clipped := func(v float64) CheckResult { return result(CheckClipped, v, 0.15, false, reason.DocOverexposed) }
	cases := []struct {
		name         string
		corners      CheckResult
		found, faint bool
		clipped      CheckResult
		pass         bool
	}{
		{"no outline, washed out: the exposure's remedy", corners(0), false, false, clipped(0.6), true},
		{"no outline, well exposed: cut off", corners(0), false, false, clipped(0.05), false},
		{"a faint outline failing, washed out: the exposure's remedy", corners(0.4), true, true, clipped(0.6), true},
		{"a faint outline failing, well exposed: cut off", corners(0.4), true, true, clipped(0.05), false},
		{"a firm outline failing, washed out: cut off too", corners(0.4), true, false, clipped(0.6), false},
		{"a faint outline passing, washed out: passes as it is", corners(0.95), true, true, clipped(0.6), true},
	}
	for _, c := range cases {
		got := c.corners
		excuseCorners(&got, c.found, c.faint, c.clipped)
		if got.Pass != c.pass {
			t.Errorf("%s: pass %v, want %v (%q)", c.name, got.Pass, c.pass, got.Detail)
		}
		if got.Score != c.corners.Score {
			t.Errorf("%s: score %v, want it kept (%v)", c.name, got.Score, c.corners.Score)
		}
		if excused := got.Pass && !c.corners.Pass; excused != strings.HasPrefix(got.Detail, "not evaluated") {
			t.Errorf("%s: detail %q", c.name, got.Detail)
		}
	}
}

// runInside on edge maps drawn by hand: a side along y = 20 (outward
// normal up, the card below it) and an edge pixel just inside it at
// (30, 22). An edge at 0° gradient (a vertical line) running on down
// from it is followed pixel by pixel; one gap of a pixel is bridged, two
// are not; an edge turning by more than crossTurn, or one that runs up
// towards the side only, does not run on. A pixel at a 30° gradient runs
// on down and to the left (half a pixel left for each pixel down).
func TestRunInside(t *testing.T) {
	type px struct{ x, y, dir int }
	vertical := func(y0, y1 int, dir int) []px {
		var ps []px
		for y := y0; y <= y1; y++ {
			ps = append(ps, px{30, y, dir})
		}
		return ps
	}
	cases := []struct {
		name   string
		pixels []px
		dir    int // the inside pixel's gradient
		most   int
		want   int
	}{
		{"nothing further in", nil, 0, 5, 0},
		{"a straight edge running on 8 pixels, followed 5", vertical(23, 30, 0), 0, 5, 5},
		{"a straight edge running on 3 pixels", vertical(23, 25, 0), 0, 5, 3},
		{"a one-pixel gap bridged", append(vertical(23, 24, 0), vertical(26, 28, 0)...), 0, 9, 5},
		{"a two-pixel gap not", append(vertical(23, 24, 0), vertical(27, 29, 0)...), 0, 9, 2},
		{"a pixel beside the line, a pixel to the left", []px{{29, 23, 0}, {29, 24, 0}}, 0, 5, 2},
		{"an edge turning by 45°", vertical(23, 26, 45), 0, 5, 0},
		{"a slanted edge at a 30° gradient", []px{{30, 23, 30}, {29, 24, 30}, {29, 25, 30}}, 30, 5, 3},
		{"an edge running up to the side only", vertical(15, 21, 0), 0, 5, 0},
	}
	for _, c := range cases {
		e := edgeMap{w: 60, h: 40, dir: make([]byte, 60*40)}
		for i := range e.dir {
			e.dir[i] = noEdge
		}
		e.dir[22*e.w+30] = byte(c.dir)
		for _, p := range c.pixels {
			e.dir[p.y*e.w+p.x] = byte(p.dir)
		}
		if got := runInside(&e, crossHit{30, 22, c.dir}, 0, -1, c.most); got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, got, c.want)
		}
	}
}

// cornerCover on cardPlanes whose document is printed with a fine
// checkerboard (Y 170 and 250, one pixel a square; the margin patches'
// Y deviation 40): a flat disc over corner 0 of the background's own
// tones (a fingertip of the table's colour) counts by the inside contrast
// alone; the smaller of the two contrasts, as before the rule, gives it
// nothing. A flat patch of the card's mean tone (blank margin) or of a
// tone less than flatIn from it is not taken for one, nor is a flat band
// of the background's tones along the top side whose text further along
// moves that patch's mean by more than flatIn but not its median; and on
// a document without print nothing is flat in that sense: the smaller
// contrast stays.
func TestCornerCover(t *testing.T) {
	type disc struct {
		x, y, r   float64
		y0, b, r0 byte
		inside    bool // only where it lies on the document
	}
	cases := []struct {
		name    string
		printed bool
		band    bool // a band of the background's tones along the top side, pale text on it from x = 30
		over    *disc
		flat    bool
		least   float64 // cover at least
		most    float64 // cover at most
	}{
		{"a printed card, nothing over its corners", true, false, nil, false, 0, coverFull / 2},
		{"a printed card, a fingertip of the background's tones over corner 0", true, false, &disc{x: 20, y: 20, r: 12, y0: 120, b: 128, r0: 128}, true, coverFull, 255},
		{"a printed card, a blank margin of its mean tone at corner 0", true, false, &disc{x: 20, y: 20, r: 12, y0: 210, b: 128, r0: 128, inside: true}, false, 0, coverFull / 2},
		{"a printed card, a flat patch of another tone at corner 0 (30 from the margin)", true, false, &disc{x: 20, y: 20, r: 12, y0: 180, b: 128, r0: 128, inside: true}, false, 0, coverFull / 2},
		{"a plain card, a fingertip of the background's tones over corner 0", false, false, &disc{x: 20, y: 20, r: 12, y0: 120, b: 128, r0: 128}, false, 0, coverFull / 2},
		{"a printed card with a band of the background's tones along its top, text on a third of it further along", true, true, nil, false, 0, coverFull / 2},
	}
	for _, c := range cases {
		p := cardPlanes(func(x, y int, on bool, yy, cb, cr byte) (byte, byte, byte) {
			if on && c.printed {
				yy = 170
				if (x+y)%2 == 0 {
					yy = 250
				}
			}
			if on && c.band && y < 28 {
				// The band, and its text on a third of its pixels.
				yy = 120
				if x >= 30 && (x+2*y)%3 == 0 {
					yy = 250
				}
			}
			if d := c.over; d != nil {
				fx, fy := float64(x)+0.5-d.x, float64(y)+0.5-d.y
				if fx*fx+fy*fy <= d.r*d.r && (on || !d.inside) {
					yy, cb, cr = d.y0, d.b, d.r0
				}
			}
			return yy, cb, cr
		})
		in, out, _, flat, hidden := cornerContrast(&p, [4][2]float64{{20, 20}, {100, 20}, {100, 70}, {20, 70}})
		if flat[0] != c.flat || flat[1] || flat[2] || flat[3] {
			t.Errorf("%s: flat %v, want %v at corner 0 only", c.name, flat, c.flat)
		}
		if got := cornerCover(in[0], out[0], flat[0], hidden[0]); got < c.least || got > c.most {
			t.Errorf("%s: cover %.1f (in %.1f, out %.1f), want %.0f–%.0f", c.name, got, in[0], out[0], c.least, c.most)
		}
	}
}

// cornerContrast and cornerCover on cardPlanes whose ground is textured
// (Y 90 and 150 in a fine pattern, mean 120, like wood grain or granite's
// flecks at the patches' scale) and whose card has rounded corners
// (radius 4): a fingertip over corner 0 that matches one contrast by its
// colour (its skin the ground's mean tone; its nail the card's margin)
// hides the ground's texture beyond the corner, and the corner counts
// the larger contrast. On a smooth ground, or where the ground's texture
// runs on up to the corner, the smaller one stands.
func TestCoverHidden(t *testing.T) {
	type disc struct {
		y0, b, r0  byte // beyond the card's edge
		yi, bi, ri byte // on the card
		inside     bool // only on the card
		outside    bool // only off it
	}
	skin := disc{y0: 120, b: 128, r0: 128, yi: 120, bi: 128, ri: 128} // the ground's mean tone
	nail := disc{y0: 170, b: 110, r0: 160, yi: 220, bi: 128, ri: 128} // skin beyond, the card's tone on it
	spot := disc{y0: 120, b: 128, r0: 128, outside: true}             // a smooth patch of the ground
	print := disc{yi: 120, bi: 128, ri: 128, inside: true}            // print of the ground's tone
	cases := []struct {
		name     string
		textured bool
		over     *disc
		hidden   bool // at corner 0 (never at the others)
		least    float64
		most     float64
	}{
		{"a rounded corner on a textured ground, nothing over it", true, nil, false, 0, coverFull / 2},
		{"a fingertip of the ground's mean tone over corner 0", true, &skin, true, coverFull, 255},
		{"a fingertip whose nail is the card's tone over corner 0", true, &nail, true, coverFull, 255},
		{"the fingertip of the ground's tone on a smooth ground", false, &skin, false, 0, coverFull / 2},
		{"a smooth patch of the ground beyond a clean corner", true, &spot, true, 0, coverFull / 2},
		{"print of the ground's tone in corner 0, the texture running on to it", true, &print, false, 0, coverFull / 2},
	}
	for _, c := range cases {
		p := cardPlanes(func(x, y int, on bool, yy, cb, cr byte) (byte, byte, byte) {
			// The card's rounded corners.
			for _, k := range [4][2]int{{24, 24}, {96, 24}, {96, 66}, {24, 66}} {
				dx, dy := float64(x)+0.5-float64(k[0]), float64(y)+0.5-float64(k[1])
				if on && (x < 24) == (k[0] == 24) && (y < 24) == (k[1] == 24) && (x < 24 || x >= 96) && (y < 24 || y >= 66) && dx*dx+dy*dy > 16 {
					on = false
				}
			}
			yy = 220
			if !on {
				yy = 120
				if c.textured {
					yy = 90
					if (x*7+y*3)%4 < 2 {
						yy = 150
					}
				}
			}
			if d := c.over; d != nil {
				fx, fy := float64(x)+0.5-20, float64(y)+0.5-20
				if fx*fx+fy*fy <= 144 && !(d.inside && !on) && !(d.outside && on) {
					if on {
						yy, cb, cr = d.yi, d.bi, d.ri
					} else {
						yy, cb, cr = d.y0, d.b, d.r0
					}
				}
			}
			return yy, cb, cr
		})
		in, out, _, flat, hidden := cornerContrast(&p, [4][2]float64{{20, 20}, {100, 20}, {100, 70}, {20, 70}})
		if hidden[0] != c.hidden || hidden[1] || hidden[2] || hidden[3] {
			t.Errorf("%s: hidden %v, want %v at corner 0 only", c.name, hidden, c.hidden)
		}
		if got := cornerCover(in[0], out[0], flat[0], hidden[0]); got < c.least || got > c.most {
			t.Errorf("%s: cover %.1f (in %.1f, out %.1f), want %.0f–%.0f", c.name, got, in[0], out[0], c.least, c.most)
		}
	}
}

// coveredBoth on cardPlanes (the card Y 220 at (20, 20)–(100, 70), short
// side 50, on a ground of Y 120): what lies over corner 0 (a disc of
// radius 12 centred on it, on the card only, off it only, or both), and
// the corner's gaps as given (no edge crosses either side: a soft
// outline). A fingertip hiding both sides near the corner (skin Y 110,
// Cb 110, Cr 160: 160 from the card, 60 from the ground, one thing
// across) counts; with one side backed to the corner, without anything
// over it (a side fading out), with two things (dark print inside, a pale
// tile beyond) or with a pale fingertip 20 from the card it does not.
// Without the rule (coveredBoth false) the fingertip's gaps are not
// counted: the first case fails.
func TestCoveredBoth(t *testing.T) {
	type disc struct {
		y0, b, r0 byte
		inside    bool // only where it lies on the document
		outside   bool // only where it lies off the document
	}
	skin := disc{110, 110, 160, false, false}
	cases := []struct {
		name string
		over []disc
		gaps [2]float64
		want bool
	}{
		{"a fingertip over corner 0, both sides hidden", []disc{skin}, [2]float64{0.2, 0.2}, true},
		{"the fingertip, one side backed to the corner", []disc{skin}, [2]float64{0.2, 0.02}, false},
		{"nothing over corner 0, both sides fading", nil, [2]float64{0.2, 0.2}, false},
		{"dark print in corner 0 and a pale tile beside it: two things", []disc{{30, 150, 120, true, false}, {200, 90, 170, false, true}}, [2]float64{0.2, 0.2}, false},
		{"a pale fingertip, 20 from the card", []disc{{200, 128, 128, false, false}}, [2]float64{0.2, 0.2}, false},
	}
	for _, c := range cases {
		p := cardPlanes(func(x, y int, on bool, yy, cb, cr byte) (byte, byte, byte) {
			for _, d := range c.over {
				fx, fy := float64(x)+0.5-20, float64(y)+0.5-20
				if fx*fx+fy*fy > 12*12 || (d.inside && !on) || (d.outside && on) {
					continue
				}
				yy, cb, cr = d.y0, d.b, d.r0
			}
			return yy, cb, cr
		})
		wq := [4][2]float64{{20, 20}, {100, 20}, {100, 70}, {20, 70}}
		in, out, across, flat, hidden := cornerContrast(&p, wq)
		cover := cornerCover(in[0], out[0], flat[0], hidden[0])
		if got := coveredBoth(c.gaps, cover, in[0], out[0], across[0], func() float64 { return groundContrast(&p, wq, 0) }); got != c.want {
			t.Errorf("%s: got %v, want %v (in %.1f, out %.1f, across %.1f)", c.name, got, c.want, in[0], out[0], across[0])
		}
	}
	// The patches beyond out of the photo (out NaN): the inside contrast
	// (as cornerCover gives it) and the inside patch's contrast with the
	// ground along the sides (ground) decide. A fingertip 34 from the
	// margin and 94 from the ground counts; one 25 from the margin, one
	// with a side backed to the corner, an outline found beyond a rounded
	// corner (the ground inside it: 87 from the margin, 20 from the
	// ground) and a corner with no ground patch in the photo do not.
	nan := math.NaN()
	for _, c := range []struct {
		in, ground float64
		gaps       [2]float64
		want       bool
	}{
		{34.4, 94, [2]float64{0.08, 0.24}, true},
		{25, 94, [2]float64{0.08, 0.24}, false},
		{132, 77, [2]float64{0.03, 0.24}, false},
		{87.4, 20, [2]float64{0.08, 0.13}, false},
		{34.4, nan, [2]float64{0.08, 0.24}, false},
	} {
		ground := func() float64 { return c.ground }
		if got := coveredBoth(c.gaps, cornerCover(c.in, nan, false, false), c.in, nan, nan, ground); got != c.want {
			t.Errorf("out of the photo, in %.1f, ground %.1f, gaps %v: got %v, want %v", c.in, c.ground, c.gaps, got, c.want)
		}
	}
}

package imagecheck

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc/reason"
)

// glareMeasure's share of the clipped pixels that lie in the highlights
// it counts, on a small luma image of a card (paper 225, 100×60): a
// clipped reflection alone holds all of them; clipped paper between print
// (a washed-out printed area) holds none of its own; with both, the
// reflection's share is its pixel count over both.
func TestGlareClippedShare(t *testing.T) {
	const w, h = 100, 60
	r := rasterize([4][2]float64{{0, 0}, {w, 0}, {w, h}, {0, h}}, w, h)
	disc := func(x, y int) bool { return math.Hypot(float64(x-70), float64(y-30)) <= 8 }
	// A printed block, 30×20 from (10, 20): clipped paper with a dark
	// dot on every third column of every third row.
	block := func(x, y int) bool { return x >= 10 && x < 40 && y >= 20 && y < 40 }
	for _, c := range []struct {
		name          string
		disc, printed bool
		want          func(nDisc, nBlock int) float64
	}{
		{"reflection alone", true, false, func(int, int) float64 { return 1 }},
		{"washed-out print alone", false, true, func(int, int) float64 { return 0 }},
		{"both", true, true, func(d, b int) float64 { return float64(d) / float64(d+b) }},
		{"nothing clipped", false, false, func(int, int) float64 { return 0 }},
	} {
		small := make([]byte, w*h)
		nDisc, nBlock := 0, 0
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				v := byte(225)
				switch {
				case c.disc && disc(x, y):
					v = 255
					nDisc++
				case c.printed && block(x, y) && x%3 == 0 && y%3 == 0:
					v = 40
				case c.printed && block(x, y):
					v = 255
					nBlock++
				}
				small[y*w+x] = v
			}
		}
		_, _, got := glareMeasure(small, w, r, new(workspace))
		if want := c.want(nDisc, nBlock); math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: clipped share in the highlights %.4f, want %.4f", c.name, got, want)
		}
	}
}

// colourfulness's usable share: the blocks neither clipped nor darker
// than colourLitLuma, over all it looks at. A card of flat luma v: all of
// them from colourLitLuma to 245, none at 250 (clipped) or at 40 (below
// colourLitLuma, though above colourBlock's floor); half of them when
// half of the card (its top) is clipped.
func TestColourUsableShare(t *testing.T) {
	const w, h = 160, 96
	r := rasterize([4][2]float64{{0, 0}, {w, 0}, {w, h}, {0, h}}, w, h)
	for _, c := range []struct {
		name       string
		top, below byte
		want       float64
	}{
		{"lit", 200, 200, 1},
		{"at colourLitLuma", colourLitLuma, colourLitLuma, 1},
		{"clipped", 250, 250, 0},
		{"dark", 40, 40, 0},
		{"half clipped", 255, 180, 0.5},
	} {
		p := greyPlanes(w, h, func(x, y int) byte {
			if y < h/2 {
				return c.top
			}
			return c.below
		})
		if _, got := colourfulness(p, r); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: usable %.4f, want %.4f", c.name, got, c.want)
		}
	}
}

// cardPhoto is a 1000×750 JPEG of a 700×440 card on a dark table: paper
// of the given grey, print (a fifth of the paper's luma) in rows 4 pixels tall every 16 over
// the card's left 40 %, a blue band across its top 60 pixels when
// coloured, and what paint sets on top.
func cardPhoto(t *testing.T, paper uint8, coloured bool, paint func(x, y int, c color.RGBA) color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 1000, 750))
	x0, y0, x1, y1 := 150, 155, 850, 595
	for y := 0; y < 750; y++ {
		for x := 0; x < 1000; x++ {
			c := color.RGBA{45, 40, 38, 255}
			if x >= x0 && x < x1 && y >= y0 && y < y1 {
				c = color.RGBA{paper, paper, paper, 255}
				cx, cy := x-x0, y-y0
				switch {
				case coloured && cy < 60:
					c = color.RGBA{40, 70, 190, 255}
				case cy >= 80 && cx >= 30 && cx < 280 && cy%16 < 4:
					c = color.RGBA{paper / 5, paper / 5, paper / 5, 255}
				}
				if paint != nil {
					c = paint(cx, cy, c)
				}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Over-exposure, glare and colour on whole photos whose answers are known
// by construction:
//   - a clipped reflection (a disc of radius 120 on the card's right,
//     away from the print: a sixth of the card) is glare, not an
//     over-exposed photo, though it clips more than MaxClipped of the card;
//   - a card whose paper is clipped everywhere is over-exposed, not glare;
//     in grey under a faint warm light it is not called grey (its paper
//     has lost its chroma and its dark print is too dark to vouch for a
//     colour: nothing is left to judge its colour by), but a
//     black-and-white photo of it, with no chroma anywhere, is grey too
//     (neutralChroma);
//   - a grey card too dark to read is too dark, and called grey only
//     when it has no chroma at all: under a faint warm light it is too
//     dark only;
//   - a grey card with a clipped printed strip (its bottom third) is
//     over-exposed and grey: most of it keeps the tones colour is read in;
//   - the same card in colour is over-exposed only;
//   - a grey card whose clipped paper leaves a third of it, a mid-grey
//     panel, in the tones colour is read in is over-exposed and grey; the
//     same with a coloured panel is over-exposed only;
//   - a grey copy under a strong warm light whose clipped paper leaves
//     under half of it (0.44) in those tones, a pale grey panel with a
//     weak cast (the tone curve's shoulder) above a dark one and toner
//     with the full cast (colour 2.9, two chromaticities), is over-exposed
//     and grey: one cast at each luma (colour_cast, washedCast); a colour
//     card whose remaining panels are two tints of one grey is
//     over-exposed only.
func TestExposureGlareColour(t *testing.T) {
	reflection := func(x, y int, c color.RGBA) color.RGBA {
		d := math.Hypot(float64(x-480), float64(y-220))
		if d <= 120 {
			return color.RGBA{255, 255, 255, 255}
		}
		if d < 135 {
			v := uint8(255 - (d-120)*2)
			return color.RGBA{max(c.R, v), max(c.G, v), max(c.B, v), 255}
		}
		return c
	}
	clippedStrip := func(x, y int, c color.RGBA) color.RGBA {
		if y >= 300 {
			if y%12 < 3 && x > 20 && x < 680 {
				return color.RGBA{40, 40, 40, 255}
			}
			return color.RGBA{255, 255, 255, 255}
		}
		return c
	}
	// A faint warm light on whatever is not clipped: a colour camera's
	// photo of a grey card keeps a little chroma (Cb about −3, Cr +2 on
	// print of luma 51).
	warm := func(x, y int, c color.RGBA) color.RGBA {
		if c.R == 255 {
			return c
		}
		return color.RGBA{c.R + 4, c.G, c.B - 4, 255}
	}
	// A third of the card a mid-tone panel, the rest clipped paper: a
	// grey copy whose paper clips keeps its panel's one chromaticity
	// (grey and over-exposed); in colour, the panel keeps its hue
	// (over-exposed only).
	panel := func(r, g, b uint8) func(x, y int, c color.RGBA) color.RGBA {
		return func(x, y int, c color.RGBA) color.RGBA {
			if x >= 300 && x < 650 && y >= 100 && y < 400 {
				return color.RGBA{r, g, b, 255}
			}
			return c
		}
	}
	// Two such panels, one above the other: a grey copy under a strong
	// warm light keeps a weak cast on its pale grey (the tone curve's
	// shoulder) and the full cast on its dark toner, one cast at each
	// luma (over-exposed and grey, by colour_cast on what is left,
	// though colour counts two chromaticities); a colour card puts two
	// tints at one luma (over-exposed only).
	panels := func(top, bottom, ink [3]uint8) func(x, y int, c color.RGBA) color.RGBA {
		return func(x, y int, c color.RGBA) color.RGBA {
			switch {
			case x >= 300 && x < 560 && y >= 100 && y < 250:
				return color.RGBA{top[0], top[1], top[2], 255}
			case x >= 300 && x < 560 && y >= 250 && y < 400:
				return color.RGBA{bottom[0], bottom[1], bottom[2], 255}
			case c.R < 255:
				return color.RGBA{ink[0], ink[1], ink[2], 255}
			}
			return c
		}
	}
	for _, c := range []struct {
		name     string
		paper    uint8
		coloured bool
		paint    func(x, y int, c color.RGBA) color.RGBA
		want     []reason.Code
	}{
		{"reflection on a coloured card", 215, true, reflection, []reason.Code{reason.DocGlare}},
		{"clipped coloured card", 255, true, nil, []reason.Code{reason.DocOverexposed}},
		{"clipped grey card", 255, false, nil, []reason.Code{reason.DocNotColour, reason.DocOverexposed}},
		{"clipped grey card under a faint warm light", 255, false, warm, []reason.Code{reason.DocOverexposed}},
		{"dark grey card", 45, false, nil, []reason.Code{reason.DocNotColour, reason.DocTooDark}},
		{"dark grey card under a faint warm light", 45, false, warm, []reason.Code{reason.DocTooDark}},
		{"grey card, clipped strip", 200, false, clippedStrip, []reason.Code{reason.DocNotColour, reason.DocOverexposed}},
		{"coloured card, clipped strip", 200, true, clippedStrip, []reason.Code{reason.DocOverexposed}},
		{"coloured card", 215, true, nil, nil},
		{"grey copy, clipped paper, grey panel", 255, false, panel(150, 150, 150), []reason.Code{reason.DocNotColour, reason.DocOverexposed}},
		{"coloured card, clipped paper, coloured panel", 255, true, panel(110, 170, 215), []reason.Code{reason.DocOverexposed}},
		{"grey copy under a strong light, clipped paper, two greys", 255, false, panels([3]uint8{206, 200, 192}, [3]uint8{110, 100, 92}, [3]uint8{56, 51, 47}), []reason.Code{reason.DocNotColour, reason.DocOverexposed}},
		{"coloured card, clipped paper, two tints of one grey", 255, false, panels([3]uint8{156, 150, 140}, [3]uint8{142, 150, 160}, [3]uint8{51, 51, 51}), []reason.Code{reason.DocOverexposed}},
	} {
		rep := Check(cardPhoto(t, c.paper, c.coloured, c.paint), DefaultOptions())
		got := slices.Clone(rep.Reasons)
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: reasons %v, want %v (scores %v)", c.name, rep.Reasons, c.want, rep.Scores)
		}
	}
}

// boxPhoto is a 1400×1050 PNG of a flat ground of luma ground, tiled
// by grout lines 3 pixels wide every 150 of luma grout unless that is 0,
// with a card of w×h at its centre: paper of luma paper, print of luma
// ink in rows 4 pixels tall every 16 over its left half.
func boxPhoto(t *testing.T, ground, grout, paper, ink uint8, w, h int) []byte {
	t.Helper()
	const pw, ph = 1400, 1050
	img := image.NewRGBA(image.Rect(0, 0, pw, ph))
	x0, y0 := (pw-w)/2, (ph-h)/2
	for y := 0; y < ph; y++ {
		for x := 0; x < pw; x++ {
			v := ground
			if grout > 0 && (x%150 < 3 || y%150 < 3) {
				v = grout
			}
			if cx, cy := x-x0, y-y0; cx >= 0 && cx < w && cy >= 0 && cy < h {
				v = paper
				if cx >= w/10 && cx < w/2 && cy >= h/5 && cy < h*9/10 && cy%16 < 4 {
					v = ink
				}
			}
			img.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// An outline that is small (a long side under MinResolution) or dark
// (median luma under MinBrightness) and not washed out itself, in a photo
// whose middle is washed out beyond lostWashed, is dropped: the photo is
// measured as when no outline is found, over-exposed, and neither low
// resolution nor too dark. On a ground that is not washed out the same
// outline stands, and an outline that passes resolution and brightness
// stands on a clipped ground. (A grey photo also fails doc_not_colour,
// whatever its exposure: the reasons compared are the others.)
//   - a 320×200 card of 150 (print 40) on a ground of 255, the middle
//     93 % clipped: small, dropped: over-exposed;
//   - the same card on a ground of 200: small, kept: low resolution;
//   - a 680×430 card of 60 (print 20) on a ground of 255, the middle
//     69 % clipped: dark, dropped: over-exposed;
//   - the same card of 150: kept, passes;
//   - a 320×200 card of 254 (print 40) on a ground of 120: small and
//     washed out itself, kept: low resolution and over-exposed.
func TestLostOutlineWashedOut(t *testing.T) {
	for _, c := range []struct {
		name                      string
		ground, grout, paper, ink uint8
		w, h                      int
		want                      []reason.Code
		document                  bool
	}{
		{"small card on a clipped ground", 255, 0, 150, 40, 320, 200, []reason.Code{reason.DocOverexposed}, false},
		{"small card on clipped tiles", 255, 150, 150, 40, 320, 200, []reason.Code{reason.DocOverexposed}, false},
		{"small card on pale tiles", 200, 150, 150, 40, 320, 200, []reason.Code{reason.DocLowResolution}, true},
		{"dark card on a clipped ground", 255, 0, 60, 20, 680, 430, []reason.Code{reason.DocOverexposed}, false},
		{"card on a clipped ground", 255, 0, 150, 40, 680, 430, nil, true},
		{"card on clipped tiles", 255, 150, 150, 40, 680, 430, nil, true},
		{"small clipped card on grey tiles", 120, 60, 254, 40, 320, 200, []reason.Code{reason.DocLowResolution, reason.DocOverexposed}, true},
	} {
		checkBackReasons(t, c.name, boxPhoto(t, c.ground, c.grout, c.paper, c.ink, c.w, c.h), c.want, c.document)
	}
}

// checkBackReasons checks photo as a card's back and wants its reasons,
// doc_not_colour left out (a grey photo fails it whatever its exposure),
// to be want, and an outline found exactly when document.
func checkBackReasons(t *testing.T, name string, photo []byte, want []reason.Code, document bool) {
	t.Helper()
	opts := DefaultOptions()
	opts.Side = Back
	rep := Check(photo, opts)
	var got []reason.Code
	for _, r := range rep.Reasons {
		if r != reason.DocNotColour {
			got = append(got, r)
		}
	}
	slices.Sort(got)
	w := slices.Clone(want)
	slices.Sort(w)
	if !slices.Equal(got, w) || (len(rep.Document) == 4) != document {
		t.Errorf("%s: reasons %v, document %v; want %v, document found %v (scores %v)", name, rep.Reasons, rep.Document, want, document, rep.Scores)
	}
}

// lostInWashout: an outline too small or too dark for the card, not
// washed out itself.
func TestLostInWashout(t *testing.T) {
	th := DefaultOptions().Thresholds
	for _, c := range []struct {
		res, bright, clipped float64
		want                 bool
	}{
		{th.MinResolution - 1, 200, 0, true},
		{th.MinResolution, 200, 0, false},
		{900, th.MinBrightness - 1, 0, true},
		{900, th.MinBrightness, 0, false},
		{th.MinResolution - 1, 200, th.MaxClipped, true},
		{th.MinResolution - 1, 200, th.MaxClipped + 0.01, false},
	} {
		if got := lostInWashout(c.res, c.bright, c.clipped, 1, true, th); got != c.want {
			t.Errorf("resolution %.0f, brightness %.0f, clipped %.2f: %v, want %v", c.res, c.bright, c.clipped, got, c.want)
		}
	}
}

// washedCast: colour_cast decides on an over-exposed photo with a fifth
// to a half of the document left in the tones colour is read in, and a
// colour score from maxWashedColour up to MinColourStrong.
func TestWashedCast(t *testing.T) {
	th := DefaultOptions().Thresholds
	over := th.MaxClipped + 0.01
	for _, c := range []struct {
		colour, usable, clipped float64
		want                    bool
	}{
		{2, 0.3, over, true},
		{maxWashedColour, minWashedUsable, over, true},
		{maxWashedColour - 0.01, 0.3, over, false}, // grey by colour alone
		{th.MinColourStrong, 0.3, over, false},     // colour alone speaks
		{2, minWashedUsable - 0.01, over, false},   // too little left
		{2, minColourUsable, over, false},          // the usual checks
		{2, 0.3, th.MaxClipped, false},             // not over-exposed
	} {
		if got := washedCast(c.colour, c.usable, c.clipped, th); got != c.want {
			t.Errorf("colour %.2f, usable %.2f, clipped %.2f: %v, want %v", c.colour, c.usable, c.clipped, got, c.want)
		}
	}
}

// cutPhoto is a pw×ph PNG of a flat ground of luma ground with a card
// of w×h whose top-left corner lies at (x0, y0) (it may lie beyond the
// photo's edge): paper of luma paper, print of luma ink in rows 4 pixels
// tall every 16 over its left half, and, when tip is set, a fingertip of
// luma 90, a disc of radius 60 centred on the card's top-right corner.
func cutPhoto(t *testing.T, pw, ph int, ground, paper, ink uint8, w, h, x0, y0 int, tip bool) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, pw, ph))
	for y := 0; y < ph; y++ {
		for x := 0; x < pw; x++ {
			v := ground
			if cx, cy := x-x0, y-y0; cx >= 0 && cx < w && cy >= 0 && cy < h {
				v = paper
				if cx >= w/10 && cx < w/2 && cy >= h/5 && cy < h*9/10 && cy%16 < 4 {
					v = ink
				}
			}
			if dx, dy := float64(x-(x0+w)), float64(y-y0); tip && dx*dx+dy*dy <= 60*60 {
				v = 90
			}
			img.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// An outline whose corners fail, lying whole in the photo and not washed
// out itself, in a photo whose middle is washed out beyond lostWashed, is
// dropped like one too small or too dark (lostInWashout): the photo is
// over-exposed, its corners not evaluated. An outline with a corner
// beyond the photo's edge stands (the card runs out of the frame: that is
// seen, not inferred from a side's gap). And an outline washed out
// itself that fails its corners in a photo whose middle is washed out
// beyond lostWashed too has its corners not evaluated: a white card's
// edges are lost against the white around it (the washed-corners rule in
// analyse). (A grey photo also fails doc_not_colour: the reasons compared
// are the others.) On 1400×1050 photos unless said:
//   - a 680×430 card of 150 (print 40) with a fingertip of 90 over its
//     top-right corner, on a ground of 255 (the middle 69 % clipped):
//     over-exposed, no outline (main: cut off);
//   - the same on a ground of 200: cut off;
//   - a 1000×640 card of 150 whose left 250 pixels lie beyond the photo's
//     edge, on a ground of 255 (the middle 56 % clipped): cut off, its
//     outline kept (over-exposed without the whole-outline condition);
//   - a 1300×800 card of 254 (washed out itself) whose left 300 pixels lie
//     beyond the photo's edge, on a ground of 120, the middle about two
//     thirds clipped: over-exposed only (main: also cut off);
//   - the same card of 200: cut off only;
//   - on a 2800×2100 photo, a 1600×1000 card of 254 whose left 400 pixels
//     lie beyond its edge, on a ground of 120, the middle about a quarter
//     clipped: cut off and over-exposed (over-exposed only without the
//     middle condition). (TestOuterEdge's card cut off on the right, its
//     white panel clipped, the middle a fifth, is the same case.)
func TestLostCornersWashedOut(t *testing.T) {
	for _, c := range []struct {
		name                 string
		ground, paper, ink   uint8
		pw, ph, w, h, x0, y0 int
		tip                  bool
		want                 []reason.Code
		document             bool
	}{
		{"fingertip on a card on a clipped ground", 255, 150, 40, 1400, 1050, 680, 430, 360, 310, true, []reason.Code{reason.DocOverexposed}, false},
		{"fingertip on a card on a pale ground", 200, 150, 40, 1400, 1050, 680, 430, 360, 310, true, []reason.Code{reason.DocCutOff}, true},
		{"card out of the frame on a clipped ground", 255, 150, 40, 1400, 1050, 1000, 640, -250, 205, false, []reason.Code{reason.DocCutOff}, true},
		{"washed-out card out of the frame, washed-out middle", 120, 254, 40, 1400, 1050, 1300, 800, -300, 125, false, []reason.Code{reason.DocOverexposed}, true},
		{"card out of the frame on a grey ground", 120, 200, 40, 1400, 1050, 1300, 800, -300, 125, false, []reason.Code{reason.DocCutOff}, true},
		{"washed-out card out of the frame, the middle a quarter washed out", 120, 254, 40, 2800, 2100, 1600, 1000, -400, 550, false, []reason.Code{reason.DocCutOff, reason.DocOverexposed}, true},
	} {
		checkBackReasons(t, c.name, cutPhoto(t, c.pw, c.ph, c.ground, c.paper, c.ink, c.w, c.h, c.x0, c.y0, c.tip), c.want, c.document)
	}
}

// greyPlanes is a w×h photo's planes (4:2:0) whose chroma is neutral and
// whose luma at (x, y) is luma(x, y).
func greyPlanes(w, h int, luma func(x, y int) byte) *planes {
	p := &planes{w: w, h: h, ys: w, y: make([]byte, w*h), cw: w / 2, ch: h / 2, cs: w / 2}
	p.cb, p.cr = make([]byte, p.cw*p.ch), make([]byte, p.cw*p.ch)
	for i := range p.cb {
		p.cb[i], p.cr[i] = 128, 128
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p.y[y*w+x] = luma(x, y)
		}
	}
	return p
}

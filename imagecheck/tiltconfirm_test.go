package imagecheck

import (
	"image"
	"math"
	"testing"
)

// lumaBox returns a w×h 4:2:0 image whose luma rows are given by row(x, y).
func lumaBox(w, h int, row func(x, y int) byte) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Y[img.YOffset(x, y)] = row(x, y)
		}
	}
	return img
}

func TestTwoTone(t *testing.T) {
	cases := []struct {
		name string
		img  *image.YCbCr
		box  image.Rectangle
		want float64
	}{
		// Text on its ground: two flat tones, all the variance between them.
		{"two tones", lumaBox(8, 4, func(x, _ int) byte { return byte(20 + 200*(x/4)) }), image.Rect(0, 0, 8, 4), 1},
		{"flat", lumaBox(8, 4, func(int, int) byte { return 90 }), image.Rect(0, 0, 8, 4), 0},
		// Three tones 0, 120, 240 in equal shares: the best split
		// separates 0 from the other two (or 240 from the other two):
		// between-class variance (1/3)(2/3)(180)² = 7200 over the total
		// 9600.
		{"three tones", lumaBox(6, 2, func(x, _ int) byte { return byte(120 * (x / 2)) }), image.Rect(0, 0, 6, 2), 0.75},
		// The 256 levels once each: the split at the middle, between-class
		// variance (1/4)·128², over the total (256²−1)/12 (about 0.75).
		{"every level", lumaBox(16, 16, func(x, y int) byte { return byte(16*y + x) }), image.Rect(0, 0, 16, 16), 0.25 * 128 * 128 / ((256*256 - 1) / 12.0)},
		// Only the box counts: the right half of a two-tone image is flat.
		{"box inside", lumaBox(8, 4, func(x, _ int) byte { return byte(20 + 200*(x/4)) }), image.Rect(4, 0, 8, 4), 0},
		// A box reaching outside the image is cut to it.
		{"box outside", lumaBox(8, 4, func(x, _ int) byte { return byte(20 + 200*(x/4)) }), image.Rect(-10, -10, 20, 20), 1},
		{"empty box", lumaBox(8, 4, func(int, int) byte { return 90 }), image.Rect(20, 20, 30, 30), 0},
	}
	for _, c := range cases {
		if got := twoTone(c.img, c.box); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: twoTone = %v, want %v", c.name, got, c.want)
		}
	}
	if got := twoTone(nil, image.Rect(0, 0, 4, 4)); got != 0 {
		t.Errorf("nil image: twoTone = %v, want 0", got)
	}
}

func TestIoU(t *testing.T) {
	cases := []struct {
		a, b image.Rectangle
		want float64
	}{
		{image.Rect(0, 0, 10, 10), image.Rect(0, 0, 10, 10), 1},
		{image.Rect(0, 0, 10, 10), image.Rect(5, 0, 15, 10), 50.0 / 150},
		{image.Rect(0, 0, 10, 10), image.Rect(2, 2, 4, 4), 4.0 / 100},
		{image.Rect(0, 0, 10, 10), image.Rect(10, 0, 20, 10), 0},
		{image.Rect(0, 0, 10, 10), image.Rectangle{}, 0},
	}
	for _, c := range cases {
		if got := iou(c.a, c.b); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("iou(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// seqFaces is a FaceDetector returning, at its i-th call, the faces
// out[i] (none past the end).
type seqFaces struct {
	out   [][]FaceBox
	calls int
}

func (f *seqFaces) DetectFaces(image.Image) ([]FaceBox, error) {
	f.calls++
	if f.calls > len(f.out) {
		return nil, nil
	}
	return f.out[f.calls-1], nil
}

// A confident face from a tilted view of a flat 64×32 document: a photo's
// tones pass at once; two tones need the same face again 15° further on
// one side, at MinFace at least, overlapping it (the other side is not
// looked at when the first shows it).
func TestTiltedConfirmed(t *testing.T) {
	p := &planes{w: 64, h: 32, ys: 64, cw: 32, ch: 16, cs: 32}
	p.y = make([]byte, 64*32)
	for i := range p.y {
		p.y[i] = 128
	}
	p.cb, p.cr = make([]byte, 32*16), make([]byte, 32*16)
	wq := [4][2]float64{{0, 0}, {64, 0}, {64, 32}, {0, 32}}
	h := int(math.Round(faceSide / 2.0))
	v := faceView{turn: 0, long: faceSide, r: image.Rect(0, 0, faceSide, h), tilt: tiltAngle}
	centre := image.Rect(178, 74, 238, 134) // about the view's centre, where the tilts turn
	elsewhere := image.Rect(10, 10, 70, 70)
	th := DefaultOptions().Thresholds
	cases := []struct {
		name      string
		photo     bool
		neighbour [][]FaceBox
		ok        bool
		nb        float64
		calls     int
	}{
		{"a photo's tones", true, nil, true, 0, 0},
		{"two tones, found again at 45°", false, [][]FaceBox{{{Rect: centre, Score: 0.7}}}, true, 0.7, 1},
		{"two tones, found again at 15°", false, [][]FaceBox{nil, {{Rect: centre, Score: 0.55}}}, true, 0.55, 2},
		{"two tones, found again below MinFace", false, [][]FaceBox{{{Rect: centre, Score: 0.45}}}, false, 0, 2},
		{"two tones, a face elsewhere", false, [][]FaceBox{{{Rect: elsewhere, Score: 0.9}}}, false, 0, 2},
		{"two tones, nothing again", false, nil, false, 0, 2},
	}
	for _, c := range cases {
		det := &seqFaces{out: append([][]FaceBox{{{Rect: centre, Score: 0.8}}}, c.neighbour...)}
		s := faceSearch{p: p, wq: wq, aspect: 2, det: det, ws: new(workspace)}
		f, _, err := s.look(v)
		if err != nil || f.Score != 0.8 {
			t.Fatalf("%s: the tilted view's face %v, %v", c.name, f, err)
		}
		ok, nb, err := s.tiltedConfirmed(v, f, c.photo, 0, th)
		if err != nil || ok != c.ok || nb != c.nb || det.calls-1 != c.calls {
			t.Errorf("%s: ok %v, nb %v, %d passes, err %v; want %v, %v, %d", c.name, ok, nb, det.calls-1, err, c.ok, c.nb, c.calls)
		}
	}
}

// fitFaces is a FaceFitter that reads every box as a face's layout with
// the given misfit.
type fitFaces struct{ misfit float64 }

func (f fitFaces) ConfirmFace(image.Image, image.Rectangle) (bool, error) { return true, nil }

func (f fitFaces) FaceFit(image.Image, image.Rectangle) (bool, float64, error) {
	return true, f.misfit, nil
}

// The portrait search on a 64×32 document printed either as a ramp (luma
// 4x: a photo's many tones, twoTone 0.75 in any box) or in stripes 4
// pixels wide of black and white (two tones), with a detector that
// returns, pass by pass, a box about the view's centre (where the tilts
// turn): a doubtful face counts in a whole view only with a photo's
// tones, and in a tilted view only with them and found again 15°
// further; a confident face from a tilted view with a photo's tones
// counts at once only if it fits the mean face within maxTiltedMisfit,
// else it too must be found again; one from a whole view need not fit
// that closely, but with two tones it must be found again 15° further.
// When the twelve views found nothing, the close tiles of the two
// landscape orientations: a face there
// counts only with a photo's tones, found again 15° further, and no
// wider than maxCloseFace. When those four found nothing either, the
// eight views in skin tones (skinViews: the four whole views, each
// darkened, then not): a face there counts only with smooth shading and
// found again 15° further; stripes one document pixel wide (about six
// view pixels, much finer than the box) have none.
func TestPortraitDoubtfulAndTilted(t *testing.T) {
	plane := func(stripes, fine bool) *planes {
		p := &planes{w: 64, h: 32, ys: 64, cw: 32, ch: 16, cs: 32}
		p.y = make([]byte, 64*32)
		for i := range p.y {
			x, y := i%64, i/64
			// A photo's shading: soft light and dark patches a face's
			// size (not a ramp: a ramp across a box is lighting, see
			// unlitShading).
			p.y[i] = byte(128 + 90*math.Sin(2*math.Pi*float64(x)/8)*math.Sin(2*math.Pi*float64(y)/8))
			if stripes {
				p.y[i] = byte(255 * (x / 4 % 2))
			}
			if fine {
				p.y[i] = byte(255 * (x % 2))
			}
		}
		p.cb, p.cr = make([]byte, 32*16), make([]byte, 32*16)
		return p
	}
	wq := [4][2]float64{{0, 0}, {64, 0}, {64, 32}, {0, 32}}
	centre := []FaceBox{{Rect: image.Rect(178, 74, 238, 134), Score: 0.55}}
	sure := []FaceBox{{Rect: image.Rect(178, 74, 238, 134), Score: 0.8}}
	again := []FaceBox{{Rect: image.Rect(180, 76, 236, 132), Score: 0.52}}
	// In the close tiles (the view 624×312, its first tile the left
	// 416×312) boxes about the view's centre, where the tilts turn, after
	// twelve passes that found nothing.
	closeC := []FaceBox{{Rect: image.Rect(282, 126, 342, 186), Score: 0.55}}
	closeSure := []FaceBox{{Rect: image.Rect(282, 126, 342, 186), Score: 0.8}}
	closeAgain := []FaceBox{{Rect: image.Rect(284, 128, 340, 184), Score: 0.52}}
	closeLarge := []FaceBox{{Rect: image.Rect(212, 56, 412, 256), Score: 0.8}} // wider than maxCloseFace
	closeTile := func(f ...[]FaceBox) [][]FaceBox { return append(make([][]FaceBox, 12), f...) }
	// The skin views follow the sixteen passes: the whole views (turns
	// 0, 2, 1, 3), each darkened, then not.
	skin := func(f ...[]FaceBox) [][]FaceBox { return append(make([][]FaceBox, 16), f...) }
	every := func(f []FaceBox) [][]FaceBox {
		out := make([][]FaceBox, 14)
		for i := range out {
			out[i] = f
		}
		return out
	}
	th := DefaultOptions().Thresholds
	cases := []struct {
		name    string
		stripes bool
		misfit  float64
		out     [][]FaceBox
		score   float64 // -1: no face
		passes  int
	}{
		{"doubtful, a photo's tones", false, 3, [][]FaceBox{centre}, 0.55, 1},
		{"doubtful, two tones", true, 3, every(centre), -1, 24},
		{"doubtful in a tilted view, found again", false, 3, [][]FaceBox{nil, nil, nil, nil, centre, again}, 0.55, 6},
		{"doubtful in a tilted view, not found again", false, 3, [][]FaceBox{nil, nil, nil, nil, centre}, -1, 26},
		{"confident in a tilted view, close fit", false, 3, [][]FaceBox{nil, nil, nil, nil, sure}, 0.8, 5},
		{"confident in a tilted view, loose fit", false, 6, [][]FaceBox{nil, nil, nil, nil, sure}, -1, 26},
		{"confident in a tilted view, loose fit, found again", false, 6, [][]FaceBox{nil, nil, nil, nil, sure, nil, again}, 0.8, 7},
		{"confident in a whole view, loose fit", false, 6, [][]FaceBox{sure}, 0.8, 1},
		{"confident in a whole view, two tones, found again", true, 3, [][]FaceBox{sure, nil, again}, 0.8, 3},
		{"confident in a whole view, two tones, found again at once", true, 3, [][]FaceBox{sure, again}, 0.8, 2},
		{"confident in a whole view, two tones, not found again", true, 3, [][]FaceBox{sure}, -1, 26},
		{"confident in a whole view, two tones, a doubtful face elsewhere", true, 3, [][]FaceBox{sure, {{Rect: image.Rect(10, 10, 70, 70), Score: 0.6}}}, -1, 26},
		{"doubtful in a close tile, found again", false, 3, closeTile(closeC, closeAgain), 0.55, 14},
		{"confident in a close tile, found again at 15°", false, 3, closeTile(closeSure, nil, closeAgain), 0.8, 15},
		{"doubtful in a close tile, not found again", false, 3, closeTile(closeC), -1, 26},
		{"doubtful in a close tile, two tones", true, 3, closeTile(closeC, closeAgain), -1, 24},
		{"confident in a close tile, too large", false, 3, closeTile(closeLarge, closeLarge), -1, 24},
		{"doubtful in a skin view, found again", false, 3, skin(centre, again), 0.55, 18},
		{"doubtful in a skin view, not found again", false, 3, skin(centre), -1, 26},
		{"doubtful in a skin view turned upside down, found again", false, 3, skin(nil, nil, centre, again), 0.55, 20},
	}
	// Fine stripes: a confident face in a skin view, found again, does
	// not count.
	det := &seqFaces{out: skin(sure, again)}
	fit := fitFaces{3}
	s := faceSearch{p: plane(false, true), wq: wq, aspect: 2, det: det, conf: fit, fit: fit, confMin: th.MinFace, layoutChecked: true, ws: new(workspace)}
	if f, err := s.portrait(th); err != nil || f.Score != -1 || det.calls != 24 {
		t.Errorf("confident in a skin view, fine stripes: face %.2f, %d passes, err %v; want -1.00, 24", f.Score, det.calls, err)
	}
	// Fine stripes: a confident face in a tilted view that fits loosely
	// has no photo's shading (photoShading) and is not looked for
	// again, though the next tilted pass would show it (the view 15°
	// further): nothing counts, in 24 passes.
	det = &seqFaces{out: [][]FaceBox{nil, nil, nil, nil, sure, again}}
	fit = fitFaces{6}
	s = faceSearch{p: plane(false, true), wq: wq, aspect: 2, det: det, conf: fit, fit: fit, confMin: th.MinFace, layoutChecked: true, ws: new(workspace)}
	if f, err := s.portrait(th); err != nil || f.Score != -1 || det.calls != 24 {
		t.Errorf("confident in a tilted view, loose fit, fine stripes: face %.2f, %d passes, err %v; want -1.00, 24", f.Score, det.calls, err)
	}
	for _, c := range cases {
		det := &seqFaces{out: c.out}
		fit := fitFaces{c.misfit}
		s := faceSearch{p: plane(c.stripes, false), wq: wq, aspect: 2, det: det, conf: fit, fit: fit, confMin: th.MinFace, layoutChecked: true, ws: new(workspace)}
		f, err := s.portrait(th)
		if err != nil || f.Score != c.score || det.calls != c.passes {
			t.Errorf("%s: face %.2f, %d passes, err %v; want %.2f, %d", c.name, f.Score, det.calls, err, c.score, c.passes)
		}
	}
}

// shading keeps the variance of smooth shading and loses that of strokes
// much finer than the box: bounds known by construction (a ramp's window
// means are the ramp itself but near the box's edges; alternate columns
// of 0 and 200 average to 100 give or take one column in a window of 17).
func TestShading(t *testing.T) {
	cases := []struct {
		name   string
		img    *image.YCbCr
		box    image.Rectangle
		lo, hi float64
	}{
		{"a ramp", lumaBox(64, 64, func(x, _ int) byte { return byte(3 * x) }), image.Rect(0, 0, 64, 64), 0.85, 1},
		{"a soft blob", lumaBox(64, 64, func(x, y int) byte {
			dx, dy := float64(x-32), float64(y-32)
			return byte(40 + 180*math.Exp(-(dx*dx+dy*dy)/(2*14*14)))
		}), image.Rect(0, 0, 64, 64), 0.6, 1}, // its peak is flattened a little
		{"strokes one pixel wide", lumaBox(64, 64, func(x, _ int) byte { return byte(200 * (x % 2)) }), image.Rect(0, 0, 64, 64), 0, 0.02},
		{"characters' strokes, 2 pixels in 6", lumaBox(64, 64, func(x, y int) byte {
			if x%6 < 2 || y%6 < 2 {
				return 20
			}
			return 230
		}), image.Rect(0, 0, 64, 64), 0, 0.05},
		{"flat", lumaBox(16, 16, func(int, int) byte { return 90 }), image.Rect(0, 0, 16, 16), 0, 0},
		{"too small a box", lumaBox(16, 16, func(x, _ int) byte { return byte(10 * x) }), image.Rect(0, 0, 3, 16), 0, 0},
	}
	for _, c := range cases {
		if got := shading(c.img, c.box); got < c.lo || got > c.hi {
			t.Errorf("%s: shading = %.4f, want %.2f–%.2f", c.name, got, c.lo, c.hi)
		}
	}
	if got := shading(nil, image.Rect(0, 0, 4, 4)); got != 0 {
		t.Errorf("nil image: shading = %v, want 0", got)
	}
}

// The close tiles cover the document at closeLong on its long side in two
// tiles at most faceSide square, at either end of the long side.
func TestCloseTiles(t *testing.T) {
	cases := []struct {
		aspect float64
		turn   int
		want   [2]image.Rectangle
	}{
		{1.59, 0, [2]image.Rectangle{image.Rect(0, 0, 416, 392), image.Rect(208, 0, 624, 392)}},
		{1.59, 2, [2]image.Rectangle{image.Rect(0, 0, 416, 392), image.Rect(208, 0, 624, 392)}},
		{1.59, 1, [2]image.Rectangle{image.Rect(0, 0, 392, 416), image.Rect(0, 208, 392, 624)}},
		// A passport page: the short side too is longer than a tile.
		{1.42, 0, [2]image.Rectangle{image.Rect(0, 0, 416, 416), image.Rect(208, 23, 624, 439)}},
	}
	for _, c := range cases {
		s := faceSearch{aspect: c.aspect}
		got := s.closeTiles(c.turn)
		if len(got) != 2 || got[0].r != c.want[0] || got[1].r != c.want[1] {
			t.Errorf("aspect %v, turn %d: tiles %v, want %v", c.aspect, c.turn, got, c.want)
			continue
		}
		for _, v := range got {
			if v.turn != c.turn || v.long != closeLong || v.tilt != 0 {
				t.Errorf("aspect %v, turn %d: view %+v", c.aspect, c.turn, v)
			}
		}
	}
}

func TestUprightQuarter(t *testing.T) {
	box := func(s float64) FaceBox { return FaceBox{Score: s} }
	none := box(-1)
	cases := []struct {
		seen [4]FaceBox
		turn int
		ok   bool
	}{
		// Nothing anywhere (a blank front): no quarter turn.
		{[4]FaceBox{none, none, none, none}, 0, false},
		// A weak box in quarter turn 1 only.
		{[4]FaceBox{none, box(0.3), none, none}, 1, true},
		// In turn 3, better than turn 1 and the landscape views.
		{[4]FaceBox{box(0.25), box(0.3), box(0.2), box(0.4)}, 3, true},
		// A landscape view's box is as good: the landscape close tiles
		// were the place to look.
		{[4]FaceBox{none, box(0.3), box(0.3), none}, 0, false},
		{[4]FaceBox{box(0.45), box(0.3), none, box(0.4)}, 0, false},
	}
	for _, c := range cases {
		turn, ok := uprightQuarter(c.seen)
		if turn != c.turn || ok != c.ok {
			t.Errorf("seen %v: got %d, %v, want %d, %v", c.seen, turn, ok, c.turn, c.ok)
		}
	}
}

package imagecheck

import (
	"image"
	"math"
	"sort"
	"sync"

	"github.com/kycq/kycq/internal/geom"
	"github.com/kycq/kycq/kyc/reason"
)

// The portrait is searched on the document itself, cut out of the photo
// and rectified to an upright rectangle faceSide pixels wide (the input
// size of the face engine's detector), its luma stretched over the
// document (a printed portrait is low in contrast): the face is then about
// 60 pixels wide in the detector's view, not a speck in a whole photo.
//
// The document's long side is laid horizontally, first the way the photo
// shows it (a document upright in a portrait frame turned clockwise),
// then turned by 180°: the detector finds upright faces. When neither
// shows a face at ConfirmFace (nor one at MinFace whose layout the
// detector confirmed), the two quarter turns are shown too, upright views
// with the long side vertical: a card printed in portrait format
// (vertical ID cards and licences) carries its portrait that way. A face scoring
// at least Thresholds.ConfirmFace there is the portrait. A weaker one
// (an emblem or a seal can score 0.6) must be found again, at MinFace:
// first in a closer look at it, from the photo decoded again at twice the
// resolution (see closer); failing that, when the document is searched at
// twice the size in 2×2 overlapping tiles (60 % of its width and height
// each) in the same orientation; and when neither whole view shows a
// face, the tiles of both orientations are searched (the better-scoring
// orientation first; tiles only of the two landscape orientations). That
// is at most fourteen detector passes, and most fronts need one.
const faceSide = 416

// faceView is one image the detector is shown: the document turned by
// turn×90°, rectified at size×faceSide wide, the part r of that.
type faceView struct {
	turn, size int
	r          image.Rectangle
}

// faceSearch runs the detector over views of one document.
type faceSearch struct {
	p      *planes
	wq     [4][2]float64
	aspect float64
	det    FaceDetector
	// conf, when the detector can judge a box's layout, confirms the
	// faces scoring at least confMin: only the one a view would report,
	// best first, until one is confirmed (a box of at least confMin
	// whose layout is not a face's counts as not found).
	conf    FaceConfirmer
	confMin float64
	ws      *workspace
	lut     *[256]byte // the contrast stretch of the whole document, for every view

	// For a closer look: the decoded upload and the options it was
	// decoded with, and the finer decode (see nearPlanes).
	d         *decoded
	opts      Options
	nearTried bool
	near      *planes
	nearRatio float64
	nearWS    *workspace

	// layoutChecked: a box of at least MinFace reported by a view has a
	// face's layout (conf is set and confMin is MinFace).
	layoutChecked bool
}

// pick returns the best-scoring of faces (as the detector gave them for
// img) that ok accepts and, when it scores at least s.confMin, whose
// layout s.conf confirms; found is false when there is none. The landmark
// net runs only on the candidates in turn, best first, not on every box.
func (s *faceSearch) pick(img image.Image, faces []FaceBox, ok func(FaceBox) bool) (best FaceBox, found bool, err error) {
	order := make([]int, 0, len(faces))
	for i, f := range faces {
		if ok(f) {
			order = append(order, i)
		}
	}
	// Best first; among equal scores the detector's order.
	sort.SliceStable(order, func(a, b int) bool { return faces[order[a]].Score > faces[order[b]].Score })
	for _, i := range order {
		f := faces[i]
		if s.conf != nil && f.Score >= s.confMin {
			face, err := s.conf.ConfirmFace(img, f.Rect)
			if err != nil {
				return FaceBox{}, false, err
			}
			if !face {
				continue
			}
		}
		return f, true, nil
	}
	return FaceBox{}, false, nil
}

// look shows the detector one view and returns its best face (Score -1
// when none), in working pixels, and that face's box in the view.
func (s *faceSearch) look(v faceView) (FaceBox, image.Rectangle, error) {
	img, hom := s.show(s.p, s.wq, v.turn, v.size*faceSide, v.r)
	best, box := FaceBox{Score: -1}, image.Rectangle{}
	faces, err := s.det.DetectFaces(img)
	if err != nil {
		return best, box, err
	}
	f, found, err := s.pick(img, faces, func(FaceBox) bool { return true })
	if found {
		box = f.Rect.Add(v.r.Min)
		best = FaceBox{Score: f.Score, Rect: hom.MapRect(box)}
	}
	return best, box, err
}

// show rectifies the part r of the document (corners wq in the pixels of
// p) turned by turn×90° at w pixels wide, stretched by the whole
// document's contrast, and returns it with the homography from the
// view's pixels to the pixels of p.
//
// In a quarter turn (odd turn) the long side is vertical: w is then the
// view's height, its width w over the aspect ratio.
func (s *faceSearch) show(p *planes, wq [4][2]float64, turn, w int, r image.Rectangle) (*image.YCbCr, geom.Homography) {
	aspect := s.aspect
	if turn%2 == 1 {
		aspect, w = 1/aspect, int(math.Round(float64(w)/aspect))
	}
	img, hom := rectify(p, uprightCorners(wq, turn), aspect, w, r, s.ws)
	if s.lut == nil {
		s.lut = stretchLUT(img.Y)
	}
	for i, y := range img.Y {
		img.Y[i] = s.lut[y]
	}
	return img, hom
}

// A face scoring between Thresholds.MinFace and ConfirmFace in a whole
// view is first looked at again closer, with real extra detail: the photo
// is decoded a second time at twice the working resolution (only then, so
// most fronts never pay for it), and the document rectified from those
// pixels so that the candidate is about closeFace pixels wide (the size
// the detector scores best), in a window of at most faceSide×faceSide
// around it. The candidate is confirmed when a face of at least MinFace
// overlaps it there (an intersection over union of closeIoU, in working
// pixels); otherwise the tiles are searched as before. A photo decoded at
// full size already (factor 1) has no more detail to give: no closer look.
const (
	closeFace = 90
	closeIoU  = 0.3
)

// nearWorkspaces hold the buffers of the second, finer decode, apart from
// the working ones so that those keep their usual size.
var nearWorkspaces = sync.Pool{New: func() any { return new(workspace) }}

// nearPlanes decodes the photo at twice the working resolution, once per
// search, and returns the planes and their pixels per working pixel (nil
// when that gives no more pixels, or fails).
func (s *faceSearch) nearPlanes() (*planes, float64) {
	if s.nearTried {
		return s.near, s.nearRatio
	}
	s.nearTried = true
	if s.d == nil || s.d.data == nil || s.d.factor <= 1 {
		return nil, 0
	}
	opts := s.opts
	opts.WorkSize = 2 * max(opts.WorkSize, 1)
	ws := nearWorkspaces.Get().(*workspace)
	d, err := decode(s.d.data, opts, ws)
	if err != nil || d.factor >= s.d.factor {
		nearWorkspaces.Put(ws)
		return nil, 0
	}
	s.near, s.nearWS = &d.p, ws
	s.nearRatio = float64(s.d.factor) / float64(d.factor)
	return s.near, s.nearRatio
}

// release returns the finer decode's buffers.
func (s *faceSearch) release() {
	if s.nearWS != nil {
		nearWorkspaces.Put(s.nearWS)
		s.nearWS, s.near = nil, nil
	}
}

// closer looks again at c, the best face of the whole view of orientation
// turn (box: where that view showed it), and returns the best face of at
// least minFace overlapping c (Score -1 when none), in working pixels.
func (s *faceSearch) closer(turn int, c FaceBox, box image.Rectangle, minFace float64) (FaceBox, error) {
	best := FaceBox{Score: -1}
	p, ratio := s.nearPlanes()
	if p == nil || box.Dx() <= 0 || box.Dy() <= 0 {
		return best, nil
	}
	k := math.Min(4, math.Max(0.5, closeFace/float64(box.Dx()))) // view pixels per whole-view pixel
	long := int(math.Round(faceSide * k))
	w, h := long, int(math.Round(float64(long)/s.aspect))
	if turn%2 == 1 {
		w, h = h, w // long side vertical (see show)
	}
	rw, rh := min(w, faceSide), min(h, faceSide)
	cx := float64(box.Min.X+box.Max.X) / 2 * k
	cy := float64(box.Min.Y+box.Max.Y) / 2 * k
	x0 := max(0, min(w-rw, int(math.Round(cx-float64(rw)/2))))
	y0 := max(0, min(h-rh, int(math.Round(cy-float64(rh)/2))))
	r := image.Rect(x0, y0, x0+rw, y0+rh)
	img, hom := s.show(p, scaleQuad(s.wq, ratio), turn, long, r)
	for i := 0; i < 6; i++ {
		hom[i] /= ratio // to working pixels
	}
	faces, err := s.det.DetectFaces(img)
	if err != nil {
		return best, err
	}
	f, found, err := s.pick(img, faces, func(f FaceBox) bool {
		return f.Score >= minFace && rectIoU(hom.MapRect(f.Rect.Add(r.Min)), c.Rect) >= closeIoU
	})
	if found {
		best = FaceBox{Score: f.Score, Rect: hom.MapRect(f.Rect.Add(r.Min))}
	}
	return best, err
}

// rectIoU is the intersection over union of two rectangles.
func rectIoU(a, b image.Rectangle) float64 {
	in := a.Intersect(b)
	if in.Empty() {
		return 0
	}
	ai := float64(in.Dx()) * float64(in.Dy())
	u := float64(a.Dx())*float64(a.Dy()) + float64(b.Dx())*float64(b.Dy()) - ai
	if u <= 0 {
		return 0
	}
	return ai / u
}

// tiles returns the 2×2 tile views of orientation turn.
func (s *faceSearch) tiles(turn int) []faceView {
	w := 2 * faceSide
	h := int(math.Round(float64(w) / s.aspect))
	tw, th := w*6/10, h*6/10
	var out []faceView
	for j := 0; j < 2; j++ {
		for i := 0; i < 2; i++ {
			x0, y0 := i*(w-tw), j*(h-th)
			out = append(out, faceView{turn, 2, image.Rect(x0, y0, x0+tw, y0+th)})
		}
	}
	return out
}

// portrait searches the document for its portrait and returns the best
// confirmed face (Score -1 when none).
func (s *faceSearch) portrait(th Thresholds) (FaceBox, error) {
	h := int(math.Round(faceSide / s.aspect))
	defer s.release()
	var seen [4]FaceBox // the best face of each orientation's whole view
	var boxes [4]image.Rectangle
	for _, turn := range [4]int{0, 2, 1, 3} {
		whole := image.Rect(0, 0, faceSide, h)
		if turn%2 == 1 {
			whole = image.Rect(0, 0, h, faceSide)
		}
		f, box, err := s.look(faceView{turn, 1, whole})
		if err != nil {
			return f, err
		}
		if f.Score >= th.ConfirmFace || (s.layoutChecked && f.Score >= th.MinFace) {
			return f, nil // confident, or doubtful but with a face's layout
		}
		seen[turn], boxes[turn] = f, box
	}
	// The closer look at the two best-scoring orientations, best first.
	order := []int{0, 2, 1, 3}
	sort.SliceStable(order, func(i, j int) bool { return seen[order[i]].Score > seen[order[j]].Score })
	for _, turn := range order[:2] {
		if c := seen[turn]; c.Score >= th.MinFace {
			f, err := s.closer(turn, c, boxes[turn], th.MinFace)
			if err != nil {
				return f, err
			}
			if f.Score >= th.MinFace {
				if c.Score > f.Score {
					f = c // confirmed: report the whole view's face
				}
				return f, nil
			}
		}
	}
	first, second := 0, 2
	if seen[2].Score > seen[0].Score {
		first, second = 2, 0
	}
	best := FaceBox{Score: -1}
	for _, turn := range [2]int{first, second} {
		for _, v := range s.tiles(turn) {
			f, _, err := s.look(v)
			if err != nil {
				return f, err
			}
			if f.Score > best.Score {
				best = f
			}
			if best.Score >= th.MinFace {
				if seen[turn].Score > best.Score {
					best = seen[turn] // confirmed: report the whole view's face
				}
				return best, nil
			}
		}
	}
	return best, nil
}

// faceCheck looks for the portrait with the configured detector.
func faceCheck(d *decoded, wq [4][2]float64, found bool, scale float64, opts Options, ws *workspace, rep *Report) (c CheckResult) {
	p := &d.p
	th := opts.Thresholds.MinFace
	failed := CheckResult{Name: CheckFace, Threshold: th, PassIf: ">=", Code: reason.CheckFailed, Detail: "face detector failed"}
	defer func() {
		if r := recover(); r != nil {
			c = failed
		}
	}()
	best := FaceBox{Score: -1}
	if found {
		conf, layout := opts.FaceDetector.(FaceConfirmer)
		s := faceSearch{p: p, wq: wq, aspect: quadAspect(wq), det: opts.FaceDetector, conf: conf, confMin: th, ws: ws, d: d, opts: opts, layoutChecked: layout}
		var err error
		if best, err = s.portrait(opts.Thresholds); err != nil {
			return failed
		}
		if best.Score >= 0 && !portraitPlausible(best.Rect, wq) {
			best = FaceBox{Score: -1} // outside the document, or not a portrait's size
		}
	} else {
		// No outline: search the whole photo.
		faces, err := opts.FaceDetector.DetectFaces(p.view())
		if err != nil {
			return failed
		}
		for _, f := range faces {
			if f.Score > best.Score {
				best = f
			}
		}
	}
	score := 0.0
	if best.Score >= 0 {
		score = best.Score
		r := best.Rect
		rep.Face = &FaceBox{Score: best.Score, Rect: image.Rect(
			int(float64(r.Min.X)*scale), int(float64(r.Min.Y)*scale),
			int(math.Ceil(float64(r.Max.X)*scale)), int(math.Ceil(float64(r.Max.Y)*scale)))}
	}
	return result(CheckFace, score, th, true, reason.DocNoFace)
}

// quadAspect is the document's aspect ratio (long over short side, the
// mean of opposite sides), within the plausible range.
func quadAspect(c [4][2]float64) float64 {
	a := (dist(c[0], c[1]) + dist(c[2], c[3])) / 2
	b := (dist(c[1], c[2]) + dist(c[3], c[0])) / 2
	return math.Min(maxAspect, math.Max(minAspect, math.Max(a, b)/math.Max(1, math.Min(a, b))))
}

// uprightCorners returns the corners of the document (ordered as
// quad.ordered gives them: clockwise from the top-left on screen) starting
// with the one to show at the top-left of a landscape view, turned by a
// further turn×90°.
func uprightCorners(c [4][2]float64, turn int) [4][2]float64 {
	start := 0
	if dist(c[0], c[1])+dist(c[2], c[3]) < dist(c[1], c[2])+dist(c[3], c[0]) {
		start = 1 // long sides vertical: the top-right corner becomes the top-left
	}
	start += turn
	var out [4][2]float64
	for i := range out {
		out[i] = c[(start+i)%4]
	}
	return out
}

func dist(a, b [2]float64) float64 { return math.Hypot(a[0]-b[0], a[1]-b[1]) }

// rectify samples the part r of the quadrilateral c (working pixels;
// the corners to show at the top-left, top-right, bottom-right and
// bottom-left) rectified to an upright view w pixels wide with the given
// aspect ratio, bilinearly, as a 4:2:0 image, and returns it with the
// homography from the view's pixels to working pixels. The image shares
// the workspace's buffers.
func rectify(p *planes, c [4][2]float64, aspect float64, w int, r image.Rectangle, ws *workspace) (*image.YCbCr, geom.Homography) {
	h := math.Round(float64(w) / aspect)
	hom := rectifyMap([4][2]float64{{0, 0}, {float64(w), 0}, {float64(w), h}, {0, h}}, c)
	rw, rh := r.Dx(), r.Dy()
	cw, ch := (rw+1)/2, (rh+1)/2
	img := &image.YCbCr{
		Y: ws.b(bufFaceY, rw*rh), Cb: ws.b(bufFaceCb, cw*ch), Cr: ws.b(bufFaceCr, cw*ch),
		YStride: rw, CStride: cw, SubsampleRatio: image.YCbCrSubsampleRatio420,
		Rect: image.Rect(0, 0, rw, rh),
	}
	for y := 0; y < rh; y++ {
		sampleRow(img.Y[y*rw:(y+1)*rw], hom, float64(r.Min.X)+0.5, float64(r.Min.Y+y)+0.5, 1, p.y, p.w, p.h, p.ys, 1)
	}
	// Chroma: the centre of each 2×2 block of the view, in chroma pixels.
	for y := 0; y < ch; y++ {
		fy := float64(r.Min.Y+2*y) + 1
		sampleRow(img.Cb[y*cw:(y+1)*cw], hom, float64(r.Min.X)+1, fy, 2, p.cb, p.cw, p.ch, p.cs, 2)
		sampleRow(img.Cr[y*cw:(y+1)*cw], hom, float64(r.Min.X)+1, fy, 2, p.cr, p.cw, p.ch, p.cs, 2)
	}
	return img, hom
}

// sampleRow fills out with the plane pix (pw×ph, stride ps, div working
// pixels per plane pixel) sampled bilinearly where hom maps the view's
// points (x0 + i·dx, y), i = 0, 1, ... (the homography's numerators and
// denominator are stepped along the row; weights in 1/256).
func sampleRow(out []byte, hom geom.Homography, x0, y, dx float64, pix []byte, pw, ph, ps int, div float64) {
	nx := hom[0]*x0 + hom[1]*y + hom[2]
	ny := hom[3]*x0 + hom[4]*y + hom[5]
	d := hom[6]*x0 + hom[7]*y + hom[8]
	sx, sy, sd := hom[0]*dx, hom[3]*dx, hom[6]*dx
	maxX, maxY := float64(pw-1), float64(ph-1)
	for i := range out {
		inv := 1 / (d * div)
		// Plane coordinates of the sample (pixel centres at integers).
		fx := nx*inv - 0.5
		fy := ny*inv - 0.5
		nx += sx
		ny += sy
		d += sd
		if fx < 0 {
			fx = 0
		} else if fx > maxX {
			fx = maxX
		}
		if fy < 0 {
			fy = 0
		} else if fy > maxY {
			fy = maxY
		}
		ix, iy := int(fx*256), int(fy*256)
		x, yy := ix>>8, iy>>8
		wx, wy := ix&255, iy&255
		x1, y1 := min(x+1, pw-1), min(yy+1, ph-1)
		r0, r1 := pix[yy*ps:], pix[y1*ps:]
		top := int(r0[x])*(256-wx) + int(r0[x1])*wx
		bot := int(r1[x])*(256-wx) + int(r1[x1])*wx
		out[i] = byte((top*(256-wy) + bot*wy + 1<<15) >> 16)
	}
}

// stretchLUT returns the table that spreads the 1st to 99th percentiles
// of a luma plane over 0..255 (by at most 3×): a printed portrait is low
// in contrast, more so in a dim photo, and the detector was trained on
// well-exposed faces.
func stretchLUT(y []byte) *[256]byte {
	lo, hi := levelRange(y, 100)
	if hi-lo < 85 {
		mid := (hi + lo) / 2
		lo, hi = max(0, mid-43), min(255, mid+42)
	}
	var lut [256]byte
	for v := range lut {
		lut[v] = byte(max(0, min(255, (v-lo)*255/max(1, hi-lo))))
	}
	return &lut
}

// rectifyMap is the homography taking src[i] to dst[i], the identity when
// the points are degenerate.
func rectifyMap(src, dst [4][2]float64) geom.Homography {
	if h, ok := geom.SolveHomography(src, dst); ok {
		return h
	}
	return geom.Identity
}

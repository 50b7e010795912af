package imagecheck

import (
	"image"
	"math"

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
// then turned by 180°: the detector finds upright faces. A face scoring
// at least Thresholds.ConfirmFace there is the portrait. A weaker one
// (an emblem or a seal can score 0.6) must be found again, at MinFace,
// when the document is searched at twice the size in 2×2 overlapping
// tiles (60 % of its width and height each) in the same orientation; and
// when neither whole view shows a face, the tiles of both orientations
// are searched (the better-scoring orientation first). That is at most
// ten detector passes, and most fronts need one.
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
	ws     *workspace
	lut    *[256]byte // the contrast stretch of the whole document, for every view
}

// look shows the detector one view and returns its best face (Score -1
// when none), in working pixels.
func (s *faceSearch) look(v faceView) (FaceBox, error) {
	img, hom := rectify(s.p, uprightCorners(s.wq, v.turn), s.aspect, v.size*faceSide, v.r, s.ws)
	if s.lut == nil {
		s.lut = stretchLUT(img.Y)
	}
	for i, y := range img.Y {
		img.Y[i] = s.lut[y]
	}
	faces, err := s.det.DetectFaces(img)
	best := FaceBox{Score: -1}
	for _, f := range faces {
		if f.Score > best.Score {
			best = FaceBox{Score: f.Score, Rect: hom.MapRect(f.Rect.Add(v.r.Min))}
		}
	}
	return best, err
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
	whole := image.Rect(0, 0, faceSide, h)
	var seen [4]FaceBox // the best face of each orientation's whole view
	for _, turn := range [2]int{0, 2} {
		f, err := s.look(faceView{turn, 1, whole})
		if err != nil {
			return f, err
		}
		if f.Score >= th.ConfirmFace {
			return f, nil
		}
		seen[turn] = f
	}
	first, second := 0, 2
	if seen[2].Score > seen[0].Score {
		first, second = 2, 0
	}
	best := FaceBox{Score: -1}
	for _, turn := range [2]int{first, second} {
		for _, v := range s.tiles(turn) {
			f, err := s.look(v)
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
func faceCheck(p *planes, wq [4][2]float64, found bool, scale float64, opts Options, ws *workspace, rep *Report) (c CheckResult) {
	th := opts.Thresholds.MinFace
	failed := CheckResult{Name: CheckFace, Threshold: th, PassIf: ">=", Code: reason.CheckFailed, Detail: "face detector failed"}
	defer func() {
		if r := recover(); r != nil {
			c = failed
		}
	}()
	best := FaceBox{Score: -1}
	if found {
		s := faceSearch{p: p, wq: wq, aspect: quadAspect(wq), det: opts.FaceDetector, ws: ws}
		var err error
		if best, err = s.portrait(opts.Thresholds); err != nil {
			return failed
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
	var hist [256]int
	for _, v := range y {
		hist[v]++
	}
	n := len(y)
	lo, hi, acc := 0, 255, 0
	for v := 0; v < 256; v++ {
		acc += hist[v]
		if acc <= n/100 {
			lo = v
		}
		if acc < n-n/100 {
			hi = v + 1
		}
	}
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

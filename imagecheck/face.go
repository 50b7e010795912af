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
// detector confirmed and whose box has a photo's tones, twoTone at most
// maxTwoTone), the two quarter turns are shown too, upright views
// with the long side vertical: a card printed in portrait format
// (vertical ID cards and licences) carries its portrait that way. A face scoring
// at least Thresholds.ConfirmFace there is the portrait. A weaker one
// (an emblem or a seal can score 0.6) must be found again, at MinFace:
// first in a closer look at it, from the photo decoded again at twice the
// resolution (see closer); failing that, when the document is searched at
// twice the size in 2×2 overlapping tiles (60 % of its width and height
// each) in the same orientation; and when neither whole view shows a
// face, the tiles of both orientations are searched (the better-scoring
// orientation first; tiles only of the two landscape orientations).
// Before the tiles, each of the four views is shown tilted by 30° both
// ways, for a head leaning on its portrait (a face there must pass
// tiltedConfirmed, which may cost two more passes per such face); and
// with a detector that confirms layouts (the face engine) neither the
// closer look nor the tiles run at all (see portrait): when the twelve
// views found nothing, the two landscape ones are shown again half as
// large again in two close tiles each (closeTiles), where a face the
// detector scored below MinFace at the whole view's size can score above
// it. With the face engine that is sixteen detector passes, plus two for
// each tilted or close face that must be found again; when those found
// nothing, eight more show the whole views recoloured in skin tones
// (skinViews), for a portrait printed in grey, sepia or faded. Without the face engine, twenty-two passes and
// those found again. Most fronts need one.
const faceSide = 416

// faceView is one image the detector is shown: the document turned by
// turn×90°, rectified with its long side long pixels long, the part r
// of that, and turned further by tilt degrees about the view's centre
// (clockwise on screen; see tiltViews).
type faceView struct {
	turn, long int
	r          image.Rectangle
	tilt       float64
	// skin, when set, recolours the view in skin tones (skinView).
	skin skinTone
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
	// fit, when conf can also measure a layout's misfit, is used in its
	// place; misfit is the misfit of the face pick returned last (0 when
	// not measured).
	fit    FaceFitter
	misfit float64
	ws     *workspace
	lut    *[256]byte // the contrast stretch of the whole document, for every view

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
	// anyBox: some view's detector returned a box, whatever its score,
	// size or layout.
	anyBox bool

	// last is the view look showed the detector last (it shares the
	// workspace's buffers: valid until the next view is shown).
	last *image.YCbCr
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
	s.misfit = 0
	for _, i := range order {
		f := faces[i]
		if s.conf != nil && f.Score >= s.confMin {
			face, misfit, err := s.confirm(img, f.Rect)
			if err != nil {
				return FaceBox{}, false, err
			}
			if !face {
				continue
			}
			s.misfit = misfit
		}
		return f, true, nil
	}
	return FaceBox{}, false, nil
}

// confirm judges the layout of box in img, with its misfit when s.fit
// can measure it (0 otherwise).
func (s *faceSearch) confirm(img image.Image, box image.Rectangle) (bool, float64, error) {
	if s.fit != nil {
		return s.fit.FaceFit(img, box)
	}
	face, err := s.conf.ConfirmFace(img, box)
	return face, 0, err
}

// look shows the detector one view and returns its best face (Score -1
// when none), in working pixels, and that face's box in the view.
func (s *faceSearch) look(v faceView) (FaceBox, image.Rectangle, error) {
	img, hom := s.show(s.p, s.wq, v.turn, v.long, v.r, v.tilt)
	if v.skin != skinNone {
		skinView(img, v.skin == skinDarkened)
	}
	best, box := FaceBox{Score: -1}, image.Rectangle{}
	faces, err := s.det.DetectFaces(img)
	if err != nil {
		return best, box, err
	}
	if len(faces) > 0 {
		s.anyBox = true
	}
	// Only a box of a portrait's size inside the document can be the
	// portrait: a larger box the landmark net reads as a face (a whole
	// photo area) must not hide a smaller one that is the face.
	f, found, err := s.pick(img, faces, func(f FaceBox) bool {
		return portraitPlausible(hom.MapRect(f.Rect.Add(v.r.Min)), s.wq)
	})
	s.last = img
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
func (s *faceSearch) show(p *planes, wq [4][2]float64, turn, w int, r image.Rectangle, tilt float64) (*image.YCbCr, geom.Homography) {
	aspect := s.aspect
	if turn%2 == 1 {
		aspect, w = 1/aspect, int(math.Round(float64(w)/aspect))
	}
	img, hom := rectify(p, uprightCorners(wq, turn), aspect, w, r, tilt, s.ws)
	if s.lut == nil {
		s.lut = stretchLUT(img.Y)
	}
	applyLUT(img.Y, s.lut)
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
	img, hom := s.show(p, scaleQuad(s.wq, ratio), turn, long, r, 0)
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
			out = append(out, faceView{turn: turn, long: 2 * faceSide, r: image.Rect(x0, y0, x0+tw, y0+th)})
		}
	}
	return out
}

// closeLong is the long side of the document in the close tiles
// (closeTiles): faces half as large again as in the whole views. On the
// development families' seed 160 a clean front's portrait, 66 view
// pixels wide, scored 0.26 in the whole view and 0.84 in that view
// enlarged 1.5 times (0.59 at 1.25, 0.48 at twice); another, leaning a
// little, 0.40 and 0.61 (0.76 at 1.25).
// In the close tiles the portraits of three clean fronts of seeds 160
// and 161 that the twelve views had missed were found.
const closeLong = faceSide * 3 / 2

// maxCloseFace is the widest box that counts in a close tile (a quarter
// of the document's long side there): the close tiles are for faces
// that the whole views show too small for the detector; a larger box was
// seen at a size the detector scores well, and on the development
// families' seed 161 a box of 0.32 long sides over a card's text fields
// passed the landmark net, had a photo's tones and was found again.
const maxCloseFace = closeLong / 4

// closeTiles returns the views of orientation turn at closeLong, cut
// into two tiles at most faceSide square, overlapping, along the long
// side (the short side fits in one).
func (s *faceSearch) closeTiles(turn int) []faceView {
	w, h := closeLong, int(math.Round(closeLong/s.aspect))
	if turn%2 == 1 {
		w, h = h, w
	}
	tw, th := min(w, faceSide), min(h, faceSide)
	a := image.Rect(0, 0, tw, th)
	b := image.Rect(w-tw, h-th, w, h)
	return []faceView{{turn: turn, long: closeLong, r: a}, {turn: turn, long: closeLong, r: b}}
}

// uprightQuarter returns the quarter turn (1 or 3) whose whole view's
// best box, however weak (the face engine reports boxes from 0.2), scored
// more than the best box of either landscape view, and whether there is
// one. A card printed in portrait format (the vertical family) shows its
// portrait upright only in a quarter turn, where the landscape close
// tiles see it on its side; its close tiles are searched only then: on
// the development families' seed 162 the quarter turns' close tiles,
// searched on every front, gave a blank front a face on a field's
// characters turned on their side.
func uprightQuarter(seen [4]FaceBox) (int, bool) {
	q := 1
	if seen[3].Score > seen[1].Score {
		q = 3
	}
	if seen[q].Score <= 0 || seen[q].Score <= max(seen[0].Score, seen[2].Score) {
		return 0, false
	}
	return q, true
}

// tiltAngle is how far the tilted views turn the document (degrees,
// both ways): a printed portrait's head can lean (the face engine missed
// heads leaning 25–40° on the development families' seed 111; turned
// back by 30°, their portraits score 0.6–0.9).
const tiltAngle = 30

// portrait searches the document for its portrait and returns the best
// confirmed face (Score -1 when none).
//
// The order: the four whole views (upright and upside down, then the
// quarter turns); the closer look at a doubtful face; each whole view
// tilted by ±tiltAngle; and last the 2×2 tiles at twice the size, only
// when the detector cannot have a box's layout read (no FaceConfirmer)
// and some view's detector returned a box at all; with one, instead, the
// close tiles of the two landscape orientations (closeTiles,
// closeConfirmed), then those of the quarter turn whose weak box led the
// whole views (uprightQuarter), and when none of those found a face,
// the whole views in skin tones (skinViews). The quarter turns' close tiles, searched
// on every front, found, on the
// development families' seeds 160–162, three faces on fronts without a
// portrait (one of them passing every rule of closeConfirmed: characters
// of a text field turned on their side) and none of the portraits the
// twelve views had missed. With the landmark net
// the tiles found, on the development families' seed 112 (203 fronts,
// the tilted views already searched), one portrait the views had missed
// and three faces on blank fronts, all of them on fronts where no view
// had returned any box; where a view had, they found nothing. Searched again for a face of
// ConfirmFace only, after the tilted views with tiltedConfirmed, on
// every front with nothing confirmed, the tiles found two portraits the
// views had missed (classic card seed 1, seed 112) and five faces on
// fronts without a portrait (seeds 112, 114, 115), each on a front where
// some view had returned a box: not searched either.
func (s *faceSearch) portrait(th Thresholds) (FaceBox, error) {
	h := int(math.Round(faceSide / s.aspect))
	defer s.release()
	whole := func(turn int) image.Rectangle {
		if turn%2 == 1 {
			return image.Rect(0, 0, h, faceSide)
		}
		return image.Rect(0, 0, faceSide, h)
	}
	// A confident face, or a doubtful one with a face's layout (pick)
	// and a photo's tones, is the portrait; with a detector that reads
	// layouts a confident two-toned one must be found again (see
	// wholeConfirmed).
	var seen [4]FaceBox // the best face of each orientation's whole view
	var boxes [4]image.Rectangle
	for _, turn := range [4]int{0, 2, 1, 3} {
		v := faceView{turn: turn, long: faceSide, r: whole(turn)}
		f, box, err := s.look(v)
		if err != nil {
			return f, err
		}
		ok, err := s.wholeConfirmed(v, f, box, th)
		if err != nil || ok {
			return f, err
		}
		seen[turn], boxes[turn] = f, box
	}
	// The closer look at the two best-scoring orientations, best first
	// (not with a detector that reads layouts: a doubtful face there was
	// judged by its layout and tones above).
	order := []int{0, 2, 1, 3}
	sort.SliceStable(order, func(i, j int) bool { return seen[order[i]].Score > seen[order[j]].Score })
	for _, turn := range order[:2] {
		if c := seen[turn]; c.Score >= th.MinFace && !s.layoutChecked {
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
	// The whole views tilted both ways: a head leaning on the portrait.
	// A face of at least MinFace whose layout passed (a confident one
	// only without a detector that reads layouts) must pass
	// tiltedConfirmed: in the tilted views of blank fronts the
	// guilloche, signatures and field labels give faces whose layout
	// passes.
	for _, turn := range order {
		for _, tilt := range [2]float64{tiltAngle, -tiltAngle} {
			v := faceView{turn: turn, long: faceSide, r: whole(turn), tilt: tilt}
			f, box, err := s.look(v)
			if err != nil {
				return f, err
			}
			if f.Score < th.MinFace || (f.Score < th.ConfirmFace && !s.layoutChecked) {
				continue
			}
			// A confident face whose layout fits worse than
			// maxTiltedMisfit must be found again whatever its tones:
			// they are judged only where they can count.
			photo := (f.Score < th.ConfirmFace || s.misfit <= maxTiltedMisfit) && photoTones(s.last, box)
			// With the face engine a confident box without a photo's shading is
			// not found again at all (photoShading): a back shown as a
			// front (development seed 786) was given a confident face
			// (0.81, misfit 7.8) on its print, found again 15°
			// further, with shading 0.11 and 0.03 with the light taken
			// out; the portraits the tilted views confirmed on seeds
			// 784–785 kept at least 0.31 and 0.17.
			if !photo && f.Score >= th.ConfirmFace && s.layoutChecked && !photoShading(s.last, box) {
				continue
			}
			ok, _, err := s.tiltedConfirmed(v, f, photo, s.misfit, th)
			if err != nil || ok {
				return f, err
			}
		}
	}
	best := FaceBox{Score: -1}
	first, second := 0, 2 // the landscape orientations, the better-scoring first
	if seen[2].Score > seen[0].Score {
		first, second = 2, 0
	}
	if s.layoutChecked {
		// The landscape views again, larger, in tiles: a face the
		// detector scores low at the whole view's size. A
		// portrait-format card's portrait is upright in a quarter turn:
		// that view's close tiles too, when its weak box led.
		turns := []int{first, second}
		if turn, ok := uprightQuarter(seen); ok {
			turns = append(turns, turn)
		}
		for _, turn := range turns {
			for _, v := range s.closeTiles(turn) {
				f, box, err := s.look(v)
				if err != nil {
					return f, err
				}
				ok, err := s.closeConfirmed(v, f, box, th)
				if err != nil || ok {
					return f, err
				}
			}
		}
		return s.skinViews(th, whole)
	}
	if !s.anyBox {
		return best, nil
	}
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

// skinViews is the search's last look, only when every view before
// found nothing (with a detector that reads layouts): the four whole
// views (as the first four, landscape first), each shown in skin tones
// (skinView) twice, darkened first, then on the view's own luma. The
// face detector learnt faces in colour; a portrait printed in grey,
// sepia or faded has neither a skin's chroma nor its contrast, and on
// the development families' seed 398 the sixteen views returned no box
// at all on most such portraits. A face found there is the portrait
// when, besides a face's layout (pick) and a portrait's size inside the
// document (look), its box keeps at least minSkinShading of its variance
// in smooth shading (and minShading with the light taken out,
// unlitShading: on seeds 762–763 the skin views gave three blank fronts
// a face on a signature by an inset panel's edge) and it is found again in the recoloured view turned
// tiltStep further one way or the other (foundAgain): up to eight
// detector passes, plus two for each face that must be found again.
//
// Recoloured, print takes a skin's colour too. On seed 399's 90 fronts
// without a portrait the recoloured whole views found eight faces with
// a face's layout, seven of them in a quarter turn (characters of text
// fields on their side): one was found again, and its box kept 0.18 of
// its variance in shading; the ten portraits the recoloured views found
// again on seed 398's clean fronts kept 0.34–0.63. The landscape close
// tiles (closeTiles) in skin tones as well found more portraits (6 on
// seed 398, 7 on seed 400) but gave a blank vertical front of seed 403
// a face (guilloche by a text field on its side): not searched.
func (s *faceSearch) skinViews(th Thresholds, whole func(int) image.Rectangle) (FaceBox, error) {
	for _, turn := range [4]int{0, 2, 1, 3} {
		for _, tone := range [2]skinTone{skinDarkened, skinPlain} {
			v := faceView{turn: turn, long: faceSide, r: whole(turn), skin: tone}
			f, box, err := s.look(v)
			if err != nil {
				return f, err
			}
			if f.Score < th.MinFace || shading(s.last, box.Sub(v.r.Min)) < minSkinShading || unlitShading(s.last, box.Sub(v.r.Min)) < minShading {
				continue
			}
			nb, err := s.foundAgain(v, f, th)
			if err != nil || nb > 0 {
				return f, err
			}
		}
	}
	return FaceBox{Score: -1}, nil
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
		fit, _ := opts.FaceDetector.(FaceFitter)
		s := faceSearch{p: p, wq: wq, aspect: quadAspect(wq), det: opts.FaceDetector, conf: conf, fit: fit, confMin: th, ws: ws, d: d, opts: opts, layoutChecked: layout}
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
func rectify(p *planes, c [4][2]float64, aspect float64, w int, r image.Rectangle, tilt float64, ws *workspace) (*image.YCbCr, geom.Homography) {
	h := math.Round(float64(w) / aspect)
	hom := rectifyMap(tiltedRect(float64(w), h, tilt), c)
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
		sampleRow2(img.Cb[y*cw:(y+1)*cw], img.Cr[y*cw:(y+1)*cw], hom, float64(r.Min.X)+1, fy, 2, p.cb, p.cr, p.cw, p.ch, p.cs, 2)
	}
	return img, hom
}

// sampleRow fills out with the plane pix (pw×ph, stride ps, div working
// pixels per plane pixel) sampled bilinearly where hom maps the view's
// points (x0 + i·dx, y), i = 0, 1, ... (the homography's numerators and
// denominator are stepped along the row; weights in 1/256). Where the
// CPU allows, sampleRowFast samples most of the row first, the same bytes.
func sampleRow(out []byte, hom geom.Homography, x0, y, dx float64, pix []byte, pw, ph, ps int, div float64) {
	s := newRowSampler(hom, x0, y, dx, pw, ph, ps, div)
	done := sampleRowFast(out, &s, pix)
	nx, ny, d, sx, sy, sd := s.nx, s.ny, s.d, s.sx, s.sy, s.sd
	maxX, maxY := s.maxX, s.maxY
	for i := done; i < len(out); i++ {
		inv := 1 / (d * div)
		// Plane coordinates of the sample (pixel centres at integers;
		// the conversion keeps the product from being fused with the
		// subtraction, as sampleRowAVX2 does not fuse it).
		fx := float64(nx*inv) - 0.5
		fy := float64(ny*inv) - 0.5
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
		o0, o1 := yy*ps, y1*ps // the two rows' offsets (no slices cut per point)
		out[i] = bilinear(pix[o0+x], pix[o0+x1], pix[o1+x], pix[o1+x1], wx, wy)
	}
}

// sampleRow2 is sampleRow for two planes of the same geometry (a photo's
// Cb and Cr): each point's position and weights are computed once for
// both, with sampleRow's arithmetic, so each output is the byte sampleRow
// gives (sampleRowFast samples the leading points of each plane in turn).
func sampleRow2(out1, out2 []byte, hom geom.Homography, x0, y, dx float64, pix1, pix2 []byte, pw, ph, ps int, div float64) {
	out2 = out2[:len(out1)]
	start := newRowSampler(hom, x0, y, dx, pw, ph, ps, div)
	s := start
	done := sampleRowFast(out1, &s, pix1)
	if done > 0 {
		if t := start; sampleRowFast(out2[:done], &t, pix2) != done {
			s, done = start, 0 // the same points stop both: not reached
		}
	}
	nx, ny, d, sx, sy, sd := s.nx, s.ny, s.d, s.sx, s.sy, s.sd
	maxX, maxY := s.maxX, s.maxY
	for i := done; i < len(out1); i++ {
		inv := 1 / (d * div)
		fx := float64(nx*inv) - 0.5
		fy := float64(ny*inv) - 0.5
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
		o0, o1 := yy*ps, y1*ps
		out1[i] = bilinear(pix1[o0+x], pix1[o0+x1], pix1[o1+x], pix1[o1+x1], wx, wy)
		out2[i] = bilinear(pix2[o0+x], pix2[o0+x1], pix2[o1+x], pix2[o1+x1], wx, wy)
	}
}

// bilinear is the interpolation of the four neighbours a (top
// left), b (top right), c (bottom left) and e (bottom right) at weights
// wx, wy in 1/256.
func bilinear(a, b, c, e byte, wx, wy int) byte {
	top := int(a)*(256-wx) + int(b)*wx
	bot := int(c)*(256-wx) + int(e)*wx
	return byte((top*(256-wy) + bot*wy + 1<<15) >> 16)
}

// applyLUT replaces each byte v of b by lut[v], eight at a time (the
// table held in a register, not reloaded through the search after each
// store).
func applyLUT(b []byte, lut *[256]byte) {
	for len(b) >= 8 {
		c := b[:8:8]
		c[0], c[1], c[2], c[3] = lut[c[0]], lut[c[1]], lut[c[2]], lut[c[3]]
		c[4], c[5], c[6], c[7] = lut[c[4]], lut[c[5]], lut[c[6]], lut[c[7]]
		b = b[8:]
	}
	for i, v := range b {
		b[i] = lut[v]
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

// Confirming a face found only in a tilted view. On the fronts without
// a portrait of the development families' seeds 112, 114 and 115 (144,
// among them backs shown as fronts) the tilted views took five confident
// faces (0.65–0.77) in print that the landmark net passed (on held-out
// seed 205, five more, one of them a nationality code over its label).
// None of the five was found again 15° further either way, and each box
// held two tones (twoTone 0.87–0.92). The fourteen leaning portraits the
// tilted views found on clean fronts (seeds 111, 112, 114, 115 and the
// classic card's seed 1) have a photo's many tones (twoTone 0.66–0.85),
// and twelve of them are found again 15° further on one side or the
// other (0.61–0.90). maxTwoTone was chosen on those same sets.
//
// Doubtful tilted faces (MinFace to ConfirmFace) were not taken at first:
// on seed 112 they found 5 portraits for 12 blank fronts given a face.
// On seeds 116 and 117 the doubtful tilted faces of fronts without a
// portrait that the landmark net passed were two-toned (twoTone above
// 0.8) or, when not, not found again 15° further, while four leaning
// portraits missed before (0.53–0.65; twoTone 0.70–0.73 on the three
// measured) were: so a doubtful tilted face with a photo's tones counts
// when found again.
const (
	// maxTwoTone: a box holding at most this share of two-tone variance
	// has a photo's tones.
	maxTwoTone = 0.8
	// tiltStep: the neighbouring tilts where a more two-toned face must
	// be found again (degrees, either side).
	tiltStep = 15
	// minTiltIoU: how much the face found again must overlap the first
	// (intersection over union, in working pixels).
	minTiltIoU = 0.3
)

// wholeConfirmed reports whether f, the best face that the whole
// (untilted) view v found (box: where v showed it, in the pixels of the
// view's whole rectangle; s.last is v's image, the part v.r of it),
// is the portrait. Without a detector that reads layouts, a face of at
// least ConfirmFace is. With one (its layout confirmed by pick), a face
// of at least MinFace whose box has a photo's tones (photoTones) is, and
// a confident face whose box has not is when it is found again in the view
// turned tiltStep further one way or the other (foundAgain: up to two
// more passes, one when the first finds it); a doubtful one without
// them is not.
//
// On the development families' seeds 116 and 117 the whole views took
// five doubtful faces on fronts without a portrait, one of them a
// signature (twoTone 0.86): hence the tones for doubtful faces. On seed
// 121 a back shown as a front was given a confident face (0.66, layout
// passed, twoTone 0.85) on the characters of its machine-readable zone,
// seen in a quarter turn; the print there is two-toned, and the box is
// not found again 15° further. Confident portraits are two-toned in a
// whole view too (11 of the 71 found in a whole view on seed 120's clean
// fronts, twoTone 0.80–0.85) and were found again. On seed 124 a blank
// front's guilloche gave a doubtful face (0.61) whose box's levels were
// a photo's (twoTone 0.74) but not its shading (0.09): hence shading.
func (s *faceSearch) wholeConfirmed(v faceView, f FaceBox, box image.Rectangle, th Thresholds) (bool, error) {
	if f.Score < th.MinFace {
		return false, nil
	}
	if !s.layoutChecked {
		return f.Score >= th.ConfirmFace, nil
	}
	if photoTones(s.last, box.Sub(v.r.Min)) {
		return true, nil
	}
	if f.Score < th.ConfirmFace {
		return false, nil
	}
	nb, err := s.foundAgain(v, f, th)
	return nb > 0, err
}

// closeConfirmed reports whether f, the best face that the close tile v
// found (box: where v showed it, as for wholeConfirmed), is the
// portrait: its box must be at most maxCloseFace wide and have a photo's
// tones, and it must be found again in the tile turned tiltStep further
// one way or the other (foundAgain: one or two passes), whatever its
// score. On the development families' seed 160 the close tiles found,
// on blank fronts, a doubtful face on field labels with a photo's tones
// (0.53, twoTone 0.75, shading 0.19) that was not found again; the three
// portraits they found on clean fronts of seeds 160 and 161 were (0.62–
// 0.84; twoTone 0.64–0.77, shading 0.42–0.67).
func (s *faceSearch) closeConfirmed(v faceView, f FaceBox, box image.Rectangle, th Thresholds) (bool, error) {
	if f.Score < th.MinFace || box.Dx() > maxCloseFace || !photoTones(s.last, box.Sub(v.r.Min)) {
		return false, nil
	}
	nb, err := s.foundAgain(v, f, th)
	return nb > 0, err
}

// tiltedConfirmed reports whether f, a face of at least MinFace that the
// tilted view v found, whose box has a photo's tones or not (photo:
// photoTones) and whose layout the given misfit (FaceFitter; 0 when not
// measured), is a face. A confident face with a photo's tones that fits
// within maxTiltedMisfit is; a doubtful one without them is not; any
// other is when
// it is found again (foundAgain). nb is the score of the face found
// again (0 when none or not looked at). The neighbours cost up to two
// more detector passes.
func (s *faceSearch) tiltedConfirmed(v faceView, f FaceBox, photo bool, misfit float64, th Thresholds) (ok bool, nb float64, err error) {
	doubtful := f.Score < th.ConfirmFace
	if photo && !doubtful && misfit <= maxTiltedMisfit {
		return true, 0, nil
	}
	if !photo && doubtful {
		return false, 0, nil
	}
	nb, err = s.foundAgain(v, f, th)
	return nb > 0, nb, err
}

// foundAgain returns the score of a face of at least MinFace (layout
// confirmed when the detector reads layouts) overlapping f (IoU at least
// minTiltIoU, working pixels) in the view v turned tiltStep further one
// way, or failing that the other (0 when neither): one or two detector
// passes.
func (s *faceSearch) foundAgain(v faceView, f FaceBox, th Thresholds) (float64, error) {
	for _, d := range [2]float64{tiltStep, -tiltStep} {
		n := v
		n.tilt += d
		g, _, err := s.look(n)
		if err != nil {
			return 0, err
		}
		if g.Score >= th.MinFace && iou(g.Rect, f.Rect) >= minTiltIoU {
			return g.Score, nil
		}
	}
	return 0, nil
}

// photoTones reports whether the box of img has a photo's tones: many
// levels (twoTone at most maxTwoTone) whose variance lies mostly in
// shading at the scale of a face's features (shading at least
// minShading, and so once the lighting and a straight edge across the
// box are taken out, unlitShading), not in strokes and lines (text, a
// signature, guilloche).
func photoTones(img *image.YCbCr, box image.Rectangle) bool {
	return twoTone(img, box) <= maxTwoTone && photoShading(img, box)
}

// photoShading reports whether the box of img keeps a photo's share of
// its variance in smooth shading, as is and with the light taken out
// (photoTones without its levels: a portrait's box can be two-toned,
// hardly ever without shading).
func photoShading(img *image.YCbCr, box image.Rectangle) bool {
	return shading(img, box) >= minShading && unlitShading(img, box) >= minShading
}

// minSkinShading is minShading for a face found only in the views
// recoloured in skin tones (skinViews), where print takes a skin's colour
// as well as a portrait does.
const minSkinShading = 0.3

// minShading: the least share of a box's luma variance that a photo
// keeps when averaged over windows a quarter of the box wide (shading).
// The 72 portraits found on the clean fronts of the development
// families' seed 120 keep 0.21–0.79; the characters of a machine-readable
// zone (seed 121, a back shown as a front, 0.66 with a face's layout)
// 0.04–0.05, the print where a tilted view found a doubtful face on a
// passport page (seed 120) 0.09.
const minShading = 0.15

// shading returns the share of the luma variance inside box of img that
// remains after each pixel is replaced by the mean of the window of
// radius box width/8 about it (clipped to the box): near 1 for smooth
// shading, near 0 for strokes and lines much finer than the box; 0 for
// a flat, empty or tiny box.
func shading(img *image.YCbCr, box image.Rectangle) float64 {
	if img == nil {
		return 0
	}
	box = box.Intersect(img.Rect)
	w, h := box.Dx(), box.Dy()
	if w < 4 || h < 4 {
		return 0
	}
	r := max(1, w/8)
	// Summed-area table of the box's luma, (w+1)×(h+1).
	sat := make([]float64, (w+1)*(h+1))
	sum, sq := 0.0, 0.0
	for y := 0; y < h; y++ {
		row := img.Y[img.YOffset(box.Min.X, box.Min.Y+y):]
		line := 0.0
		for x := 0; x < w; x++ {
			v := float64(row[x])
			line += v
			sum += v
			sq += v * v
			sat[(y+1)*(w+1)+x+1] = sat[y*(w+1)+x+1] + line
		}
	}
	n := float64(w * h)
	mean := sum / n
	total := sq/n - mean*mean
	if total <= 1e-9 {
		return 0
	}
	bs, bq := 0.0, 0.0
	for y := 0; y < h; y++ {
		y0, y1 := max(0, y-r), min(h, y+r+1)
		for x := 0; x < w; x++ {
			x0, x1 := max(0, x-r), min(w, x+r+1)
			s := sat[y1*(w+1)+x1] - sat[y0*(w+1)+x1] - sat[y1*(w+1)+x0] + sat[y0*(w+1)+x0]
			m := s / float64((y1-y0)*(x1-x0))
			bs += m
			bq += m * m
		}
	}
	bm := bs / n
	return math.Max(0, math.Min(1, (bq/n-bm*bm)/total))
}

// twoTone returns the share of the luma variance inside box of img that
// the best split into two tones explains (Otsu's between-class variance
// over the total): 1 for print in two flat tones (text on its ground),
// lower for a photo's many; 0 for a flat or empty box.
func twoTone(img *image.YCbCr, box image.Rectangle) float64 {
	if img == nil {
		return 0
	}
	box = box.Intersect(img.Rect)
	var hist [256]float64
	n := 0.0
	for y := box.Min.Y; y < box.Max.Y; y++ {
		row := img.Y[img.YOffset(box.Min.X, y):]
		for x := 0; x < box.Dx(); x++ {
			hist[row[x]]++
		}
		n += float64(box.Dx())
	}
	if n == 0 {
		return 0
	}
	sum, sq := 0.0, 0.0
	for i, c := range hist {
		sum += float64(i) * c
		sq += float64(i) * float64(i) * c
	}
	mean := sum / n
	total := sq/n - mean*mean
	if total <= 1e-9 {
		return 0
	}
	best, n0, s0 := 0.0, 0.0, 0.0
	for i := 0; i < 255; i++ {
		n0 += hist[i]
		s0 += float64(i) * hist[i]
		if n0 == 0 || n0 == n {
			continue
		}
		m0, m1 := s0/n0, (sum-s0)/(n-n0)
		w0 := n0 / n
		if b := w0 * (1 - w0) * (m0 - m1) * (m0 - m1); b > best {
			best = b
		}
	}
	return math.Min(1, best/total)
}

// iou is the intersection over union of two rectangles (0 when either is
// empty).
func iou(a, b image.Rectangle) float64 {
	in := a.Intersect(b)
	if in.Empty() {
		return 0
	}
	i := float64(in.Dx()) * float64(in.Dy())
	return i / (float64(a.Dx())*float64(a.Dy()) + float64(b.Dx())*float64(b.Dy()) - i)
}

// tiltedRect returns the corners of the w×h view (top-left, top-right,
// bottom-right, bottom-left) turned by tilt degrees about its centre,
// clockwise on screen (y down): where the document's corners are shown
// in a view turned by tilt.
func tiltedRect(w, h, tilt float64) [4][2]float64 {
	out := [4][2]float64{{0, 0}, {w, 0}, {w, h}, {0, h}}
	if tilt == 0 {
		return out
	}
	sin, cos := math.Sincos(tilt * math.Pi / 180)
	cx, cy := w/2, h/2
	for i, p := range out {
		dx, dy := p[0]-cx, p[1]-cy
		out[i] = [2]float64{cx + dx*cos - dy*sin, cy + dx*sin + dy*cos}
	}
	return out
}

// rectifyMap is the homography taking src[i] to dst[i], the identity when
// the points are degenerate.
func rectifyMap(src, dst [4][2]float64) geom.Homography {
	if h, ok := geom.SolveHomography(src, dst); ok {
		return h
	}
	return geom.Identity
}

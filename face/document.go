package face

import (
	"image"
	"math"
	"sort"
)

// Documents are photographed at any angle and their portrait is small.
// The portrait is searched with a lower detection score, and, when a
// whole-image pass is not confident, in 2×2 and then 3×3 overlapping
// tiles (1.7 and 2.5 times the resolution). The detector also finds faces
// upside down or on their side, so each candidate's region is judged in
// four orientations by the detector's score on the turned region less a
// penalty for how badly the landmarks fit the mean face there (the
// landmark net only makes sense of an upright face); on the evaluation's
// cards neither signal alone finds the upright way, together they do.
// Only when the upright photo shows no convincing face are the photo
// turned by 180° (a card photographed upside down: the detector misses
// many upside-down portraits, and finding one sideways in the photo
// turned by 90° can take it turned the wrong way), then by 90° and 270°,
// searched too.

const (
	// docDetectScore is the detection score a portrait candidate needs.
	docDetectScore = 0.2
	// orientInput is the detector's input side for a candidate's region.
	orientInput = 224
	// misfitWeight and misfitCap turn the landmark misfit into a penalty.
	misfitWeight = 0.05
	misfitCap    = 20.0
	// clearUpright ends the orientation test at the photo as taken;
	// enoughDoc ends the search of turned photos; minDoc is the least
	// evidence a portrait needs.
	clearUpright = 0.45
	enoughDoc    = 0.1
	minDoc       = 0.0
	// turnedSearch is the handicap of faces found only in the photo turned
	// by 90° or 270° (a card photographed upright in a portrait frame is
	// rarer than noise that looks like a face).
	turnedSearch = 0.2
	// docCandidates is how many detections per searched image are judged.
	docCandidates = 3
	// docMaxSide is the long side larger documents are reduced to first.
	docMaxSide = 1600
)

type docCandidate struct {
	search int // the turn of the image the detector searched
	rot    int // the turn that makes the face upright
	det    Detection
	q      float64
}

// analyzeDocument finds and describes the portrait on a document photo.
func (e *Engine) analyzeDocument(ws *workspace, img *rgbImage) faceInfo {
	f := 1
	if long := max(img.W, img.H); long > docMaxSide {
		f = (long + docMaxSide - 1) / docMaxSide
		img = shrink(img, f, &ws.small)
	}
	best := docCandidate{rot: -1, q: math.Inf(-1)}
	for _, search := range []int{0, 180, 90, 270} {
		src := rotated(img, search, &ws.rot)
		dets := e.detectWide(ws, src, e.opts.DetectInput, docDetectScore, false)
		sort.SliceStable(dets, func(i, j int) bool { return dets[i].Score > dets[j].Score })
		for i, d := range dets {
			if i == docCandidates {
				break
			}
			e.orient(ws, src, d, search, &best)
		}
		if best.q >= enoughDoc {
			break
		}
	}
	if best.rot < 0 || best.q <= minDoc {
		return faceInfo{}
	}
	full := rotated(img, best.rot, &ws.rot)
	sw, sh := img.W, img.H
	if best.search%180 != 0 {
		sw, sh = sh, sw
	}
	d := turnDet(best.det, sw, sh, (best.rot-best.search+360)%360)
	fi := e.describe(ws, full, []Detection{d}, false)
	fi.Rotation = best.rot
	// Report the box in the document photo's own pixels.
	b := turnRect(fi.Det.Box, full.W, full.H, (360-best.rot)%360)
	fi.Det.Box = image.Rect(b.Min.X*f, b.Min.Y*f, b.Max.X*f, b.Max.Y*f)
	return fi
}

// orient judges the region of detection d (found in src, the document
// turned by search) in four orientations and updates best.
func (e *Engine) orient(ws *workspace, src *rgbImage, d Detection, search int, best *docCandidate) {
	g := max(d.Box.Dx(), d.Box.Dy())
	reg := d.Box.Inset(-g).Intersect(image.Rect(0, 0, src.W, src.H))
	crop(src, reg, &ws.tile)
	local := d
	local.X -= float64(reg.Min.X)
	local.Y -= float64(reg.Min.Y)
	local.Box = local.Box.Sub(reg.Min)
	for _, r := range []int{0, 180, 90, 270} {
		sm := rotated(&ws.tile, r, &ws.rot2)
		lm, ok := e.landmarks(ws, sm, turnDet(local, ws.tile.W, ws.tile.H, r))
		if !ok {
			continue
		}
		score := 0.0
		for _, x := range e.detect(ws, sm, orientInput, 0.05) {
			score = math.Max(score, x.Score)
		}
		q := score - misfitWeight*math.Min(templateMisfit(&lm, chipTransform(&lm, chipSize)), misfitCap)
		if search%180 != 0 {
			q -= turnedSearch
		}
		if q > best.q {
			*best = docCandidate{search: search, rot: (search + r) % 360, det: d, q: q}
		}
		if r == 0 && q >= clearUpright {
			return // clearly upright as it is
		}
	}
}

// turnRect maps r, in an image of w×h pixels, into that image turned
// clockwise by deg (0, 90, 180 or 270).
func turnRect(r image.Rectangle, w, h, deg int) image.Rectangle {
	switch deg {
	case 90:
		return image.Rect(h-r.Max.Y, r.Min.X, h-r.Min.Y, r.Max.X)
	case 180:
		return image.Rect(w-r.Max.X, h-r.Max.Y, w-r.Min.X, h-r.Min.Y)
	case 270:
		return image.Rect(r.Min.Y, w-r.Max.X, r.Max.Y, w-r.Min.X)
	}
	return r
}

// turnDet maps a detection like turnRect.
func turnDet(d Detection, w, h, deg int) Detection {
	fw, fh := float64(w), float64(h)
	switch deg {
	case 90:
		d.X, d.Y, d.W, d.H = fh-(d.Y+d.H), d.X, d.H, d.W
	case 180:
		d.X, d.Y = fw-(d.X+d.W), fh-(d.Y+d.H)
	case 270:
		d.X, d.Y, d.W, d.H = d.Y, fw-(d.X+d.W), d.H, d.W
	}
	d.Box = turnRect(d.Box, w, h, deg)
	return d
}

// unscaledWhole reports whether detectWide runs the detector on an image
// of w×h pixels once, unscaled: its long side is the input's side, which
// is too small for tiles.
func unscaledWhole(w, h, inputSize int) bool {
	long := max(w, h)
	return long == inputSize && long < 2*inputSize*3/4
}

// detectWide detects on the whole image and, while no face scores 0.6 in
// an image much larger than the detector's input, on 2×2 then 3×3
// overlapping tiles; the union goes through non-maximum suppression.
// trim runs the detector on inputs trimmed to the image (detectTrimmed).
func (e *Engine) detectWide(ws *workspace, img *rgbImage, inputSize int, score float64, trim bool) []Detection {
	all := e.detectInput(ws, img, inputSize, score, trim)
	for n := 2; n <= 3; n++ {
		if confident(all) || max(img.W, img.H) < n*inputSize*3/4 {
			break
		}
		tw, th := img.W*6/(5*n), img.H*6/(5*n)
		for j := 0; j < n; j++ {
			for i := 0; i < n; i++ {
				x0, y0 := i*(img.W-tw)/(n-1), j*(img.H-th)/(n-1)
				crop(img, image.Rect(x0, y0, x0+tw, y0+th), &ws.tile)
				for _, d := range e.detectInput(ws, &ws.tile, inputSize, score, trim) {
					d.X += float64(x0)
					d.Y += float64(y0)
					d.Box = d.Box.Add(image.Pt(x0, y0))
					all = append(all, d)
				}
			}
		}
		all = nms(all, nmsIoU)
	}
	return all
}

func confident(dets []Detection) bool {
	for _, d := range dets {
		if d.Score >= 0.6 {
			return true
		}
	}
	return false
}

// shrink reduces img by an integer factor f, averaging f×f blocks.
func shrink(img *rgbImage, f int, dst *rgbImage) *rgbImage {
	w, h := img.W/f, img.H/f
	dst.W, dst.H = w, h
	if cap(dst.Pix) < w*h*3 {
		dst.Pix = make([]uint8, w*h*3)
	}
	dst.Pix = dst.Pix[:w*h*3]
	n := f * f
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var acc [3]int
			for dy := 0; dy < f; dy++ {
				row := img.Pix[((y*f+dy)*img.W+x*f)*3:]
				for dx := 0; dx < f; dx++ {
					acc[0] += int(row[dx*3])
					acc[1] += int(row[dx*3+1])
					acc[2] += int(row[dx*3+2])
				}
			}
			o := dst.Pix[(y*w+x)*3:]
			o[0], o[1], o[2] = uint8(acc[0]/n), uint8(acc[1]/n), uint8(acc[2]/n)
		}
	}
	return dst
}

// templateMisfit is the RMS distance, in chip pixels, between the
// landmarks used for alignment and the mean face after the best
// similarity fit: about 2–4 for a face the landmark net understood, more
// for a face upside down, in profile or not a face. t is lm's
// chipTransform at chipSize.
func templateMisfit(lm *Landmarks, t similarity) float64 {
	var r float64
	n := 0
	for i := 27; i < 68; i++ {
		if !usedForAlignment(i) {
			continue
		}
		x, y := templatePoint(i, chipSize)
		u, v := t.apply(x, y)
		r += (u-lm[i].X)*(u-lm[i].X) + (v-lm[i].Y)*(v-lm[i].Y)
		n++
	}
	return math.Sqrt(r/float64(n)) / t.scale()
}

// crop copies r of img into dst.
func crop(img *rgbImage, r image.Rectangle, dst *rgbImage) {
	w, h := r.Dx(), r.Dy()
	dst.W, dst.H = w, h
	if cap(dst.Pix) < w*h*3 {
		dst.Pix = make([]uint8, w*h*3)
	}
	dst.Pix = dst.Pix[:w*h*3]
	for y := 0; y < h; y++ {
		copy(dst.Pix[y*w*3:(y+1)*w*3], img.Pix[((r.Min.Y+y)*img.W+r.Min.X)*3:])
	}
}

// rotated returns img turned clockwise by deg (0, 90, 180 or 270),
// written into dst (img itself for 0).
func rotated(img *rgbImage, deg int, dst *rgbImage) *rgbImage {
	if deg == 0 {
		return img
	}
	w, h := img.W, img.H
	if deg == 90 || deg == 270 {
		dst.W, dst.H = h, w
	} else {
		dst.W, dst.H = w, h
	}
	if cap(dst.Pix) < w*h*3 {
		dst.Pix = make([]uint8, w*h*3)
	}
	dst.Pix = dst.Pix[:w*h*3]
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var nx, ny int
			switch deg {
			case 90:
				nx, ny = h-1-y, x
			case 180:
				nx, ny = w-1-x, h-1-y
			default:
				nx, ny = y, w-1-x
			}
			s := img.Pix[(y*w+x)*3:]
			d := dst.Pix[(ny*dst.W+nx)*3:]
			d[0], d[1], d[2] = s[0], s[1], s[2]
		}
	}
	return dst
}

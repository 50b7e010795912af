package face

import (
	"image"
	"math"
	"sort"
)

// Documents are photographed at any angle and their portrait is small. The
// portrait is searched with a lower detection score in four orientations
// (upright first; the others only when the upright result is not
// convincing), and, when a whole-image pass is not confident, in 2×2 and
// then 3×3 overlapping tiles (1.7 and 2.5 times the resolution). Candidates
// are ranked by detection score, less a penalty for how badly their
// landmarks fit the mean face (a face seen upside down can still score high
// with the detector, but its landmarks do not fit), plus a bonus for the
// upright orientation, the usual one.

const (
	// docDetectScore is the detection score a portrait candidate needs.
	docDetectScore = 0.2
	// confidentDoc is the score that ends the search at a turned
	// orientation (0.3 suffices upright, with well-fitting landmarks).
	confidentDoc = 0.6
	// goodFit and maxFit bound the landmark misfit (see templateMisfit):
	// convincing, and acceptable at all.
	goodFit = 4.5
	maxFit  = 6.0
	// uprightBonus favours the photo as it was taken.
	uprightBonus = 0.15
	// docCandidates is how many detections per orientation get landmarks.
	docCandidates = 3
	// docMaxSide is the long side larger documents are reduced to first.
	docMaxSide = 1600
)

type docCandidate struct {
	rot    int
	det    Detection
	misfit float64
	rank   float64
}

// analyzeDocument finds and describes the portrait on a document photo.
func (e *Engine) analyzeDocument(ws *workspace, img *rgbImage) faceInfo {
	if long := max(img.W, img.H); long > docMaxSide {
		img = shrink(img, (long+docMaxSide-1)/docMaxSide, &ws.small)
	}
	best := docCandidate{rot: -1, rank: math.Inf(-1)}
	for _, rot := range []int{0, 180, 90, 270} {
		src := rotated(img, rot, &ws.rot)
		dets := e.detectWide(ws, src, e.opts.DetectInput, docDetectScore)
		sort.SliceStable(dets, func(i, j int) bool { return dets[i].Score > dets[j].Score })
		for i, d := range dets {
			if i == docCandidates {
				break
			}
			lm, ok := e.landmarks(ws, src, d)
			if !ok {
				continue
			}
			c := docCandidate{rot: rot, det: d, misfit: templateMisfit(&lm)}
			c.rank = d.Score - 0.1*c.misfit
			if rot == 0 {
				c.rank += uprightBonus
			}
			if c.misfit <= maxFit && c.rank > best.rank {
				best = c
			}
		}
		// Stop at a convincing candidate: landmarks that fit well and a
		// score that is enough for the upright photo, or clearly high for
		// a turned one.
		need := confidentDoc
		if best.rot == 0 {
			need = 0.3
		}
		if best.rot >= 0 && best.misfit <= goodFit && best.det.Score >= need {
			break
		}
	}
	if best.rot < 0 {
		return faceInfo{}
	}
	src := rotated(img, best.rot, &ws.rot)
	fi := e.describe(ws, src, []Detection{best.det}, false)
	fi.Rotation = best.rot
	return fi
}

// detectWide detects on the whole image and, while no face scores 0.6 in
// an image much larger than the detector's input, on 2×2 then 3×3
// overlapping tiles; the union goes through non-maximum suppression.
func (e *Engine) detectWide(ws *workspace, img *rgbImage, inputSize int, score float64) []Detection {
	all := e.detect(ws, img, inputSize, score)
	for n := 2; n <= 3; n++ {
		if confident(all) || max(img.W, img.H) < n*inputSize*3/4 {
			break
		}
		tw, th := img.W*6/(5*n), img.H*6/(5*n)
		for j := 0; j < n; j++ {
			for i := 0; i < n; i++ {
				x0, y0 := i*(img.W-tw)/(n-1), j*(img.H-th)/(n-1)
				crop(img, image.Rect(x0, y0, x0+tw, y0+th), &ws.tile)
				for _, d := range e.detect(ws, &ws.tile, inputSize, score) {
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
// for a face upside down, in profile or not a face.
func templateMisfit(lm *Landmarks) float64 {
	t := chipTransform(lm, chipSize)
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

package face

import (
	"image"
	"math"
	"sort"
)

// Documents are photographed at any angle and their portrait is small. The
// portrait is searched with a lower detection score in four orientations
// (upright first; the others only when the upright result is not
// convincing), and, when a whole-image pass is not confident, in four
// overlapping tiles at 1.7 times the resolution. Candidates are ranked by
// detection score less a penalty for how badly their landmarks fit the mean
// face: a face seen upside down can still score high with the detector, but
// its landmarks do not fit.

const (
	// docDetectScore is the detection score a portrait candidate needs.
	docDetectScore = 0.3
	// confidentDoc ends the search at the upright orientation.
	confidentDoc = 0.8
	// goodFit and maxFit bound the landmark misfit (see templateMisfit):
	// convincing, and acceptable at all.
	goodFit = 4.5
	maxFit  = 7.0
	// docCandidates is how many detections per orientation get landmarks.
	docCandidates = 3
)

type docCandidate struct {
	rot    int
	det    Detection
	misfit float64
	rank   float64
}

// analyzeDocument finds and describes the portrait on a document photo.
func (e *Engine) analyzeDocument(ws *workspace, img *rgbImage) faceInfo {
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
			if c.misfit <= maxFit && c.rank > best.rank {
				best = c
			}
		}
		if best.rot == 0 && best.det.Score >= confidentDoc && best.misfit <= goodFit {
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

// detectWide detects on the whole image and, when that finds no face of at
// least 0.6 in an image much larger than the detector's input, also on 2×2
// overlapping tiles.
func (e *Engine) detectWide(ws *workspace, img *rgbImage, inputSize int, score float64) []Detection {
	dets := e.detect(ws, img, inputSize, score)
	confident := false
	for _, d := range dets {
		confident = confident || d.Score >= 0.6
	}
	if confident || max(img.W, img.H) < 3*inputSize/2 {
		return dets
	}
	tw, th := img.W*3/5, img.H*3/5
	all := dets
	for _, y0 := range []int{0, img.H - th} {
		for _, x0 := range []int{0, img.W - tw} {
			crop(img, image.Rect(x0, y0, x0+tw, y0+th), &ws.tile)
			for _, d := range e.detect(ws, &ws.tile, inputSize, score) {
				d.X += float64(x0)
				d.Y += float64(y0)
				d.Box = d.Box.Add(image.Pt(x0, y0))
				all = append(all, d)
			}
		}
	}
	return nms(all, nmsIoU)
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

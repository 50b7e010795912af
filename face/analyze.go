package face

import (
	"cmp"
	"math"
	"slices"

	"github.com/kycq/kycq/face/model"
)

// chipSize is the side of the aligned face chip the descriptor reads.
const chipSize = model.RecognizerInput

// faceInfo is everything one image tells about its main face.
type faceInfo struct {
	Found bool
	Det   Detection
	// Faces counts the detections at least a quarter the main face's area
	// and not on its place (other people in the frame; see mainFace).
	Faces   int
	LM      Landmarks
	Desc    [model.DescriptorLen]float32
	Quality Quality
	// Rotation is the clockwise turn (degrees) the image needed (documents).
	Rotation int
	// gray is the chip's luma, kept for the liveness comparison.
	gray []uint8
	// moire is the chip's colour-moiré measure (chromaMoire), for the
	// screen cue of liveness (video frames only).
	moire float64
	// scene is the whole frame's luma at half size (halfGray), for the
	// ring cue of liveness (video frames only).
	scene scene
	// tracked counts the frames in a row this face was followed from an
	// earlier frame's box, the detector having lost it (trackFace); 0 for
	// a detected face.
	tracked int
	// weak marks a video frame's face taken from a detection under
	// Options.DetectScore because it is the face of the frames around it
	// (analyzeVideoFrame).
	weak bool
}

// Quality measures how usable a face is.
type Quality struct {
	// EyeDistance is the distance between the eye centers, in pixels.
	EyeDistance float64 `json:"eye_distance"`
	// Brightness is the mean luma of the face's center, 0..255.
	Brightness float64 `json:"brightness"`
	// Background is the mean luma of the whole image, 0..255.
	Background float64 `json:"background"`
	// Sharpness is the variance of the Laplacian of the chip's center.
	Sharpness float64 `json:"sharpness"`
	// Misfit is how far the landmarks are from the mean face after
	// alignment, in chip pixels (about 2–4 for a clear frontal face).
	Misfit float64 `json:"misfit"`
}

// analyze detects the main face of img (see mainFace), finds its
// landmarks, aligns its chip and computes its descriptor.
func (e *Engine) analyze(ws *workspace, img *rgbImage, inputSize int, keepGray bool) faceInfo {
	return e.describe(ws, img, e.detect(ws, img, inputSize, e.opts.DetectScore), keepGray)
}

// faceCandidates is how many detections of one image, most confident
// first, mainFace reads the landmarks of to find one that lies as a face.
const faceCandidates = 4

// mainFace chooses the face describe analyses among dets and returns its
// index, its landmarks and how many of dets are faces at least a quarter
// its area (the face itself included). With one detection it is that one.
// With several, it is the most confident whose landmarks lie as an
// upright face's (PlausibleLayout; the most confident when none of the
// first faceCandidates does) or, among the plausible boxes on the same
// place as that one (holding half of it or lying half in it:
// overlapShare), the one whose landmarks fit the mean face best. The
// detector also fires, weakly, on things that are not faces: on a
// portrait cut from a party photo, on a box over the face, the chest and
// a glass, larger than the face (until 2 Dec 2026 the largest box was
// taken, and a selfie's frame could read its descriptor off that box).
// Other boxes count as faces (several_faces) unless they lie on the main
// face's place: two people's faces do not cover each other.
func (e *Engine) mainFace(ws *workspace, img *rgbImage, dets []Detection) (main int, lm Landmarks, faces int, ok bool) {
	if len(dets) == 1 {
		lm, ok = e.landmarks(ws, img, dets[0])
		return 0, lm, 1, ok
	}
	order := make([]int, len(dets))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(dets[b].Score, dets[a].Score) })
	type read struct {
		lm        Landmarks
		ok, plaus bool
		misfit    float64
	}
	reads := make([]*read, len(dets))
	readAt := func(i int) *read {
		if reads[i] == nil {
			r := &read{}
			if r.lm, r.ok = e.landmarks(ws, img, dets[i]); r.ok {
				r.misfit = templateMisfit(&r.lm, chipTransform(&r.lm, chipSize))
				r.plaus = PlausibleLayout(&r.lm, dets[i].Box, r.misfit)
			}
			reads[i] = r
		}
		return reads[i]
	}
	main = order[0]
	for _, i := range order[:min(len(order), faceCandidates)] {
		if readAt(i).plaus {
			main = i
			break
		}
	}
	if readAt(main).plaus {
		first := main
		for i := range dets {
			if i != first && overlapShare(dets[i], dets[first]) >= 0.5 {
				if r := readAt(i); r.plaus && r.misfit < reads[main].misfit {
					main = i
				}
			}
		}
	}
	area := dets[main].W * dets[main].H
	faces = 1
	for i, d := range dets {
		if i != main && d.W*d.H >= 0.25*area && overlapShare(d, dets[main]) < 0.5 {
			faces++
		}
	}
	return main, reads[main].lm, faces, reads[main].ok
}

// overlapShare is the share of the smaller of two boxes that lies in the
// other. Two people's faces do not cover each other in one picture: a
// box holding half of the main face is the same face with its
// surroundings (a detection over the head and chest), not a second person.
func overlapShare(a, b Detection) float64 {
	w := math.Max(0, math.Min(a.X+a.W, b.X+b.W)-math.Max(a.X, b.X))
	h := math.Max(0, math.Min(a.Y+a.H, b.Y+b.H)-math.Max(a.Y, b.Y))
	small := math.Min(a.W*a.H, b.W*b.H)
	if small <= 0 {
		return 0
	}
	return w * h / small
}

// describe takes the main face among dets (mainFace) and finds its
// landmarks, chip, descriptor and quality.
func (e *Engine) describe(ws *workspace, img *rgbImage, dets []Detection, keepGray bool) faceInfo {
	var fi faceInfo
	if len(dets) == 0 {
		return fi
	}
	main, lm, faces, ok := e.mainFace(ws, img, dets)
	fi.Det = dets[main]
	fi.Faces = faces
	if !ok {
		return fi
	}
	fi.Found = true
	fi.LM = lm
	t := chipTransform(&lm, chipSize)
	chip(img, t, chipSize, ws.chip)
	ws.ar.Reset()
	in := ws.ar.Tensor(chipSize, chipSize, 3)
	chipTensor(ws.chip, in)
	e.nets.Recognizer.Forward(&ws.ar, in, fi.Desc[:])

	l, r := lm.Eyes()
	fi.Quality.EyeDistance = math.Hypot(r.X-l.X, r.Y-l.Y)
	gray := grayChip(ws.chip, ws.gray)
	fi.Quality.Brightness = meanRegion(gray, chipSize, 45, 40, 105, 125)
	fi.Quality.Sharpness = laplacianVariance(gray, chipSize, 40, 35, 110, 125)
	fi.Quality.Background = meanLuma(img)
	fi.Quality.Misfit = templateMisfit(&lm, t)
	if keepGray {
		fi.gray = append([]uint8(nil), gray...)
		fi.moire = chromaMoire(ws.chip, chipSize)
		fi.scene = halfGray(img)
	}
	return fi
}

// grayChip writes the chip's luma (BT.601) into g and returns it.
func grayChip(rgb, g []uint8) []uint8 {
	g = g[:len(rgb)/3]
	for i := range g {
		g[i] = uint8((299*int(rgb[3*i]) + 587*int(rgb[3*i+1]) + 114*int(rgb[3*i+2]) + 500) / 1000)
	}
	return g
}

// meanRegion averages g over [x0, x1) × [y0, y1).
func meanRegion(g []uint8, side, x0, y0, x1, y1 int) float64 {
	s := 0
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			s += int(g[y*side+x])
		}
	}
	return float64(s) / float64((x1-x0)*(y1-y0))
}

// laplacianVariance is the variance of the 4-neighbour Laplacian over
// [x0, x1) × [y0, y1): low on blurred faces.
func laplacianVariance(g []uint8, side, x0, y0, x1, y1 int) float64 {
	var s, s2 float64
	n := 0
	for y := max(y0, 1); y < min(y1, side-1); y++ {
		for x := max(x0, 1); x < min(x1, side-1); x++ {
			v := 4*float64(g[y*side+x]) - float64(g[y*side+x-1]) - float64(g[y*side+x+1]) - float64(g[(y-1)*side+x]) - float64(g[(y+1)*side+x])
			s += v
			s2 += v * v
			n++
		}
	}
	m := s / float64(n)
	return s2/float64(n) - m*m
}

// meanLuma is the image's mean luma, sampled on a grid of about 64×64.
func meanLuma(img *rgbImage) float64 {
	step := max(1, max(img.W, img.H)/64)
	s, n := 0, 0
	for y := 0; y < img.H; y += step {
		for x := 0; x < img.W; x += step {
			p := img.Pix[(y*img.W+x)*3:]
			s += 299*int(p[0]) + 587*int(p[1]) + 114*int(p[2])
			n++
		}
	}
	return float64(s) / 1000 / float64(n)
}

// distance is the Euclidean distance between two descriptors.
func distance(a, b []float32) float64 {
	var s float64
	for i := range a {
		d := float64(a[i]) - float64(b[i])
		s += d * d
	}
	return math.Sqrt(s)
}

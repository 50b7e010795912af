package face

import (
	"math"

	"github.com/kycq/kycq/face/model"
)

// chipSize is the side of the aligned face chip the descriptor reads.
const chipSize = model.RecognizerInput

// faceInfo is everything one image tells about its main face.
type faceInfo struct {
	Found bool
	Det   Detection
	// Faces counts the detections at least a quarter the main face's area
	// (other people in the frame).
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
	// tracked counts the frames in a row this face was followed from an
	// earlier frame's box, the detector having lost it (trackFace); 0 for
	// a detected face.
	tracked int
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

// analyze detects the main face of img (the largest confident one), finds
// its landmarks, aligns its chip and computes its descriptor.
func (e *Engine) analyze(ws *workspace, img *rgbImage, inputSize int, keepGray bool) faceInfo {
	return e.describe(ws, img, e.detect(ws, img, inputSize, e.opts.DetectScore), keepGray)
}

// describe takes the main face among dets (the largest) and finds its
// landmarks, chip, descriptor and quality.
func (e *Engine) describe(ws *workspace, img *rgbImage, dets []Detection, keepGray bool) faceInfo {
	var fi faceInfo
	if len(dets) == 0 {
		return fi
	}
	main := 0
	for i, d := range dets {
		if d.W*d.H > dets[main].W*dets[main].H {
			main = i
		}
	}
	fi.Det = dets[main]
	for _, d := range dets {
		if d.W*d.H >= 0.25*fi.Det.W*fi.Det.H {
			fi.Faces++
		}
	}
	lm, ok := e.landmarks(ws, img, fi.Det)
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

package face

import (
	"image"
	"math"
	"sort"

	"github.com/kycq/kycq/face/model"
	"github.com/kycq/kycq/face/nn"
)

// Detection is one face found in an image.
type Detection struct {
	// Box is the face's bounding box in image pixels (rounded outwards).
	Box image.Rectangle `json:"box"`
	// Score is the detector's confidence, 0..1.
	Score float64 `json:"score"`
	// X, Y, W, H is the box with sub-pixel precision.
	X, Y, W, H float64 `json:"-"`
}

// nmsIoU is face-api's overlap threshold for non-maximum suppression.
const nmsIoU = 0.4

// detect runs the detector on img (whose square canvas is resized to
// inputSize) and returns the faces scoring above threshold, best first.
// It follows face-api's TinyFaceDetector.locateFaces step for step.
func (e *Engine) detect(ws *workspace, img *rgbImage, inputSize int, threshold float64) []Detection {
	return e.detectInput(ws, img, inputSize, threshold, false)
}

// detectTrimmed is detect with the network's input trimmed to the image
// (see trimmedInput): the same grid cells over the image, fewer over the
// black padding. Scores and boxes differ from face-api's only through what
// the last cells' receptive fields see below or right of the image (the
// network's zero padding instead of black).
func (e *Engine) detectTrimmed(ws *workspace, img *rgbImage, inputSize int, threshold float64) []Detection {
	return e.detectInput(ws, img, inputSize, threshold, true)
}

// detectGrid is the detector's grid cell, in input pixels.
const detectGrid = 32

// trimmedInput returns the width and height of the detector's input for
// an image of w×h pixels scaled into a square of side pixels: the scaled
// image's extent, rounded up to the grid, instead of the whole square.
func trimmedInput(w, h, side int) (int, int) {
	scale := float64(side) / float64(max(w, h))
	up := func(n int) int {
		v := int(math.Round(float64(n) * scale))
		return min(side, max(detectGrid, (v+detectGrid-1)/detectGrid*detectGrid))
	}
	return up(w), up(h)
}

func (e *Engine) detectInput(ws *workspace, img *rgbImage, inputSize int, threshold float64, trim bool) []Detection {
	return e.detectFilled(ws, img.W, img.H, inputSize, threshold, trim, func(in nn.Tensor) {
		ws.rs.resize(img, letterboxCanvas(img), inputSize, model.DetectorMean, in)
	})
}

// detectFilled is detectInput for an image of w×h pixels whose
// normalised input fill writes (every value of the tensor it is given).
func (e *Engine) detectFilled(ws *workspace, w, h, inputSize int, threshold float64, trim bool, fill func(nn.Tensor)) []Detection {
	ws.ar.Reset()
	iw, ih := inputSize, inputSize
	if trim {
		iw, ih = trimmedInput(w, h, inputSize)
	}
	in := ws.ar.TensorUninit(ih, iw, 3) // fill writes every value
	fill(in)
	grid := e.nets.Detector.Forward(&ws.ar, in)
	ws.cands = model.Decode(grid, threshold, ws.cands[:0])

	// Boxes come relative to the input; face-api rescales them to the
	// image through the (rounded) size the image takes in the input.
	scale := float64(inputSize) / float64(max(w, h))
	rw := math.Round(float64(w) * scale)
	rh := math.Round(float64(h) * scale)
	fx := float64(iw) / rw
	fy := float64(ih) / rh
	dets := ws.dets[:0]
	for _, c := range ws.cands {
		dets = append(dets, Detection{X: c.X * fx * float64(w), Y: c.Y * fy * float64(h), W: c.W * fx * float64(w), H: c.H * fy * float64(h), Score: c.Score})
	}
	dets = nms(dets, nmsIoU)
	out := make([]Detection, len(dets))
	for i, d := range dets {
		d.Box = image.Rect(int(math.Floor(d.X)), int(math.Floor(d.Y)), int(math.Ceil(d.X+d.W)), int(math.Ceil(d.Y+d.H))).Intersect(image.Rect(0, 0, w, h))
		out[i] = d
	}
	ws.dets = dets[:0]
	return out
}

// nms keeps the best-scoring boxes, dropping any whose IoU with a kept box
// exceeds thr. It reorders dets in place and returns the kept prefix.
func nms(dets []Detection, thr float64) []Detection {
	sort.SliceStable(dets, func(i, j int) bool { return dets[i].Score > dets[j].Score })
	kept := dets[:0]
	for _, d := range dets {
		ok := true
		for _, k := range kept {
			if iou(d, k) > thr {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, d)
		}
	}
	return kept
}

func iou(a, b Detection) float64 {
	w := math.Max(0, math.Min(a.X+a.W, b.X+b.W)-math.Max(a.X, b.X))
	h := math.Max(0, math.Min(a.Y+a.H, b.Y+b.H)-math.Max(a.Y, b.Y))
	inter := w * h
	return inter / (a.W*a.H + b.W*b.H - inter)
}

package face

import (
	"errors"
	"fmt"
	"image"
)

// FindLandmarks returns the 68 landmarks of the most confident face of img,
// in img's coordinates; found is false when there is no face. The
// evaluation's selfie generator lifts them onto a 3D head. The most
// confident, not the largest: on a portrait cut from a party photo the
// detector may also fire, weakly, on a larger box over the chest and a
// glass (sample3's first face: 0.54 there against 0.77 on the face), and
// a head built on those landmarks would turn the chest, not the face.
func (e *Engine) FindLandmarks(img image.Image) (lm Landmarks, found bool, err error) {
	if img == nil {
		return lm, false, errors.New("face: nil image")
	}
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 || b.Dx() > e.opts.MaxPixels/max(b.Dy(), 1) {
		return lm, false, fmt.Errorf("face: image %d×%d outside the pixel limit", b.Dx(), b.Dy())
	}
	ws := e.get()
	defer e.put(ws)
	ws.img.from(img)
	// A face filling the picture (a selfie frame) is found at the video
	// input size when the larger photo input misses it.
	dets := e.detect(ws, &ws.img, e.opts.DetectInput, e.opts.DetectScore)
	if len(dets) == 0 {
		dets = e.detect(ws, &ws.img, e.opts.VideoDetectInput, e.opts.DetectScore)
	}
	if len(dets) > 1 {
		best := 0
		for i, d := range dets {
			if d.Score > dets[best].Score {
				best = i
			}
		}
		dets = dets[best : best+1]
	}
	fi := e.describe(ws, &ws.img, dets, false)
	if !fi.Found {
		return lm, false, nil
	}
	for i := range fi.LM {
		fi.LM[i].X += float64(b.Min.X)
		fi.LM[i].Y += float64(b.Min.Y)
	}
	return fi.LM, true, nil
}

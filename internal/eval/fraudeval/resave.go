package fraudeval

import (
	"bytes"
	"image"
	"image/draw"
	"image/jpeg"
	"math/rand/v2"

	xdraw "golang.org/x/image/draw"
)

// Genuine photos are often saved twice: the camera writes a JPEG and an
// app (a messenger, a browser's canvas, a gallery's share sheet) decodes
// and saves it again at a lower quality. A forger's editor does the same
// around the edit. These helpers make both from a docgen photo.

// Genuine controls saved twice.
const (
	// GenuineResaved: a camera JPEG saved again by an app, no edit.
	GenuineResaved Attack = "genuine_resaved"
	// GenuineResized: a camera JPEG downscaled by an app (to 50–90 %)
	// and saved again.
	GenuineResized Attack = "genuine_resized"
	// GenuineLowQ: a camera JPEG saved again at a low quality (50–60), as
	// a messenger's or a scanner app's lowest setting does (issue 15).
	GenuineLowQ Attack = "genuine_lowq"
)

// cameraJPEG is the camera's first save: quality 92–97 (phone cameras
// save high).
func cameraJPEG(img image.Image, r *rand.Rand) ([]byte, error) {
	return encodeJPEG(img, 92+r.IntN(6))
}

// reopen decodes a JPEG into an editable RGBA image, as an editor or app
// opens the camera's file.
func reopen(data []byte) (*image.RGBA, error) {
	src, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	out := image.NewRGBA(src.Bounds())
	draw.Draw(out, out.Rect, src, src.Bounds().Min, draw.Src)
	return out, nil
}

// downscale shrinks img to a share of 0.5–0.9 of its size, as an app
// does before uploading (bilinear, as a canvas scales).
func downscale(img *image.RGBA, r *rand.Rand) *image.RGBA {
	f := 0.5 + 0.4*r.Float64()
	b := img.Rect
	out := image.NewRGBA(image.Rect(0, 0, int(float64(b.Dx())*f), int(float64(b.Dy())*f)))
	xdraw.ApproxBiLinear.Scale(out, out.Rect, img, b, xdraw.Src, nil)
	return out
}

// resaveQuality is an app's or editor's second save: quality 70–92.
func resaveQuality(r *rand.Rand) int { return 70 + r.IntN(23) }

// lowQuality is an app's lowest second save: quality 50–60.
func lowQuality(r *rand.Rand) int { return 50 + r.IntN(11) }

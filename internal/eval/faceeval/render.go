package faceeval

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"

	xdraw "golang.org/x/image/draw"

	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/internal/eval/headmotion"
)

// FrameAround returns the rectangle of a portrait frame around a face box
// inside bounds: scale times the face's width wide, aspect times that
// high, the face a little above the centre, shrunk to fit bounds and
// shifted (not padded) to stay inside them. The evaluation's cards and
// selfies and kycq eval docs' card portraits are cut with it.
func FrameAround(bounds, box image.Rectangle, scale, aspect float64) image.Rectangle {
	w := math.Min(float64(box.Dx())*scale, float64(bounds.Dx()))
	h := math.Min(w*aspect, float64(bounds.Dy()))
	w = math.Min(w, h/aspect)
	cx := float64(box.Min.X+box.Max.X) / 2
	cy := float64(box.Min.Y+box.Max.Y)/2 + 0.08*h
	x0 := math.Max(float64(bounds.Min.X), math.Min(cx-w/2, float64(bounds.Max.X)-w))
	y0 := math.Max(float64(bounds.Min.Y), math.Min(cy-h/2, float64(bounds.Max.Y)-h))
	return image.Rect(int(x0), int(y0), int(x0+w), int(y0+h))
}

// cropAround returns a copy of the FrameAround frame of img.
func cropAround(img image.Image, box image.Rectangle, scale, aspect float64) image.Image {
	r := FrameAround(img.Bounds(), box, scale, aspect)
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(out, out.Bounds(), img, r.Min, draw.Src)
	return out
}

// toFrame scales a selfie crop to the 480×640 video frame.
func toFrame(img image.Image) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, headmotion.Width, headmotion.Height))
	xdraw.CatmullRom.Scale(out, out.Bounds(), img, img.Bounds(), xdraw.Src, nil)
	return out
}

// maskOthers returns a copy of img with the other faces covered by gray
// boxes (grown by a third) and the target face itself left intact, so a
// crop around target shows one face: the photos are group photos, a
// selfie or an ID portrait is not.
func maskOthers(img image.Image, others []image.Rectangle, target image.Rectangle) image.Image {
	b := img.Bounds()
	out := image.NewRGBA(b)
	draw.Draw(out, b, img, b.Min, draw.Src)
	gray := image.NewUniform(color.RGBA{120, 120, 120, 255})
	for _, d := range others {
		g := d.Dx() / 6
		draw.Draw(out, image.Rect(d.Min.X-g, d.Min.Y-g, d.Max.X+g, d.Max.Y+g), gray, image.Point{}, draw.Src)
	}
	g := target.Dx() / 10
	keep := image.Rect(target.Min.X-g, target.Min.Y-g, target.Max.X+g, target.Max.Y+g).Intersect(b)
	draw.Draw(out, keep, img, keep.Min, draw.Src)
	return out
}

// printed makes a portrait look printed on a card: smaller, desaturated,
// lower contrast, slightly blurred and grainy.
func printed(src image.Image, r *rand.Rand) *image.RGBA {
	// Downscale to about 240 px wide by box averaging.
	b := src.Bounds()
	f := max(1, b.Dx()/240)
	w, h := b.Dx()/f, b.Dy()/f
	small := image.NewRGBA(image.Rect(0, 0, w, h))
	sat := 0.35 + 0.3*r.Float64()
	contrast := 0.75 + 0.15*r.Float64()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var acc [3]float64
			for dy := 0; dy < f; dy++ {
				for dx := 0; dx < f; dx++ {
					cr, cg, cb, _ := src.At(b.Min.X+x*f+dx, b.Min.Y+y*f+dy).RGBA()
					acc[0] += float64(cr >> 8)
					acc[1] += float64(cg >> 8)
					acc[2] += float64(cb >> 8)
				}
			}
			n := float64(f * f)
			l := (0.299*acc[0] + 0.587*acc[1] + 0.114*acc[2]) / n
			var px [3]uint8
			for c := range acc {
				v := l + sat*(acc[c]/n-l)
				v = 128 + contrast*(v-128) + 10 + 6*r.NormFloat64()
				px[c] = uint8(math.Max(0, math.Min(255, v)))
			}
			small.SetRGBA(x, y, color.RGBA{px[0], px[1], px[2], 255})
		}
	}
	// A 3×3 box blur: print and lamination soften edges.
	out := image.NewRGBA(small.Rect)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var acc [3]int
			n := 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					xx, yy := x+dx, y+dy
					if xx < 0 || yy < 0 || xx >= w || yy >= h {
						continue
					}
					p := small.RGBAAt(xx, yy)
					acc[0] += int(p.R)
					acc[1] += int(p.G)
					acc[2] += int(p.B)
					n++
				}
			}
			out.SetRGBA(x, y, color.RGBA{uint8(acc[0] / n), uint8(acc[1] / n), uint8(acc[2] / n), 255})
		}
	}
	return out
}

// renderDocument puts the portrait on a synthetic ID card photographed on
// a table (internal/eval/docgen, 1280×960) and returns it as a JPEG.
func renderDocument(portrait image.Image, seed int64) ([]byte, error) {
	r := rand.New(rand.NewPCG(uint64(seed), 7))
	img, _ := docgen.Generate(docgen.Spec{Seed: seed, Size: docgen.Size1MP, Portrait: printed(portrait, r)})
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 70 + r.IntN(16)}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// videoStyle is how a selfie video moves.
type videoStyle int

const (
	// moving: the head turns and nods in 3D (internal/eval/headmotion),
	// with changing light and sensor noise.
	moving videoStyle = iota
	// replay: the still picture panned and zoomed with a little roll,
	// changing light, sensor noise, mirrored half the time: a photo moved
	// in front of the camera, which liveness must refuse as planar.
	replay
	// still: the picture as it is, only sensor noise: a photo held up to
	// the camera without moving, which liveness must refuse.
	still
)

// renderVideo writes a 3-second 480×640 H.264 selfie video of the
// portrait crop with ffmpeg. A moving video needs the crop's landmarks.
func renderVideo(ctx context.Context, ffmpeg, dir, name string, crop image.Image, lm *face.Landmarks, style videoStyle, seed int64) (string, error) {
	if style == moving {
		if lm == nil {
			return "", fmt.Errorf("faceeval: a moving selfie needs landmarks")
		}
		var pts [68][2]float64
		for i, p := range lm {
			pts[i] = [2]float64{p.X, p.Y}
		}
		data, err := headmotion.Video(ctx, ffmpeg, crop, pts, headmotion.Spec{Seed: seed, Vary: headmotion.Plain()})
		if err != nil {
			return "", err
		}
		out := filepath.Join(dir, name+".mp4")
		return out, os.WriteFile(out, data, 0o644)
	}
	r := rand.New(rand.NewPCG(uint64(seed), 11))
	src := filepath.Join(dir, name+".png")
	f, err := os.Create(src)
	if err != nil {
		return "", err
	}
	err = png.Encode(f, crop)
	f.Close()
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, name+".mp4")
	vf := "scale=480:640,setsar=1"
	if style == replay {
		zr := 0.002 + 0.003*r.Float64()
		sway := 4 + 8*r.Float64()
		ang := 0.02 + 0.04*r.Float64()
		light := 0.04 + 0.08*r.Float64()
		vf = fmt.Sprintf("scale=600:800,setsar=1,zoompan=z='1+%.4f*on':x='iw/2-(iw/zoom/2)+%.1f*sin(on/5)':y='ih/2-(ih/zoom/2)+%.1f*cos(on/7)':d=1:s=480x640:fps=15,"+
			"rotate='%.3f*sin(t*2.1)':fillcolor=black,eq=brightness='%.3f*sin(t*1.7)':eval=frame", zr, sway, sway/2, ang, light)
		if r.IntN(2) == 0 {
			vf += ",hflip"
		}
	}
	vf += ",noise=alls=5:allf=t,format=yuv420p"
	args := []string{"-nostdin", "-v", "error", "-y", "-loop", "1", "-framerate", "15", "-i", src,
		"-t", "3", "-vf", vf, "-c:v", "libx264", "-preset", "veryfast", "-crf", "26", "-threads", "1", out}
	if b, err := exec.CommandContext(ctx, ffmpeg, args...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("faceeval: ffmpeg: %v: %s", err, b)
	}
	return out, nil
}

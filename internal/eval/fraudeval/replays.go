package fraudeval

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/kycq/kycq/internal/eval/headmotion"
	"github.com/kycq/kycq/internal/eval/sample"
)

// VideoAttack names a kind of replayed selfie video: a still portrait
// presented to the camera. None of them can turn a head in 3D or blink.
type VideoAttack string

// The replay attacks. ReplayZoomPan is the one the liveness thresholds
// were developed against (internal/eval/sample's generator); the others
// are made by ffmpeg filters the checks were not developed on, and are
// the held-out designs.
const (
	// ReplayZoomPan: the still pushed in, swayed and rolled (zoompan,
	// rotate), as internal/eval/sample makes it.
	ReplayZoomPan VideoAttack = "replay_still_photo"
	// ReplayPerspective: a printed photo tilted in the hand: the four
	// corners move independently (ffmpeg perspective), a homography per
	// frame.
	ReplayPerspective VideoAttack = "replay_perspective"
	// ReplayRotateCrop: a photo held by a shaky hand: rotated and cropped
	// at a moving window (ffmpeg rotate, crop).
	ReplayRotateCrop VideoAttack = "replay_rotate_crop"
	// ReplayScreen: the still shown on a phone or monitor and filmed:
	// RGB subpixel stripes, a black bezel, the screen tilted, a screen's
	// gamma and saturation, rolling refresh bands and a moving specular
	// reflection (ffmpeg geq, pad, perspective, eq).
	ReplayScreen VideoAttack = "replay_screen"
)

// VideoAttacks lists the replay attacks in report order.
func VideoAttacks() []VideoAttack {
	return []VideoAttack{ReplayZoomPan, ReplayPerspective, ReplayRotateCrop, ReplayScreen}
}

// HeldOut reports whether the attack is one of the held-out designs.
func (a VideoAttack) HeldOut() bool { return a != ReplayZoomPan }

// ReplayVideo renders the attack from a 480×640 frame of the portrait as
// a 3-second H.264 MP4 at 15 fps.
func ReplayVideo(ctx context.Context, ffmpeg string, a VideoAttack, frame image.Image, seed int64) ([]byte, error) {
	if a == ReplayZoomPan {
		return sample.ReplayVideo(ctx, ffmpeg, frame, seed)
	}
	dir, err := os.MkdirTemp("", "kycq-replay-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "still.png")
	var buf bytes.Buffer
	if err := png.Encode(&buf, frame); err != nil {
		return nil, err
	}
	if err := os.WriteFile(src, buf.Bytes(), 0o600); err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0x5c4ee))
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }
	light := fmt.Sprintf("eq=brightness='%.3f*sin(t*%.2f)':eval=frame", u(0.03, 0.08), u(1, 2))
	var vf string
	switch a {
	case ReplayPerspective:
		// Each corner of the picture moves on its own slow ellipse, up to
		// 4–9 % of the frame: the photo tilts and turns in the hand.
		var c [8]string
		for k := range c {
			amp := u(0.04, 0.09)
			c[k] = fmt.Sprintf("%.3f*%s*sin(%.2f*in/15+%.2f)", amp, map[bool]string{true: "W", false: "H"}[k%2 == 0], u(1.2, 2.6), u(0, 6.28))
		}
		vf = fmt.Sprintf("scale=480:640,setsar=1,perspective=x0='%s':y0='%s':x1='W+%s':y1='%s':x2='%s':y2='H+%s':x3='W+%s':y3='H+%s':interpolation=cubic:eval=frame,%s",
			c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], light)
	case ReplayRotateCrop:
		vf = fmt.Sprintf("scale=640:853,setsar=1,rotate='%.3f*sin(%.2f*t)':fillcolor=gray,"+
			"crop=480:640:x='80+%.1f*sin(%.2f*t+%.2f)':y='106+%.1f*sin(%.2f*t+%.2f)',%s",
			u(0.04, 0.09), u(1.5, 3), u(40, 75), u(1, 2.5), u(0, 6.28), u(40, 95), u(0.8, 2), u(0, 6.28), light)
	case ReplayScreen:
		screen := filepath.Join(dir, "screen.png")
		if err := renderScreen(ctx, ffmpeg, src, screen, r); err != nil {
			return nil, err
		}
		src = screen
		var c [8]string
		for k := range c {
			c[k] = fmt.Sprintf("%.3f*%s*sin(%.2f*in/15+%.2f)", u(0.02, 0.05), map[bool]string{true: "W", false: "H"}[k%2 == 0], u(1, 2.2), u(0, 6.28))
		}
		// The camera sees the screen (with its bezel) filling most of the
		// frame, tilted; the refresh rolls bands down the picture and a
		// window's reflection drifts across the glass.
		band := fmt.Sprintf("%.3f*sin(2*PI*(Y/%.1f-T*%.2f))", u(0.04, 0.1), u(60, 160), u(0.8, 3))
		spec := fmt.Sprintf("%.1f*exp(-(pow(X-W*(%.2f+0.2*sin(T*%.2f)),2)+pow(Y-H*%.2f,2))/(2*pow(W*%.2f,2)))",
			u(25, 60), u(0.25, 0.75), u(0.5, 1.5), u(0.2, 0.8), u(0.12, 0.25))
		vf = fmt.Sprintf("scale=528:688,setsar=1,perspective=x0='%s':y0='%s':x1='W+%s':y1='%s':x2='%s':y2='H+%s':x3='W+%s':y3='H+%s':interpolation=linear:eval=frame,"+
			"crop=480:640:24:24,format=yuv444p,geq=lum='clip(lum(X,Y)*(1+%s)+%s,0,255)':cb='cb(X,Y)':cr='cr(X,Y)',%s",
			c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], band, spec, light)
	default:
		return nil, fmt.Errorf("fraudeval: unknown replay %q", a)
	}
	vf += ",noise=alls=4:allf=t,format=yuv420p"
	out := filepath.Join(dir, "replay.mp4")
	cmd := exec.CommandContext(ctx, ffmpeg, "-nostdin", "-v", "error", "-y", "-loop", "1", "-framerate", "15",
		"-i", src, "-t", "3", "-vf", vf, "-c:v", "libx264", "-preset", "veryfast", "-crf", "26",
		"-movflags", "+faststart", "-threads", "1", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("fraudeval: ffmpeg %s: %v: %s", a, err, bytes.TrimSpace(b))
	}
	return os.ReadFile(out)
}

// renderScreen draws the still as a screen shows it, into a PNG at dst:
// enlarged 3× with each pixel split into red, green and blue subpixel
// stripes, a screen's gamma and saturation, and a black bezel, then shrunk
// back to about the frame (the camera's resampling of the stripes makes
// the moiré).
func renderScreen(ctx context.Context, ffmpeg, src, dst string, r *rand.Rand) error {
	gamma := 0.8 + 0.4*r.Float64()
	sat := 1.1 + 0.3*r.Float64()
	bezel := 10 + r.IntN(20)
	vf := fmt.Sprintf("scale=1440:1920:flags=neighbor,format=rgb24,"+
		"geq=r='r(X,Y)*(0.25+0.75*eq(mod(X,3),0))':g='g(X,Y)*(0.25+0.75*eq(mod(X,3),1))':b='b(X,Y)*(0.25+0.75*eq(mod(X,3),2))',"+
		"scale=%d:%d:flags=fast_bilinear,eq=gamma=%.2f:saturation=%.2f,pad=528:688:(ow-iw)/2:(oh-ih)/2:black",
		528-2*bezel, 688-2*bezel, gamma, sat)
	cmd := exec.CommandContext(ctx, ffmpeg, "-nostdin", "-v", "error", "-y", "-i", src, "-vf", vf, "-frames:v", "1", "-threads", "1", dst)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("fraudeval: ffmpeg screen: %v: %s", err, bytes.TrimSpace(b))
	}
	return nil
}

// TiltedPhotoVideo renders the hardest honest attack on a turn challenge
// from a 480×640 frame of the portrait, as a 3-second H.264 MP4 at 15
// fps: a printed photo held close to the camera, swayed a little by the
// hand, then tilted about its vertical axis by 40–65° and back, the side
// of the picture towards which the nose should turn receding (right:
// the image's right), as a real head turning that way hides its cheek.
// Under perspective the receding side shrinks, so the nose's place along
// the jaw line moves the asked way although nothing turns in 3D. The
// camera is a pinhole of focal length 450 px (a phone's 56° across the
// short side); the photo fills the frame untilted, enlarged 1.2–1.6× by
// being held closer, so the face is large and the perspective strong.
func TiltedPhotoVideo(ctx context.Context, ffmpeg string, frame image.Image, seed int64, right bool) ([]byte, error) {
	r := rand.New(rand.NewPCG(uint64(seed), 0x7117ed))
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }
	zoom := u(1.2, 1.6)
	tilt := u(40, 65) * math.Pi / 180
	if !right {
		tilt = -tilt
	}
	sway := u(2, 4) * math.Pi / 180
	fs, ph := u(0.4, 0.8), u(0, 2*math.Pi)
	dx, dy, roll := u(4, 10), u(3, 8), u(0.01, 0.03)
	bg := color.RGBA{uint8(u(60, 200)), uint8(u(60, 200)), uint8(u(60, 200)), 255}
	return printVideo(ctx, ffmpeg, frame, seed, func(src *image.RGBA, t float64) *image.RGBA {
		v := t / printSeconds
		theta := sway * math.Sin(2*math.Pi*fs*t+ph)
		if v > 0.3 {
			theta += tilt * math.Sin(math.Pi*math.Min(1, (v-0.3)/0.65))
		}
		return tiltFrame(src, theta, zoom, dx*math.Sin(1.7*t+ph), dy*math.Cos(1.3*t), roll*math.Sin(2.1*t), bg)
	})
}

// TiltedTwoWayPhotoVideo is TiltedPhotoVideo for a two-step turn: the
// printed photo, swayed a little by the hand, is tilted by 40–65° with
// the side of the first turn (right: the image's right) receding, then
// across to 30–55° the other way, and back, as a real head turning one
// way then the other hides one cheek then the other.
func TiltedTwoWayPhotoVideo(ctx context.Context, ffmpeg string, frame image.Image, seed int64, right bool) ([]byte, error) {
	r := rand.New(rand.NewPCG(uint64(seed), 0x7117ed))
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }
	zoom := u(1.2, 1.6)
	tilt := u(40, 65) * math.Pi / 180
	sway := u(2, 4) * math.Pi / 180
	fs, ph := u(0.4, 0.8), u(0, 2*math.Pi)
	dx, dy, roll := u(4, 10), u(3, 8), u(0.01, 0.03)
	bg := color.RGBA{uint8(u(60, 200)), uint8(u(60, 200)), uint8(u(60, 200)), 255}
	back := u(30, 55) * math.Pi / 180
	if !right {
		tilt, back = -tilt, -back
	}
	ease := func(x float64) float64 { return (1 - math.Cos(math.Pi*math.Max(0, math.Min(1, x)))) / 2 }
	return printVideo(ctx, ffmpeg, frame, seed, func(src *image.RGBA, t float64) *image.RGBA {
		v := t / printSeconds
		theta := sway * math.Sin(2*math.Pi*fs*t+ph)
		switch {
		case v < 0.2:
		case v < 0.4:
			theta += tilt * ease((v-0.2)/0.2)
		case v < 0.7:
			theta += tilt - (tilt+back)*ease((v-0.4)/0.3)
		default:
			theta += -back * (1 - ease((v-0.7)/0.25))
		}
		return tiltFrame(src, theta, zoom, dx*math.Sin(1.7*t+ph), dy*math.Cos(1.3*t), roll*math.Sin(2.1*t), bg)
	})
}

// printSeconds is the length of a printed photo's video (printVideo).
const printSeconds = 3.0

// printVideo renders a printed photo held in front of the camera as a
// printSeconds-long H.264 MP4 at headmotion.FPS: frame, copied once into
// a 480×640 picture, is drawn at each frame's time t (in seconds) by at.
func printVideo(ctx context.Context, ffmpeg string, frame image.Image, seed int64, at func(src *image.RGBA, t float64) *image.RGBA) ([]byte, error) {
	src := image.NewRGBA(image.Rect(0, 0, headmotion.Width, headmotion.Height))
	draw.Draw(src, src.Rect, frame, frame.Bounds().Min, draw.Src)
	frames := make([]*image.RGBA, int(printSeconds*headmotion.FPS))
	for i := range frames {
		frames[i] = at(src, float64(i)/headmotion.FPS)
	}
	return headmotion.Encode(ctx, ffmpeg, frames, seed)
}

// tiltFrame renders src as a flat picture rotated by theta about its
// vertical axis through the frame's centre (positive: the image's right
// side recedes), enlarged by zoom, then rolled by roll and moved by
// (dx, dy) in the frame, seen by a pinhole camera of focal length
// tiltFocal at the distance where the untilted picture fills the frame
// at zoom. Outside the picture is bg.
func tiltFrame(src *image.RGBA, theta, zoom, dx, dy, roll float64, bg color.RGBA) *image.RGBA {
	c, s := math.Cos(theta), math.Sin(theta)
	const f = tiltFocal
	return filmPrint(src, zoom, dx, dy, roll, bg, func(px, py float64) (X, Y float64, ok bool) {
		// The tilt: the ray through (px, py) meets the picture at X, Y.
		den := f*c - px*s
		if den <= 0 {
			return 0, 0, false
		}
		X = px * f / den
		return X, py * (f + X*s) / f, true
	})
}

// filmPrint films a print of src with tiltFrame's camera: every frame
// pixel's ray, once the hand's roll and shift (dx, dy) are undone, is
// (px, py, tiltFocal); at maps it to the point X, Y of the print it meets
// (pixels of the picture enlarged by zoom, from its centre), ok false
// where it meets none. Such points are sampled from src; bg is elsewhere.
func filmPrint(src *image.RGBA, zoom, dx, dy, roll float64, bg color.RGBA, at func(px, py float64) (X, Y float64, ok bool)) *image.RGBA {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	cx, cy := float64(w)/2, float64(h)/2
	out := image.NewRGBA(src.Rect)
	cr, sr := math.Cos(roll), math.Sin(roll)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			ux, uy := float64(x)+0.5-cx-dx, float64(y)+0.5-cy-dy
			X, Y, ok := at(cr*ux+sr*uy, -sr*ux+cr*uy)
			if !ok {
				out.SetRGBA(x, y, bg)
				continue
			}
			sx, sy := cx+X/zoom-0.5, cy+Y/zoom-0.5
			if sx < 0 || sy < 0 || sx > float64(w-1) || sy > float64(h-1) {
				out.SetRGBA(x, y, bg)
				continue
			}
			out.SetRGBA(x, y, bilinearRGBA(src, sx, sy))
		}
	}
	return out
}

// tiltFocal is the focal length, in frame pixels, of the camera that
// films the tilted photo.
const tiltFocal = 450

// bilinearRGBA samples img at (x, y), inside its bounds.
func bilinearRGBA(img *image.RGBA, x, y float64) color.RGBA {
	ix, iy := int(x), int(y)
	fx, fy := x-float64(ix), y-float64(iy)
	ix2, iy2 := min(ix+1, img.Rect.Dx()-1), min(iy+1, img.Rect.Dy()-1)
	p00, p10 := img.RGBAAt(ix, iy), img.RGBAAt(ix2, iy)
	p01, p11 := img.RGBAAt(ix, iy2), img.RGBAAt(ix2, iy2)
	mix := func(a, b, c, d uint8) uint8 {
		return uint8(math.Round((float64(a)*(1-fx)+float64(b)*fx)*(1-fy) + (float64(c)*(1-fx)+float64(d)*fx)*fy))
	}
	return color.RGBA{mix(p00.R, p10.R, p01.R, p11.R), mix(p00.G, p10.G, p01.G, p11.G), mix(p00.B, p10.B, p01.B, p11.B), 255}
}

// BentPhotoVideo renders a printed photo bent around a vertical cylinder,
// as a hand holding a print bends it, moved and turned in front of the
// camera, from a 480×640 frame of the portrait, as a 3-second H.264 MP4
// at 15 fps. The print's middle stands nearest the camera and its sides
// curve away (the half-cylinder a head's cheeks also make, without the
// nose), so it is the replay whose pixels a head's relief explains best.
// Drawn per video: the radius of the bend, 0.6–1.5 face widths (a face
// taken as bentFaceWidth of the frame's width, before the enlargement),
// the enlargement 1.1–1.5× by being held closer, a turn about the
// vertical axis of 12–30° each way and back, a sway, a shift and a roll.
// The camera is tiltFrame's pinhole.
func BentPhotoVideo(ctx context.Context, ffmpeg string, frame image.Image, seed int64) ([]byte, error) {
	r := rand.New(rand.NewPCG(uint64(seed), 0xbe47))
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }
	zoom := u(1.1, 1.5)
	radius := u(0.6, 1.5) * bentFaceWidth * headmotion.Width * zoom
	turn := u(12, 30) * math.Pi / 180
	ft, pt := u(0.3, 0.6), u(0, 2*math.Pi)
	sway := u(2, 4) * math.Pi / 180
	fs, ph := u(0.8, 1.4), u(0, 2*math.Pi)
	dx, dy, roll := u(6, 16), u(4, 10), u(0.01, 0.04)
	bg := color.RGBA{uint8(u(60, 200)), uint8(u(60, 200)), uint8(u(60, 200)), 255}
	return printVideo(ctx, ffmpeg, frame, seed, func(src *image.RGBA, t float64) *image.RGBA {
		theta := turn*math.Sin(2*math.Pi*ft*t+pt) + sway*math.Sin(2*math.Pi*fs*t+ph)
		return bentFrame(src, radius, theta, zoom, dx*math.Sin(1.7*t+ph), dy*math.Cos(1.3*t), roll*math.Sin(2.1*t), bg)
	})
}

// bentFaceWidth is the width of a portrait's face taken by BentPhotoVideo,
// as a fraction of the frame's width.
const bentFaceWidth = 0.4

// bentFrame renders src as a print bent around a vertical cylinder of
// the given radius (in pixels of the enlarged picture), its middle column
// nearest the camera, turned by theta about the cylinder's vertical
// axis through the frame's centre (positive: the image's right side
// recedes), enlarged by zoom, then rolled by roll and moved by (dx, dy),
// seen by tiltFrame's camera at the distance where the flat, unturned
// picture fills the frame at zoom. Outside the print, and where the print
// turns its back to the camera, is bg.
func bentFrame(src *image.RGBA, radius, theta, zoom, dx, dy, roll float64, bg color.RGBA) *image.RGBA {
	c, s := math.Cos(theta), math.Sin(theta)
	const f = tiltFocal
	// The print's middle column touches the plane z = f; the cylinder's
	// axis is radius behind it, turned with the print about the vertical
	// line through (0, f).
	ax, az := -radius*s, f+radius*c
	half := float64(src.Rect.Dx()) / 2 * zoom
	return filmPrint(src, zoom, dx, dy, roll, bg, func(px, py float64) (X, Y float64, ok bool) {
		// The ray t·(px, py, f) meets the cylinder where
		// (t·px−ax)² + (t·f−az)² = radius²; the nearer root is the
		// side facing the camera (written so that a large radius
		// loses no precision: ax² + az² − radius² = f² + 2·f·radius·c).
		qa := px*px + f*f
		qb := -2 * (px*ax + f*az)
		qc := f*f + 2*f*radius*c
		disc := qb*qb - 4*qa*qc
		if disc < 0 {
			return 0, 0, false
		}
		t := 2 * qc / (-qb + math.Sqrt(disc))
		// The point relative to the axis, turned back by −theta:
		// (radius·sin φ, −radius·cos φ) in the print's frame.
		vx, vz := t*px-ax, t*f-az
		lx, lz := c*vx+s*vz, -s*vx+c*vz
		X = radius * math.Atan2(lx, -lz)
		return X, t * py, math.Abs(X) <= half
	})
}

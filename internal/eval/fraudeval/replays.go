package fraudeval

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"

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

package headmotion

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Variation is what makes one recorded selfie unlike the mean head of
// the mean user: the person's head shape, what the face and the hands
// do, and what the phone's camera does to the picture. The zero value is
// the plain generator (the mean shape, the head's own motion only, no
// expression, a fixed camera, crf 26 at 15 fps, noise 4): the videos the
// evaluations made before variations existed.
type Variation struct {
	// Head shape, each in standard deviations of an adult population
	// (kept within ±2.5): Nose scales the nose's projection (±18 % per
	// SD), Depth the head's depth (±10 %), Width how far the rounded
	// head reaches beyond the jaw's landmarks (±6 %), Jaw the jaw
	// line's and Chin the chin's projection, Eyes how deep the eyes sit
	// (±35 %), Brow the brow ridge, Lips the lips' projection (±40 %).
	Nose, Depth, Width, Jaw, Chin, Eyes, Brow, Lips float64
	// Amplitude scales the head's own turns, nods and drift (0 is taken
	// as 1, the plain generator's 9–16° of yaw): people holding a phone
	// still barely move.
	Amplitude float64
	// Talk is the jaw's opening while talking, in face half-widths
	// (syllables at 3–5 Hz with pauses); Smile a smile that comes on
	// during the video (mouth corners out and up, in half-widths).
	Talk, Smile float64
	// Shake is the hand-held camera's shake in frame pixels (arm sway at
	// 1–3 Hz and a tremor); Walk the bob of a camera held while walking
	// in place, in pixels (steps at 1.6–2.2 Hz, a sway at half that and
	// a roll), the head bobbing a little against it. The whole frame
	// moves, background and all.
	Shake, Walk float64
	// Exposure and WhiteBalance are the autoexposure's gain drift and
	// the white balance's drift between red and blue (fractions).
	Exposure, WhiteBalance float64
	// Blur is the exposure time as a fraction of the frame interval: the
	// frame averages the motion over it (0 a sharp instant).
	Blur float64
	// Noise is ffmpeg's temporal noise strength (0: 4), CRF the H.264
	// quality (0: 26; 35 is a low bitrate), FPS the frame rate (0: 15).
	Noise float64
	CRF   int
	FPS   int
	// Glasses draws spectacle frames standing in front of the eyes (they
	// turn with the head, with their own parallax).
	Glasses bool
	// glass is the frames' look (rim colour and width, lens tint).
	glass glassLook
}

type glassLook struct {
	rim   color.RGBA
	width float64 // rim width in face half-widths
	tint  float64 // lens darkening, 0–1
}

// Plain is the plain generator: no variation.
func Plain() *Variation { return &Variation{} }

// VariationNames are the names Only and ParseVariation take, one per
// group of fields.
var VariationNames = []string{"shape", "small", "talk", "smile", "shake", "walk", "light", "blur", "noise", "bitrate", "fps", "glasses"}

// Each returns every variation on at once, each at a magnitude drawn
// from seed within its realistic range (the same draws Sample makes,
// without Sample's choice of which are present).
func Each(seed int64) Variation {
	v, _ := draw(seed)
	return v
}

// Sample is the default variation of a video with this seed: a person's
// head shape, how much the head moves, and a phone's camera always;
// talking for half of the people, a smile for 30 %, walking for 25 %,
// glasses for 25 %; a frame rate of 15, 12 or 10.
func Sample(seed int64) Variation {
	v, on := draw(seed)
	if !on["talk"] {
		v.Talk = 0
	}
	if !on["smile"] {
		v.Smile = 0
	}
	if !on["walk"] {
		v.Walk = 0
	}
	if !on["glasses"] {
		v.Glasses = false
	}
	return v
}

func draw(seed int64) (Variation, map[string]bool) {
	r := rand.New(rand.NewPCG(uint64(seed), 0x7a41e))
	g := func() float64 { return math.Max(-2.5, math.Min(2.5, r.NormFloat64())) }
	var v Variation
	v.Nose, v.Depth, v.Width, v.Jaw, v.Chin, v.Eyes, v.Brow, v.Lips = g(), g(), g(), g(), g(), g(), g(), g()
	v.Amplitude = 0.3 + 0.7*r.Float64()
	v.Talk = 0.03 + 0.07*r.Float64()
	v.Smile = 0.04 + 0.06*r.Float64()
	v.Shake = 1 + 4*r.Float64()
	v.Walk = 3 + 7*r.Float64()
	v.Exposure = 0.02 + 0.1*r.Float64()
	v.WhiteBalance = 0.01 + 0.05*r.Float64()
	v.Blur = 0.6 * r.Float64()
	v.Noise = 2 + 7*r.Float64()
	v.CRF = 23 + r.IntN(12)
	v.FPS = []int{15, 12, 10}[r.IntN(3)]
	v.Glasses = true
	rims := []color.RGBA{{20, 20, 22, 255}, {60, 40, 30, 255}, {150, 150, 155, 255}, {110, 80, 50, 255}}
	v.glass = glassLook{rim: rims[r.IntN(len(rims))], width: 0.025 + 0.04*r.Float64(), tint: 0.12 * r.Float64()}
	on := map[string]bool{"talk": r.Float64() < 0.5, "smile": r.Float64() < 0.3, "walk": r.Float64() < 0.25, "glasses": r.Float64() < 0.25}
	return v, on
}

// Only keeps the named groups of v (VariationNames) and makes the rest
// plain.
func (v Variation) Only(names ...string) (Variation, error) {
	var o Variation
	for _, n := range names {
		switch n {
		case "shape":
			o.Nose, o.Depth, o.Width, o.Jaw, o.Chin, o.Eyes, o.Brow, o.Lips = v.Nose, v.Depth, v.Width, v.Jaw, v.Chin, v.Eyes, v.Brow, v.Lips
		case "small":
			o.Amplitude = v.Amplitude
		case "talk":
			o.Talk = v.Talk
		case "smile":
			o.Smile = v.Smile
		case "shake":
			o.Shake = v.Shake
		case "walk":
			o.Walk = v.Walk
		case "light":
			o.Exposure, o.WhiteBalance = v.Exposure, v.WhiteBalance
		case "blur":
			o.Blur = v.Blur
		case "noise":
			o.Noise = v.Noise
		case "bitrate":
			o.CRF = v.CRF
		case "fps":
			o.FPS = v.FPS
		case "glasses":
			o.Glasses, o.glass = v.Glasses, v.glass
		default:
			return o, fmt.Errorf("headmotion: no variation %q (have %s)", n, strings.Join(VariationNames, ", "))
		}
	}
	return o, nil
}

// ParseVariation returns, for a video's seed, the variation a command
// line names: "sampled" (Sample, the default), "plain" (none), or a
// comma-separated list of VariationNames, each on at the magnitude Each
// draws.
func ParseVariation(spec string, seed int64) (*Variation, error) {
	switch spec {
	case "", "sampled":
		v := Sample(seed)
		return &v, nil
	case "plain":
		return Plain(), nil
	}
	v, err := Each(seed).Only(strings.Split(spec, ",")...)
	return &v, err
}

func (v *Variation) fps() int {
	if v.FPS > 0 {
		return v.FPS
	}
	return FPS
}

func (v *Variation) amplitude() float64 {
	if v.Amplitude > 0 {
		return v.Amplitude
	}
	return 1
}

func (v *Variation) crf() int {
	if v.CRF > 0 {
		return v.CRF
	}
	return 26
}

func (v *Variation) noise() float64 {
	if v.Noise > 0 {
		return v.Noise
	}
	return 4
}

// camera is the whole frame's motion at time t (shake and walking) and
// the head's bob against it: frame shift (px), roll (rad), head shift.
type camera struct {
	dx, dy, roll float64
	hdy, hdx     float64
}

// cameraPath returns the camera's motion over time for v, drawn from r.
func (v *Variation) cameraPath(r *rand.Rand) func(t float64) camera {
	type wave struct{ f, ph, a float64 }
	var sx, sy []wave
	if v.Shake > 0 {
		// Arm sway (1–3 Hz) and a smaller physiological tremor (5–7 Hz).
		for k := 0; k < 3; k++ {
			sx = append(sx, wave{1 + 2*r.Float64(), 2 * math.Pi * r.Float64(), v.Shake / 2})
			sy = append(sy, wave{1 + 2*r.Float64(), 2 * math.Pi * r.Float64(), v.Shake / 2})
		}
		sx = append(sx, wave{5 + 2*r.Float64(), 2 * math.Pi * r.Float64(), v.Shake / 5})
		sy = append(sy, wave{5 + 2*r.Float64(), 2 * math.Pi * r.Float64(), v.Shake / 5})
	}
	step := 1.6 + 0.6*r.Float64()
	ph := 2 * math.Pi * r.Float64()
	lag := 0.5 + r.Float64()
	sum := func(ws []wave, t float64) float64 {
		s := 0.0
		for _, w := range ws {
			s += w.a * math.Sin(2*math.Pi*w.f*t+w.ph)
		}
		return s
	}
	return func(t float64) camera {
		c := camera{dx: sum(sx, t), dy: sum(sy, t)}
		c.roll = 0.004 * v.Shake * math.Sin(2*math.Pi*1.3*t+ph)
		if v.Walk > 0 {
			// Each step lifts the phone; the body sways from foot to
			// foot at half the step rate, rolling the phone a little.
			c.dy += v.Walk * math.Sin(2*math.Pi*step*t+ph)
			c.dx += 0.6 * v.Walk * math.Sin(math.Pi*step*t+ph)
			c.roll += 0.0025 * v.Walk * math.Sin(math.Pi*step*t+ph+0.3)
			// The head bobs with the body, a little out of phase.
			c.hdy = 0.3 * v.Walk * math.Sin(2*math.Pi*step*t+ph+lag)
			c.hdx = 0.2 * v.Walk * math.Sin(math.Pi*step*t+ph+lag)
		}
		return c
	}
}

// expression is the face's expression at time t: the jaw's opening and
// the smile, in face half-widths.
func (v *Variation) expressionPath(r *rand.Rand, sec float64) func(t float64) (talk, smile float64) {
	f := 3 + 2*r.Float64()
	ph := 2 * math.Pi * r.Float64()
	gph := 2 * math.Pi * r.Float64()
	onset := sec * (0.1 + 0.5*r.Float64())
	return func(t float64) (float64, float64) {
		var talk, smile float64
		if v.Talk > 0 {
			// Syllables, with a pause between phrases.
			gate := math.Max(0, math.Min(1, 2*(math.Sin(2*math.Pi*0.45*t+gph)+0.4)))
			talk = v.Talk * gate * 0.5 * (1 - math.Cos(2*math.Pi*f*t+ph))
		}
		if v.Smile > 0 {
			smile = v.Smile * math.Max(0, math.Min(1, (t-onset)/0.6))
		}
		return talk, smile
	}
}

// express returns a copy of the 3D control points with the mouth opened
// by talk and widened by smile (face half-widths, half the half-width
// of the face).
func express(pts [][3]float64, half, talk, smile float64) [][3]float64 {
	if talk == 0 && smile == 0 {
		return pts
	}
	out := slices.Clone(pts)
	move := func(i int, dx, dy float64) {
		out[i][0] += dx * half
		out[i][1] += dy * half
	}
	// The jaw drops: the chin and the lower lip most, the jaw's sides
	// less, the upper lip a little up, the corners half down.
	for i, w := range map[int]float64{4: 0.25, 5: 0.5, 6: 0.8, 7: 0.95, 8: 1, 9: 0.95, 10: 0.8, 11: 0.5, 12: 0.25} {
		move(i, 0, w*talk)
	}
	for _, i := range []int{55, 56, 57, 58, 59, 65, 66, 67} {
		move(i, 0, talk)
	}
	for _, i := range []int{49, 50, 51, 52, 53, 61, 62, 63} {
		move(i, 0, -0.1*talk)
	}
	for _, i := range []int{48, 54, 60, 64} {
		move(i, 0, 0.45*talk)
	}
	// A smile draws the corners out and up, the lips thin.
	for _, c := range [][2]int{{48, -1}, {60, -1}, {54, 1}, {64, 1}} {
		move(c[0], float64(c[1])*0.5*smile, -0.3*smile)
	}
	for _, i := range []int{49, 53, 59, 55} {
		s := -1.0
		if i == 53 || i == 55 {
			s = 1
		}
		move(i, s*0.25*smile, -0.15*smile)
	}
	return out
}

// glassesRims returns the spectacle frames as closed 3D polylines (two
// rims and the bridge) around the eye landmarks of the 3D points, in
// front of the eyes.
func glassesRims(pts [][3]float64, half float64) [][][3]float64 {
	rim := func(a, b int) [][3]float64 {
		var c [3]float64
		for i := a; i <= b; i++ {
			for k := range c {
				c[k] += pts[i][k] / float64(b-a+1)
			}
		}
		w := math.Abs(pts[a+3][0]-pts[a][0]) / 2 // eye half-width (corner to corner)
		rx, ry := 1.55*w, 1.15*w
		z := c[2] + 0.22*half
		var out [][3]float64
		for k := 0; k <= 24; k++ {
			a := 2 * math.Pi * float64(k) / 24
			// A rounded rectangle: flatter than an ellipse.
			x, y := math.Cos(a), math.Sin(a)
			x = math.Copysign(math.Pow(math.Abs(x), 0.7), x)
			y = math.Copysign(math.Pow(math.Abs(y), 0.7), y)
			out = append(out, [3]float64{c[0] + rx*x, c[1] + 0.1*w + ry*y, z - 0.05*half*x*x})
		}
		return out
	}
	l, r := rim(36, 41), rim(42, 47)
	bridge := [][3]float64{l[0], {(l[0][0] + r[12][0]) / 2, (l[0][1]+r[12][1])/2 - 0.1*half, l[0][2] + 0.03*half}, r[12]}
	return [][][3]float64{l, r, bridge}
}

// drawPolyline draws the 2D polyline pts, width w pixels, colour c with
// antialiased edges.
func drawPolyline(dst *image.RGBA, pts [][2]float64, w float64, c color.RGBA) {
	for k := 1; k < len(pts); k++ {
		a, b := pts[k-1], pts[k]
		x0 := int(math.Floor(math.Min(a[0], b[0]) - w))
		x1 := int(math.Ceil(math.Max(a[0], b[0]) + w))
		y0 := int(math.Floor(math.Min(a[1], b[1]) - w))
		y1 := int(math.Ceil(math.Max(a[1], b[1]) + w))
		dx, dy := b[0]-a[0], b[1]-a[1]
		l2 := dx*dx + dy*dy
		for y := max(y0, dst.Rect.Min.Y); y <= min(y1, dst.Rect.Max.Y-1); y++ {
			for x := max(x0, dst.Rect.Min.X); x <= min(x1, dst.Rect.Max.X-1); x++ {
				px, py := float64(x)+0.5, float64(y)+0.5
				t := 0.0
				if l2 > 0 {
					t = math.Max(0, math.Min(1, ((px-a[0])*dx+(py-a[1])*dy)/l2))
				}
				d := math.Hypot(px-a[0]-t*dx, py-a[1]-t*dy)
				al := math.Max(0, math.Min(1, w/2+0.5-d))
				if al > 0 {
					blend(dst, x, y, c, al)
				}
			}
		}
	}
}

// fillPolygon darkens the inside of the closed polygon pts towards c by
// alpha (even-odd rule, pixel centres).
func fillPolygon(dst *image.RGBA, pts [][2]float64, c color.RGBA, alpha float64) {
	if len(pts) < 3 || alpha <= 0 {
		return
	}
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		x0, y0, x1, y1 = math.Min(x0, p[0]), math.Min(y0, p[1]), math.Max(x1, p[0]), math.Max(y1, p[1])
	}
	for y := max(int(y0), dst.Rect.Min.Y); y <= min(int(y1)+1, dst.Rect.Max.Y-1); y++ {
		for x := max(int(x0), dst.Rect.Min.X); x <= min(int(x1)+1, dst.Rect.Max.X-1); x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			in := false
			for i, j := 0, len(pts)-1; i < len(pts); j, i = i, i+1 {
				a, b := pts[i], pts[j]
				if (a[1] > py) != (b[1] > py) && px < (b[0]-a[0])*(py-a[1])/(b[1]-a[1])+a[0] {
					in = !in
				}
			}
			if in {
				blend(dst, x, y, c, alpha)
			}
		}
	}
}

func blend(dst *image.RGBA, x, y int, c color.RGBA, a float64) {
	o := dst.RGBAAt(x, y)
	mix := func(p, q uint8) uint8 { return uint8(math.Round(float64(p)*(1-a) + float64(q)*a)) }
	dst.SetRGBA(x, y, color.RGBA{mix(o.R, c.R), mix(o.G, c.G), mix(o.B, c.B), 255})
}

// moveFrame returns src seen by a camera that moved: shifted by (dx, dy)
// and rolled by roll about the frame's centre, the edges repeated where
// the frame had no picture.
func moveFrame(src *image.RGBA, dx, dy, roll float64) *image.RGBA {
	if dx == 0 && dy == 0 && roll == 0 {
		return src
	}
	out := image.NewRGBA(src.Rect)
	cx, cy := float64(Width)/2, float64(Height)/2
	c, s := math.Cos(roll), math.Sin(roll)
	for y := 0; y < Height; y++ {
		for x := 0; x < Width; x++ {
			// Inverse map: rotate back by −roll about the centre.
			u, w := float64(x)+0.5-cx-dx, float64(y)+0.5-cy-dy
			sx, sy := c*u+s*w+cx, -s*u+c*w+cy
			out.SetRGBA(x, y, bilinear(src, sx-0.5, sy-0.5))
		}
	}
	return out
}

// lightPath returns the autoexposure gain and the red and blue gains of
// the white balance at time t.
func (v *Variation) lightPath(r *rand.Rand) func(t float64) (gain, red, blue float64) {
	f1, f2 := 0.2+0.5*r.Float64(), 0.15+0.35*r.Float64()
	p1, p2 := 2*math.Pi*r.Float64(), 2*math.Pi*r.Float64()
	return func(t float64) (float64, float64, float64) {
		g := 1 + v.Exposure*math.Sin(2*math.Pi*f1*t+p1)
		w := v.WhiteBalance * math.Sin(2*math.Pi*f2*t+p2)
		return g, 1 + w, 1 - w
	}
}

// applyLight scales the frame's channels by the exposure gain and the
// white balance's red and blue gains.
func applyLight(f *image.RGBA, gain, red, blue float64) {
	if gain == 1 && red == 1 && blue == 1 {
		return
	}
	var lut [3][256]uint8
	for k, g := range []float64{gain * red, gain, gain * blue} {
		for i := range 256 {
			lut[k][i] = uint8(math.Max(0, math.Min(255, math.Round(float64(i)*g))))
		}
	}
	for i := 0; i < len(f.Pix); i += 4 {
		f.Pix[i] = lut[0][f.Pix[i]]
		f.Pix[i+1] = lut[1][f.Pix[i+1]]
		f.Pix[i+2] = lut[2][f.Pix[i+2]]
	}
}

// Package headmotion makes selfie videos of a live-looking head from one
// frontal portrait and its 68 landmarks, for tests and evaluations.
//
// A still photo panned, zoomed or tilted in front of a camera is exactly
// the replay attack that liveness must refuse, so it cannot stand in for a
// genuine selfie. Instead the portrait's landmarks are lifted onto a mean
// 3D face shape (an ellipsoidal head with a protruding nose, recessed eyes
// and forward lips), the shape is turned in 3D (yaw, pitch and roll over
// time, as a person looking around does, or as a challenge asks) and
// projected, and the image is warped triangle by triangle from the frontal
// landmarks to the projected ones, nearest triangles drawn last. The
// landmarks of the result move with parallax, as a head does.
package headmotion

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
)

// Frame size and rate of the videos.
const (
	Width  = 480
	Height = 640
	FPS    = 15
)

// Motion is what the head does during the video.
type Motion int

const (
	// Natural: small, smooth turns and nods, as while holding a phone.
	Natural Motion = iota
	// TurnLeft and TurnRight: a natural start, then a clear turn of the
	// head to the image's left or right and back (the image as recorded,
	// not mirrored).
	TurnLeft
	TurnRight
	// Blink: natural, smaller motion and one deliberate blink (the
	// eyelids close, stay shut a moment and reopen) in the middle of the
	// video.
	Blink
	// TurnLeftRight and TurnRightLeft: a two-step turn (twoStepYaw): a
	// natural start, a clear turn to the first side named, then across
	// to the other side and back towards the front, over TwoStepSeconds.
	TurnLeftRight
	TurnRightLeft
)

// TwoStepSeconds is the default length of a two-step turn's video: two
// turns take longer than one.
const TwoStepSeconds = 4.0

// Spec describes one video.
type Spec struct {
	Motion  Motion
	Seconds float64 // default 3
	Seed    int64
	// Vary is how this person, their hands and their phone make the
	// video unlike the plain generator's; nil samples one from Seed
	// (Sample), Plain() is none.
	Vary *Variation
}

// variation is s.Vary, or the one Sample draws from s.Seed.
func (s Spec) variation() *Variation {
	if s.Vary != nil {
		return s.Vary
	}
	v := Sample(s.Seed)
	return &v
}

func (s Spec) seconds() float64 {
	if s.Seconds <= 0 && (s.Motion == TurnLeftRight || s.Motion == TurnRightLeft) {
		return TwoStepSeconds
	}
	if s.Seconds <= 0 {
		return 3
	}
	return s.Seconds
}

// Pose is a head pose in radians (yaw turns towards the image's right when
// positive), with the camera's drift in frame pixels and scale.
type Pose struct {
	Yaw, Pitch, Roll float64
	DX, DY, Scale    float64
	// Closed is how far the eyelids are shut: 0 open, 1 closed.
	Closed float64
	// Talk and Smile are the mouth's opening and widening, in face
	// half-widths (Variation.Talk, Variation.Smile).
	Talk, Smile float64
	// CamDX, CamDY and CamRoll move the whole frame, background and all:
	// the hand-held camera's shake and walking (Variation).
	CamDX, CamDY, CamRoll float64
}

// Poses returns the pose of every frame (at the variation's frame
// rate).
func Poses(s Spec) []Pose {
	v := s.variation()
	at := poseAt(s, v)
	fps := float64(v.fps())
	out := make([]Pose, int(math.Round(s.seconds()*fps)))
	for i := range out {
		out[i] = at(float64(i) / fps)
	}
	return out
}

// poseAt returns the pose at any time t of the video (seconds).
func poseAt(s Spec, v *Variation) func(t float64) Pose {
	sec := s.seconds()
	r := rand.New(rand.NewPCG(uint64(s.Seed), 0x68ead))
	deg := math.Pi / 180
	ay := (9 + 7*r.Float64()) * deg
	ap := (3 + 4*r.Float64()) * deg
	ar := (1 + 2*r.Float64()) * deg
	fy := 0.3 + 0.25*r.Float64()
	fp := 0.4 + 0.3*r.Float64()
	py, pp, pr := 2*math.Pi*r.Float64(), 2*math.Pi*r.Float64(), 2*math.Pi*r.Float64()
	tx, ty := 4+6*r.Float64(), 3+4*r.Float64()
	zoom := 0.02 + 0.03*r.Float64()
	blinkStart := sec * (0.3 + 0.25*r.Float64())
	blinkHold := 0.15 + 0.2*r.Float64()
	turn := (30 + 12*r.Float64()) * deg
	if s.Motion == TurnLeft {
		turn = -turn
	}
	if s.Motion == Blink {
		// Someone blinking on request keeps the head rather still.
		ay, ap, tx, ty = 0.6*ay, 0.6*ap, 0.6*tx, 0.6*ty
	}
	two := twoStepYaw(s.Seed, math.Abs(turn))
	if s.Motion == TurnRightLeft {
		left := two
		two = func(t float64) float64 { return -left(t) }
	}
	a := v.amplitude()
	ay, ap, ar, tx, ty, zoom = a*ay, a*ap, a*ar, a*tx, a*ty, a*zoom
	cam := v.cameraPath(rand.New(rand.NewPCG(uint64(s.Seed), 0xca3e7a)))
	expr := v.expressionPath(rand.New(rand.NewPCG(uint64(s.Seed), 0xe4b7e5)), sec)
	return func(t float64) Pose {
		u := t / sec
		p := Pose{
			Yaw:   ay * math.Sin(2*math.Pi*fy*t+py),
			Pitch: ap * math.Sin(2*math.Pi*fp*t+pp),
			Roll:  ar * math.Sin(2*math.Pi*0.35*t+pr),
			DX:    tx * math.Sin(2*math.Pi*0.25*t+pr),
			DY:    ty * math.Cos(2*math.Pi*0.2*t+py),
			Scale: 1 + zoom*u,
		}
		switch s.Motion {
		case TurnLeft, TurnRight:
			// Quiet for the first third, then a 30–42° turn and back.
			p.Yaw *= 0.4
			if u > 0.3 {
				p.Yaw += turn * math.Sin(math.Pi*math.Min(1, (u-0.3)/0.65))
			}
		case TurnLeftRight, TurnRightLeft:
			p.Yaw = 0.4*p.Yaw + two(t)
		}
		if s.Motion == Blink {
			p.Closed = blinkAt(t, blinkStart, blinkHold)
		}
		c := cam(t)
		p.DX, p.DY = p.DX+c.hdx, p.DY+c.hdy
		p.CamDX, p.CamDY, p.CamRoll = c.dx, c.dy, c.roll
		p.Talk, p.Smile = expr(t)
		return p
	}
}

// twoStepYaw is the yaw (radians; negative: the image's left) that a
// two-step turn adds at time t (seconds), for a first turn of size first
// (radians) to the image's left, then to its right: still for a reaction
// time of 0.5–1.2 s, turning to the first side over 0.45–0.8 s, held
// 0.1–0.4 s, across to the other side, 25–42° past the front, over
// 0.7–1.2 s, held 0.1–0.4 s, and back to the front over 0.45–0.8 s
// (ended by TwoStepSeconds at the latest 3.6 s after the start, the
// second turn's peak reached), each move eased in and out. Its draws
// come from their own stream of seed, so that the other motions' draws
// are unchanged.
func twoStepYaw(seed int64, first float64) func(t float64) float64 {
	r := rand.New(rand.NewPCG(uint64(seed), 0x2573e9))
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }
	second := u(25, 42) * math.Pi / 180
	ts := make([]float64, 6)
	ts[0] = u(0.5, 1.2)
	ts[1] = ts[0] + u(0.45, 0.8)
	ts[2] = ts[1] + u(0.1, 0.4)
	ts[3] = ts[2] + u(0.7, 1.2)
	ts[4] = ts[3] + u(0.1, 0.4)
	ts[5] = ts[4] + u(0.45, 0.8)
	ys := []float64{0, -first, -first, second, second, 0}
	return func(t float64) float64 {
		if t <= ts[0] || t >= ts[5] {
			return 0
		}
		k := 1
		for t > ts[k] {
			k++
		}
		x := (t - ts[k-1]) / (ts[k] - ts[k-1])
		return ys[k-1] + (ys[k]-ys[k-1])*(1-math.Cos(math.Pi*x))/2
	}
}

// Blink timing (seconds): the lids take blinkClose to shut and blinkOpen
// to reopen; a deliberate blink on request stays shut longer than a
// spontaneous one.
const (
	blinkClose = 0.12
	blinkOpen  = 0.2
)

// blinkAt is the eyelid closure at time t of a blink that starts at start
// and stays fully shut for hold seconds.
func blinkAt(t, start, hold float64) float64 {
	switch {
	case t < start:
		return 0
	case t < start+blinkClose:
		return (t - start) / blinkClose
	case t < start+blinkClose+hold:
		return 1
	case t < start+blinkClose+hold+blinkOpen:
		return 1 - (t-start-blinkClose-hold)/blinkOpen
	}
	return 0
}

// model is the 3D control mesh of one portrait.
type model struct {
	src  [][2]float64 // frontal positions in the frame
	pts  [][3]float64 // 3D offsets from the rotation centre
	kind []pointKind
	c    [2]float64 // rotation centre in the frame
	// rest is the portrait's roll in the frame (radians, restRoll): pts
	// are in the face's own axes (x along its eye line, y down its
	// middle), and placer turns the head about its own vertical, then
	// rolls it back into the frame by rest.
	rest float64
	tris []triangle
	half float64 // face half-width (px)
	// glasses are the spectacle frames' 3D polylines (none without),
	// drawn as look says.
	glasses [][][3]float64
	look    glassLook
}

type pointKind int

const (
	head       pointKind = iota // turns with the head
	background                  // stays
)

// Extra depth of landmarks over the ellipsoid, in face half-widths: the
// nose stands out, the eyes sit in their sockets, the lips a little out
// (the mean shape); v's shape modes scale or add to each region.
func landmarkRelief(i int, v *Variation) float64 {
	switch {
	case i >= 27 && i <= 30:
		return (1 + 0.18*v.Nose) * []float64{0.08, 0.16, 0.26, 0.40}[i-27]
	case i >= 31 && i <= 35:
		return (1 + 0.18*v.Nose) * []float64{0.16, 0.22, 0.27, 0.22, 0.16}[i-31]
	case i >= 36 && i <= 47:
		return -0.08 * (1 + 0.35*v.Eyes)
	case i >= 48:
		return 0.05 * (1 + 0.4*v.Lips)
	case i >= 17 && i <= 26:
		return 0.025 * v.Brow
	case i >= 7 && i <= 9:
		return 0.04*v.Chin + 0.03*v.Jaw
	case i >= 3 && i <= 13:
		return 0.03 * v.Jaw
	}
	return 0
}

// restRoll is the portrait's roll (radians, positive clockwise in the
// picture, as Pose.Roll): the angle of the line from the left eye's
// centre (landmarks 36–41) to the right eye's (42–47). A face tilted in
// the picture (the phone held tilted, or the head) turns about its own
// vertical axis, which the picture shows rolled with it. Eyes less than
// a fifth of the face's half-width apart, or a line steeper than 60°, do
// not lie as a face's eyes: no roll is taken from them.
func restRoll(lm [68][2]float64, half float64) float64 {
	var l, r [2]float64
	for i := 0; i < 6; i++ {
		for k := range 2 {
			l[k] += lm[36+i][k] / 6
			r[k] += lm[42+i][k] / 6
		}
	}
	dx, dy := r[0]-l[0], r[1]-l[1]
	a := math.Atan2(dy, dx)
	if math.Hypot(dx, dy) < 0.2*half || math.Abs(a) > math.Pi/3 {
		return 0
	}
	return a
}

// newModel lifts the 68 frontal landmarks (frame pixels) onto the mean
// shape and adds the forehead, the head's outline, a background ring and
// the frame's border as control points. The shape is built in the face's
// own axes (restRoll): its centre lies on the jaw's middle across the
// face and at the nose bridge's foot (landmark 29) along it, the
// ellipsoid's axes are the face's, and so are the outline's and the
// ring's.
func newModel(lm [68][2]float64, v *Variation) (*model, error) {
	half := math.Hypot(lm[16][0]-lm[0][0], lm[16][1]-lm[0][1]) / 2
	if half < 10 {
		return nil, errors.New("headmotion: face too small or landmarks degenerate")
	}
	rest := restRoll(lm, half)
	cr, sr := math.Cos(rest), math.Sin(rest)
	// toFace takes a frame offset into the face's axes, toFrame back.
	toFace := func(dx, dy float64) (float64, float64) { return dx*cr + dy*sr, -dx*sr + dy*cr }
	toFrame := func(u, w float64) (float64, float64) { return u*cr - w*sr, u*sr + w*cr }
	jx, jy := (lm[0][0]+lm[16][0])/2, (lm[0][1]+lm[16][1])/2
	_, along := toFace(lm[29][0]-jx, lm[29][1]-jy)
	ox, oy := toFrame(0, along)
	c := [2]float64{jx + ox, jy + oy}
	if rest == 0 {
		// Exactly the frame's axes (as before the face's own were used).
		c = [2]float64{jx, lm[29][1]}
	}
	up := [2]float64{lm[27][0] - lm[8][0], lm[27][1] - lm[8][1]}
	faceH := math.Hypot(up[0], up[1])
	up[0], up[1] = up[0]/faceH, up[1]/faceH
	depth := 0.75 * (1 + 0.1*v.Depth) * half
	wide := (1.05 + 0.06*v.Width) * half
	ell := func(dx, dy float64) float64 {
		a := 1 - (dx/wide)*(dx/wide)
		b := 1 - 0.35*(dy/faceH)*(dy/faceH)
		return depth * math.Sqrt(math.Max(0, a)) * math.Sqrt(math.Max(0, b))
	}
	m := &model{c: c, half: half, rest: rest}
	addHead := func(x, y, relief float64) {
		dx, dy := toFace(x-c[0], y-c[1])
		m.src = append(m.src, [2]float64{x, y})
		m.pts = append(m.pts, [3]float64{dx, dy, ell(dx, dy) + relief*half})
		m.kind = append(m.kind, head)
	}
	for i, p := range lm {
		addHead(p[0], p[1], landmarkRelief(i, v))
	}
	// Forehead and crown above the brows.
	for _, i := range []int{17, 19, 21, 22, 24, 26} {
		for _, k := range []float64{0.35, 0.75} {
			addHead(lm[i][0]+up[0]*k*faceH, lm[i][1]+up[1]*k*faceH, 0.015*v.Brow*(1-k))
		}
	}
	if v.Glasses {
		m.glasses, m.look = glassesRims(m.pts, half), v.glass
	}
	// The head's outline (hair, ears, neck) turns with it at no depth.
	for k := 0; k < 16; k++ {
		a := 2 * math.Pi * float64(k) / 16
		dx, dy := toFrame(1.3*half*math.Cos(a), 1.45*faceH*math.Sin(a))
		addHead(c[0]+dx, c[1]+dy, -0.3)
	}
	addBg := func(x, y float64) {
		dx, dy := toFace(x-c[0], y-c[1])
		m.src = append(m.src, [2]float64{x, y})
		m.pts = append(m.pts, [3]float64{dx, dy, 0})
		m.kind = append(m.kind, background)
	}
	for k := 0; k < 16; k++ {
		a := 2 * math.Pi * (float64(k) + 0.5) / 16
		dx, dy := toFrame(2.1*half*math.Cos(a), 2.2*faceH*math.Sin(a))
		if x, y := c[0]+dx, c[1]+dy; x > 0 && y > 0 && x < Width && y < Height {
			addBg(x, y)
		}
	}
	for k := 0; k <= 4; k++ {
		f := float64(k) / 4
		addBg(f*Width, 0)
		addBg(f*Width, Height)
		if k > 0 && k < 4 {
			addBg(0, f*Height)
			addBg(Width, f*Height)
		}
	}
	m.tris = delaunay(m.src)
	return m, nil
}

// project places every control point for pose p and returns the frame
// positions and the depths (larger is nearer the camera).
func (m *model) project(p Pose) ([][2]float64, []float64) {
	dst := make([][2]float64, len(m.pts))
	z := make([]float64, len(m.pts))
	pts := m.pts
	if p.Closed > 0 {
		pts = closeLids(m.pts, p.Closed)
	}
	pts = express(pts, m.half, p.Talk, p.Smile)
	place := m.placer(p)
	for i, q := range pts {
		if m.kind[i] == background {
			dst[i] = m.src[i]
			z[i] = -1e9
			continue
		}
		dst[i], z[i] = place(q)
	}
	return dst, z
}

// placer returns the projection of a 3D point of the head (in the face's
// axes) for pose p: its frame position and depth.
func (m *model) placer(p Pose) func(q [3]float64) ([2]float64, float64) {
	cy, sy := math.Cos(p.Yaw), math.Sin(p.Yaw)
	cp, sp := math.Cos(p.Pitch), math.Sin(p.Pitch)
	// The pose's roll and the portrait's rest roll are both about the
	// camera's axis: one rotation in the frame.
	cr, sr := math.Cos(p.Roll+m.rest), math.Sin(p.Roll+m.rest)
	return func(q [3]float64) ([2]float64, float64) {
		x, y, d := q[0], q[1], q[2]
		// Yaw about the face's vertical axis, then pitch, then roll
		// (in the frame; the rest roll brings the face's axes back to
		// the frame's).
		x, d = x*cy+d*sy, -x*sy+d*cy
		y, d = y*cp-d*sp, y*sp+d*cp
		x, y = x*cr-y*sr, x*sr+y*cr
		return [2]float64{m.c[0] + p.DX + p.Scale*x, m.c[1] + p.DY + p.Scale*y}, d
	}
}

// lidPairs are the upper and lower eyelid landmarks facing each other
// (iBUG 300-W: 37/41 and 38/40 on the image's left eye, 43/47 and 44/46 on
// the right).
var lidPairs = [4][2]int{{37, 41}, {38, 40}, {43, 47}, {44, 46}}

// closeLids returns a copy of the 3D control points with the eyelids shut
// by closed (0 open, 1 shut): each upper lid point comes down 85 % of the
// way to the lower lid point below it and the lower lid rises the other
// 15 %, as in a blink. The triangles between the brow and the upper lid
// then stretch the lid's skin and lashes over the eye, and those inside
// the eye (the iris and the white) shrink to nothing: a piecewise-affine
// warp driven by the lid landmarks.
func closeLids(pts [][3]float64, closed float64) [][3]float64 {
	out := slices.Clone(pts)
	for _, pr := range lidPairs {
		u, l := pts[pr[0]], pts[pr[1]]
		for k := 0; k < 3; k++ {
			gap := l[k] - u[k]
			out[pr[0]][k] = u[k] + 0.85*closed*gap
			out[pr[1]][k] = l[k] - 0.15*closed*gap
		}
	}
	return out
}

// render draws one frame: each triangle of the mesh, farthest first, is
// filled from the frontal image through the affine map its corners
// define.
func (m *model) render(src *image.RGBA, p Pose, dst *image.RGBA) {
	pos, z := m.project(p)
	order := slices.Clone(m.tris)
	slices.SortStableFunc(order, func(a, b triangle) int {
		za, zb := z[a[0]]+z[a[1]]+z[a[2]], z[b[0]]+z[b[1]]+z[b[2]]
		switch {
		case za < zb:
			return -1
		case za > zb:
			return 1
		}
		return 0
	})
	for _, t := range order {
		fillTriangle(src, dst, [3][2]float64{pos[t[0]], pos[t[1]], pos[t[2]]}, [3][2]float64{m.src[t[0]], m.src[t[1]], m.src[t[2]]})
	}
	if p.Talk > 0 {
		// The open mouth: dark between the inner lips.
		var in [][2]float64
		for i := 60; i < 68; i++ {
			in = append(in, pos[i])
		}
		fillPolygon(dst, in, color.RGBA{55, 22, 26, 255}, 0.85)
	}
	if len(m.glasses) > 0 {
		place := m.placer(p)
		for k, line := range m.glasses {
			var pl [][2]float64
			for _, q := range line {
				xy, _ := place(q)
				pl = append(pl, xy)
			}
			if k < 2 {
				fillPolygon(dst, pl, color.RGBA{40, 45, 50, 255}, m.look.tint)
			}
			drawPolyline(dst, pl, math.Max(1.2, m.look.width*m.half*p.Scale), m.look.rim)
		}
	}
}

// fillTriangle fills the destination triangle d with src sampled
// bilinearly through the affine map taking d's corners to s's.
func fillTriangle(src, dst *image.RGBA, d, s [3][2]float64) {
	det := (d[1][0]-d[0][0])*(d[2][1]-d[0][1]) - (d[2][0]-d[0][0])*(d[1][1]-d[0][1])
	if math.Abs(det) < 1e-9 {
		return
	}
	x0 := int(math.Floor(math.Min(d[0][0], math.Min(d[1][0], d[2][0]))))
	x1 := int(math.Ceil(math.Max(d[0][0], math.Max(d[1][0], d[2][0]))))
	y0 := int(math.Floor(math.Min(d[0][1], math.Min(d[1][1], d[2][1]))))
	y1 := int(math.Ceil(math.Max(d[0][1], math.Max(d[1][1], d[2][1]))))
	b := dst.Rect
	x0, y0 = max(x0, b.Min.X), max(y0, b.Min.Y)
	x1, y1 = min(x1, b.Max.X-1), min(y1, b.Max.Y-1)
	const eps = -1e-6
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			// Barycentric coordinates of the pixel centre in d.
			l1 := ((px-d[0][0])*(d[2][1]-d[0][1]) - (d[2][0]-d[0][0])*(py-d[0][1])) / det
			l2 := ((d[1][0]-d[0][0])*(py-d[0][1]) - (px-d[0][0])*(d[1][1]-d[0][1])) / det
			l0 := 1 - l1 - l2
			if l0 < eps || l1 < eps || l2 < eps {
				continue
			}
			sx := l0*s[0][0] + l1*s[1][0] + l2*s[2][0]
			sy := l0*s[0][1] + l1*s[1][1] + l2*s[2][1]
			dst.SetRGBA(x, y, bilinear(src, sx-0.5, sy-0.5))
		}
	}
}

func bilinear(img *image.RGBA, x, y float64) color.RGBA {
	b := img.Rect
	x = math.Max(0, math.Min(x, float64(b.Dx()-1)))
	y = math.Max(0, math.Min(y, float64(b.Dy()-1)))
	ix, iy := int(x), int(y)
	fx, fy := x-float64(ix), y-float64(iy)
	ix2, iy2 := min(ix+1, b.Dx()-1), min(iy+1, b.Dy()-1)
	p00, p10 := img.RGBAAt(ix, iy), img.RGBAAt(ix2, iy)
	p01, p11 := img.RGBAAt(ix, iy2), img.RGBAAt(ix2, iy2)
	mix := func(a, b, c, d uint8) uint8 {
		v := (float64(a)*(1-fx)+float64(b)*fx)*(1-fy) + (float64(c)*(1-fx)+float64(d)*fx)*fy
		return uint8(math.Round(v))
	}
	return color.RGBA{mix(p00.R, p10.R, p01.R, p11.R), mix(p00.G, p10.G, p01.G, p11.G), mix(p00.B, p10.B, p01.B, p11.B), 255}
}

// fit cuts the largest 3:4 window of img centred (as far as the image
// allows) on the face, scales it to the frame and maps the landmarks with
// it.
func fit(img image.Image, lm [68][2]float64) (*image.RGBA, [68][2]float64) {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	if w*Height > h*Width {
		w = h * Width / Height
	} else {
		h = w * Height / Width
	}
	var cx, cy float64
	for _, p := range lm {
		cx += p[0] / 68
		cy += p[1] / 68
	}
	x0 := math.Max(float64(b.Min.X), math.Min(cx-w/2, float64(b.Max.X)-w))
	y0 := math.Max(float64(b.Min.Y), math.Min(cy-h/2, float64(b.Max.Y)-h))
	src := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, g, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			src.SetRGBA(x, y, color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bb >> 8), 255})
		}
	}
	ox, oy := x0-float64(b.Min.X), y0-float64(b.Min.Y)
	s := w / Width
	out := image.NewRGBA(image.Rect(0, 0, Width, Height))
	for y := 0; y < Height; y++ {
		for x := 0; x < Width; x++ {
			out.SetRGBA(x, y, bilinear(src, ox+(float64(x)+0.5)*s-0.5, oy+(float64(y)+0.5)*s-0.5))
		}
	}
	var m [68][2]float64
	for i, p := range lm {
		m[i] = [2]float64{(p[0] - x0) / s, (p[1] - y0) / s}
	}
	return out, m
}

// Frames renders the video's frames (Width×Height) from the frontal
// portrait img and its 68 landmarks in img's coordinates. The frame shows
// the largest 3:4 window of img around the face.
func Frames(img image.Image, lm [68][2]float64, s Spec) ([]*image.RGBA, error) {
	src, flm := fit(img, lm)
	v := s.variation()
	m, err := newModel(flm, v)
	if err != nil {
		return nil, err
	}
	at := poseAt(s, v)
	light := v.lightPath(rand.New(rand.NewPCG(uint64(s.Seed), 0x119e)))
	fps := float64(v.fps())
	n := int(math.Round(s.seconds() * fps))
	// Motion blur: the frame averages sub frames over the exposure.
	sub := 1
	if v.Blur > 0 {
		sub = 4
	}
	out := make([]*image.RGBA, n)
	acc := make([]uint32, len(src.Pix))
	for i := range out {
		t := float64(i) / fps
		clear(acc)
		for k := 0; k < sub; k++ {
			tk := t
			if sub > 1 {
				tk -= v.Blur / fps * float64(k) / float64(sub-1)
			}
			p := at(tk)
			f := image.NewRGBA(src.Rect)
			copy(f.Pix, src.Pix)
			m.render(src, p, f)
			f = moveFrame(f, p.CamDX, p.CamDY, p.CamRoll)
			if sub == 1 {
				out[i] = f
				break
			}
			for j, b := range f.Pix {
				acc[j] += uint32(b)
			}
		}
		if sub > 1 {
			f := image.NewRGBA(src.Rect)
			for j := range f.Pix {
				f.Pix[j] = uint8((acc[j] + uint32(sub)/2) / uint32(sub))
			}
			out[i] = f
		}
		g, red, blue := light(t)
		applyLight(out[i], g, red, blue)
	}
	return out, nil
}

// Video renders the frames and encodes them with ffmpeg as an H.264 MP4,
// with slowly changing light and sensor noise, and returns its bytes.
func Video(ctx context.Context, ffmpeg string, img image.Image, lm [68][2]float64, s Spec) ([]byte, error) {
	frames, err := Frames(img, lm, s)
	if err != nil {
		return nil, err
	}
	return encode(ctx, ffmpeg, frames, s.Seed, s.variation())
}

// Encode writes frames (all Width×Height) as an H.264 MP4 at FPS with
// slowly changing light and sensor noise.
func Encode(ctx context.Context, ffmpeg string, frames []*image.RGBA, seed int64) ([]byte, error) {
	return encode(ctx, ffmpeg, frames, seed, Plain())
}

// encode is Encode at v's frame rate, noise and quality.
func encode(ctx context.Context, ffmpeg string, frames []*image.RGBA, seed int64, v *Variation) ([]byte, error) {
	if ffmpeg == "" {
		ffmpeg = "ffmpeg"
	}
	dir, err := os.MkdirTemp("", "kycq-headmotion-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var raw bytes.Buffer
	raw.Grow(len(frames) * Width * Height * 3)
	for _, f := range frames {
		for i := 0; i < len(f.Pix); i += 4 {
			raw.Write(f.Pix[i : i+3])
		}
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0x119))
	light := 0.03 + 0.05*r.Float64()
	vf := fmt.Sprintf("eq=brightness='%.3f*sin(t*1.6)':eval=frame,noise=alls=%.0f:allf=t,format=yuv420p", light, v.noise())
	out := filepath.Join(dir, "selfie.mp4")
	cmd := exec.CommandContext(ctx, ffmpeg, "-nostdin", "-v", "error", "-y",
		"-f", "rawvideo", "-pix_fmt", "rgb24", "-s", strconv.Itoa(Width)+"x"+strconv.Itoa(Height),
		"-r", strconv.Itoa(v.fps()), "-i", "pipe:0", "-vf", vf,
		"-c:v", "libx264", "-preset", "veryfast", "-crf", strconv.Itoa(v.crf()), "-movflags", "+faststart", "-threads", "1", out)
	cmd.Stdin = &raw
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("headmotion: ffmpeg: %v: %s", err, bytes.TrimSpace(b))
	}
	return os.ReadFile(out)
}

// FrameLandmarks returns, for every frame of the video Frames renders
// from img, lm and s, where the generator put the portrait's 68 landmarks
// (frame pixels, the camera's move included): the truth a landmark net's
// reading of the frames can be set against, with Poses' pose of each
// frame. A motion-blurred frame's are those of its last instant.
func FrameLandmarks(img image.Image, lm [68][2]float64, s Spec) ([][68][2]float64, error) {
	_, flm := fit(img, lm)
	v := s.variation()
	m, err := newModel(flm, v)
	if err != nil {
		return nil, err
	}
	poses := Poses(s)
	out := make([][68][2]float64, len(poses))
	cx, cy := float64(Width)/2, float64(Height)/2
	for i, p := range poses {
		pos, _ := m.project(p)
		c, sn := math.Cos(p.CamRoll), math.Sin(p.CamRoll)
		for k := range out[i] {
			// moveFrame's map, forwards.
			x, y := pos[k][0]-cx, pos[k][1]-cy
			out[i][k] = [2]float64{c*x - sn*y + cx + p.CamDX, sn*x + c*y + cy + p.CamDY}
		}
	}
	return out, nil
}

package docgen

import (
	"image"
	"math"
)

// portraitVariety is how a development family's front prints its
// portrait beyond printLook: what real cards' portraits show and the
// families' plain colour portraits did not (issue 16). Each field is
// drawn on its own, so most fronts carry one or two of them; the zero
// value prints the portrait as before.
type portraitVariety struct {
	// tone: 0 as printLook says, 1 grey, 2 sepia (a brown monochrome).
	tone int
	// contrast scales the portrait's contrast about mid-grey (1: as
	// printLook); lift then pales it towards white (0: none), a faded or
	// low-contrast print.
	contrast, lift float64
	// gamma bends the portrait's tones (1: none; above 1 darker skin and
	// shadows, below 1 paler).
	gamma float64
	// scale is the printed portrait's share of its area's width and
	// height (1: the whole area; the rest shows the card's ground).
	scale float64
	// ground, when above 0, prints the portrait that translucent over
	// the card's ground (multiplied into it: the guilloche and tint show
	// through the light parts); waves lays fine guilloche over it.
	ground float64
	waves  bool
	// engrave prints the portrait as a laser engraving: grey, in a fine
	// line screen whose lines thicken in the shadows.
	engrave bool
	// yaw (−0.15 to 0.15) moves the face's middle sideways, squeezing one
	// half and widening the other (a head turned slightly); roll turns
	// the portrait in its frame (degrees).
	yaw, roll float64
	// rim, when above 0, draws spectacles' rims over the eyes, rim of
	// the photo's width thick.
	rim float64
	// ghost prints a faint grey copy of the portrait beside it.
	ghost bool
	// cover lays something over a corner of the portrait: 1 a hologram
	// patch, 2 the arc of a seal.
	cover int

	r rng // the draws of the variety's own drawing (ghost, waves, covers)
}

// newPortraitVariety draws a variety from r. A third of the fronts keep
// the plain portrait.
func newPortraitVariety(r rng) *portraitVariety {
	v := &portraitVariety{contrast: 1, gamma: 1, scale: 1, r: r}
	if r.IntN(3) == 0 {
		return v
	}
	switch x := r.IntN(20); {
	case x < 5:
		v.tone = 1
	case x < 8:
		v.tone = 2
	}
	if r.IntN(10) < 3 {
		v.contrast, v.lift = r.uni(0.45, 0.7), r.uni(0.05, 0.3)
	}
	if r.IntN(10) < 4 {
		v.gamma = math.Exp(r.uni(math.Log(0.7), math.Log(1.7)))
	}
	if r.IntN(4) == 0 {
		v.scale = r.uni(0.6, 0.85)
	}
	if r.IntN(3) == 0 {
		v.ground = r.uni(0.6, 0.9)
		v.waves = r.IntN(2) == 0
	}
	v.engrave = r.IntN(8) == 0
	if r.IntN(3) == 0 {
		v.yaw = r.uni(0.05, 0.15) * float64(1-2*r.IntN(2))
	}
	if r.IntN(4) == 0 {
		v.roll = r.uni(4, 12) * float64(1-2*r.IntN(2))
	}
	if r.IntN(4) == 0 {
		v.rim = r.uni(0.005, 0.012)
	}
	v.ghost = r.IntN(4) == 0
	switch x := r.IntN(20); {
	case x < 5:
		v.cover = 1
	case x < 8:
		v.cover = 2
	}
	return v
}

// devVariety returns the portrait variety of spec's front, from a stream
// of its own: nil for the classic card and the held-out families, whose
// photos stay as they were, pixel for pixel.
func devVariety(spec Spec) *portraitVariety {
	for _, d := range DevBandDesigns {
		if d == spec.Design {
			return newPortraitVariety(newRNG(spec.Seed, 23))
		}
	}
	return nil
}

// variedPortrait prints the holder's photo (or a drawn face, from r) in
// the area (x0, y0)–(x1, y1) mm as v says.
func (s *sheet) variedPortrait(r rng, x0, y0, x1, y1 float64, photo image.Image, look *printLook, st cardStyle, v *portraitVariety) {
	if v.scale < 1 {
		cx, cy := (x0+x1)/2, (y0+y1)/2
		hw, hh := (x1-x0)*v.scale/2, (y1-y0)*v.scale/2
		x0, y0, x1, y1 = cx-hw, cy-hh, cx+hw, cy+hh
	}
	b := s.box(x0, y0, x1, y1)
	if b.Empty() {
		return
	}
	tmp := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	if photo != nil {
		pastePortrait(tmp, tmp.Rect, photo, look)
		if v.rim > 0 {
			drawGlasses(tmp, photo.Bounds(), v.rim)
		}
	} else {
		drawPortrait(tmp, tmp.Rect, r, st)
	}
	if v.yaw != 0 || v.roll != 0 {
		tmp = turnHead(tmp, v.yaw, v.roll)
	}
	v.retone(tmp)
	if v.engrave {
		engrave(tmp, math.Max(2, 0.15*s.u))
	}
	a := 1.0
	if v.ground > 0 {
		a = v.ground
	}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			px, py := b.Min.X+x, b.Min.Y+y
			if !(image.Point{px, py}.In(s.img.Rect)) {
				continue
			}
			o, t := py*s.img.Stride+4*px, y*tmp.Stride+4*x
			var c [3]float64
			for k := 0; k < 3; k++ {
				c[k] = float64(tmp.Pix[t+k])
				if v.ground > 0 {
					c[k] *= float64(s.img.Pix[o+k]) / 255 // ink over the ground
				}
			}
			blend(s.img, px, py, c, a)
		}
	}
	if v.waves {
		s.guillocheOver(v.r, mix(st.guilloche[0], st.ink, 0.3), v.r.uni(0.12, 0.25), b)
	}
	wmm := float64(s.img.Rect.Dx()) / s.u
	if v.ghost && photo != nil {
		gw, gh := (x1-x0)*v.r.uni(0.4, 0.55), (y1-y0)*v.r.uni(0.4, 0.55)
		gx := x1 + 1.5
		if (x0+x1)/2 > wmm/2 {
			gx = x0 - 1.5 - gw
		}
		s.ghost(v.r, gx, y1-gh, gx+gw, y1, photo, st)
	}
	// A corner of the portrait under a hologram patch or a seal's arc.
	cx, cy := x0, y0
	if v.r.IntN(2) == 0 {
		cx = x1
	}
	if v.r.IntN(2) == 0 {
		cy = y1
	}
	w := x1 - x0
	switch v.cover {
	case 1:
		s.hologram(v.r, cx, cy, w*v.r.uni(0.3, 0.5), w*v.r.uni(0.3, 0.5), v.r.uni(0.2, 0.4))
	case 2:
		s.emblem(cx, cy, w*v.r.uni(0.3, 0.45), mix(st.band, st.ink, 0.4), v.r.uni(0.4, 0.7), false)
	}
}

// retone applies v's tone, contrast, lift and gamma to img.
func (v *portraitVariety) retone(img *image.RGBA) {
	var lut [256]float64
	for i := range lut {
		c := 255 * math.Pow(float64(i)/255, v.gamma)
		c = 128 + (c-128)*v.contrast
		lut[i] = c + (255-c)*v.lift
	}
	dark, light := [3]float64{48, 30, 14}, [3]float64{250, 236, 210}
	for o := 0; o < len(img.Pix); o += 4 {
		var c [3]float64
		for k := 0; k < 3; k++ {
			c[k] = lut[img.Pix[o+k]]
		}
		if v.tone != 0 || v.engrave {
			y := (0.299*c[0] + 0.587*c[1] + 0.114*c[2]) / 255
			c = [3]float64{255 * y, 255 * y, 255 * y}
			if v.tone == 2 && !v.engrave {
				c = mix(dark, light, math.Max(0, math.Min(1, y)))
			}
		}
		for k := 0; k < 3; k++ {
			img.Pix[o+k] = uint8(math.Max(0, math.Min(255, c[k])) + 0.5)
		}
	}
}

// engrave lays over the grey img a line screen of period px pixels, half
// and half: a dark line per period, as wide as the tone is dark, slanted
// a little. (A screen fine enough to vanish into its tones, as a camera
// sees an engraving, would alias when the card is drawn into the photo.)
func engrave(img *image.RGBA, period float64) {
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			o := y*img.Stride + 4*x
			dark := 1 - float64(img.Pix[o])/255
			// Distance from the line's centre and its half width, in pixels.
			d := math.Abs(fmod(float64(y)+0.3*float64(x), period) - period/2)
			hw := dark * period / 2
			cov := math.Max(0, math.Min(1, hw+0.5-d)) * math.Min(1, 2*hw)
			v := uint8((float64(img.Pix[o]) + 255 - 235*cov) / 2)
			img.Pix[o], img.Pix[o+1], img.Pix[o+2] = v, v, v
		}
	}
}

// turnHead returns img warped as a head turned by yaw (the face's
// middle moved by yaw of the width, its halves squeezed and widened)
// and rolled by roll degrees about the centre, sampled bilinearly (the
// edges repeated).
func turnHead(img *image.RGBA, yaw, roll float64) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := image.NewRGBA(img.Rect)
	sin, cos := math.Sincos(roll * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			fx, fy := cx+dx*cos+dy*sin, cy-dx*sin+dy*cos
			// Where the output's u shows the source's: u − yaw·4u(1−u)
			// moves the middle by yaw and keeps the edges.
			u := fx / float64(w)
			fx = (u - yaw*4*u*(1-u)) * float64(w)
			c := bilinearAt(img, fx-0.5, fy-0.5)
			o := y*out.Stride + 4*x
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = uint8(c[0]+0.5), uint8(c[1]+0.5), uint8(c[2]+0.5), 255
		}
	}
	return out
}

// drawGlasses draws spectacles' rims, rim of the photo's width thick, on
// img, a photo of bounds src pasted by pastePortrait. The photos are cut around a face (faceeval's passport
// crop: the face half the crop's width, its eyes about 0.38 of the
// height down, 0.1 of the width either side of the middle); the rims go
// where that puts the eyes in img.
func drawGlasses(img *image.RGBA, src image.Rectangle, rim float64) {
	sw, sh := float64(src.Dx()), float64(src.Dy())
	bw, bh := float64(img.Rect.Dx()), float64(img.Rect.Dy())
	if sw <= 0 || sh <= 0 {
		return
	}
	s := math.Max(bw/sw, bh/sh)
	ox, oy := (sw*s-bw)/2, (sh*s-bh)/2
	ey := 0.38*sh*s - oy
	rx, ry := 0.075*sw*s, 0.05*sw*s
	lw := math.Max(1, rim*sw*s)
	frame := [3]float64{30, 28, 26}
	for _, ex := range [2]float64{0.4, 0.6} {
		cx := ex*sw*s - ox
		ring(img, cx, ey, rx, ry, lw, frame)
	}
	// The bridge between the rims.
	for x := 0.4*sw*s - ox + rx; x <= 0.6*sw*s-ox-rx; x += 0.5 {
		disc(img, x, ey-ry*0.3, lw/2, frame, 1)
	}
}

// ring strokes an ellipse centred at (cx, cy) with radii rx, ry and a
// line lw pixels wide.
func ring(img *image.RGBA, cx, cy, rx, ry, lw float64, c [3]float64) {
	for y := int(cy - ry - lw); y <= int(cy+ry+lw); y++ {
		for x := int(cx - rx - lw); x <= int(cx+rx+lw); x++ {
			dx, dy := (float64(x)+0.5-cx)/rx, (float64(y)+0.5-cy)/ry
			// Distance from the ellipse, in pixels (first order).
			d := math.Abs(math.Hypot(dx, dy)-1) * math.Min(rx, ry)
			if a := math.Min(1, lw/2+0.5-d); a > 0 {
				blend(img, x, y, c, a)
			}
		}
	}
}

package docgen

import (
	"image"
	"math"

	"github.com/kycq/kycq/internal/geom"
)

// photocopy turns the card into a grey copy: luminance with more contrast
// and toner speckle; amount 1 removes all colour.
func photocopy(img *image.RGBA, r rng, amount float64) {
	noise := fastRand(r.Uint64() | 1)
	for i := 0; i+3 < len(img.Pix); i += 4 {
		if img.Pix[i+3] == 0 {
			continue
		}
		R, G, B := float64(img.Pix[i]), float64(img.Pix[i+1]), float64(img.Pix[i+2])
		y := 0.299*R + 0.587*G + 0.114*B
		g := (y-140)*1.35 + 150 + 6*float64(noise.gauss())
		for k, c := range [3]float64{R, G, B} {
			img.Pix[i+k] = clampByte(float32(c + (g-c)*amount))
		}
	}
}

// onScreen puts the card on a display: letterbox, then a dark bezel. It
// returns the new texture, the display area and the card's corners in it.
func onScreen(card *image.RGBA, r rng) (*image.RGBA, image.Rectangle, [4][2]float64) {
	cw, ch := card.Rect.Dx(), card.Rect.Dy()
	mx := int(float64(cw) * r.uni(0.03, 0.12))
	my := int(float64(ch) * r.uni(0.05, 0.2))
	bz := int(float64(cw) * r.uni(0.02, 0.05))
	w, h := cw+2*mx+2*bz, ch+2*my+2*bz
	tex := image.NewRGBA(image.Rect(0, 0, w, h))
	ui := hsl(0, 0, r.uni(0.02, 0.3))
	bez := r.uni(8, 28)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			o := y*tex.Stride + 4*x
			var c [3]float64
			if x < bz || y < bz || x >= w-bz || y >= h-bz {
				c = [3]float64{bez, bez, bez + 3}
			} else {
				c = ui
			}
			tex.Pix[o], tex.Pix[o+1], tex.Pix[o+2], tex.Pix[o+3] = uint8(c[0]), uint8(c[1]), uint8(c[2]), 255
		}
	}
	// The card as displayed: opaque (a picture of it), so its rounded
	// corners show the photo's background, approximated by the UI colour.
	for y := 0; y < ch; y++ {
		for x := 0; x < cw; x++ {
			s := y*card.Stride + 4*x
			o := (y+bz+my)*tex.Stride + 4*(x+bz+mx)
			a := float64(card.Pix[s+3]) / 255
			for k := 0; k < 3; k++ {
				// card pixels are premultiplied by the rounded-corner alpha
				tex.Pix[o+k] = uint8(float64(card.Pix[s+k]) + ui[k]*(1-a))
			}
		}
	}
	x0, y0 := float64(bz+mx), float64(bz+my)
	return tex, image.Rect(bz, bz, w-bz, h-bz),
		[4][2]float64{{x0, y0}, {x0 + float64(cw), y0}, {x0 + float64(cw), y0 + float64(ch)}, {x0, y0 + float64(ch)}}
}

// moireSpec is the interference pattern a camera records from a screen.
type moireSpec struct {
	amp                 float64
	fx, fy              float64 // cycles per pixel
	wx, wy, warp, phase float64
}

func newMoire(r rng, scale, amp float64) moireSpec {
	period := r.uni(6, 14) * scale
	a := r.uni(0, math.Pi)
	wa := r.uni(0, math.Pi)
	wp := r.uni(150, 400) * scale
	return moireSpec{
		amp: amp, fx: math.Cos(a) / period, fy: math.Sin(a) / period,
		wx: math.Cos(wa) / wp, wy: math.Sin(wa) / wp, warp: r.uni(0.5, 2), phase: r.uni(0, 2*math.Pi),
	}
}

// composite draws tex through the inverse homography hom (photo →
// texture) over img, bilinearly, with a screen's look on the display
// area when the moiré is set.
func composite(img *image.RGBA, tex *image.RGBA, hom geom.Homography, quad [4][2]float64, screen image.Rectangle, m moireSpec) {
	minX, minY, maxX, maxY := bounds(quad)
	W, H := img.Rect.Dx(), img.Rect.Dy()
	tw, th := tex.Rect.Dx(), tex.Rect.Dy()
	x0, y0 := max(0, int(minX)-1), max(0, int(minY)-1)
	x1, y1 := min(W, int(maxX)+2), min(H, int(maxY)+2)
	texel := func(x, y int) (c [4]float64) {
		if x < 0 || y < 0 || x >= tw || y >= th {
			return
		}
		o := y*tex.Stride + 4*x
		return [4]float64{float64(tex.Pix[o]), float64(tex.Pix[o+1]), float64(tex.Pix[o+2]), float64(tex.Pix[o+3])}
	}
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			u, v := hom.Apply(float64(x)+0.5, float64(y)+0.5)
			u -= 0.5
			v -= 0.5
			if u < -1 || v < -1 || u > float64(tw) || v > float64(th) {
				continue
			}
			iu, iv := int(math.Floor(u)), int(math.Floor(v))
			fu, fv := u-float64(iu), v-float64(iv)
			a, b, c, d := texel(iu, iv), texel(iu+1, iv), texel(iu, iv+1), texel(iu+1, iv+1)
			var p [4]float64
			for k := 0; k < 4; k++ {
				p[k] = (a[k]*(1-fu)+b[k]*fu)*(1-fv) + (c[k]*(1-fu)+d[k]*fu)*fv
			}
			al := p[3] / 255
			if al <= 0 {
				continue
			}
			if m.amp > 0 && image.Pt(iu, iv).In(screen) {
				// Emissive screen: lifted blacks, a cool tint, moiré bands
				// with colour fringes.
				ph := 2*math.Pi*(m.fx*float64(x)+m.fy*float64(y)) + m.phase +
					m.warp*math.Sin(2*math.Pi*(m.wx*float64(x)+m.wy*float64(y)))
				for k := 0; k < 3; k++ {
					mod := 1 + m.amp*math.Cos(ph+float64(k)*2.1)
					p[k] = (12 + p[k]*0.92) * mod
				}
				p[2] *= 1.05
			}
			o := y*img.Stride + 4*x
			for k := 0; k < 3; k++ {
				// texture colours are premultiplied by alpha
				img.Pix[o+k] = clampByte(float32(float64(img.Pix[o+k])*(1-al) + p[k]))
			}
		}
	}
}

// dropShadow darkens the background around and under the card, offset
// as if lit from above-left.
func dropShadow(img *image.RGBA, hom geom.Homography, quad [4][2]float64, tw, th, lout float64, r rng) {
	W, H := img.Rect.Dx(), img.Rect.Dy()
	off := [2]float64{r.uni(-0.015, 0.015) * lout, r.uni(0.005, 0.02) * lout}
	soft := r.uni(0.01, 0.03) * tw
	depth := r.uni(0.1, 0.35)
	minX, minY, maxX, maxY := bounds(quad)
	m := 0.08 * lout
	for y := max(0, int(minY-m)); y < min(H, int(maxY+m)); y++ {
		for x := max(0, int(minX-m)); x < min(W, int(maxX+m)); x++ {
			u, v := hom.Apply(float64(x)-off[0], float64(y)-off[1])
			dx := math.Max(0, math.Max(-u, u-tw))
			dy := math.Max(0, math.Max(-v, v-th))
			d := math.Hypot(dx, dy)
			if d > 4*soft {
				continue
			}
			f := 1 - depth*math.Exp(-d/soft)
			o := y*img.Stride + 4*x
			for k := 0; k < 3; k++ {
				img.Pix[o+k] = uint8(float64(img.Pix[o+k]) * f)
			}
		}
	}
}

// finger draws a fingertip over one of the card's corners, its tip depth
// (times the card's short side) inside the corner along the diagonal.
// With real (Spec.RealFinger) it looks more like a photographed one,
// from a stream of its own (look): a skin tone from very dark to pale,
// deeper or shallower shading, a nail of varied tint or none (the pad's
// side), an outline softened by the finger being nearer the lens than
// the card (0.4–2 % of the short side), and a soft shadow cast on the
// card and the ground beside it. Without it every photo is as before.
func finger(img *image.RGBA, q [4][2]float64, depth float64, r rng, real bool, look rng) {
	k := r.IntN(4)
	c := q[k]
	opp := q[(k+2)%4]
	short := math.Min(dist(q[0], q[3]), dist(q[0], q[1]))
	dx, dy := opp[0]-c[0], opp[1]-c[1]
	n := math.Hypot(dx, dy)
	dx, dy = dx/n, dy/n
	tip := [2]float64{c[0] + dx*depth*short, c[1] + dy*depth*short}
	a := r.uni(-0.4, 0.4)
	ox, oy := -(dx*math.Cos(a) - dy*math.Sin(a)), -(dx*math.Sin(a) + dy*math.Cos(a)) // towards outside
	width := r.uni(0.26, 0.34) * short
	length := 2.5 * short
	skin := hsl(r.uni(15, 35), r.uni(0.3, 0.55), r.uni(0.35, 0.7))
	rad := width / 2
	shading, nailMix, nail, soft := 0.35, 0.5, [3]float64{235, 200, 200}, 0.0
	var shadow struct{ dx, dy, blur, depth float64 }
	if real {
		tone := look.uni(0.45, 1.2) // very dark to pale skin
		for i := range skin {
			skin[i] = math.Min(255, skin[i]*tone)
		}
		shading = look.uni(0.15, 0.5)
		if look.IntN(3) == 0 {
			nailMix = 0 // the pad's side: no nail
		} else {
			nailMix = look.uni(0.2, 0.6)
			nail = hsl(look.uni(350, 370), look.uni(0.15, 0.5), look.uni(0.7, 0.9))
		}
		soft = look.uni(0.004, 0.02) * short
		sa := look.uni(0, 2*math.Pi)
		off := look.uni(0.01, 0.05) * short
		shadow.dx, shadow.dy = off*math.Cos(sa), off*math.Sin(sa)
		shadow.blur = look.uni(0.02, 0.07) * short
		shadow.depth = look.uni(0.15, 0.45)
	}
	// Capsule from the tip outwards.
	ax, ay := tip[0]+ox*rad, tip[1]+oy*rad
	bx, by := ax+ox*length, ay+oy*length
	// capsule is the distance of (x, y) from the capsule's axis shifted
	// by (sx, sy), and how far along the axis it lies.
	capsule := func(x, y, sx, sy float64) (d, t float64) {
		px, py := x-ax-sx, y-ay-sy
		t = px*ox + py*oy
		t = math.Max(0, math.Min(length, t))
		ex, ey := px-t*ox, py-t*oy
		return math.Hypot(ex, ey), t
	}
	pad := 0.0
	if real {
		pad = soft + 1 + math.Hypot(shadow.dx, shadow.dy) + shadow.blur
	}
	minX, maxX := math.Min(ax, bx)-rad-pad, math.Max(ax, bx)+rad+pad
	minY, maxY := math.Min(ay, by)-rad-pad, math.Max(ay, by)+rad+pad
	W, H := img.Rect.Dx(), img.Rect.Dy()
	for y := max(0, int(minY)); y < min(H, int(maxY)+1); y++ {
		for x := max(0, int(minX)); x < min(W, int(maxX)+1); x++ {
			if real {
				// The shadow first, the finger over it.
				ds, _ := capsule(float64(x), float64(y), shadow.dx, shadow.dy)
				if f := math.Min(1, (rad+shadow.blur-ds)/(2*shadow.blur)); f > 0 {
					o := y*img.Stride + 4*x
					for k := 0; k < 3; k++ {
						img.Pix[o+k] = uint8(float64(img.Pix[o+k])*(1-shadow.depth*f) + 0.5)
					}
				}
			}
			d, t := capsule(float64(x), float64(y), 0, 0)
			var al float64
			if real {
				al = math.Max(0, math.Min(1, (rad-d)/soft+0.5))
			} else {
				if d > rad+0.5 {
					continue
				}
				al = math.Min(1, rad+0.5-d)
			}
			if al <= 0 {
				continue
			}
			across := d / rad
			if real {
				across = math.Min(1, across)
			}
			shade := 1 - shading*across*across
			col := [3]float64{skin[0] * shade, skin[1] * shade, skin[2] * shade}
			// the nail near the tip
			if t < 0.9*rad && across < 0.55 {
				col = mix(col, nail, nailMix)
			}
			blend(img, x, y, col, al)
		}
	}
}

// light is the illumination of the scene.
type light struct {
	exposure   float64
	wb         [3]float64
	gx, gy     float64 // gradient per pixel
	cx, cy     float64
	vig        float64
	shadow     bool
	sa, sb, sc float64 // shadow half-plane a·x + b·y + c > 0
	ssoft      float64
	sdepth     float64
	glares     []glareSpot
}

type glareSpot struct {
	x, y, rx, ry, ca, sa, amp float64
}

func newLight(r rng, W, H int) *light {
	long := float64(max(W, H))
	t := r.uni(-1, 1)
	l := &light{
		exposure: r.uni(0.8, 1.06),
		wb:       [3]float64{1 + 0.07*t, 1, 1 - 0.09*t},
		cx:       float64(W) / 2, cy: float64(H) / 2,
		vig: r.uni(0, 0.25),
	}
	g := r.uni(0, 0.25) / long
	a := r.uni(0, 2*math.Pi)
	l.gx, l.gy = g*math.Cos(a), g*math.Sin(a)
	if r.IntN(10) < 4 {
		l.shadow = true
		a := r.uni(0, 2*math.Pi)
		l.sa, l.sb = math.Cos(a), math.Sin(a)
		px, py := r.uni(0.1, 0.9)*float64(W), r.uni(0.1, 0.9)*float64(H)
		l.sc = -(l.sa*px + l.sb*py)
		l.ssoft = r.uni(0.01, 0.08) * long
		l.sdepth = r.uni(0.12, 0.35)
	}
	return l
}

// designLight varies the light further for the design families: a
// strong warm or cool cast (tungsten, shade), a steeper side light and a
// deeper vignette.
func designLight(l *light, r rng, W, H int) {
	long := float64(max(W, H))
	switch r.IntN(3) {
	case 0:
		t := r.uni(-1, 1)
		l.wb = [3]float64{1 + 0.16*t, 1, 1 - 0.2*t}
	case 1:
		g := r.uni(0.25, 0.5) / long
		a := r.uni(0, 2*math.Pi)
		l.gx, l.gy = g*math.Cos(a), g*math.Sin(a)
	}
	l.vig = math.Max(l.vig, r.uni(0, 0.4))
}

// addGlare puts a specular highlight of the given amplitude (1 = white)
// somewhere on the card (fwd maps texture to photo).
func (l *light) addGlare(r rng, fwd geom.Homography, tw, th, lout, amp float64) {
	x, y := fwd.Apply(r.uni(0.2, 0.8)*tw, r.uni(0.25, 0.75)*th)
	a := r.uni(0, math.Pi)
	l.glares = append(l.glares, glareSpot{
		x: x, y: y, rx: r.uni(0.08, 0.15) * lout, ry: r.uni(0.05, 0.1) * lout,
		ca: math.Cos(a), sa: math.Sin(a), amp: amp,
	})
}

// tone is the camera's tone curve: linear, then a soft shoulder that
// saturates a little above 1.
func tone(v float64) float64 {
	const knee = 0.85
	if v <= knee {
		return v
	}
	return knee + (1-knee)*math.Tanh((v-knee)/(1-knee))
}

func (l *light) apply(img *image.RGBA) {
	W, H := img.Rect.Dx(), img.Rect.Dy()
	long := float64(max(W, H))
	var lut [4096]uint8 // input in 1/1024 steps up to 4.0
	for i := range lut {
		lut[i] = clampByte(float32(255 * tone(float64(i)/1024)))
	}
	look := func(v float64) uint8 {
		i := int(v * 1024)
		if i < 0 {
			i = 0
		}
		if i >= len(lut) {
			i = len(lut) - 1
		}
		return lut[i]
	}
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			fx, fy := float64(x), float64(y)
			g := l.exposure * (1 + l.gx*(fx-l.cx) + l.gy*(fy-l.cy))
			dx, dy := (fx-l.cx)/long, (fy-l.cy)/long
			g *= 1 - l.vig*(dx*dx+dy*dy)*2
			if l.shadow {
				s := smoothstep(-l.ssoft, l.ssoft, l.sa*fx+l.sb*fy+l.sc)
				g *= 1 - l.sdepth*s
			}
			add := 0.0
			for _, s := range l.glares {
				ex, ey := fx-s.x, fy-s.y
				u := (ex*s.ca + ey*s.sa) / s.rx
				v := (-ex*s.sa + ey*s.ca) / s.ry
				if d := u*u + v*v; d < 9 {
					add += s.amp * math.Exp(-d)
				}
			}
			o := y*img.Stride + 4*x
			for k := 0; k < 3; k++ {
				img.Pix[o+k] = look(float64(img.Pix[o+k])/255*g*l.wb[k] + add)
			}
		}
	}
}

// gaussBlur approximates a Gaussian blur of the given sigma with three
// box blurs in each direction.
func gaussBlur(img *image.RGBA, sigma float64) {
	if sigma < 0.3 {
		return
	}
	// Box widths for three passes (Kovesi's approximation).
	n := 3.0
	wIdeal := math.Sqrt(12*sigma*sigma/n + 1)
	wl := int(math.Floor(wIdeal))
	if wl%2 == 0 {
		wl--
	}
	wu := wl + 2
	m := int(math.Round((12*sigma*sigma - n*float64(wl*wl) - 4*n*float64(wl) - 3*n) / (-4*float64(wl) - 4)))
	for i := 0; i < 3; i++ {
		w := wu
		if i < m {
			w = wl
		}
		boxBlur(img, (w-1)/2, true)
		boxBlur(img, (w-1)/2, false)
	}
}

// motionBlur blurs along x (or y) over length pixels.
func motionBlur(img *image.RGBA, length int, horizontal bool) {
	if length < 2 {
		return
	}
	boxBlur(img, length/2, horizontal)
}

// boxBlur averages each pixel with rad neighbours either side along one
// direction (edges clamped).
func boxBlur(img *image.RGBA, rad int, horizontal bool) {
	if rad < 1 {
		return
	}
	W, H := img.Rect.Dx(), img.Rect.Dy()
	n, lines, step, lstep := W, H, 4, img.Stride
	if !horizontal {
		n, lines, step, lstep = H, W, img.Stride, 4
	}
	buf := make([]uint8, n)
	for ln := 0; ln < lines; ln++ {
		base := ln * lstep
		for k := 0; k < 3; k++ {
			at := func(i int) int { return int(img.Pix[base+clampInt(i, 0, n-1)*step+k]) }
			sum := 0
			for i := -rad; i <= rad; i++ {
				sum += at(i)
			}
			win := 2*rad + 1
			for i := 0; i < n; i++ {
				buf[i] = uint8((sum + win/2) / win)
				sum += at(i+rad+1) - at(i-rad)
			}
			for i := 0; i < n; i++ {
				img.Pix[base+i*step+k] = buf[i]
			}
		}
	}
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// addNoise adds sensor noise: luminance noise of the given sigma and
// weaker colour noise.
func addNoise(img *image.RGBA, sigma float64, r rng) {
	noise := fastRand(r.Uint64() | 1)
	s := float32(sigma)
	for i := 0; i+3 < len(img.Pix); i += 4 {
		l := s * noise.gauss()
		for k := 0; k < 3; k++ {
			img.Pix[i+k] = clampByte(float32(img.Pix[i+k]) + l + 0.4*s*noise.gauss())
		}
	}
}

// desaturate moves every pixel towards its luma by amount (1: grey).
func desaturate(img *image.RGBA, amount float64) {
	a := float32(amount)
	for i := 0; i+3 < len(img.Pix); i += 4 {
		R, G, B := float32(img.Pix[i]), float32(img.Pix[i+1]), float32(img.Pix[i+2])
		y := 0.299*R + 0.587*G + 0.114*B
		img.Pix[i] = clampByte(R + (y-R)*a)
		img.Pix[i+1] = clampByte(G + (y-G)*a)
		img.Pix[i+2] = clampByte(B + (y-B)*a)
	}
}

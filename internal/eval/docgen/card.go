package docgen

import (
	"image"
	"image/color"
	"image/draw"
	"math"
)

// ID-1 card: 85.60 × 53.98 mm, corner radius 3.18 mm.
const (
	cardAspect = 85.60 / 53.98
	cardRadius = 3.18 / 85.60 // of the width
)

// cardStyle is the look of one card.
type cardStyle struct {
	paper, band, ink, accent [3]float64
	guilloche                [2][3]float64
	grey                     bool // photocopy: everything in grey levels
}

func newStyle(r rng) cardStyle {
	hue := r.uni(0, 360)
	s := cardStyle{
		paper:  hsl(hue, r.uni(0.25, 0.6), r.uni(0.84, 0.92)),
		band:   hsl(hue+r.uni(-30, 30), r.uni(0.4, 0.8), r.uni(0.3, 0.5)),
		ink:    hsl(r.uni(200, 240), r.uni(0.1, 0.4), r.uni(0.08, 0.18)),
		accent: hsl(hue+180+r.uni(-40, 40), r.uni(0.5, 0.8), r.uni(0.4, 0.55)),
	}
	s.guilloche[0] = hsl(hue+r.uni(-40, 40), r.uni(0.4, 0.7), r.uni(0.65, 0.78))
	s.guilloche[1] = hsl(hue+r.uni(60, 180), r.uni(0.4, 0.7), r.uni(0.68, 0.8))
	return s
}

func rgb(c [3]float64) color.RGBA {
	return color.RGBA{uint8(c[0] + 0.5), uint8(c[1] + 0.5), uint8(c[2] + 0.5), 255}
}

// renderCard draws the flat card, w pixels wide, with transparent
// rounded corners.
func renderCard(r rng, w int, side Side, st cardStyle, id identity, portrait image.Image, look *printLook, noPortrait bool) *image.RGBA {
	loadFonts()
	h := int(math.Round(float64(w) / cardAspect))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	u := float64(w) / 856 // one unit = 0.1 mm

	// Paper with two families of guilloche lines; the wave of each
	// family depends on one coordinate only, so it is tabulated.
	k1, p1, a1 := r.uni(2, 6)*2*math.Pi/float64(w), r.uni(0, 6), r.uni(8, 25)*u
	k2, p2, a2 := r.uni(2, 6)*2*math.Pi/float64(h), r.uni(0, 6), r.uni(8, 25)*u
	sp1, sp2 := r.uni(9, 16)*u, r.uni(9, 16)*u
	lw := 0.9 * u
	wx := make([]float64, w)
	for x := range wx {
		wx[x] = a1 * math.Sin(k1*float64(x)+p1)
	}
	wy := make([]float64, h)
	for y := range wy {
		wy[y] = a2 * math.Sin(k2*float64(y)+p2)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := st.paper
			d1 := fmod(float64(y)+wx[x]+1e6, sp1)
			if d1 < lw {
				c = mix(c, st.guilloche[0], 0.8)
			}
			d2 := fmod(float64(x)+wy[y]+0.5*wx[x]+1e6, sp2)
			if d2 < lw {
				c = mix(c, st.guilloche[1], 0.7)
			}
			o := y*img.Stride + 4*x
			img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = uint8(c[0]), uint8(c[1]), uint8(c[2]), 255
		}
	}
	ink := rgb(st.ink)
	grey := rgb(mix(st.ink, st.paper, 0.45))
	fill := func(x0, y0, x1, y1 float64, c color.Color) {
		draw.Draw(img, image.Rect(int(x0*u), int(y0*u), int(x1*u), int(y1*u)), image.NewUniform(c), image.Point{}, draw.Over)
	}
	if side == Back {
		drawText(img, fontBold, 26*u, 40*u, 70*u, ink, "ADDRESS")
		drawText(img, fontRegular, 30*u, 40*u, 110*u, ink, id.address)
		drawText(img, fontBold, 26*u, 40*u, 160*u, ink, "ISSUING AUTHORITY")
		drawText(img, fontRegular, 30*u, 40*u, 200*u, ink, id.authority)
		drawText(img, fontBold, 26*u, 40*u, 250*u, ink, "DATE OF ISSUE")
		drawText(img, fontRegular, 30*u, 40*u, 290*u, ink, id.issued)
		// A block code (random modules) on the right.
		mod := 9 * u
		for i := 0; i < 18; i++ {
			for j := 0; j < 18; j++ {
				if r.IntN(2) == 0 {
					fill(600+float64(i)*9, 40+float64(j)*9, 609+float64(i)*9, 49+float64(j)*9, ink)
				}
			}
		}
		_ = mod
	} else {
		// Header band with the (made-up) issuing state.
		fill(0, 0, 856, 70, rgb(st.band))
		drawText(img, fontBold, 34*u, 40*u, 48*u, color.White, id.country)
		drawText(img, fontRegular, 22*u, 560*u, 46*u, color.RGBA{230, 230, 230, 255}, "IDENTITY CARD")
		// Portrait box.
		px0, py0, px1, py1 := 35*u, 95*u, 285*u, 420*u
		box := image.Rect(int(px0), int(py0), int(px1), int(py1))
		switch {
		case noPortrait:
			// Nothing: the paper shows through (a damaged or blank photo area).
		case portrait != nil:
			pastePortrait(img, box, portrait, look)
		default:
			drawPortrait(img, box, r, st)
		}
		// Fields.
		y := 120.0
		fields := [][2]string{
			{"SURNAME", id.surname}, {"GIVEN NAMES", id.given},
			{"SEX", id.sex}, {"DATE OF BIRTH", date(id.birth)},
			{"DOCUMENT NO", id.number}, {"DATE OF EXPIRY", date(id.expiry)},
		}
		for _, f := range fields {
			drawText(img, fontRegular, 17*u, 320*u, y*u, grey, f[0])
			drawText(img, fontBold, 27*u, 320*u, (y+28)*u, ink, f[1])
			y += 52
		}
		// Emblem.
		cx, cy, rad := 760*u, 160*u, 55*u
		ac := st.accent
		for yy := int(cy - rad); yy < int(cy+rad); yy++ {
			for xx := int(cx - rad); xx < int(cx+rad); xx++ {
				d := math.Hypot(float64(xx)-cx, float64(yy)-cy) / rad
				if d > 1 || xx < 0 || yy < 0 || xx >= w || yy >= h {
					continue
				}
				a := 0.7
				if math.Mod(d*6, 1) < 0.25 || math.Mod(math.Atan2(float64(yy)-cy, float64(xx)-cx)*8/math.Pi+8, 1) < 0.1 {
					a = 0.95
				}
				blend(img, xx, yy, ac, a)
			}
		}
		// Signature: a random scribble.
		sx, sy := 50*u, 455*u
		px, py := sx, sy
		for t := 0.0; t < 1; t += 0.002 {
			x := sx + t*200*u
			y := sy + 14*u*math.Sin(t*37+3*math.Sin(t*11)) + 6*u*math.Sin(t*90)
			for s := 0.0; s <= 1; s += 0.25 {
				disc(img, px+(x-px)*s, py+(y-py)*s, 1.3*u, st.ink, 0.9)
			}
			px, py = x, y
		}
	}
	// Machine-readable zone at the bottom.
	if side == Back || r.IntN(4) == 0 {
		fill(0, 400, 856, 540, rgb(mix(st.paper, [3]float64{255, 255, 255}, 0.7)))
		for i, l := range id.mrz() {
			drawText(img, fontMono, 38*u, 38*u, (440+float64(i)*40)*u, ink, l)
		}
	}
	roundCorners(img, cardRadius*float64(w))
	return img
}

// fmod is x mod p for positive p (math.Mod is exact but slow).
func fmod(x, p float64) float64 { return x - math.Floor(x/p)*p }

func mix(a, b [3]float64, t float64) [3]float64 {
	return [3]float64{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t, a[2] + (b[2]-a[2])*t}
}

func blend(img *image.RGBA, x, y int, c [3]float64, a float64) {
	if !(image.Point{x, y}.In(img.Rect)) {
		return
	}
	o := y*img.Stride + 4*x
	for k := 0; k < 3; k++ {
		img.Pix[o+k] = uint8(float64(img.Pix[o+k])*(1-a) + c[k]*a + 0.5)
	}
}

func disc(img *image.RGBA, cx, cy, rad float64, c [3]float64, a float64) {
	for y := int(cy - rad - 1); y <= int(cy+rad+1); y++ {
		for x := int(cx - rad - 1); x <= int(cx+rad+1); x++ {
			d := math.Hypot(float64(x)-cx, float64(y)-cy)
			if d <= rad+0.5 {
				blend(img, x, y, c, a*math.Min(1, rad+0.5-d))
			}
		}
	}
}

// roundCorners makes the card's corners transparent outside radius rad.
func roundCorners(img *image.RGBA, rad float64) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for y := 0; y < int(rad)+1 && y < h; y++ {
		for x := 0; x < int(rad)+1 && x < w; x++ {
			d := math.Hypot(rad-float64(x)-0.5, rad-float64(y)-0.5) - rad
			a := 1 - smoothstep(-0.5, 0.5, d)
			for _, p := range [4][2]int{{x, y}, {w - 1 - x, y}, {x, h - 1 - y}, {w - 1 - x, h - 1 - y}} {
				o := p[1]*img.Stride + 4*p[0]
				for k := 0; k < 4; k++ {
					img.Pix[o+k] = uint8(float64(img.Pix[o+k]) * a)
				}
			}
		}
	}
}

// printLook is how a card prints its portrait.
type printLook struct {
	contrast, saturation float64 // 1: as the photo
	grey                 bool    // a laser-engraved portrait
}

func newPrintLook(r rng) *printLook {
	return &printLook{contrast: r.uni(0.8, 0.95), saturation: r.uni(0.55, 0.9), grey: r.IntN(3) == 0}
}

func (l *printLook) apply(c [3]float64) [3]float64 {
	if l == nil {
		return c
	}
	y := 0.299*c[0] + 0.587*c[1] + 0.114*c[2]
	s := l.saturation
	if l.grey {
		s = 0
	}
	for k := range c {
		v := y + (c[k]-y)*s
		c[k] = 128 + (v-128)*l.contrast
	}
	return c
}

// pastePortrait scales src to cover box (centre crop), bilinearly, in the
// given print look (nil: as it is).
func pastePortrait(dst *image.RGBA, box image.Rectangle, src image.Image, look *printLook) {
	sb := src.Bounds()
	if sb.Empty() {
		return
	}
	rgba := image.NewRGBA(image.Rect(0, 0, sb.Dx(), sb.Dy()))
	draw.Draw(rgba, rgba.Rect, src, sb.Min, draw.Src)
	sw, sh := sb.Dx(), sb.Dy()
	s := math.Max(float64(box.Dx())/float64(sw), float64(box.Dy())/float64(sh))
	ox := (float64(sw)*s - float64(box.Dx())) / 2
	oy := (float64(sh)*s - float64(box.Dy())) / 2
	for y := box.Min.Y; y < box.Max.Y; y++ {
		fy := (float64(y-box.Min.Y)+oy+0.5)/s - 0.5
		for x := box.Min.X; x < box.Max.X; x++ {
			fx := (float64(x-box.Min.X)+ox+0.5)/s - 0.5
			blend(dst, x, y, look.apply(bilinearAt(rgba, fx, fy)), 1)
		}
	}
}

// bilinearAt samples the colour of img (its bounds at the origin) at
// (fx, fy), pixel centres at integers, bilinearly; beyond the edges the
// edge pixels repeat.
func bilinearAt(img *image.RGBA, fx, fy float64) [3]float64 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	ix, iy := int(math.Floor(fx)), int(math.Floor(fy))
	tx, ty := fx-float64(ix), fy-float64(iy)
	at := func(x, y, k int) float64 {
		x, y = clampInt(x, 0, w-1), clampInt(y, 0, h-1)
		return float64(img.Pix[y*img.Stride+4*x+k])
	}
	var c [3]float64
	for k := 0; k < 3; k++ {
		c[k] = (at(ix, iy, k)*(1-tx)+at(ix+1, iy, k)*tx)*(1-ty) + (at(ix, iy+1, k)*(1-tx)+at(ix+1, iy+1, k)*tx)*ty
	}
	return c
}

// drawPortrait draws a synthetic head-and-shoulders portrait in box.
func drawPortrait(dst *image.RGBA, box image.Rectangle, r rng, st cardStyle) {
	bw, bh := float64(box.Dx()), float64(box.Dy())
	bg := hsl(r.uni(190, 220), r.uni(0.05, 0.25), r.uni(0.75, 0.88))
	skin := hsl(r.uni(15, 35), r.uni(0.3, 0.6), r.uni(0.3, 0.75))
	hair := hsl(r.uni(10, 40), r.uni(0.1, 0.5), r.uni(0.05, 0.45))
	cloth := hsl(r.uni(0, 360), r.uni(0.1, 0.6), r.uni(0.15, 0.5))
	iris := hsl(r.uni(20, 220), r.uni(0.2, 0.6), r.uni(0.15, 0.4))
	hcx, hcy := 0.5+r.uni(-0.04, 0.04), 0.43+r.uni(-0.03, 0.03)
	hrx, hry := r.uni(0.24, 0.3), r.uni(0.3, 0.36)
	hairTop := r.uni(0.1, 0.35)
	for y := 0; y < box.Dy(); y++ {
		for x := 0; x < box.Dx(); x++ {
			u, v := float64(x)/bw, float64(y)/bh
			c := mix(bg, [3]float64{255, 255, 255}, 0.3*(1-v))
			// shoulders
			if du, dv := (u-0.5)/0.55, (v-1.05)/0.3; du*du+dv*dv < 1 {
				c = mix(cloth, [3]float64{0, 0, 0}, 0.3*math.Abs(du))
			}
			// neck
			if math.Abs(u-hcx) < 0.1 && v > hcy && v < 0.85 {
				c = mix(skin, [3]float64{0, 0, 0}, 0.25)
			}
			// hair behind the head
			if du, dv := (u-hcx)/(hrx*1.12), (v-hcy+0.03)/(hry*1.08); du*du+dv*dv < 1 && v < hcy+hry*0.5 {
				c = hair
			}
			// face
			du, dv := (u-hcx)/hrx, (v-hcy)/hry
			if d := du*du + dv*dv; d < 1 {
				shade := 1 - 0.35*d*d
				c = [3]float64{skin[0] * shade, skin[1] * shade, skin[2] * shade}
				// hair on the forehead
				if dv < -1+hairTop*(1+0.3*math.Sin(du*9)) {
					c = hair
				}
				// eyes
				for _, ex := range [2]float64{-0.38, 0.38} {
					eu, ev := (du-ex)/0.2, (dv+0.05)/0.09
					if eu*eu+ev*ev < 1 {
						c = [3]float64{235, 235, 230}
						if iu, iv := (du-ex)/0.08, (dv+0.05)/0.08; iu*iu+iv*iv < 1 {
							c = iris
						}
						if iu, iv := (du-ex)/0.035, (dv+0.05)/0.035; iu*iu+iv*iv < 1 {
							c = [3]float64{15, 15, 15}
						}
					}
					// eyebrow
					if bu, bv := (du-ex)/0.24, (dv+0.25)/0.04; bu*bu+bv*bv < 1 {
						c = mix(hair, [3]float64{0, 0, 0}, 0.3)
					}
				}
				// nose shadow and mouth
				if math.Abs(du-0.04) < 0.05 && dv > 0 && dv < 0.35 {
					c = mix(c, [3]float64{0, 0, 0}, 0.15)
				}
				if mu, mv := du/0.3, (dv-0.55)/0.07; mu*mu+mv*mv < 1 {
					c = mix(skin, [3]float64{150, 40, 50}, 0.6)
				}
			}
			blend(dst, box.Min.X+x, box.Min.Y+y, c, 1)
		}
	}
	_ = st
}

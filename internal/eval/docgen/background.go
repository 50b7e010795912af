package docgen

import (
	"image"
	"math"
)

// backgrounds are the surfaces a card is photographed on.
var backgrounds = []string{"wood", "desk", "fabric", "marble", "carpet", "tiles", "paper"}

// designBackgrounds are further surfaces, used only with the design
// families (the classic card's datasets stay as they were): speckled
// stone, and a plain surface of any colour, close to the card's at times.
var designBackgrounds = []string{"granite", "plain"}

// paintBackground fills img with a background of the given kind.
func paintBackground(img *image.RGBA, kind string, r rng) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	scale := float64(max(w, h)) / 1000 // features are sized for a 1000 px frame
	noise := fastRand(r.Uint64() | 1)
	set := func(x, y int, c [3]float32) {
		o := y*img.Stride + 4*x
		img.Pix[o] = clampByte(c[0])
		img.Pix[o+1] = clampByte(c[1])
		img.Pix[o+2] = clampByte(c[2])
		img.Pix[o+3] = 255
	}
	f32 := func(c [3]float64) [3]float32 { return [3]float32{float32(c[0]), float32(c[1]), float32(c[2])} }
	grain := float32(r.uni(2, 6))
	switch kind {
	case "wood":
		light := f32(hsl(r.uni(18, 38), r.uni(0.35, 0.6), r.uni(0.35, 0.6)))
		dark := f32(hsl(r.uni(15, 32), r.uni(0.4, 0.65), r.uni(0.15, 0.3)))
		a := r.uni(0, math.Pi)
		ca, sa := math.Cos(a), math.Sin(a)
		period := r.uni(12, 40) * scale
		warp := newFBM(r, w, h, 180*scale, 3)
		streak := newFBM(r, w, h, 12*scale, 2)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				u := (float64(x)*ca + float64(y)*sa) / period
				t := 0.5 + 0.5*float32(math.Sin(2*math.Pi*(u+3*float64(warp.at(x, y)))))
				t = t*t*0.8 + 0.2*(0.5+0.5*streak.at(x, y))
				n := grain * noise.gauss()
				set(x, y, [3]float32{light[0] + (dark[0]-light[0])*t + n, light[1] + (dark[1]-light[1])*t + n, light[2] + (dark[2]-light[2])*t + n})
			}
		}
	case "desk", "paper":
		var base [3]float32
		switch r.IntN(5) {
		case 0:
			base = f32(hsl(r.uni(0, 360), r.uni(0, 0.1), r.uni(0.75, 0.88))) // white
		case 1:
			base = f32(hsl(r.uni(0, 360), r.uni(0, 0.1), r.uni(0.08, 0.2))) // black
		case 2:
			base = f32(hsl(r.uni(0, 360), r.uni(0, 0.08), r.uni(0.3, 0.6))) // grey
		default:
			base = f32(hsl(r.uni(0, 360), r.uni(0.2, 0.6), r.uni(0.25, 0.6))) // coloured
		}
		shade := newFBM(r, w, h, 300*scale, 2)
		var sheet [4][2]float64
		if kind == "paper" {
			// A sheet of paper partly under the card: straight edges.
			cx, cy := r.uni(0.2, 0.8)*float64(w), r.uni(0.2, 0.8)*float64(h)
			sw, sh := r.uni(0.5, 0.9)*float64(w), r.uni(0.6, 1.1)*float64(w)
			a := r.uni(-0.5, 0.5)
			ca, sa := math.Cos(a), math.Sin(a)
			for i, p := range [4][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
				dx, dy := p[0]*sw/2, p[1]*sh/2
				sheet[i] = [2]float64{cx + dx*ca - dy*sa, cy + dx*sa + dy*ca}
			}
		}
		paper := f32(hsl(r.uni(40, 60), r.uni(0, 0.2), r.uni(0.85, 0.93)))
		ruled := f32(hsl(r.uni(190, 230), 0.5, 0.7))
		rulePeriod := r.uni(22, 30) * scale
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				s := 1 + 0.12*shade.at(x, y)
				n := grain * 0.6 * noise.gauss()
				c := base
				if kind == "paper" && insideQuad(sheet, float64(x), float64(y)) {
					c = paper
					// ruled lines, in the sheet's frame
					d := pointLineDist(sheet[0], sheet[1], float64(x), float64(y))
					if fmod(d, rulePeriod) < 1.2*scale {
						c = ruled
					}
				}
				set(x, y, [3]float32{c[0]*s + n, c[1]*s + n, c[2]*s + n})
			}
		}
	case "fabric":
		base := f32(hsl(r.uni(0, 360), r.uni(0.2, 0.7), r.uni(0.2, 0.6)))
		p := r.uni(3, 6) * scale
		shade := newFBM(r, w, h, 120*scale, 3)
		for y := 0; y < h; y++ {
			wy := float32(math.Sin(2 * math.Pi * float64(y) / p))
			for x := 0; x < w; x++ {
				wx := float32(math.Sin(2 * math.Pi * float64(x) / p))
				s := 1 + 0.08*wx*wy + 0.15*shade.at(x, y)
				n := grain * noise.gauss()
				set(x, y, [3]float32{base[0]*s + n, base[1]*s + n, base[2]*s + n})
			}
		}
	case "marble":
		base := f32(hsl(r.uni(20, 60), r.uni(0, 0.15), r.uni(0.7, 0.85)))
		vein := f32(hsl(r.uni(0, 360), r.uni(0, 0.2), r.uni(0.3, 0.5)))
		turb := newFBM(r, w, h, 250*scale, 4)
		k := r.uni(2, 5) / (1000 * scale)
		a := r.uni(0, math.Pi)
		ca, sa := math.Cos(a), math.Sin(a)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				u := (float64(x)*ca + float64(y)*sa) * k
				v := math.Abs(math.Sin(2 * math.Pi * (u + 2.5*float64(turb.at(x, y)))))
				t2 := (1 - v) * (1 - v)
				t4 := t2 * t2
				t := float32(t4 * t4)
				n := grain * 0.5 * noise.gauss()
				set(x, y, [3]float32{base[0] + (vein[0]-base[0])*t + n, base[1] + (vein[1]-base[1])*t + n, base[2] + (vein[2]-base[2])*t + n})
			}
		}
	case "carpet":
		base := f32(hsl(r.uni(0, 360), r.uni(0.1, 0.6), r.uni(0.2, 0.55)))
		blot := newFBM(r, w, h, 40*scale, 3)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				s := 1 + 0.25*blot.at(x, y) + 0.1*noise.gauss()
				set(x, y, [3]float32{base[0] * s, base[1] * s, base[2] * s})
			}
		}
	case "granite":
		base := f32(hsl(r.uni(0, 360), r.uni(0, 0.2), r.uni(0.2, 0.75)))
		fleck := f32(hsl(r.uni(0, 360), r.uni(0, 0.3), r.uni(0.05, 0.95)))
		speck := newNoise(r, w, h, math.Max(2, 2.5*scale))
		cloud := newFBM(r, w, h, 150*scale, 3)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				t := float32(smoothstep(0.45, 0.7, float64(speck.at(float64(x), float64(y)))))
				s := 1 + 0.12*cloud.at(x, y)
				n := grain * noise.gauss()
				set(x, y, [3]float32{(base[0]+(fleck[0]-base[0])*t)*s + n, (base[1]+(fleck[1]-base[1])*t)*s + n, (base[2]+(fleck[2]-base[2])*t)*s + n})
			}
		}
	case "plain":
		base := f32(hsl(r.uni(0, 360), r.uni(0, 0.5), r.uni(0.15, 0.9)))
		shade := newFBM(r, w, h, 400*scale, 2)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				s := 1 + 0.06*shade.at(x, y)
				n := grain * 0.5 * noise.gauss()
				set(x, y, [3]float32{base[0]*s + n, base[1]*s + n, base[2]*s + n})
			}
		}
	case "tiles":
		tile := f32(hsl(r.uni(0, 360), r.uni(0, 0.4), r.uni(0.45, 0.85)))
		grout := f32(hsl(r.uni(0, 360), r.uni(0, 0.1), r.uni(0.3, 0.6)))
		size := r.uni(90, 260) * scale
		gw := r.uni(3, 7) * scale
		a := r.uni(-0.3, 0.3)
		ca, sa := math.Cos(a), math.Sin(a)
		vary := newNoise(r, int(4000/size)+4, int(4000/size)+4, 1)
		shade := newFBM(r, w, h, 200*scale, 2)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				u := (float64(x)*ca + float64(y)*sa) / size
				v := (-float64(x)*sa + float64(y)*ca) / size
				fu, fv := u-math.Floor(u), v-math.Floor(v)
				c := tile
				g := gw / size
				if fu < g || fv < g {
					c = grout
				} else {
					t := 1 + 0.06*vary.at(math.Mod(math.Floor(u)+100, 40), math.Mod(math.Floor(v)+100, 40))
					c = [3]float32{c[0] * t, c[1] * t, c[2] * t}
				}
				s := 1 + 0.1*shade.at(x, y)
				n := grain * 0.5 * noise.gauss()
				set(x, y, [3]float32{c[0]*s + n, c[1]*s + n, c[2]*s + n})
			}
		}
	}
}

func insideQuad(c [4][2]float64, x, y float64) bool {
	pos, neg := false, false
	for i := 0; i < 4; i++ {
		a, b := c[i], c[(i+1)%4]
		cr := (b[0]-a[0])*(y-a[1]) - (b[1]-a[1])*(x-a[0])
		if cr > 0 {
			pos = true
		} else if cr < 0 {
			neg = true
		}
	}
	return !(pos && neg)
}

func pointLineDist(a, b [2]float64, x, y float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	return math.Abs(dy*(x-a[0])-dx*(y-a[1])) / math.Hypot(dx, dy)
}

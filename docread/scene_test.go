package docread

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"testing"
)

// Test scenes: a document rendered at 10 pixels per millimetre with its
// MRZ in OCR-B (ICAO 9303 geometry: 2.54 mm pitch), some visual-zone
// text, a portrait box and optionally a guilloche security background,
// then photographed: placed on a darker table with rotation, perspective,
// sensor noise and JPEG compression.

// cardSize is the size in millimetres of each format's document.
var cardSize = map[string][2]float64{
	"td1": {85.6, 54}, "td2": {105, 74}, "td3": {125, 88}, "mrvb": {105, 74}, "mrva": {125, 88},
}

type cardOpts struct {
	pattern bool // guilloche security background
	noText  bool // no portrait nor Latin visual zone (the mainland ID draws its own)
}

// renderCard renders a document with the MRZ lines at its bottom.
func renderCard(t testing.TB, kind string, lines []string, o cardOpts) *image.Gray {
	t.Helper()
	const ppm = 10.0
	sz := cardSize[kind]
	w, h := int(sz[0]*ppm), int(sz[1]*ppm)
	g := whiteGray(w, h)
	if o.pattern {
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				fx, fy := float64(x), float64(y)
				v := math.Sin(fx/9+6*math.Sin(fy/40)) * math.Cos(fy/7+4*math.Sin(fx/55))
				if v > 0.85 {
					g.Pix[y*w+x] = 150
				} else {
					g.Pix[y*w+x] = byte(235 + 15*v)
				}
			}
		}
	}
	if o.noText {
		for y := int(0.1 * float64(h)); y < int(0.7*float64(h)); y++ {
			for x := int(0.66 * float64(w)); x < int(0.94*float64(w)); x++ {
				g.Pix[y*w+x] = byte(110 + (x*7+y*3)%40)
			}
		}
		return g
	}
	// Portrait box and visual-zone text.
	for y := int(0.2 * float64(h)); y < int(0.62*float64(h)); y++ {
		for x := int(0.05 * float64(w)); x < int(0.3*float64(w)); x++ {
			g.Pix[y*w+x] = byte(110 + (x*7+y*3)%40)
		}
	}
	sans := face(t, loadFont(t, notoCJKPath), 3.2*ppm)
	drawText(g, sans, 0.34*float64(w), 0.18*float64(h), "UTOPIA")
	drawText(g, sans, 0.34*float64(w), 0.32*float64(h), "Surname / Nom")
	drawText(g, sans, 0.34*float64(w), 0.44*float64(h), "Given names 123")
	pitch := 2.54 * ppm
	ocrb := face(t, loadFont(t, ocrbSharpPath), pitch/ocrbAdvance)
	x0 := (float64(w) - float64(len(lines[0]))*pitch) / 2
	for i, l := range lines {
		base := float64(h) - 1.2*pitch - float64(len(lines)-1-i)*1.7*pitch
		drawText(g, ocrb, x0, base, l)
	}
	return g
}

type sceneOpts struct {
	w, h  int     // photo size
	fill  float64 // card width / photo width
	angle float64 // degrees, clockwise
	persp float64 // corner displacement, fraction of the card
	noise float64 // gaussian noise sigma in levels
	jpegQ int     // 0: PNG
	seed  uint64
	blur  bool
}

// photograph places the card on a table and encodes the photo.
func photograph(t testing.TB, card *image.Gray, o sceneOpts) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(o.seed, 7))
	cw, ch := float64(card.Rect.Dx()), float64(card.Rect.Dy())
	k := o.fill * float64(o.w) / cw
	a := o.angle * math.Pi / 180
	cx, cy := float64(o.w)/2, float64(o.h)/2
	var q [4][2]float64
	for i, c := range [4][2]float64{{-cw / 2, -ch / 2}, {cw / 2, -ch / 2}, {cw / 2, ch / 2}, {-cw / 2, ch / 2}} {
		x := c[0] * k * (1 + o.persp*(rng.Float64()*2-1))
		y := c[1] * k * (1 + o.persp*(rng.Float64()*2-1))
		q[i] = [2]float64{cx + x*math.Cos(a) - y*math.Sin(a), cy + x*math.Sin(a) + y*math.Cos(a)}
	}
	inv := invert(squareTo(q))
	cp := planeOf(card)
	img := image.NewGray(image.Rect(0, 0, o.w, o.h))
	for y := 0; y < o.h; y++ {
		for x := 0; x < o.w; x++ {
			s, u := inv.apply(float64(x)+0.5, float64(y)+0.5)
			v := 60.0 + 10*math.Sin(float64(x+y)/23)
			if s >= 0 && s <= 1 && u >= 0 && u <= 1 {
				v = cp.at(s*cw-0.5, u*ch-0.5)
			}
			v += o.noise * rng.NormFloat64()
			img.Pix[y*o.w+x] = byte(min(255, max(0, v+0.5)))
		}
	}
	if o.blur {
		img = boxBlur(img)
	}
	var b bytes.Buffer
	var err error
	if o.jpegQ > 0 {
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: o.jpegQ})
	} else {
		err = png.Encode(&b, img)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func boxBlur(g *image.Gray) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := image.NewGray(g.Rect)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s, n int
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					xx, yy := x+dx, y+dy
					if xx >= 0 && yy >= 0 && xx < w && yy < h {
						s += int(g.Pix[yy*w+xx])
						n++
					}
				}
			}
			out.Pix[y*w+x] = byte(s / n)
		}
	}
	return out
}

// invert returns the inverse of a homography (as a map from the quad to
// the unit square).
func invert(m homography) homography {
	a := [9]float64{m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], 1}
	det := a[0]*(a[4]*a[8]-a[5]*a[7]) - a[1]*(a[3]*a[8]-a[5]*a[6]) + a[2]*(a[3]*a[7]-a[4]*a[6])
	inv := [9]float64{
		(a[4]*a[8] - a[5]*a[7]) / det, (a[2]*a[7] - a[1]*a[8]) / det, (a[1]*a[5] - a[2]*a[4]) / det,
		(a[5]*a[6] - a[3]*a[8]) / det, (a[0]*a[8] - a[2]*a[6]) / det, (a[2]*a[3] - a[0]*a[5]) / det,
		(a[3]*a[7] - a[4]*a[6]) / det, (a[1]*a[6] - a[0]*a[7]) / det, (a[0]*a[4] - a[1]*a[3]) / det,
	}
	for i := range inv {
		inv[i] /= inv[8]
	}
	return homography{inv[0], inv[1], inv[2], inv[3], inv[4], inv[5], inv[6], inv[7]}
}

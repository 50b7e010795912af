// Package fraudeval generates document-fraud attacks and genuine controls
// and measures how kycq's authenticity and liveness checks judge them
// (`kycq eval fraud`).
package fraudeval

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"

	"github.com/kycq/kycq/internal/eval/docgen"
)

// Attack names a kind of generated document photo.
type Attack string

// The document attacks and the genuine control.
const (
	Genuine      Attack = "genuine"       // a clean camera-like photo
	Painted      Attack = "painted_field" // a field painted over with a flat colour
	PaintedLowQ  Attack = "painted_lowq"  // the camera's photo painted over and saved at quality 50–60
	Pasted       Attack = "pasted_portrait"
	EditorSaved  Attack = "editor_metadata" // re-saved by an editor that names itself
	Screenshot   Attack = "screenshot"      // the card shown in a phone screenshot (PNG)
	ScreenPhoto  Attack = "screen_photo"    // a photo of the card on a screen (moiré)
	ColourChange Attack = "colour_change"   // a field's colour shifted
)

// DocAttacks lists the document attacks in report order.
func DocAttacks() []Attack {
	return []Attack{Painted, PaintedLowQ, Pasted, ColourChange, EditorSaved, Screenshot, ScreenPhoto}
}

// Photo is one generated document photo.
type Photo struct {
	Attack Attack
	Seed   int64
	Data   []byte
	// Region is the edited region in photo pixels (empty when none).
	Region image.Rectangle
}

// cardPoint maps card coordinates (u, v in [0, 1], from the card's
// top-left) into the photo through the label's quadrilateral (bilinear).
func cardPoint(l docgen.Label, u, v float64) (float64, float64) {
	q := l.Quad
	x := (1-u)*(1-v)*q[0][0] + u*(1-v)*q[1][0] + u*v*q[2][0] + (1-u)*v*q[3][0]
	y := (1-u)*(1-v)*q[0][1] + u*(1-v)*q[1][1] + u*v*q[2][1] + (1-u)*v*q[3][1]
	return x, y
}

// cardRect is the photo-pixel bounding box of a card-coordinate rectangle.
func cardRect(l docgen.Label, u0, v0, u1, v1 float64) image.Rectangle {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range [][2]float64{{u0, v0}, {u1, v0}, {u1, v1}, {u0, v1}} {
		x, y := cardPoint(l, p[0], p[1])
		minX, maxX = math.Min(minX, x), math.Max(maxX, x)
		minY, maxY = math.Min(minY, y), math.Max(maxY, y)
	}
	return image.Rect(int(minX), int(minY), int(maxX), int(maxY))
}

// Make generates the photo of one attack (or the genuine control) from a
// seed: a docgen card photo, edited as the attack says, encoded as the
// attacker's tool would.
func Make(a Attack, seed int64, size docgen.Size) (Photo, error) {
	r := rand.New(rand.NewPCG(uint64(seed), 0xf4a0d))
	spec := docgen.Spec{Seed: seed, Size: size, Side: docgen.Front, Defect: docgen.Clean}
	if a == ScreenPhoto {
		spec.Defect, spec.Strength = docgen.NotOriginal, docgen.Clear
	}
	img, label := docgen.Generate(spec)
	p := Photo{Attack: a, Seed: seed}
	q := 88 + r.IntN(8)
	switch a {
	case Genuine, ScreenPhoto:
	case Painted:
		// A text field on the right half painted over with the colour
		// around it, as a retoucher blanks a date before typing a new one.
		u0, v0 := 0.42+0.2*r.Float64(), 0.3+0.4*r.Float64()
		p.Region = cardRect(label, u0, v0, u0+0.25+0.1*r.Float64(), v0+0.06+0.04*r.Float64())
		fillFlat(img, p.Region)
	case PaintedLowQ:
		// The same field (the same draws as Painted) painted over on the
		// camera's JPEG reopened, and the result saved at quality 50–60,
		// as a messenger or a scanner app's lowest setting writes it
		// (issue 15).
		u0, v0 := 0.42+0.2*r.Float64(), 0.3+0.4*r.Float64()
		p.Region = cardRect(label, u0, v0, u0+0.25+0.1*r.Float64(), v0+0.06+0.04*r.Float64())
		cam, err := cameraJPEG(img, r)
		if err != nil {
			return p, err
		}
		if img, err = reopen(cam); err != nil {
			return p, err
		}
		fillFlat(img, p.Region)
		q = lowQuality(r)
	case Pasted:
		// Another (clean, digital) portrait pasted over the card's.
		p.Region = cardRect(label, 0.05, 0.22, 0.32, 0.82)
		pasteDigital(img, p.Region, r)
	case ColourChange:
		// The camera's JPEG opened in an editor, a field recoloured and
		// the photo saved again (resave.go).
		u0, v0 := 0.4+0.2*r.Float64(), 0.25+0.4*r.Float64()
		p.Region = cardRect(label, u0, v0, u0+0.3, v0+0.12)
		cam, err := cameraJPEG(img, r)
		if err != nil {
			return p, err
		}
		if img, err = reopen(cam); err != nil {
			return p, err
		}
		shiftColour(img, p.Region, r)
		q = resaveQuality(r)
	case GenuineResaved, GenuineResized, GenuineLowQ:
		cam, err := cameraJPEG(img, r)
		if err != nil {
			return p, err
		}
		if img, err = reopen(cam); err != nil {
			return p, err
		}
		if a == GenuineResized {
			img = downscale(img, r)
		}
		q = resaveQuality(r)
		if a == GenuineLowQ {
			q = lowQuality(r)
		}
	case EditorSaved:
		data, err := encodeJPEG(img, q)
		if err != nil {
			return p, err
		}
		editors := []string{"Adobe Photoshop 25.3 (Windows)", "GIMP 2.10.36", "Snapseed 2.21", "PicsArt", "Adobe Lightroom 9.2"}
		p.Data = withSoftware(data, editors[r.IntN(len(editors))])
		return p, nil
	case Screenshot:
		shot := screenshot(img, r)
		var buf bytes.Buffer
		if err := png.Encode(&buf, shot); err != nil {
			return p, err
		}
		p.Data = buf.Bytes()
		return p, nil
	}
	data, err := encodeJPEG(img, q)
	p.Data = data
	return p, err
}

func encodeJPEG(img image.Image, q int) ([]byte, error) {
	var buf bytes.Buffer
	err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q})
	return buf.Bytes(), err
}

// fillFlat paints r with the median colour of its border.
func fillFlat(img *image.RGBA, r image.Rectangle) {
	r = r.Intersect(img.Rect)
	var rs, gs, bs []int
	for x := r.Min.X; x < r.Max.X; x++ {
		for _, y := range []int{r.Min.Y, r.Max.Y - 1} {
			c := img.RGBAAt(x, y)
			rs, gs, bs = append(rs, int(c.R)), append(gs, int(c.G)), append(bs, int(c.B))
		}
	}
	med := func(v []int) uint8 {
		s := append([]int(nil), v...)
		for i := 1; i < len(s); i++ {
			for j := i; j > 0 && s[j] < s[j-1]; j-- {
				s[j], s[j-1] = s[j-1], s[j]
			}
		}
		return uint8(s[len(s)/2])
	}
	c := color.RGBA{med(rs), med(gs), med(bs), 255}
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// pasteDigital pastes a smooth synthetic portrait (soft gradients, no
// sensor noise) into r.
func pasteDigital(img *image.RGBA, r image.Rectangle, rr *rand.Rand) {
	r = r.Intersect(img.Rect)
	bg := color.RGBA{uint8(150 + rr.IntN(80)), uint8(150 + rr.IntN(80)), uint8(170 + rr.IntN(60)), 255}
	cx, cy := float64(r.Min.X+r.Max.X)/2, float64(r.Min.Y)+0.42*float64(r.Dy())
	rx, ry := 0.3*float64(r.Dx()), 0.3*float64(r.Dy())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			dx, dy := (float64(x)-cx)/rx, (float64(y)-cy)/ry
			c := bg
			if d := dx*dx + dy*dy; d < 1 {
				s := 1 - 0.25*d
				c = color.RGBA{uint8(215 * s), uint8(175 * s), uint8(150 * s), 255}
			} else if float64(y) > cy+ry {
				c = color.RGBA{60, 60, 80, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
}

// shiftColour rotates the hue of r's pixels (a field recoloured).
func shiftColour(img *image.RGBA, r image.Rectangle, rr *rand.Rand) {
	r = r.Intersect(img.Rect)
	k := 1 + rr.IntN(2)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if k == 1 {
				img.SetRGBA(x, y, color.RGBA{c.G, c.B, c.R, 255})
			} else {
				img.SetRGBA(x, y, color.RGBA{c.B, c.R, c.G, 255})
			}
		}
	}
}

// screenshot draws the photo, scaled to the width, into a phone screen
// (1170×2532 or 1080×2340) with a status bar, an app bar and a plain
// background, as a screenshot of a gallery app.
func screenshot(img *image.RGBA, r *rand.Rand) *image.RGBA {
	w, h := 1170, 2532
	if r.IntN(2) == 0 {
		w, h = 1080, 2340
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	bg := color.RGBA{uint8(r.IntN(30)), uint8(r.IntN(30)), uint8(r.IntN(30)), 255}
	if r.IntN(2) == 0 {
		bg = color.RGBA{250, 250, 250, 255}
	}
	draw.Draw(out, out.Rect, image.NewUniform(bg), image.Point{}, draw.Src)
	bar := color.RGBA{uint8(40 + r.IntN(40)), uint8(40 + r.IntN(40)), uint8(60 + r.IntN(60)), 255}
	draw.Draw(out, image.Rect(0, 0, w, 140), image.NewUniform(bar), image.Point{}, draw.Src)
	draw.Draw(out, image.Rect(0, h-180, w, h), image.NewUniform(bar), image.Point{}, draw.Src)
	b := img.Rect
	sh := b.Dy() * w / b.Dx()
	y0 := (h - sh) / 2
	for y := 0; y < sh; y++ {
		for x := 0; x < w; x++ {
			out.SetRGBA(x, y0+y, img.RGBAAt(x*b.Dx()/w, y*b.Dy()/sh))
		}
	}
	return out
}

// withSoftware inserts an EXIF APP1 segment whose IFD0 has only the
// Software tag, after the SOI marker.
func withSoftware(jpg []byte, software string) []byte {
	sw := append([]byte(software), 0)
	var t bytes.Buffer
	t.WriteString("MM\x00\x2a")
	binary.Write(&t, binary.BigEndian, uint32(8))
	binary.Write(&t, binary.BigEndian, uint16(1))
	binary.Write(&t, binary.BigEndian, uint16(0x0131))
	binary.Write(&t, binary.BigEndian, uint16(2))
	binary.Write(&t, binary.BigEndian, uint32(len(sw)))
	binary.Write(&t, binary.BigEndian, uint32(8+2+12+4))
	binary.Write(&t, binary.BigEndian, uint32(0))
	t.Write(sw)
	seg := append([]byte("Exif\x00\x00"), t.Bytes()...)
	var out bytes.Buffer
	out.Write(jpg[:2])
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, binary.BigEndian, uint16(len(seg)+2))
	out.Write(seg)
	out.Write(jpg[2:])
	return out.Bytes()
}

package docgen

import (
	"fmt"
	"image"
	"image/draw"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Physical sizes in millimetres (ISO/IEC 7810): ID-1 cards, ID-2 cards
// (TD2) and ID-3 passport data pages (TD3).
var docSizes = map[Kind][2]float64{
	KindTD1: {85.6, 53.98}, KindCNID: {85.6, 53.98}, KindLicence: {85.6, 53.98},
	KindTD2: {105, 74}, KindTD3: {125, 88},
}

// DocSize returns the width and height of a document kind in millimetres.
func DocSize(k Kind) (w, h float64) {
	s, ok := docSizes[k]
	if !ok {
		s = [2]float64{85.6, 53.98}
	}
	return s[0], s[1]
}

// sheet is a document being printed: the paper (security background,
// portrait, holograms go straight onto img) and the ink layers, kept as
// coverage masks until finish spreads them into the paper.
type sheet struct {
	img  *image.RGBA
	u    float64 // pixels per millimetre
	inks []*inkLayer
}

type inkLayer struct {
	c    [3]float64
	mask *image.Alpha
}

func newSheet(wpx int, k Kind) *sheet {
	wmm, hmm := DocSize(k)
	h := int(math.Round(float64(wpx) * hmm / wmm))
	return &sheet{img: image.NewRGBA(image.Rect(0, 0, wpx, h)), u: float64(wpx) / wmm}
}

// ink returns a new ink layer of colour c.
func (s *sheet) ink(c [3]float64) *inkLayer {
	l := &inkLayer{c: c, mask: image.NewAlpha(s.img.Rect)}
	s.inks = append(s.inks, l)
	return l
}

// faceCache keeps font faces by font and pixel size: making one parses
// tables, and a document draws many strings.
var (
	faceMu    sync.Mutex
	faceCache = map[faceKey]font.Face{}
)

type faceKey struct {
	f    *opentype.Font
	size float64
}

func faceOf(f *opentype.Font, px float64) font.Face {
	px = math.Round(px*8) / 8
	faceMu.Lock()
	defer faceMu.Unlock()
	k := faceKey{f, px}
	if fc, ok := faceCache[k]; ok {
		return fc
	}
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic("docgen: " + err.Error())
	}
	if len(faceCache) > 512 {
		clear(faceCache)
	}
	faceCache[k] = fc
	return fc
}

// text prints str with its baseline starting at (x, y) mm, em size in mm,
// and returns its advance in mm. Faces are not safe for concurrent use,
// so drawing holds the cache lock.
func (s *sheet) text(l *inkLayer, f *opentype.Font, size, x, y float64, str string) float64 {
	fc := faceOf(f, size*s.u)
	faceMu.Lock()
	defer faceMu.Unlock()
	d := font.Drawer{Dst: l.mask, Src: image.Opaque, Face: fc, Dot: fixed.Point26_6{X: fixed.Int26_6(x * s.u * 64), Y: fixed.Int26_6(y * s.u * 64)}}
	d.DrawString(str)
	return float64(d.Dot.X)/64/s.u - x
}

// spaced prints str one character every pitch mm from x (fixed pitch, as
// OCR-B machine-readable zones and the mainland ID number are printed).
func (s *sheet) spaced(l *inkLayer, f *opentype.Font, size, pitch, x, y float64, str string) {
	i := 0
	for _, r := range str {
		if r != '<' || f != nil {
			s.text(l, f, size, x+float64(i)*pitch, y, string(r))
		}
		i++
	}
}

// ocrbEm is the em size (mm) of OCR-B whose capitals are capMM tall.
func ocrbEm(capMM float64) float64 {
	capRatioOnce.Do(func() {
		fc := faceOf(fontOCRB, 1000)
		faceMu.Lock()
		b, _ := font.BoundString(fc, "H")
		faceMu.Unlock()
		capRatio = float64(b.Max.Y-b.Min.Y) / 64 / 1000
		if capRatio <= 0 {
			capRatio = 0.7
		}
	})
	return capMM / capRatio
}

var (
	capRatioOnce sync.Once
	capRatio     float64
)

// mrzZone prints the lines of a machine-readable zone in OCR-B at the
// ICAO 9303 pitch of 2.54 mm (10 characters per inch), capitals about
// 2.3 mm tall, the last line's baseline bottom mm above the edge.
func (s *sheet) mrzZone(l *inkLayer, lines []string, x, bottom, spacing float64) {
	hmm := float64(s.img.Rect.Dy()) / s.u
	em := ocrbEm(2.3)
	for i, line := range lines {
		y := hmm - bottom - float64(len(lines)-1-i)*spacing
		s.spaced(l, fontOCRB, em, 2.54, x, y, line)
	}
}

// finish spreads every ink layer (the ink bleeding into the paper, by
// spread mm) and prints it onto the paper.
func (s *sheet) finish(spread float64) {
	sigma := spread * s.u
	for _, l := range s.inks {
		m := l.mask
		for p := 0.0; p < sigma; p += 0.6 {
			w := math.Min(0.3, (sigma-p)*0.5)
			blurAlpha(m, w)
		}
		gain := 1.0 + math.Min(0.6, sigma*0.5)
		for y := 0; y < m.Rect.Dy(); y++ {
			row := m.Pix[y*m.Stride:]
			for x := 0; x < m.Rect.Dx(); x++ {
				a := float64(row[x]) / 255 * gain
				if a <= 0 {
					continue
				}
				blend(s.img, x, y, l.c, math.Min(a, 0.97))
			}
		}
	}
	s.inks = nil
}

// blurAlpha runs the 3-tap kernel [w, 1-2w, w] across and down m.
func blurAlpha(m *image.Alpha, w float64) {
	W, H := m.Rect.Dx(), m.Rect.Dy()
	line := make([]float64, max(W, H))
	for y := 0; y < H; y++ {
		row := m.Pix[y*m.Stride : y*m.Stride+W]
		for x := range row {
			line[x] = float64(row[x])
		}
		for x := 1; x < W-1; x++ {
			row[x] = uint8(math.Min(255, w*line[x-1]+(1-2*w)*line[x]+w*line[x+1]+0.5))
		}
	}
	for x := 0; x < W; x++ {
		for y := 0; y < H; y++ {
			line[y] = float64(m.Pix[y*m.Stride+x])
		}
		for y := 1; y < H-1; y++ {
			m.Pix[y*m.Stride+x] = uint8(math.Min(255, w*line[y-1]+(1-2*w)*line[y]+w*line[y+1]+0.5))
		}
	}
}

// securityPrint fills the paper: a tinted gradient, two families of fine
// guilloche waves, a guilloche rosette and a micro-line pattern.
func (s *sheet) securityPrint(r rng, a, b, line1, line2 [3]float64) {
	W, H := s.img.Rect.Dx(), s.img.Rect.Dy()
	u := s.u
	ga := r.uni(0, 2*math.Pi)
	gx, gy := math.Cos(ga)/float64(W), math.Sin(ga)/float64(H)
	k1, p1, a1 := r.uni(3, 8)*2*math.Pi/float64(W), r.uni(0, 6), r.uni(0.8, 2.2)*u
	k2, p2, a2 := r.uni(3, 8)*2*math.Pi/float64(H), r.uni(0, 6), r.uni(0.8, 2.2)*u
	sp1, sp2 := r.uni(0.55, 0.9)*u, r.uni(0.6, 1.0)*u
	lw := math.Max(0.7, 0.09*u)
	cx, cy := r.uni(0.25, 0.75)*float64(W), r.uni(0.3, 0.7)*float64(H)
	r0, r1 := r.uni(0.12, 0.2)*float64(H), r.uni(0.32, 0.45)*float64(H)
	petals, twist := float64(6+r.IntN(10)), float64(2+r.IntN(5))
	rsp := r.uni(0.45, 0.7) * u
	mpitch := r.uni(0.22, 0.3) * u
	wx := make([]float64, W)
	for x := range wx {
		wx[x] = a1 * math.Sin(k1*float64(x)+p1)
	}
	wy := make([]float64, H)
	for y := range wy {
		wy[y] = a2 * math.Sin(k2*float64(y)+p2)
	}
	for y := 0; y < H; y++ {
		fy := float64(y)
		for x := 0; x < W; x++ {
			fx := float64(x)
			t := 0.5 + 0.5*math.Sin(2*(fx*gx+fy*gy)*math.Pi)
			c := mix(a, b, t)
			if fmod(fy+wx[x]+1e6, sp1) < lw {
				c = mix(c, line1, 0.55)
			}
			if fmod(fx+wy[y]+0.5*wx[x]+1e6, sp2) < lw {
				c = mix(c, line2, 0.45)
			}
			if fmod(fx+fy+1e6, mpitch) < 0.6 {
				c = mix(c, line1, 0.12)
			}
			dx, dy := fx-cx, fy-cy
			if d2 := dx*dx + dy*dy; d2 > r0*r0 && d2 < r1*r1 {
				rho, th := math.Sqrt(d2), math.Atan2(dy, dx)
				f := rho + (r1-r0)*0.18*math.Sin(petals*th) + (r1-r0)*0.08*math.Sin(twist*th+rho/u)
				if fmod(f+1e6, rsp) < lw {
					c = mix(c, line2, 0.6*smoothstep(r0, r0+2*u, rho)*(1-smoothstep(r1-2*u, r1, rho)))
				}
			}
			o := y*s.img.Stride + 4*x
			s.img.Pix[o], s.img.Pix[o+1], s.img.Pix[o+2], s.img.Pix[o+3] = uint8(c[0]), uint8(c[1]), uint8(c[2]), 255
		}
	}
}

// hologram lays an iridescent, translucent patch (rings and rays whose
// colour shifts across it, as a diffractive foil does under one light)
// centred at (x, y) mm with radii rx, ry mm, strength alpha.
func (s *sheet) hologram(r rng, x, y, rx, ry, alpha float64) {
	cx, cy, ax, ay := x*s.u, y*s.u, rx*s.u, ry*s.u
	dir := r.uni(0, 2*math.Pi)
	period := r.uni(8, 20) * s.u
	rays := float64(8 + r.IntN(16))
	ring := r.uni(0.6, 1.4) * s.u
	for py := int(cy - ay); py <= int(cy+ay); py++ {
		for px := int(cx - ax); px <= int(cx+ax); px++ {
			dx, dy := (float64(px)-cx)/ax, (float64(py)-cy)/ay
			d := math.Sqrt(dx*dx + dy*dy)
			if d >= 1 {
				continue
			}
			hue := 360 * fmod((float64(px)*math.Cos(dir)+float64(py)*math.Sin(dir))/period+0.4*d+1e3, 1)
			pat := 0.5 + 0.25*math.Sin(d*ax/ring*2*math.Pi) + 0.25*math.Cos(math.Atan2(dy, dx)*rays)
			a := alpha * pat * (1 - smoothstep(0.75, 1, d))
			if a <= 0 {
				continue
			}
			c := hsl(hue, 0.8, 0.7)
			// A foil lightens: screen blend towards the foil colour.
			o := py*s.img.Stride + 4*px
			if px < 0 || py < 0 || px >= s.img.Rect.Dx() || py >= s.img.Rect.Dy() {
				continue
			}
			for k := 0; k < 3; k++ {
				v := float64(s.img.Pix[o+k])
				scr := 255 - (255-v)*(255-c[k])/255
				s.img.Pix[o+k] = uint8(v + (scr-v)*a + 0.5)
			}
		}
	}
}

// box returns the pixel rectangle of a box given in mm.
func (s *sheet) box(x0, y0, x1, y1 float64) image.Rectangle {
	return image.Rect(int(x0*s.u), int(y0*s.u), int(x1*s.u), int(y1*s.u))
}

// fill paints a box given in mm.
func (s *sheet) fill(x0, y0, x1, y1 float64, c [3]float64, a float64) {
	b := s.box(x0, y0, x1, y1).Intersect(s.img.Rect)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			blend(s.img, x, y, c, a)
		}
	}
}

// portrait pastes the holder's photo (or draws one) into a box in mm.
func (s *sheet) portrait(r rng, x0, y0, x1, y1 float64, photo image.Image, look *printLook, st cardStyle) {
	b := s.box(x0, y0, x1, y1)
	if photo != nil {
		pastePortrait(s.img, b, photo, look)
		return
	}
	drawPortrait(s.img, b, r, st)
}

// signature scribbles a signature from (x, y) mm, w mm long.
func (s *sheet) signature(r rng, l *inkLayer, x, y, w float64) {
	f1, f2, f3 := r.uni(25, 45), r.uni(5, 15), r.uni(60, 110)
	for t := 0.0; t < 1; t += 0.0005 {
		px := (x + t*w) * s.u
		py := (y + 1.6*math.Sin(t*f1+3*math.Sin(t*f2)) + 0.6*math.Sin(t*f3)) * s.u
		rad := math.Max(0.6, 0.12*s.u)
		for yy := int(py - rad); yy <= int(py+rad); yy++ {
			for xx := int(px - rad); xx <= int(px+rad); xx++ {
				if math.Hypot(float64(xx)-px, float64(yy)-py) <= rad && (image.Point{xx, yy}).In(l.mask.Rect) {
					l.mask.Pix[yy*l.mask.Stride+xx] = 255
				}
			}
		}
	}
}

// emblem draws a made-up round seal: rings and rays in c.
func (s *sheet) emblem(cx, cy, rad float64, c [3]float64, a float64, star bool) {
	px, py, pr := cx*s.u, cy*s.u, rad*s.u
	for y := int(py - pr); y <= int(py+pr); y++ {
		for x := int(px - pr); x <= int(px+pr); x++ {
			dx, dy := float64(x)-px, float64(y)-py
			d := math.Hypot(dx, dy) / pr
			if d > 1 {
				continue
			}
			th := math.Atan2(dy, dx)
			on := math.Mod(d*5, 1) < 0.2 || math.Mod(th*12/math.Pi+24, 1) < 0.12
			if star {
				// A five-pointed star in the middle.
				sr := 0.45 * (0.55 + 0.45*math.Cos(5*(th+math.Pi/2)))
				on = on || d < sr
			}
			if on {
				blend(s.img, x, y, c, a)
			}
		}
	}
}

// visualDate is a date as the visual zone of the Latin-script documents
// prints it: DD.MM.YYYY.
func visualDate(d string) string {
	if len(d) != 10 {
		return d
	}
	return d[8:10] + "." + d[5:7] + "." + d[0:4]
}

// renderDocument prints side of a document of kind k for id, wpx pixels
// wide, with transparent rounded corners on cards.
// hard, when set, prints as HardPrint says, from a stream of its own (the
// other documents stay as they were).
func renderDocument(r rng, k Kind, side Side, id Identity, wpx int, photo image.Image, look *printLook, hard *rng) (*image.RGBA, error) {
	if err := DocumentFonts(); err != nil {
		return nil, err
	}
	loadFonts()
	s := newSheet(wpx, k)
	st := newStyle(r)
	white := [3]float64{255, 255, 255}
	paperA := mix(st.paper, white, r.uni(0.2, 0.5))
	paperB := mix(st.guilloche[1], white, r.uni(0.55, 0.75))
	s.securityPrint(r, paperA, paperB, st.guilloche[0], st.guilloche[1])
	ink := s.ink(st.ink)
	grey := s.ink(mix(st.ink, st.paper, 0.5))
	switch {
	case k == KindCNID && side == Front:
		s.cnFront(r, id, photo, look, st)
	case k == KindCNID:
		s.cnBack(r, id)
	case k == KindTD3:
		s.td3Page(r, id, photo, look, st, ink, grey)
	case k == KindTD2 && side == Front:
		s.td2Front(r, id, photo, look, st, ink, grey)
	case k == KindTD1 && side == Back, k == KindTD2 && side == Back:
		s.cardBack(r, k, id, st, ink, grey)
	case k == KindTD1 || k == KindLicence:
		s.cardFront(r, k, id, photo, look, st, ink, grey)
	default:
		return nil, fmt.Errorf("docgen: no %s side of a %q document", side, k)
	}
	if hard != nil {
		// Under the ink, over the paper and the machine-readable zone's
		// clear band.
		s.hardBackground(*hard)
	}
	s.finish(r.uni(0.03, 0.07))
	// Holograms and optically variable ink: over the visual zone, never
	// over the machine-readable zone (ICAO keeps it clear).
	wmm, hmm := DocSize(k)
	for i, n := 0, 1+r.IntN(2); i < n; i++ {
		s.hologram(r, r.uni(0.35, 0.85)*wmm, r.uni(0.25, 0.5)*hmm, r.uni(6, 12), r.uni(5, 9), r.uni(0.08, 0.2))
	}
	if hard != nil {
		s.laminate(*hard)
	}
	if k != KindTD3 {
		roundCorners(s.img, 3.18*s.u)
	}
	return s.img, nil
}

// hardBackground adds the security printing that real documents carry
// and makes text hard to separate from its background: rainbow (iris)
// printing, whose hue and lightness shift across the document, and a
// family of fine guilloche lines darker than securityPrint's, laid over
// the whole document, the machine-readable zone included (ICAO 9303
// keeps that zone clear only in the near infrared, which a phone does
// not see).
func (s *sheet) hardBackground(r rng) {
	W, H := s.img.Rect.Dx(), s.img.Rect.Dy()
	u := s.u
	h0, dh := r.uni(0, 360), r.uni(120, 300)
	ia := r.uni(0, math.Pi)
	ix, iy := math.Cos(ia), math.Sin(ia)
	span := math.Abs(ix)*float64(W) + math.Abs(iy)*float64(H)
	iris := r.uni(0.25, 0.45)
	line := hsl(r.uni(0, 360), r.uni(0.3, 0.6), r.uni(0.45, 0.6))
	la := r.uni(0.55, 0.8)
	lw := math.Max(0.6, r.uni(0.07, 0.11)*u)
	sp := r.uni(0.35, 0.6) * u
	ga, gb := r.uni(0, math.Pi), r.uni(0, math.Pi)
	gx, gy := math.Cos(ga), math.Sin(ga)
	k1, p1, a1 := r.uni(2, 6)*2*math.Pi/float64(W), r.uni(0, 6), r.uni(1, 3)*u
	k2, p2, a2 := r.uni(2, 6)*2*math.Pi/float64(H), r.uni(0, 6), r.uni(1, 3)*u
	hx, hy := math.Cos(gb), math.Sin(gb)
	for y := 0; y < H; y++ {
		fy := float64(y)
		for x := 0; x < W; x++ {
			fx := float64(x)
			o := y*s.img.Stride + 4*x
			c := [3]float64{float64(s.img.Pix[o]), float64(s.img.Pix[o+1]), float64(s.img.Pix[o+2])}
			t := (fx*ix + fy*iy) / span
			c = mix(c, hsl(h0+dh*t, 0.65, 0.72), iris)
			// Two crossing families of waved lines (a guilloche
			// mesh).
			w1 := fx*gx + fy*gy + a1*math.Sin(k1*fx+p1) + a2*math.Sin(k2*fy+p2)
			w2 := fx*hx + fy*hy + a2*math.Sin(k1*fy+p2) - a1*math.Sin(k2*fx+p1)
			if fmod(w1+1e6, sp) < lw || fmod(w2+1e6, sp*1.3) < lw {
				c = mix(c, line, la)
			}
			s.img.Pix[o], s.img.Pix[o+1], s.img.Pix[o+2] = uint8(c[0]+0.5), uint8(c[1]+0.5), uint8(c[2]+0.5)
		}
	}
}

// laminate lays the holographic overlay of a laminated data page or card:
// large iridescent patches anywhere, over the printed text and the
// machine-readable zone too.
func (s *sheet) laminate(r rng) {
	wmm, hmm := float64(s.img.Rect.Dx())/s.u, float64(s.img.Rect.Dy())/s.u
	for i, n := 0, 2+r.IntN(2); i < n; i++ {
		s.hologram(r, r.uni(0.1, 0.9)*wmm, r.uni(0.15, 0.9)*hmm, r.uni(0.15, 0.3)*wmm, r.uni(0.15, 0.3)*hmm, r.uni(0.2, 0.35))
	}
}

// field prints a caption and its value below it.
func (s *sheet) field(grey, ink *inkLayer, x, y float64, caption, value string, size float64) {
	s.text(grey, fontRegular, 1.6, x, y, caption)
	s.text(ink, fontBold, size, x, y+size*0.95, value)
}

func (s *sheet) cardFront(r rng, k Kind, id Identity, photo image.Image, look *printLook, st cardStyle, ink, grey *inkLayer) {
	s.fill(0, 0, 85.6, 9, st.band, 0.92)
	head := s.ink([3]float64{250, 250, 250})
	s.text(head, fontBold, 3.0, 4, 6.3, id.Country)
	title := "IDENTITY CARD"
	if k == KindLicence {
		title = "DRIVING LICENCE"
	}
	s.text(head, fontRegular, 2.0, 58, 6.0, title)
	s.portrait(r, 3.5, 12, 27, 43, photo, look, st)
	if k == KindLicence {
		rows := [][2]string{
			{"1. SURNAME", id.Surname}, {"2. GIVEN NAMES", id.GivenNames},
			{"3. DATE OF BIRTH", visualDate(id.BirthDate)}, {"4a. DATE OF ISSUE", visualDate(id.IssueDate)},
			{"4b. DATE OF EXPIRY", visualDate(id.ExpiryDate)}, {"5. LICENCE NO", id.Number},
		}
		for i, f := range rows {
			s.field(grey, ink, 31, 13.5+float64(i)*5.5, f[0], f[1], 2.6)
		}
		s.text(ink, fontBold, 2.2, 31, 49, "9. AM B1 B")
	} else {
		y := 13.5
		s.field(grey, ink, 31, y, "SURNAME", id.Surname, 2.6)
		s.field(grey, ink, 31, y+5.5, "GIVEN NAMES", id.GivenNames, 2.6)
		s.field(grey, ink, 31, y+11, "SEX", id.Sex, 2.6)
		s.field(grey, ink, 45, y+11, "NATIONALITY", id.Nationality, 2.6)
		s.field(grey, ink, 31, y+16.5, "DATE OF BIRTH", visualDate(id.BirthDate), 2.6)
		s.field(grey, ink, 31, y+22, "DOCUMENT NO", id.Number, 2.6)
		s.field(grey, ink, 31, y+27.5, "DATE OF EXPIRY", visualDate(id.ExpiryDate), 2.6)
	}
	s.emblem(76, 19, 6, st.accent, 0.75, false)
	s.signature(r, ink, 5, 48.5, 20)
}

func (s *sheet) cardBack(r rng, k Kind, id Identity, st cardStyle, ink, grey *inkLayer) {
	wmm, hmm := DocSize(k)
	s.field(grey, ink, 4, 5, "ADDRESS", id.Address, 2.2)
	s.field(grey, ink, 4, 11, "AUTHORITY", id.Authority, 2.2)
	s.field(grey, ink, 4, 17, "DATE OF ISSUE", visualDate(id.IssueDate), 2.2)
	s.field(grey, ink, 4, 23, "HEIGHT", strconv.Itoa(150+r.IntN(45))+" CM", 2.2)
	// A block code (random modules) at the top right.
	mod := 0.7
	for i := 0; i < 14; i++ {
		for j := 0; j < 14; j++ {
			if r.IntN(2) == 0 {
				x, y := wmm-14-mod*14+float64(i)*mod, 4+float64(j)*mod
				b := s.box(x, y, x+mod, y+mod)
				draw.Draw(ink.mask, b, image.Opaque, image.Point{}, draw.Src)
			}
		}
	}
	// The machine-readable zone on a lighter, clear band.
	top := hmm - 18.5
	if k == KindTD2 {
		top = hmm - 15
	}
	s.fill(0, top, wmm, hmm, [3]float64{250, 250, 248}, 0.55)
	mrzInk := s.ink(mix(st.ink, [3]float64{0, 0, 0}, 0.4))
	if k == KindTD1 {
		s.mrzZone(mrzInk, id.MRZ(KindTD1), 4.6, 4.4, 4.35)
	}
}

func (s *sheet) td2Front(r rng, id Identity, photo image.Image, look *printLook, st cardStyle, ink, grey *inkLayer) {
	s.fill(0, 0, 105, 11, st.band, 0.92)
	head := s.ink([3]float64{250, 250, 250})
	s.text(head, fontBold, 3.6, 5, 7.6, id.Country)
	title := "IDENTITY CARD"
	if id.DocumentCode == "AC" {
		title = "CREW MEMBER CERTIFICATE"
	}
	s.text(head, fontRegular, 2.2, 70, 7.3, title)
	s.portrait(r, 5, 15, 33, 51, photo, look, st)
	y := 16.5
	s.field(grey, ink, 38, y, "SURNAME", id.Surname, 3.0)
	s.field(grey, ink, 38, y+6.2, "GIVEN NAMES", id.GivenNames, 3.0)
	s.field(grey, ink, 38, y+12.4, "SEX", id.Sex, 3.0)
	s.field(grey, ink, 55, y+12.4, "NATIONALITY", id.Nationality, 3.0)
	s.field(grey, ink, 38, y+18.6, "DATE OF BIRTH", visualDate(id.BirthDate), 3.0)
	s.field(grey, ink, 72, y+18.6, "DATE OF EXPIRY", visualDate(id.ExpiryDate), 3.0)
	s.field(grey, ink, 38, y+24.8, "DOCUMENT NO", id.Number, 3.0)
	s.emblem(93, 22, 7, st.accent, 0.7, false)
	s.signature(r, ink, 7, 55, 24)
	s.fill(0, 74-15, 105, 74, [3]float64{250, 250, 248}, 0.55)
	s.mrzZone(s.ink(mix(st.ink, [3]float64{0, 0, 0}, 0.4)), id.MRZ(KindTD2), 6.8, 4.8, 5.0)
}

func (s *sheet) td3Page(r rng, id Identity, photo image.Image, look *printLook, st cardStyle, ink, grey *inkLayer) {
	s.fill(0, 0, 125, 10, st.band, 0.9)
	head := s.ink([3]float64{250, 250, 250})
	s.text(head, fontBold, 3.6, 6, 7, id.Country)
	s.text(head, fontRegular, 2.6, 95, 7, "PASSPORT")
	s.field(grey, ink, 46, 13.5, "TYPE", id.DocumentCode, 2.8)
	s.field(grey, ink, 60, 13.5, "CODE", id.Issuer, 2.8)
	s.field(grey, ink, 80, 13.5, "PASSPORT NO", id.Number, 2.8)
	s.portrait(r, 6, 15, 40, 60, photo, look, st)
	y := 20.0
	s.field(grey, ink, 46, y, "SURNAME", id.Surname, 2.9)
	s.field(grey, ink, 46, y+6, "GIVEN NAMES", id.GivenNames, 2.9)
	s.field(grey, ink, 46, y+12, "NATIONALITY", id.Nationality, 2.9)
	s.field(grey, ink, 46, y+18, "DATE OF BIRTH", visualDate(id.BirthDate), 2.9)
	s.field(grey, ink, 85, y+18, "SEX", id.Sex, 2.9)
	s.field(grey, ink, 46, y+24, "DATE OF ISSUE", visualDate(id.IssueDate), 2.9)
	s.field(grey, ink, 85, y+24, "DATE OF EXPIRY", visualDate(id.ExpiryDate), 2.9)
	s.field(grey, ink, 46, y+30, "AUTHORITY", id.Authority, 2.9)
	s.emblem(112, 30, 8, st.accent, 0.5, false)
	s.signature(r, ink, 8, 63, 28)
	s.fill(0, 88-20, 125, 88, [3]float64{250, 250, 248}, 0.5)
	s.mrzZone(s.ink(mix(st.ink, [3]float64{0, 0, 0}, 0.4)), id.MRZ(KindTD3), 6.6, 5.2, 6.0)
}

// cnFront lays out the front of a mainland resident ID: captions in blue,
// the data in black, the number in OCR-B digits at the bottom, the
// portrait on the right.
func (s *sheet) cnFront(r rng, id Identity, photo image.Image, look *printLook, st cardStyle) {
	blue := s.ink([3]float64{r.uni(40, 80), r.uni(110, 140), r.uni(170, 200)})
	black := s.ink([3]float64{r.uni(10, 30), r.uni(10, 30), r.uni(15, 35)})
	const cap, val = 2.5, 3.0
	s.text(blue, fontCJK, cap, 6, 10.5, "姓  名")
	s.text(black, fontCJK, val+0.4, 17, 10.7, id.Name)
	s.text(blue, fontCJK, cap, 6, 17, "性  别")
	sex := "女"
	if id.Sex == "M" {
		sex = "男"
	}
	s.text(black, fontCJK, val, 17, 17, sex)
	s.text(blue, fontCJK, cap, 26, 17, "民  族")
	s.text(black, fontCJK, val, 36, 17, id.Ethnicity)
	s.text(blue, fontCJK, cap, 6, 23.5, "出  生")
	y, m, d := id.BirthDate[0:4], strings.TrimLeft(id.BirthDate[5:7], "0"), strings.TrimLeft(id.BirthDate[8:10], "0")
	x := 17.0
	x += s.text(black, fontCJK, val, x, 23.5, y) + 1.2
	x += s.text(blue, fontCJK, cap, x, 23.5, "年") + 1.5
	x += s.text(black, fontCJK, val, x, 23.5, m) + 1.2
	x += s.text(blue, fontCJK, cap, x, 23.5, "月") + 1.5
	x += s.text(black, fontCJK, val, x, 23.5, d) + 1.2
	s.text(blue, fontCJK, cap, x, 23.5, "日")
	s.text(blue, fontCJK, cap, 6, 30, "住  址")
	for i, line := range wrapRunes(id.Address, 11) {
		s.text(black, fontCJK, val, 17, 30+float64(i)*4.2, line)
	}
	s.text(blue, fontCJK, cap, 6, 47.5, "公民身份号码")
	s.spaced(black, fontOCRB, ocrbEm(2.6), 2.25, 30, 47.8, id.Number)
	s.portrait(r, 55, 6, 80, 38, photo, look, st)
}

// cnBack lays out the back: a made-up red seal, the title, the issuing
// authority and the validity period.
func (s *sheet) cnBack(r rng, id Identity) {
	red := [3]float64{r.uni(190, 215), r.uni(30, 60), r.uni(30, 50)}
	s.emblem(14, 14, 8, red, 0.85, true)
	s.emblem(14, 14, 3.5, [3]float64{235, 190, 60}, 0.9, true)
	title := s.ink([3]float64{r.uni(10, 30), r.uni(10, 30), r.uni(20, 40)})
	s.text(title, fontCJKBold, 4.2, 30, 14, "中 华 人 民 共 和 国")
	s.text(title, fontCJKBold, 6.2, 30, 26, "居 民 身 份 证")
	blue := s.ink([3]float64{r.uni(40, 80), r.uni(110, 140), r.uni(170, 200)})
	black := s.ink([3]float64{r.uni(10, 30), r.uni(10, 30), r.uni(15, 35)})
	s.text(blue, fontCJK, 2.5, 17, 42, "签发机关")
	s.text(black, fontCJK, 2.9, 31, 42, id.Authority)
	s.text(blue, fontCJK, 2.5, 17, 48.5, "有效期限")
	s.text(black, fontCJK, 2.9, 31, 48.5, CNValidity(id))
}

// CNValidity is the validity period as the back of a mainland ID prints
// it: "YYYY.MM.DD-YYYY.MM.DD", or "YYYY.MM.DD-长期" for a long-term card.
func CNValidity(id Identity) string {
	dot := func(d string) string { return strings.ReplaceAll(d, "-", ".") }
	if id.LongTerm {
		return dot(id.IssueDate) + "-长期"
	}
	return dot(id.IssueDate) + "-" + dot(id.ExpiryDate)
}

// wrapRunes cuts s into lines of at most n characters.
func wrapRunes(s string, n int) []string {
	var out []string
	for utf8.RuneCountInString(s) > n {
		i := 0
		for k := 0; k < n; k++ {
			_, sz := utf8.DecodeRuneInString(s[i:])
			i += sz
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return append(out, s)
}

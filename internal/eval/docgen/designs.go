package docgen

import (
	"fmt"
	"image"
	"image/draw"
	"math"
	"strconv"
)

// Design is a family of card designs for the image-check card (Spec.Kind
// empty). The zero Design is the original card (renderCard), which the
// default datasets, the sample package and the tests use unchanged; the
// others are laid out on the security-printed sheet of the documents of a
// Kind and exist to measure the checks on card designs their fitting never
// saw (issue 16). Each family varies colours, pattern and details by seed.
type Design string

// Design families.
const (
	// DesignClassic is renderCard's card: header band, portrait left.
	DesignClassic Design = ""
	// DesignPortraitRight puts the portrait on the right, a faint ghost
	// portrait and a hologram over its corner, the fields on the left.
	DesignPortraitRight Design = "portrait_right"
	// DesignFramed prints a frame line inset from the card's edge and a
	// contrasting panel around the fields: rectangles inside the card,
	// the trap for the outline.
	DesignFramed Design = "framed"
	// DesignPassport is a passport data page (ID-3, 125 × 88 mm, square
	// corners) with a printed border and a two-line machine-readable zone.
	DesignPassport Design = "passport"
	// DesignVertical is an ID-1 card laid out upright (54 × 85.6 mm):
	// the portrait at the top, the fields below it.
	DesignVertical Design = "vertical"
	// DesignSecurity is covered edge to edge by dense guilloche, a
	// rosette, a hologram stripe and large foil patches.
	DesignSecurity Design = "security"
	// DesignInset prints the fields on a contrasting rounded panel inset
	// in the card by a wide margin (3–8 mm) of the card's own ground,
	// plain or patterned: a clean rectangle well inside the card, so a
	// card running out of the photo can leave the panel whole.
	DesignInset Design = "inset"
	// DesignStripe is the held-out family: a wide coloured stripe along
	// one long edge, a light rounded panel with the fields, the portrait
	// on the right with its ghost, an optional machine-readable zone. No
	// fitting or threshold has seen it: run it once, at the end.
	DesignStripe Design = "stripe"
	// DesignBand is a development family of cards of two tones, drawn
	// from real ID-1 layouts: a coloured band along one edge (a header
	// band along the top, a side band along a short edge, a bottom band)
	// and a pale rounded panel with the fields and the portrait (left or
	// right) covering the rest of the card, sometimes with a thin margin
	// of the band's colour around it. The band's tone is half the time
	// taken from the surface the card lies on (bandTone), so the card's
	// outer edge has little contrast along the band while the panel's
	// edge is crisp; the back has a header or bottom band and the
	// machine-readable zone on the panel. It is not in DevDesigns, so
	// "-designs dev" draws the photos it drew before; DevBandDesigns
	// holds both.
	DesignBand Design = "band"
)

// DevDesigns are the families the checks may be measured and fixed on;
// HeldOutDesigns are kept out of every fitting (see DesignStripe).
var (
	DevDesigns     = []Design{DesignPortraitRight, DesignFramed, DesignPassport, DesignVertical, DesignSecurity, DesignInset}
	HeldOutDesigns = []Design{DesignStripe}
	// MoreDevDesigns are development families added after DevDesigns
	// was fixed (its seeds are cited in the docs); DevBandDesigns is
	// every development family ("devall" in the evaluation's flags).
	MoreDevDesigns = []Design{DesignBand}
	DevBandDesigns = append(append([]Design{}, DevDesigns...), MoreDevDesigns...)
)

// ParseDesign returns the design family named s ("classic" or "" for the
// original card).
func ParseDesign(s string) (Design, error) {
	if s == "classic" || s == "" {
		return DesignClassic, nil
	}
	for _, d := range append(append([]Design{}, DevBandDesigns...), HeldOutDesigns...) {
		if string(d) == s {
			return d, nil
		}
	}
	return "", fmt.Errorf("docgen: unknown card design %q", s)
}

// Name is the family's name as reports print it ("classic" for the
// original card).
func (d Design) Name() string {
	if d == DesignClassic {
		return "classic"
	}
	return string(d)
}

// designSize is the printed size of a design, in mm (width × height as
// laid out).
func designSize(d Design) (w, h float64) {
	switch d {
	case DesignPassport:
		return 125, 88
	case DesignVertical:
		return 53.98, 85.6
	}
	return 85.6, 53.98
}

// renderDesign prints side of a card of design d whose long side is long
// pixels, for id, with transparent rounded corners on cards. noPortrait
// leaves the photo area (and the ghost) blank; pv, when not nil, is how
// the portrait is printed beyond look (see portraitVariety); tone, when
// not nil, is the surface's tone DesignBand's band is drawn close to.
func renderDesign(r rng, d Design, side Side, id Identity, long int, photo image.Image, look *printLook, noPortrait bool, pv *portraitVariety, tone *[3]float64) (*image.RGBA, error) {
	if err := DocumentFonts(); err != nil {
		return nil, err
	}
	loadFonts()
	wmm, hmm := designSize(d)
	wpx := long
	if hmm > wmm {
		wpx = int(math.Round(float64(long) * wmm / hmm))
	}
	s := &sheet{img: image.NewRGBA(image.Rect(0, 0, wpx, int(math.Round(float64(wpx)*hmm/wmm)))), u: float64(wpx) / wmm}
	st := newStyle(r)
	white := [3]float64{255, 255, 255}
	paperA := mix(st.paper, white, r.uni(0.1, 0.5))
	paperB := mix(st.guilloche[1], white, r.uni(0.4, 0.75))
	s.securityPrint(r, paperA, paperB, st.guilloche[0], st.guilloche[1])
	ink := s.ink(st.ink)
	grey := s.ink(mix(st.ink, st.paper, 0.5))
	portrait := func(x0, y0, x1, y1 float64) {
		if noPortrait {
			return
		}
		if pv != nil {
			s.variedPortrait(r, x0, y0, x1, y1, photo, look, st, pv)
			return
		}
		s.portrait(r, x0, y0, x1, y1, photo, look, st)
	}
	ghost := func(x0, y0, x1, y1 float64) {
		if !noPortrait {
			s.ghost(r, x0, y0, x1, y1, photo, st)
		}
	}
	if d == DesignBand {
		s.bandCard(r, side, id, st, portrait, tone, wmm, hmm)
	} else if side == Back {
		s.designBack(r, d, id, st, ink, grey, wmm, hmm)
	} else {
		switch d {
		case DesignPortraitRight:
			s.fill(0, 0, wmm, 8.5, st.band, 0.9)
			head := s.ink(white)
			s.text(head, fontBold, 2.8, 4, 6, id.Country)
			s.text(head, fontRegular, 1.9, 50, 5.8, "NATIONAL IDENTITY CARD")
			s.designFields(grey, ink, 4, 12.5, 2.5, id, 5.4)
			portrait(57, 11.5, 81.5, 42)
			ghost(44, 38, 54, 50)
			s.signature(r, ink, 58, 47.5, 20)
			s.hologram(r, 78, 40, 7, 6, r.uni(0.15, 0.3))
		case DesignFramed:
			fc := mix(st.band, st.ink, r.uni(0, 0.5))
			in := r.uni(1.8, 3.2)
			s.frame(in, in, wmm-in, hmm-in, r.uni(0.35, 0.7), fc)
			s.text(ink, fontBold, 2.6, in+3, in+5.2, id.Country)
			s.text(grey, fontRegular, 1.8, 55, in+5, "IDENTITY CARD")
			portrait(in+3, in+8, in+26, hmm-in-8)
			// The panel around the fields: a contrasting rounded box with
			// a border of its own.
			panel := mix(white, st.band, r.uni(0.05, 0.35))
			px0, py0, px1, py1 := in+29, in+8, wmm-in-3, hmm-in-5
			s.roundFill(px0, py0, px1, py1, 1.5, panel, r.uni(0.75, 0.95))
			s.frame(px0, py0, px1, py1, r.uni(0.25, 0.5), fc)
			s.designFields(grey, ink, px0+2, py0+3.5, 2.4, id, 5.2)
			s.signature(r, ink, in+4, hmm-in-3, 18)
		case DesignPassport:
			in := r.uni(2.5, 4)
			s.frame(in, in, wmm-in, hmm-in-21, r.uni(0.3, 0.6), mix(st.band, st.ink, 0.3))
			s.text(ink, fontBold, 3.4, in+4, in+6, id.Country)
			s.text(grey, fontRegular, 2.6, 92, in+6, "PASSPORT")
			portrait(in+4, in+10, in+36, in+52)
			ghost(100, 42, 116, 60)
			y := in + 12.0
			s.field(grey, ink, in+42, y, "TYPE / CODE", id.DocumentCode+"  "+id.Issuer, 2.7)
			s.field(grey, ink, 86, y, "PASSPORT NO", id.Number, 2.7)
			s.field(grey, ink, in+42, y+6, "SURNAME", id.Surname, 2.8)
			s.field(grey, ink, in+42, y+12, "GIVEN NAMES", id.GivenNames, 2.8)
			s.field(grey, ink, in+42, y+18, "NATIONALITY", id.Nationality, 2.8)
			s.field(grey, ink, in+42, y+24, "DATE OF BIRTH", visualDate(id.BirthDate), 2.8)
			s.field(grey, ink, 86, y+24, "SEX", id.Sex, 2.8)
			s.field(grey, ink, in+42, y+30, "DATE OF EXPIRY", visualDate(id.ExpiryDate), 2.8)
			s.signature(r, ink, in+6, hmm-in-24, 26)
			s.fill(0, hmm-20, wmm, hmm, white, 0.45)
			s.mrzZone(s.ink(mix(st.ink, [3]float64{0, 0, 0}, 0.4)), id.MRZ(KindTD3), 6.6, 5.2, 6.0)
		case DesignVertical:
			s.fill(0, 0, wmm, 9, st.band, 0.9)
			head := s.ink(white)
			s.text(head, fontBold, 2.6, 3.5, 6.2, id.Country)
			portrait(13, 12, 41, 46)
			y := 49.5
			s.field(grey, ink, 4, y, "SURNAME", id.Surname, 2.5)
			s.field(grey, ink, 4, y+5.3, "GIVEN NAMES", id.GivenNames, 2.5)
			s.field(grey, ink, 4, y+10.6, "DATE OF BIRTH", visualDate(id.BirthDate), 2.5)
			s.field(grey, ink, 32, y+10.6, "SEX", id.Sex, 2.5)
			s.field(grey, ink, 4, y+15.9, "DOCUMENT NO", id.Number, 2.5)
			s.field(grey, ink, 4, y+21.2, "DATE OF EXPIRY", visualDate(id.ExpiryDate), 2.5)
			s.signature(r, ink, 6, 81, 20)
			s.hologram(r, 44, 30, 6, 6, r.uni(0.12, 0.25))
		case DesignSecurity:
			// A second, darker pass of guilloche over the whole card.
			s.guillocheOver(r, mix(st.guilloche[0], st.ink, 0.3), r.uni(0.15, 0.3), s.img.Rect)
			s.text(ink, fontBold, 2.8, 4, 6, id.Country)
			s.text(grey, fontRegular, 1.9, 50, 6, "IDENTITY CARD")
			portrait(4, 9.5, 27, 41)
			s.designFields(grey, ink, 31, 10.5, 2.5, id, 5.4)
			s.signature(r, ink, 5, 48, 20)
			// A diffractive stripe across the card and large foil patches.
			x := r.uni(60, 74)
			for y := 2.0; y < hmm-2; y += 5 {
				s.hologram(r, x, y, 4, 3.2, r.uni(0.2, 0.4))
			}
			s.hologram(r, r.uni(20, 40), r.uni(30, 45), r.uni(8, 12), r.uni(6, 9), r.uni(0.15, 0.3))
		case DesignInset:
			s.insetFront(r, id, st, portrait, wmm, hmm)
		case DesignStripe:
			left := r.IntN(2) == 0
			sw := r.uni(14, 22)
			sx0, sx1 := 0.0, sw
			if !left {
				sx0, sx1 = wmm-sw, wmm
			}
			sc := hsl(r.uni(0, 360), r.uni(0.5, 0.85), r.uni(0.3, 0.5))
			s.fill(sx0, 0, sx1, hmm, sc, 0.95)
			s.emblem((sx0+sx1)/2, 14, sw*0.32, mix(sc, white, 0.6), 0.8, true)
			x0, x1 := sw+2.5, wmm-2.5
			if !left {
				x0, x1 = 2.5, wmm-sw-2.5
			}
			s.roundFill(x0, 3, x1, hmm-3, 2.5, mix(white, st.paper, 0.3), r.uni(0.6, 0.85))
			s.text(ink, fontBold, 2.6, x0+2.5, 8, id.Country)
			pw := 20.0
			portrait(x1-pw-2, 11, x1-2, 37)
			s.designFields(grey, ink, x0+2.5, 12.5, 2.3, id, 5)
			ghost(x1-pw-2, 39, x1-pw+7, 50)
			s.signature(r, ink, x0+4, hmm-6, 18)
			s.hologram(r, x1-4, 12, 5, 5, r.uni(0.15, 0.3))
		default:
			return nil, fmt.Errorf("docgen: no design %q", d)
		}
	}
	s.finish(r.uni(0.03, 0.07))
	if d != DesignPassport {
		roundCorners(s.img, 3.18*s.u)
	}
	return s.img, nil
}

// designFields prints the usual front fields in a column from (x, y) mm.
func (s *sheet) designFields(grey, ink *inkLayer, x, y, size float64, id Identity, step float64) {
	s.field(grey, ink, x, y, "SURNAME", id.Surname, size)
	s.field(grey, ink, x, y+step, "GIVEN NAMES", id.GivenNames, size)
	s.field(grey, ink, x, y+2*step, "SEX", id.Sex, size)
	s.field(grey, ink, x+13, y+2*step, "NATIONALITY", id.Nationality, size)
	s.field(grey, ink, x, y+3*step, "DATE OF BIRTH", visualDate(id.BirthDate), size)
	s.field(grey, ink, x, y+4*step, "DOCUMENT NO", id.Number, size)
	s.field(grey, ink, x, y+5*step, "DATE OF EXPIRY", visualDate(id.ExpiryDate), size)
}

// designBack prints the back of a design: fields, a block code, and on
// ID-1 cards a TD1 machine-readable zone; a passport's back is the
// observations page (text, no portrait).
func (s *sheet) designBack(r rng, d Design, id Identity, st cardStyle, ink, grey *inkLayer, wmm, hmm float64) {
	if d == DesignInset {
		s.insetBack(r, id, st, wmm, hmm)
		return
	}
	if d == DesignFramed || d == DesignPassport {
		in := r.uni(1.8, 3.2)
		s.frame(in, in, wmm-in, hmm-in, r.uni(0.3, 0.6), mix(st.band, st.ink, 0.3))
	}
	if d == DesignPassport {
		s.text(ink, fontBold, 3, 8, 10, "OBSERVATIONS")
		for i := 0; i < 6; i++ {
			s.text(grey, fontRegular, 2.4, 8, 18+float64(i)*8, id.Authority+" "+strconv.Itoa(100+r.IntN(900)))
		}
		return
	}
	s.field(grey, ink, 4, 6, "ADDRESS", id.Address, 2.1)
	s.field(grey, ink, 4, 12, "AUTHORITY", id.Authority, 2.1)
	s.field(grey, ink, 4, 18, "DATE OF ISSUE", visualDate(id.IssueDate), 2.1)
	mod := 0.7
	bx := wmm - 14 - mod*14
	if d == DesignVertical {
		bx = 4
	}
	for i := 0; i < 14; i++ {
		for j := 0; j < 14; j++ {
			if r.IntN(2) == 0 {
				x, y := bx+float64(i)*mod, 26+float64(j)*mod
				if d != DesignVertical {
					y = 4 + float64(j)*mod
				}
				draw.Draw(ink.mask, s.box(x, y, x+mod, y+mod), image.Opaque, image.Point{}, draw.Src)
			}
		}
	}
	if d == DesignSecurity || d == DesignStripe {
		s.hologram(r, r.uni(20, 60), r.uni(15, 30), r.uni(6, 10), r.uni(5, 8), r.uni(0.15, 0.3))
	}
	if d == DesignVertical {
		return
	}
	s.fill(0, hmm-18.5, wmm, hmm, [3]float64{250, 250, 248}, 0.55)
	s.mrzZone(s.ink(mix(st.ink, [3]float64{0, 0, 0}, 0.4)), id.MRZ(KindTD1), 4.6, 4.4, 4.35)
}

// frame strokes a rectangle (mm) with a line lw mm wide.
func (s *sheet) frame(x0, y0, x1, y1, lw float64, c [3]float64) {
	s.fill(x0, y0, x1, y0+lw, c, 0.95)
	s.fill(x0, y1-lw, x1, y1, c, 0.95)
	s.fill(x0, y0, x0+lw, y1, c, 0.95)
	s.fill(x1-lw, y0, x1, y1, c, 0.95)
}

// roundFill paints a box (mm) with rounded corners of radius rad mm.
func (s *sheet) roundFill(x0, y0, x1, y1, rad float64, c [3]float64, a float64) {
	b := s.box(x0, y0, x1, y1).Intersect(s.img.Rect)
	rp := rad * s.u
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			fx, fy := float64(x)+0.5, float64(y)+0.5
			cx := math.Max(float64(b.Min.X)+rp, math.Min(fx, float64(b.Max.X)-rp))
			cy := math.Max(float64(b.Min.Y)+rp, math.Min(fy, float64(b.Max.Y)-rp))
			d := math.Hypot(fx-cx, fy-cy) - rp
			if d < 0.5 {
				blend(s.img, x, y, c, a*math.Min(1, 0.5-d))
			}
		}
	}
}

// ghost prints a small, faint, grey copy of the portrait (as many cards
// do, as a security feature).
func (s *sheet) ghost(r rng, x0, y0, x1, y1 float64, photo image.Image, st cardStyle) {
	b := s.box(x0, y0, x1, y1)
	tmp := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	if photo != nil {
		pastePortrait(tmp, tmp.Rect, photo, &printLook{contrast: 0.6, saturation: 0})
	} else {
		drawPortrait(tmp, tmp.Rect, r, st)
	}
	a := r.uni(0.25, 0.45)
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			o := y*tmp.Stride + 4*x
			v := 0.299*float64(tmp.Pix[o]) + 0.587*float64(tmp.Pix[o+1]) + 0.114*float64(tmp.Pix[o+2])
			blend(s.img, b.Min.X+x, b.Min.Y+y, [3]float64{v, v, v}, a)
		}
	}
}

// guillocheOver lays a second family of fine interlaced waves, laid out
// over the whole sheet, in colour c at opacity a on the part area of it.
func (s *sheet) guillocheOver(r rng, c [3]float64, a float64, area image.Rectangle) {
	W := s.img.Rect.Dx()
	area = area.Intersect(s.img.Rect)
	k, p := r.uni(4, 9)*2*math.Pi/float64(W), r.uni(0, 6)
	amp := r.uni(1.5, 4) * s.u
	sp := r.uni(0.7, 1.2) * s.u
	lw := math.Max(0.7, 0.1*s.u)
	for y := area.Min.Y; y < area.Max.Y; y++ {
		for x := area.Min.X; x < area.Max.X; x++ {
			w := amp * math.Sin(k*float64(x)+p+float64(y)/(9*s.u))
			if fmod(float64(y)+w+1e6, sp) < lw || fmod(float64(y)-w+1e6, sp) < lw {
				blend(s.img, x, y, c, a)
			}
		}
	}
}

// inset is the layout of a DesignInset side: the panel's box (mm), its
// colour, and the inks that print on it.
type inset struct {
	x0, y0, x1, y1 float64
	panel          [3]float64
	ink, grey      *inkLayer
}

// insetGround covers the card with its ground, leaving a panel of the
// box (x0, y0)–(x1, y1) mm: the ground's colour, plain or over the
// security print (sometimes with a guilloche of its own), then the
// rounded panel lighter or darker than it, sometimes with a thin border
// of its own. It returns the panel and the inks that read on it.
func (s *sheet) insetGround(r rng, st cardStyle, x0, y0, x1, y1 float64) inset {
	white, black := [3]float64{255, 255, 255}, [3]float64{0, 0, 0}
	hue := r.uni(0, 360)
	// A darker panel on a light ground, or a light panel on a mid-tone
	// ground (tones a card's median keeps clear of too dark: the panel
	// is most of the card).
	dark := r.IntN(3) == 0
	var ground, panel [3]float64
	if dark {
		ground = hsl(hue, r.uni(0.25, 0.6), r.uni(0.8, 0.9))
		panel = hsl(hue+r.uni(-40, 40), r.uni(0.25, 0.55), r.uni(0.42, 0.55))
	} else {
		ground = hsl(hue, r.uni(0.3, 0.7), r.uni(0.4, 0.62))
		panel = mix(white, st.paper, r.uni(0.1, 0.6))
	}
	wmm, hmm := float64(s.img.Rect.Dx())/s.u, float64(s.img.Rect.Dy())/s.u
	pattern := r.IntN(3)
	a := r.uni(0.9, 1) // plain
	switch pattern {
	case 1: // the security print showing through a tint
		a = r.uni(0.6, 0.8)
	case 2: // a tint and a guilloche of the ground's own
		a = r.uni(0.7, 0.9)
	}
	// At least 45 levels of luma between the ground, as tinted over a
	// light paper, and the panel (a yellow ground is light).
	luma := func(c [3]float64) float64 { return 0.299*c[0] + 0.587*c[1] + 0.114*c[2] }
	for math.Abs(a*luma(ground)+(1-a)*235-luma(panel)) < 45 {
		if dark {
			panel = mix(panel, black, 0.1)
		} else {
			ground = mix(ground, black, 0.1)
		}
	}
	s.fill(0, 0, wmm, hmm, ground, a)
	if pattern == 2 {
		s.guillocheOver(r, mix(ground, black, r.uni(0.2, 0.4)), r.uni(0.3, 0.6), s.img.Rect)
	}
	rad := r.uni(1.2, 4)
	if r.IntN(2) == 0 {
		lw := r.uni(0.2, 0.45)
		s.roundFill(x0, y0, x1, y1, rad, mix(ground, black, r.uni(0.3, 0.6)), 0.95)
		x0, y0, x1, y1, rad = x0+lw, y0+lw, x1-lw, y1-lw, math.Max(0.3, rad-lw)
	}
	s.roundFill(x0, y0, x1, y1, rad, panel, r.uni(0.88, 1))
	in := inset{x0: x0, y0: y0, x1: x1, y1: y1, panel: panel}
	if dark {
		in.ink, in.grey = s.ink(mix(white, panel, 0.05)), s.ink(mix(white, panel, 0.3))
	} else {
		in.ink, in.grey = s.ink(st.ink), s.ink(mix(st.ink, panel, 0.5))
	}
	return in
}

// insetMargins draws the margins of the card's ground around the panel:
// mx at the sides, my at the top and bottom, in mm.
func insetMargins(r rng) (mx, my float64) {
	mx = r.uni(3, 8)
	return mx, math.Max(3, math.Min(8, mx*r.uni(0.75, 1.2)))
}

// insetFront prints a DesignInset front: the panel holds the fields and,
// on half of the cards, the portrait; on the others the portrait stands
// on the ground beside the panel.
func (s *sheet) insetFront(r rng, id Identity, st cardStyle, portrait func(x0, y0, x1, y1 float64), wmm, hmm float64) {
	mx, my := insetMargins(r)
	inside := r.IntN(2) == 0
	left := r.IntN(4) != 0 // the portrait on the left
	ph := hmm - 2*my - 9   // the portrait's height
	pw := ph * 0.78
	px0, px1 := mx, wmm-mx // the panel
	if !inside {
		ph = hmm - 2*my - 4
		pw = ph * 0.78
		if left {
			px0 = mx + pw + r.uni(2.5, 4)
		} else {
			px1 = wmm - mx - pw - r.uni(2.5, 4)
		}
	}
	p := s.insetGround(r, st, px0, my, px1, hmm-my)
	var qx0 float64 // the portrait's left
	switch {
	case inside && left:
		qx0 = p.x0 + 2.5
	case inside:
		qx0 = p.x1 - 2.5 - pw
	case left:
		qx0 = mx
	default:
		qx0 = wmm - mx - pw
	}
	qy0 := my + 6.5
	if !inside {
		qy0 = my + 2
	}
	portrait(qx0, qy0, qx0+pw, qy0+ph)
	fx := p.x0 + 2.5 // the fields' column
	if inside && left {
		fx = qx0 + pw + 3
	}
	s.text(p.ink, fontBold, 2.4, p.x0+2.5, p.y0+4, id.Country)
	step := math.Min(5.2, (p.y1-p.y0-11)/5.6)
	s.designFields(p.grey, p.ink, fx, p.y0+7.5, math.Min(2.4, step*0.5), id, step)
	sx := p.x1 - 21
	if inside && !left {
		sx = qx0 - 21
	}
	s.signature(r, p.ink, sx, p.y1-2.8, 17)
	if r.IntN(2) == 0 {
		s.hologram(r, p.x1-r.uni(4, 12), p.y0+r.uni(4, 10), 4.5, 4.5, r.uni(0.12, 0.25))
	}
}

// insetBack prints a DesignInset back: the panel with the address, the
// authority and a block code above the machine-readable zone, which
// runs across the card on a light band of its own (a TD1 zone is 76 mm
// long, wider than the panel).
func (s *sheet) insetBack(r rng, id Identity, st cardStyle, wmm, hmm float64) {
	mx, my := insetMargins(r)
	mrz := hmm - 17.5
	p := s.insetGround(r, st, mx, my, wmm-mx, mrz-math.Min(my, 3.5))
	s.field(p.grey, p.ink, p.x0+2.5, p.y0+4, "ADDRESS", id.Address, 2)
	s.field(p.grey, p.ink, p.x0+2.5, p.y0+9.5, "AUTHORITY", id.Authority, 2)
	s.matrixCode(r, p.ink, p.x1-2, p.y0+2)
	s.fill(0, mrz, wmm, hmm, [3]float64{250, 250, 248}, r.uni(0.5, 0.8))
	s.mrzZone(s.ink(mix(st.ink, [3]float64{0, 0, 0}, 0.4)), id.MRZ(KindTD1), 4.6, 3.4, 4.35)
}

// matrixCode prints a 14 × 14 two-dimensional code of random modules
// 0.55 mm square whose top-right corner is at (right, top) mm.
func (s *sheet) matrixCode(r rng, ink *inkLayer, right, top float64) {
	mod := 0.55
	bx := right - 14*mod
	for i := 0; i < 14; i++ {
		for j := 0; j < 14; j++ {
			if r.IntN(2) == 0 {
				x, y := bx+float64(i)*mod, top+float64(j)*mod
				draw.Draw(ink.mask, s.box(x, y, x+mod, y+mod), image.Opaque, image.Point{}, draw.Src)
			}
		}
	}
}

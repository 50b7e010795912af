package docgen

import (
	"image"
	"math"
)

// The band family (DesignBand): cards of two tones, as many real ID-1
// cards are printed — a coloured band along one edge (a header band with
// the issuing country, a side band along a short edge with the issuer's
// code and an emblem, a bottom band) and a pale panel with the fields
// and the portrait over the rest of the card. The panel runs to the
// card's edge on the other three sides, or leaves a thin margin of the
// band's colour around it.

// Edges of the card a band runs along (as laid out, before any turn).
const (
	bandTop = iota
	bandRight
	bandBottom
	bandLeft
)

// bandLayout is a DesignBand side's layout, in mm: the edge the band
// runs along, the band's box and the panel's box.
type bandLayout struct {
	edge               int
	bx0, by0, bx1, by1 float64 // the band
	px0, py0, px1, py1 float64 // the panel
	margin, rad        float64 // the margin of band colour round the panel, its corners' radius
}

// newBandLayout draws a layout for side of a wmm × hmm card: on a front
// a header band (2 in 5), a side band at either short edge (2 in 5) or a
// bottom band (1 in 5); on a back a header or a bottom band. Bands along
// a long edge are 8.5–17 mm deep, side bands 12–26 mm wide (a sixth to
// a third of the card); half the panels run to the card's edge, the
// others leave a margin of 0.8–3 mm.
func newBandLayout(r rng, side Side, wmm, hmm float64) bandLayout {
	var l bandLayout
	if side == Back {
		l.edge = []int{bandTop, bandBottom}[r.IntN(2)]
	} else {
		switch x := r.IntN(5); {
		case x < 2:
			l.edge = bandTop
		case x < 4:
			l.edge = []int{bandLeft, bandRight}[r.IntN(2)]
		default:
			l.edge = bandBottom
		}
	}
	if r.IntN(2) == 1 {
		l.margin = r.uni(0.8, 3)
	}
	l.rad = r.uni(0.5, 2.5)
	deep := r.uni(8.5, 17)
	if side == Back {
		deep = r.uni(7, 12)
	}
	wide := r.uni(12, 26)
	m := l.margin
	l.bx0, l.by0, l.bx1, l.by1 = 0, 0, wmm, hmm
	l.px0, l.py0, l.px1, l.py1 = m, m, wmm-m, hmm-m
	switch l.edge {
	case bandTop:
		l.by1 = deep
		l.py0 = deep + m
	case bandBottom:
		l.by0 = hmm - deep
		l.py1 = hmm - deep - m
	case bandLeft:
		l.bx1 = wide
		l.px0 = wide + m
	default:
		l.bx0 = wmm - wide
		l.px1 = wmm - wide - m
	}
	return l
}

// bandColour is the band's tone: close to tone (the surface's), lighter
// or darker by 2–12 %, when tone is given; otherwise a strong colour.
func bandColour(r rng, tone *[3]float64) [3]float64 {
	if tone == nil {
		return hsl(r.uni(0, 360), r.uni(0.35, 0.8), r.uni(0.22, 0.5))
	}
	k := 1 + r.uni(0.02, 0.12)
	if r.IntN(2) == 0 {
		k = 2 - k
	}
	var c [3]float64
	for i := range c {
		c[i] = math.Max(0, math.Min(255, tone[i]*k))
	}
	return c
}

// bandCard prints a DesignBand side: the band (plain, or with a
// guilloche of its own), the pale rounded panel, and on it the fields
// and the portrait (left or right of the fields) or, on a back, the
// address, a block code and the machine-readable zone.
func (s *sheet) bandCard(r rng, side Side, id Identity, st cardStyle, portrait func(x0, y0, x1, y1 float64), tone *[3]float64, wmm, hmm float64) {
	white, black := [3]float64{255, 255, 255}, [3]float64{0, 0, 0}
	l := newBandLayout(r, side, wmm, hmm)
	band := bandColour(r, tone)
	if l.margin > 0 {
		s.fill(0, 0, wmm, hmm, band, r.uni(0.9, 1))
	} else {
		s.fill(l.bx0, l.by0, l.bx1, l.by1, band, r.uni(0.9, 1))
	}
	luma := 0.299*band[0] + 0.587*band[1] + 0.114*band[2]
	if r.IntN(3) == 0 {
		over := black
		if luma < 90 {
			over = white
		}
		s.guillocheOver(r, mix(band, over, r.uni(0.15, 0.3)), r.uni(0.3, 0.5), s.box(l.bx0, l.by0, l.bx1, l.by1))
	}
	// The panel is pale but tinted, and the security print shows
	// through it, as on real cards.
	panel := mix(white, st.paper, r.uni(0.6, 1))
	s.roundFill(l.px0, l.py0, l.px1, l.py1, l.rad, panel, r.uni(0.5, 0.8))
	head := s.ink(white)
	if luma > 150 {
		head = s.ink(st.ink)
	}
	ink := s.ink(st.ink)
	grey := s.ink(mix(st.ink, panel, 0.5))
	// The band's own print: the country and the card's title along a
	// long edge; the issuer's code and a ring (an emblem) in a side band.
	switch l.edge {
	case bandTop, bandBottom:
		y := l.by0 + (l.by1-l.by0)/2 + 1.2
		s.text(head, fontBold, 2.8, 4, y, id.Country)
		s.text(head, fontRegular, 1.9, wmm-28, y, "IDENTITY CARD")
	default:
		cx := (l.bx0 + l.bx1) / 2
		s.text(head, fontBold, 3.2, cx-4, 9, id.Issuer)
		rr := math.Min(5, (l.bx1-l.bx0)/2-2)
		c := head.c
		for a := 0.0; a < 2*math.Pi; a += 0.02 {
			for _, k := range []float64{1, 0.8} {
				x, y := (cx+rr*k*math.Cos(a))*s.u, (hmm/2+rr*k*math.Sin(a))*s.u
				blend(s.img, int(x), int(y), c, 0.8)
			}
		}
	}
	if side == Back {
		s.bandBack(r, l, id, st, ink, grey, hmm)
		return
	}
	top := l.py0 + 2.5
	if l.edge != bandTop {
		s.text(ink, fontBold, 2.4, l.px0+2.5, l.py0+4.2, id.Country)
		top = l.py0 + 6
	}
	ph := math.Min(34, l.py1-top-3) // the portrait's height
	pw := ph * 0.78
	left := r.IntN(2) == 0
	qx := l.px0 + 2.5
	fx := qx + pw + 3 // the fields' column
	if !left {
		qx = l.px1 - 2.5 - pw
		fx = l.px0 + 3
	}
	portrait(qx, top, qx+pw, top+ph)
	step := math.Min(5.2, (l.py1-top-2)/5.8)
	s.designFields(grey, ink, fx, top+2, math.Min(2.4, step*0.48), id, step)
	if room := l.py1 - top - ph; room > 6 {
		s.signature(r, ink, qx+1, top+ph+room/2, math.Min(18, pw))
	}
	if r.IntN(2) == 0 {
		hx := qx + pw
		if !left {
			hx = qx
		}
		s.hologram(r, hx, top+ph*r.uni(0.6, 0.9), 4.5, 4.5, r.uni(0.12, 0.25))
	}
}

// bandBack prints a DesignBand back's panel: the address, the authority
// and the date of issue, a block code, and the TD1 machine-readable zone
// at the panel's foot.
func (s *sheet) bandBack(r rng, l bandLayout, id Identity, st cardStyle, ink, grey *inkLayer, hmm float64) {
	x, y := l.px0+2.5, l.py0+3
	s.field(grey, ink, x, y, "ADDRESS", id.Address, 2)
	s.field(grey, ink, x, y+5.5, "AUTHORITY", id.Authority, 2)
	s.field(grey, ink, x, y+11, "DATE OF ISSUE", visualDate(id.IssueDate), 2)
	s.matrixCode(r, ink, l.px1-2, l.py0+2)
	s.mrzZone(s.ink(mix(st.ink, [3]float64{0, 0, 0}, 0.4)), id.MRZ(KindTD1), 4.6, hmm-l.py1+2, 4.35)
}

// medianTone is the colour of img's pixel of median luma among a grid
// of samples (the surface's typical tone: a wood's mid grain, a tile's
// face rather than its grout).
func medianTone(img *image.RGBA) [3]float64 {
	type px struct {
		l float64
		c [3]float64
	}
	var v []px
	W, H := img.Rect.Dx(), img.Rect.Dy()
	for y := H / 40; y < H; y += max(1, H/20) {
		for x := W / 40; x < W; x += max(1, W/20) {
			o := y*img.Stride + 4*x
			c := [3]float64{float64(img.Pix[o]), float64(img.Pix[o+1]), float64(img.Pix[o+2])}
			v = append(v, px{0.299*c[0] + 0.587*c[1] + 0.114*c[2], c})
		}
	}
	for i := 1; i < len(v); i++ { // insertion sort: a few hundred samples
		for j := i; j > 0 && v[j].l < v[j-1].l; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
	return v[len(v)/2].c
}

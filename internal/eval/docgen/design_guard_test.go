package docgen

import (
	"crypto/sha256"
	"fmt"
	"image"
	"math"
	"runtime"
	"slices"
	"testing"
)

// TestOtherDesignsUnchanged guards the classic card, the held-out family,
// the first five development families and the band family against a
// change made for another family: their photos (front, back, a clear cut-off; pixels and
// label) must stay as they were, pixel for pixel. The sums are those of amd64, where Go fuses no
// multiply-add (other architectures may round differently).
func TestOtherDesignsUnchanged(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("pixel sums recorded on amd64")
	}
	if err := DocumentFonts(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"classic/11":        "e3d3f1f6879e4424",
		"classic/12":        "ac1ce3307578e142",
		"classic/13":        "6eefb69de796c742",
		"stripe/11":         "72a19869df9377d3",
		"stripe/12":         "1224094641a7a1df",
		"stripe/13":         "b5dad13fbbb1caa6",
		"portrait_right/11": "edd261be72025597",
		"portrait_right/12": "615861e43912386b",
		"portrait_right/13": "3f6c65fd03c20c16",
		"framed/11":         "31c7c1fc014ec96e",
		"framed/12":         "62b0f3ca12a06bf6",
		"framed/13":         "dbf71c5a265d2a34",
		"passport/11":       "4fec8435eaf40802",
		"passport/12":       "d82408ab7a6317b5",
		"passport/13":       "0528f12e6acf88eb",
		"vertical/11":       "ad10378011ca7f4e",
		"vertical/12":       "d97bb0df45df5f51",
		"vertical/13":       "cdb6aafe1dfbea6f",
		"security/11":       "84e2a9e7143c2e3a",
		"security/12":       "1224094641a7a1df",
		"security/13":       "a1eea57a1399a5e1",
		"band/11":           "4d87e1a7db92cde6",
		"band/12":           "8d03ceb4ea50f3b6",
		"band/13":           "9c0c35e1eac85f0a",
	}
	for _, d := range append([]Design{DesignClassic, DesignPortraitRight, DesignFramed, DesignPassport, DesignVertical, DesignSecurity, DesignBand}, HeldOutDesigns...) {
		for _, spec := range []Spec{
			{Seed: 11, Size: SizeTest, Design: d},
			{Seed: 12, Size: SizeTest, Design: d, Side: Back},
			{Seed: 13, Size: SizeTest, Design: d, Defect: CutOff, Strength: Clear},
		} {
			img, lab := Generate(spec)
			h := sha256.New()
			h.Write(img.Pix)
			fmt.Fprintf(h, "%v %v %s %s", lab.Quad, lab.Codes, lab.Variant, lab.Background)
			key := fmt.Sprintf("%s/%d", d.Name(), spec.Seed)
			got := fmt.Sprintf("%x", h.Sum(nil))[:16]
			if want[key] != got {
				t.Errorf("%s: pixels or label changed: sum %s, want %s", key, got, want[key])
			}
		}
	}
}

// TestInsetGround: the inset family's panel (painted alone on a blank
// sheet) differs clearly from the card's ground around it, lighter or
// darker, with the ground beyond every side of it, and its margins lie
// within 3–8 mm.
func TestInsetGround(t *testing.T) {
	// The median luma of the 11×11 pixels (1.1 mm) around (x, y): a
	// patterned ground's guilloche lines are thin.
	luma := func(img *image.RGBA, x, y int) float64 {
		var v []float64
		for yy := y - 5; yy <= y+5; yy++ {
			for xx := x - 5; xx <= x+5; xx++ {
				o := yy*img.Stride + 4*xx
				v = append(v, 0.299*float64(img.Pix[o])+0.587*float64(img.Pix[o+1])+0.114*float64(img.Pix[o+2]))
			}
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	lighter, darker := 0, 0
	for seed := int64(1); seed <= 24; seed++ {
		r := newRNG(seed, 5)
		mx, my := insetMargins(r)
		if mx < 3 || mx > 8 || my < 3 || my > 8 {
			t.Errorf("seed %d: margins %.2f, %.2f mm, want 3–8", seed, mx, my)
		}
		s := &sheet{img: image.NewRGBA(image.Rect(0, 0, 856, 540)), u: 10}
		s.fill(0, 0, 85.6, 54, [3]float64{230, 230, 225}, 1) // the security print's paper
		st := newStyle(r)
		p := s.insetGround(r, st, mx, my, 85.6-mx, 54-my)
		panel := luma(s.img, 428, 270)
		// The ground 1.5 mm out from each side's middle.
		for _, g := range [][2]int{{428, int((my - 1.5) * 10)}, {428, int((54 - my + 1.5) * 10)}, {int((mx - 1.5) * 10), 270}, {int((85.6 - mx + 1.5) * 10), 270}} {
			d := luma(s.img, g[0], g[1]) - panel
			switch {
			case d <= -40:
				lighter++
			case d >= 40:
				darker++
			default:
				t.Errorf("seed %d: ground at %v differs from the panel by %.0f in luma, want 40 or more", seed, g, d)
			}
		}
		if p.x0 < mx || p.x1 > 85.6-mx || p.ink == nil || p.grey == nil {
			t.Errorf("seed %d: panel %+v outside its box or without inks", seed, p)
		}
	}
	if lighter == 0 || darker == 0 {
		t.Errorf("panels lighter than the ground on %d sides, darker on %d: want both", lighter, darker)
	}
}

// TestDevDesignsList: the band family was added outside DevDesigns, so
// "-designs dev" draws what it drew before; DevBandDesigns holds every
// development family and no held-out one.
func TestDevDesignsList(t *testing.T) {
	if slices.Contains(DevDesigns, DesignBand) {
		t.Error("DevDesigns holds the band family: -designs dev would draw other photos")
	}
	if len(DevDesigns) != 6 || !slices.Contains(DevBandDesigns, DesignBand) || len(DevBandDesigns) != len(DevDesigns)+1 {
		t.Errorf("DevBandDesigns %v, want DevDesigns %v and band", DevBandDesigns, DevDesigns)
	}
	for _, d := range HeldOutDesigns {
		if slices.Contains(DevBandDesigns, d) {
			t.Errorf("held-out family %s among the development families", d)
		}
	}
}

// TestBandLayout: a band card's band runs along one edge, 8.5–17 mm deep
// along a long edge (7–12 on a back) or 12–26 mm wide along a short
// one; the panel fills the rest of the card but for its margin (none,
// or 0.8–3 mm) on every side; fronts have bands along all four edges,
// backs along the top or the bottom only; half the panels or so reach
// the card's edge.
func TestBandLayout(t *testing.T) {
	const wmm, hmm = 85.6, 53.98
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	for _, side := range []Side{Front, Back} {
		edges := map[int]int{}
		flush := 0
		for seed := int64(1); seed <= 60; seed++ {
			l := newBandLayout(newRNG(seed, 21), side, wmm, hmm)
			edges[l.edge]++
			m := l.margin
			if m == 0 {
				flush++
			} else if m < 0.8 || m > 3 {
				t.Errorf("%v seed %d: margin %.2f mm", side, seed, m)
			}
			var deep, lo, hi float64
			var panelOK bool
			switch l.edge {
			case bandTop:
				deep, lo, hi = l.by1-l.by0, 8.5, 17
				panelOK = near(l.py0, l.by1+m) && near(l.py1, hmm-m) && near(l.px0, m) && near(l.px1, wmm-m) && l.by0 == 0
			case bandBottom:
				deep, lo, hi = l.by1-l.by0, 8.5, 17
				panelOK = near(l.py1, l.by0-m) && near(l.py0, m) && near(l.px0, m) && near(l.px1, wmm-m) && near(l.by1, hmm)
			case bandLeft:
				deep, lo, hi = l.bx1-l.bx0, 12, 26
				panelOK = near(l.px0, l.bx1+m) && near(l.px1, wmm-m) && near(l.py0, m) && near(l.py1, hmm-m) && l.bx0 == 0
			case bandRight:
				deep, lo, hi = l.bx1-l.bx0, 12, 26
				panelOK = near(l.px1, l.bx0-m) && near(l.px0, m) && near(l.py0, m) && near(l.py1, hmm-m) && near(l.bx1, wmm)
			}
			if side == Back {
				lo, hi = 7, 12
			}
			if deep < lo || deep > hi {
				t.Errorf("%v seed %d: band along edge %d %.2f mm deep, want %.1f–%.1f", side, seed, l.edge, deep, lo, hi)
			}
			if !panelOK {
				t.Errorf("%v seed %d: panel %+v does not fill the card beside the band", side, seed, l)
			}
		}
		if side == Front && len(edges) != 4 {
			t.Errorf("fronts: bands along edges %v, want all four", edges)
		}
		if side == Back && (edges[bandLeft]+edges[bandRight] != 0 || edges[bandTop] == 0 || edges[bandBottom] == 0) {
			t.Errorf("backs: bands along edges %v, want the top and the bottom only", edges)
		}
		if flush < 15 || flush > 45 {
			t.Errorf("%v: %d of 60 panels reach the card's edge, want about half", side, flush)
		}
	}
}

// TestBandTone: a band drawn to a surface's tone lies within 2–12 % of
// it in every channel, lighter or darker; without a tone the band is a
// colour of its own, clearly darker than a pale panel.
func TestBandTone(t *testing.T) {
	lighter, darker := 0, 0
	for seed := int64(1); seed <= 40; seed++ {
		tone := [3]float64{120, 90, 60}
		c := bandColour(newRNG(seed, 3), &tone)
		k := c[0] / tone[0]
		for i := range c {
			if math.Abs(c[i]/tone[i]-k) > 1e-9 {
				t.Errorf("seed %d: band %v not a shade of %v", seed, c, tone)
			}
		}
		switch {
		case k >= 1.02 && k <= 1.12:
			lighter++
		case k >= 0.88 && k <= 0.98:
			darker++
		default:
			t.Errorf("seed %d: band %v is %.3f × the surface's tone, want 0.88–0.98 or 1.02–1.12", seed, c, k)
		}
		own := bandColour(newRNG(seed, 3), nil)
		if l := 0.299*own[0] + 0.587*own[1] + 0.114*own[2]; l > 200 {
			t.Errorf("seed %d: band of its own %v too pale (luma %.0f)", seed, own, l)
		}
	}
	if lighter == 0 || darker == 0 {
		t.Errorf("bands lighter %d, darker %d: want both", lighter, darker)
	}
}

// TestBandGround: a band card photo whose surface was painted first (to
// draw the band's tone from) names a surface of the lists in its label,
// and is drawn the same twice.
func TestBandGround(t *testing.T) {
	if err := DocumentFonts(); err != nil {
		t.Fatal(err)
	}
	matched := 0
	for seed := int64(1); seed <= 8; seed++ {
		if newRNG(seed, 31).IntN(2) != 0 {
			continue
		}
		matched++
		a, lab := Generate(Spec{Seed: seed, Size: SizeTest, Design: DesignBand})
		b, _ := Generate(Spec{Seed: seed, Size: SizeTest, Design: DesignBand})
		if !slices.Equal(a.Pix, b.Pix) {
			t.Errorf("seed %d: two draws differ", seed)
		}
		if !slices.Contains(append(append([]string{}, backgrounds...), designBackgrounds...), lab.Background) {
			t.Errorf("seed %d: background %q", seed, lab.Background)
		}
	}
	if matched == 0 {
		t.Error("no band card on a surface painted first in 8 seeds")
	}
}

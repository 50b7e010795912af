package docgen

import (
	"crypto/sha256"
	"fmt"
	"image"
	"runtime"
	"slices"
	"testing"
)

// TestOtherDesignsUnchanged guards the classic card, the held-out family
// and the first five development families against a change made for
// another family: their photos (front, back, a clear cut-off; pixels and
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
	}
	for _, d := range append([]Design{DesignClassic, DesignPortraitRight, DesignFramed, DesignPassport, DesignVertical, DesignSecurity}, HeldOutDesigns...) {
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

package docgen

import (
	"bytes"
	"crypto/sha256"
	"image"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kycq/kycq/kyc/reason"
)

func TestGenerateIsDeterministic(t *testing.T) {
	spec := Spec{Seed: 77, Size: SizeTest, Defect: Glare, Strength: Moderate}
	a, la := Generate(spec)
	b, lb := Generate(spec)
	if sha256.Sum256(a.Pix) != sha256.Sum256(b.Pix) {
		t.Fatal("same spec, different pixels")
	}
	if la.Quad != lb.Quad || la.Background != lb.Background || !slices.Equal(la.Codes, lb.Codes) {
		t.Fatalf("labels differ: %+v %+v", la, lb)
	}
	c, _ := Generate(Spec{Seed: 78, Size: SizeTest, Defect: Glare, Strength: Moderate})
	if sha256.Sum256(a.Pix) == sha256.Sum256(c.Pix) {
		t.Fatal("different seeds, same pixels")
	}
}

func TestLabels(t *testing.T) {
	for seed := int64(1); seed <= 2; seed++ {
		for _, d := range append([]Defect{Clean}, Defects...) {
			img, lab := Generate(Spec{Seed: seed, Size: SizeTest, Defect: d, Strength: Clear})
			b := img.Bounds()
			if lab.Width != b.Dx() || lab.Height != b.Dy() {
				t.Fatalf("%s: label %dx%d, image %v", d, lab.Width, lab.Height, b)
			}
			want := []reason.Code{}
			if d != Clean {
				want = []reason.Code{d.Code()}
			}
			if !slices.Equal(lab.Codes, want) {
				t.Errorf("%s: codes %v", d, lab.Codes)
			}
			out := 0
			for _, c := range lab.Quad {
				if c[0] < 0 || c[1] < 0 || c[0] > float64(b.Dx()) || c[1] > float64(b.Dy()) {
					out++
				}
			}
			switch {
			case d == CutOff && lab.Variant == "frame" && out == 0:
				t.Errorf("seed %d: cut-off by the frame with every corner inside: %v", seed, lab.Quad)
			case !(d == CutOff && lab.Variant == "frame") && out > 0:
				t.Errorf("seed %d %s: corners outside the frame: %v", seed, d, lab.Quad)
			}
			if d == LowRes && lab.DocLongSide >= 600 {
				t.Errorf("low resolution with a %v px document", lab.DocLongSide)
			}
			if d == Clean && lab.DocLongSide < 0.45*float64(max(b.Dx(), b.Dy())) {
				t.Errorf("clean photo with a small document: %v px", lab.DocLongSide)
			}
		}
	}
}

// ICAO 9303 part 3 check digits (weights 7, 3, 1), on the specimen values
// of the standard.
func TestCheckDigit(t *testing.T) {
	for _, c := range []struct {
		s    string
		want byte
	}{{"L898902C3", '6'}, {"740812", '2'}, {"120415", '9'}, {"D23145890", '7'}, {"<<<<<<<<<", '0'}} {
		if got := checkDigit(c.s); got != c.want {
			t.Errorf("checkDigit(%q) = %c, want %c", c.s, got, c.want)
		}
	}
	id := newIdentity(newRNG(1, 1))
	m := id.mrz()
	for i, l := range m {
		if len(l) != 30 {
			t.Errorf("MRZ line %d has %d characters: %q", i+1, len(l), l)
		}
	}
	if m[0][14] != checkDigit(m[0][5:14]) {
		t.Errorf("document number check digit wrong in %q", m[0])
	}
}

// Storing a photo with an EXIF orientation turns the pixels so that a
// viewer applying the tag shows the original.
func TestStoredOrientation(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 5, 3))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	for o := 1; o <= 8; o++ {
		s := stored(img, o)
		if o == 1 {
			s = img
		}
		sw, sh := s.Rect.Dx(), s.Rect.Dy()
		for y := 0; y < 3; y++ {
			for x := 0; x < 5; x++ {
				// Where the viewer reads displayed (x, y) from, per EXIF.
				var sx, sy int
				switch o {
				case 1:
					sx, sy = x, y
				case 2:
					sx, sy = sw-1-x, y
				case 3:
					sx, sy = sw-1-x, sh-1-y
				case 4:
					sx, sy = x, sh-1-y
				case 5:
					sx, sy = y, x
				case 6:
					sx, sy = y, sh-1-x
				case 7:
					sx, sy = sw-1-y, sh-1-x
				case 8:
					sx, sy = sw-1-y, x
				}
				if !bytes.Equal(s.Pix[sy*s.Stride+4*sx:][:4], img.Pix[y*img.Stride+4*x:][:4]) {
					t.Fatalf("orientation %d: displayed (%d,%d) wrong", o, x, y)
				}
			}
		}
		data, err := Encode(img, Encoding{Quality: 90, Orientation: o})
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width != sw || cfg.Height != sh {
			t.Fatalf("orientation %d: stored JPEG %+v %v", o, cfg, err)
		}
	}
}

func TestWriteDataset(t *testing.T) {
	dir := t.TempDir()
	ds := DatasetSpec{Seed: 3, PerCell: 1, Clean: 2, Unreadable: 3, Size: SizeTest, Workers: 2}
	if testing.Short() {
		t.Skip("generates a small dataset")
	}
	m, err := WriteDataset(dir, ds)
	if err != nil {
		t.Fatal(err)
	}
	want := ds.Clean + ds.Unreadable + len(Defects)*3*ds.PerCell
	if len(m.Items) != want {
		t.Fatalf("%d items, want %d", len(m.Items), want)
	}
	back, err := ReadManifest(dir)
	if err != nil || len(back.Items) != want {
		t.Fatalf("read back %d items, %v", len(back.Items), err)
	}
	splits := map[string]int{}
	for _, it := range back.Items {
		splits[it.Split]++
		if _, err := os.Stat(filepath.Join(dir, it.File)); err != nil {
			t.Errorf("%s: %v", it.File, err)
		}
		if it.Defect == Unreadable && !slices.Equal(it.Codes, []reason.Code{reason.DocUnreadable}) {
			t.Errorf("%s: codes %v", it.File, it.Codes)
		}
	}
	if splits[SplitCalibrate] == 0 || splits[SplitTest] == 0 {
		t.Errorf("splits %v", splits)
	}
	// Written again, every file is reused from the cache with its label.
	m2, err := WriteDataset(dir, ds)
	if err != nil {
		t.Fatal(err)
	}
	for i := range m2.Items {
		if m2.Items[i].Quad != m.Items[i].Quad || m2.Items[i].Defect != m.Items[i].Defect {
			t.Fatalf("item %d changed when cached", i)
		}
	}
}

// TestDesigns draws every design family and checks what its labels
// promise: the family recorded, a clean card wholly in the frame with
// the family's aspect ratio, a card cut off at the clearly visible
// strength with one corner (frame) or two (frame2) outside the photo.
func TestDesigns(t *testing.T) {
	if err := DocumentFonts(); err != nil {
		t.Fatal(err)
	}
	outside := func(lab Label) int {
		n := 0
		for _, p := range lab.Quad {
			if p[0] < 0 || p[1] < 0 || p[0] > float64(lab.Width) || p[1] > float64(lab.Height) {
				n++
			}
		}
		return n
	}
	for _, d := range append(append([]Design{}, DevBandDesigns...), HeldOutDesigns...) {
		want := cardAspect
		if d == DesignPassport {
			want = 125.0 / 88
		}
		for seed := int64(1); seed <= 3; seed++ {
			_, lab := Generate(Spec{Seed: seed, Size: SizeTest, Design: d})
			if lab.Design != d {
				t.Errorf("%s seed %d: label design %q", d, seed, lab.Design)
			}
			if n := outside(lab); n != 0 {
				t.Errorf("%s seed %d: clean card has %d corners outside the frame: %v", d, seed, n, lab.Quad)
			}
			q := lab.Quad
			a := (dist(q[0], q[1]) + dist(q[2], q[3])) / (dist(q[1], q[2]) + dist(q[3], q[0]))
			if a < 1 {
				a = 1 / a
			}
			if math.Abs(a-want)/want > 0.15 {
				t.Errorf("%s seed %d: aspect %.3f, want about %.3f", d, seed, a, want)
			}
		}
		seen := map[string]bool{}
		for seed := int64(1); seed <= 12; seed++ {
			_, lab := Generate(Spec{Seed: seed, Size: SizeTest, Design: d, Defect: CutOff, Strength: Clear})
			seen[lab.Variant] = true
			switch n := outside(lab); lab.Variant {
			case "frame":
				if n < 1 {
					t.Errorf("%s seed %d: frame cut-off with no corner outside: %v", d, seed, lab.Quad)
				}
			case "frame2":
				if n < 2 {
					t.Errorf("%s seed %d: two sides cut off, %d corners outside: %v", d, seed, n, lab.Quad)
				}
			}
		}
		if !seen["frame2"] {
			t.Errorf("%s: no cut-off over two sides in 12 seeds", d)
		}
	}
	if d, err := ParseDesign("band"); err != nil || d != DesignBand {
		t.Errorf("ParseDesign(band) = %q, %v", d, err)
	}
	if _, err := ParseDesign("nonesuch"); err == nil {
		t.Error("ParseDesign accepted an unknown family")
	}
}

// TestPlanDefectsAndDesigns: a plan limited to some defects holds only
// those (and the clean photos), and a plan over design families records
// a family on every photo and names it in the file, while the default
// plan is the classic card's.
func TestPlanDefectsAndDesigns(t *testing.T) {
	items := Plan(DatasetSpec{Seed: 4, PerCell: 2, Clean: 3, Defects: []Defect{CutOff}, Designs: DevDesigns})
	if len(items) != 3+3*2 {
		t.Fatalf("%d items, want 9", len(items))
	}
	for _, it := range items {
		if it.Defect != Clean && it.Defect != CutOff {
			t.Errorf("%s: defect %s", it.File, it.Defect)
		}
		if it.Design == DesignClassic || !strings.Contains(it.File, string(it.Design)) {
			t.Errorf("%s: design %q", it.File, it.Design)
		}
	}
	for _, it := range Plan(DatasetSpec{Seed: 4, PerCell: 1, Clean: 2}) {
		if it.Design != DesignClassic {
			t.Errorf("default plan: %s has design %q", it.File, it.Design)
		}
	}
}

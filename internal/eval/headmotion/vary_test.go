package headmotion

import (
	"image"
	"image/color"
	"math"
	"testing"
)

func TestSampleWithinRanges(t *testing.T) {
	talk, glasses, walk := 0, 0, 0
	fps := map[int]int{}
	const n = 400
	for seed := int64(0); seed < n; seed++ {
		v := Sample(seed)
		for _, m := range []float64{v.Nose, v.Depth, v.Width, v.Jaw, v.Chin, v.Eyes, v.Brow, v.Lips} {
			if math.Abs(m) > 2.5 {
				t.Fatalf("seed %d: shape mode %.2f beyond 2.5 SD", seed, m)
			}
		}
		if v.Amplitude < 0.3 || v.Amplitude > 1 || v.Shake < 1 || v.Shake > 5 || v.Blur < 0 || v.Blur > 0.6 ||
			v.CRF < 23 || v.CRF > 34 || v.Noise < 2 || v.Noise > 9 || (v.Talk != 0 && (v.Talk < 0.03 || v.Talk > 0.1)) {
			t.Fatalf("seed %d: %+v", seed, v)
		}
		if v.Talk > 0 {
			talk++
		}
		if v.Glasses {
			glasses++
		}
		if v.Walk > 0 {
			walk++
		}
		fps[v.FPS]++
	}
	// Half talk, a quarter wear glasses, a quarter walk (±6 points).
	if math.Abs(float64(talk)/n-0.5) > 0.06 || math.Abs(float64(glasses)/n-0.25) > 0.06 || math.Abs(float64(walk)/n-0.25) > 0.06 {
		t.Errorf("talk %d, glasses %d, walk %d of %d", talk, glasses, walk, n)
	}
	if len(fps) != 3 || fps[15] == 0 || fps[12] == 0 || fps[10] == 0 {
		t.Errorf("frame rates %v", fps)
	}
	if Sample(7) != Sample(7) {
		t.Error("Sample is not a function of the seed")
	}
}

func TestOnlyKeepsTheNamedGroups(t *testing.T) {
	e := Each(3)
	v, err := e.Only("talk", "fps")
	if err != nil {
		t.Fatal(err)
	}
	if v.Talk != e.Talk || v.FPS != e.FPS || v.Talk == 0 || v.FPS == 0 {
		t.Errorf("kept talk %.3f fps %d, want %.3f and %d", v.Talk, v.FPS, e.Talk, e.FPS)
	}
	v.Talk, v.FPS = 0, 0
	if v != (Variation{}) {
		t.Errorf("other groups not plain: %+v", v)
	}
	if _, err := e.Only("hat"); err == nil {
		t.Error("an unknown variation must be an error")
	}
	if p, err := ParseVariation("plain", 3); err != nil || *p != (Variation{}) {
		t.Errorf("plain: %+v %v", p, err)
	}
	if s, err := ParseVariation("", 3); err != nil || *s != Sample(3) {
		t.Errorf("default: %+v %v", s, err)
	}
}

func TestShapeModesMoveDepthOnly(t *testing.T) {
	_, lm := portrait()
	plain, err := newModel(lm, Plain())
	if err != nil {
		t.Fatal(err)
	}
	long, err := newModel(lm, &Variation{Nose: 2, Eyes: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i := range plain.src {
		if plain.src[i] != long.src[i] || plain.pts[i][0] != long.pts[i][0] || plain.pts[i][1] != long.pts[i][1] {
			t.Fatalf("point %d moved in the frame: %v %v", i, plain.pts[i], long.pts[i])
		}
	}
	// The nose tip stands 0.40 half-widths out, 36 % more at +2 SD; the
	// eyes sit 0.08 back, 70 % deeper.
	if d := (long.pts[30][2] - plain.pts[30][2]) / plain.half; math.Abs(d-0.36*0.4) > 1e-9 {
		t.Errorf("nose tip %.4f half-widths further out, want %.4f", d, 0.36*0.4)
	}
	if d := (long.pts[36][2] - plain.pts[36][2]) / plain.half; math.Abs(d+0.7*0.08) > 1e-9 {
		t.Errorf("eye corner %.4f half-widths, want %.4f", d, -0.7*0.08)
	}
}

func TestExpressOpensTheMouth(t *testing.T) {
	pts := make([][3]float64, 68)
	out := express(pts, 50, 0.1, 0)
	// The chin and the lower lip drop by the opening, 0.1 × 50 px.
	if out[8][1] != 5 || out[57][1] != 5 || math.Abs(out[51][1]+0.5) > 1e-12 || out[0] != pts[0] {
		t.Errorf("chin %v, lower lip %v, upper lip %v, jaw corner %v", out[8], out[57], out[51], out[0])
	}
	if pts[8][1] != 0 {
		t.Error("express changed its input")
	}
	sm := express(pts, 50, 0, 0.1)
	// A smile draws the corners out and up.
	if sm[48][0] != -2.5 || sm[54][0] != 2.5 || sm[48][1] != -1.5 {
		t.Errorf("corners %v %v", sm[48], sm[54])
	}
}

func TestCameraMovesTheWholeFrame(t *testing.T) {
	img, lm := portrait()
	// A head held (almost) still, with and without a walking camera.
	still, err := Frames(img, lm, Spec{Seed: 5, Vary: &Variation{Amplitude: 1e-9}})
	if err != nil {
		t.Fatal(err)
	}
	shaken, err := Frames(img, lm, Spec{Seed: 5, Vary: &Variation{Amplitude: 1e-9, Walk: 8}})
	if err != nil {
		t.Fatal(err)
	}
	// Where the face's left edge is, on the middle row: the still head
	// keeps it, the walking camera moves it.
	edge := func(f *image.RGBA) int {
		y := Height / 2
		for x := 0; x < Width; x++ {
			if f.RGBAAt(x, y).R > 180 {
				return x
			}
		}
		return -1
	}
	pe, se := map[int]bool{}, map[int]bool{}
	for i := range still {
		pe[edge(still[i])] = true
		se[edge(shaken[i])] = true
	}
	if len(pe) != 1 || len(se) < 4 {
		t.Errorf("the face's left edge took %d positions with a still camera (want 1), %d with a walking one (want 4 or more)", len(pe), len(se))
	}
	if len(shaken) != 45 || len(still) != 45 {
		t.Errorf("%d and %d frames, want 45", len(shaken), len(still))
	}
}

func TestMoveFrameShifts(t *testing.T) {
	f := image.NewRGBA(image.Rect(0, 0, Width, Height))
	f.SetRGBA(100, 200, color.RGBA{255, 255, 255, 255})
	g := moveFrame(f, 3, -2, 0)
	if g.RGBAAt(103, 198).R != 255 || g.RGBAAt(100, 200).R != 0 {
		t.Errorf("shifted pixel %v, old place %v", g.RGBAAt(103, 198), g.RGBAAt(100, 200))
	}
}

func TestApplyLight(t *testing.T) {
	f := image.NewRGBA(image.Rect(0, 0, 2, 1))
	f.SetRGBA(0, 0, color.RGBA{100, 100, 100, 255})
	f.SetRGBA(1, 0, color.RGBA{250, 10, 0, 255})
	applyLight(f, 1.1, 1.1, 0.9)
	if c := f.RGBAAt(0, 0); c != (color.RGBA{121, 110, 99, 255}) {
		t.Errorf("gray became %v", c)
	}
	if c := f.RGBAAt(1, 0); c != (color.RGBA{255, 11, 0, 255}) {
		t.Errorf("saturated pixel became %v", c)
	}
}

func TestGlassesStandInFrontOfTheEyes(t *testing.T) {
	_, lm := portrait()
	m, err := newModel(lm, &Variation{Glasses: true, glass: glassLook{rim: color.RGBA{A: 255}, width: 0.03}})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.glasses) != 3 {
		t.Fatalf("%d polylines, want two rims and a bridge", len(m.glasses))
	}
	for k, rim := range m.glasses[:2] {
		eye := m.pts[36+6*k]
		for _, q := range rim {
			if q[2] <= eye[2] {
				t.Fatalf("rim %d point %v not in front of the eye corner %v", k, q, eye)
			}
		}
	}
	if p, _ := newModel(lm, Plain()); len(p.glasses) != 0 {
		t.Error("plain model wears glasses")
	}
}

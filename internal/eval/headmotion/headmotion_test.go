package headmotion

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

func TestDelaunayIsEmptyCircle(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var pts [][2]float64
	for range 60 {
		pts = append(pts, [2]float64{r.Float64() * 100, r.Float64() * 100})
	}
	tris := delaunay(pts)
	// Euler: 2n − 2 − h triangles for n points, h of them on the hull; at
	// least n − 2 and at most 2n − 5.
	if len(tris) < len(pts)-2 || len(tris) > 2*len(pts)-5 {
		t.Fatalf("%d triangles for %d points", len(tris), len(pts))
	}
	for _, tr := range tris {
		for i, p := range pts {
			if i == tr[0] || i == tr[1] || i == tr[2] {
				continue
			}
			if inCircumcircle(pts[tr[0]], pts[tr[1]], pts[tr[2]], p) {
				t.Fatalf("point %d lies inside the circumcircle of %v", i, tr)
			}
		}
	}
}

func TestPoses(t *testing.T) {
	deg := 180 / math.Pi
	for _, c := range []struct {
		motion           Motion
		minYaw, maxYaw   float64 // degrees, over the video
		wantLeft, wantRt bool
	}{
		{Natural, -16.01, 16.01, false, false},
		{TurnLeft, -49, 10, true, false},
		{TurnRight, -10, 49, false, true},
	} {
		for seed := int64(0); seed < 20; seed++ {
			ps := Poses(Spec{Motion: c.motion, Seed: seed, Vary: Plain()})
			if len(ps) != 3*FPS {
				t.Fatalf("%d poses for 3 s at %d fps", len(ps), FPS)
			}
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, p := range ps {
				lo, hi = math.Min(lo, p.Yaw*deg), math.Max(hi, p.Yaw*deg)
			}
			if lo < c.minYaw || hi > c.maxYaw || (c.wantLeft && lo > -23) || (c.wantRt && hi < 23) {
				t.Errorf("motion %d seed %d: yaw from %.1f° to %.1f°", c.motion, seed, lo, hi)
			}
		}
	}
}

// portrait is a synthetic frontal face: a skin oval with dark eyes, nose
// and mouth at the landmarks' places, on a gray background.
func portrait() (*image.RGBA, [68][2]float64) {
	img := image.NewRGBA(image.Rect(0, 0, 300, 400))
	var lm [68][2]float64
	for i := 0; i < 17; i++ {
		a := math.Pi * float64(i) / 16
		lm[i] = [2]float64{150 - 80*math.Cos(a), 190 + 90*math.Sin(a)}
	}
	for i := 17; i < 68; i++ {
		lm[i] = [2]float64{110 + float64(i%10)*8, 150 + float64((i-17)/10)*20}
	}
	for y := 0; y < 400; y++ {
		for x := 0; x < 300; x++ {
			c := color.RGBA{120, 120, 120, 255}
			if dx, dy := float64(x-150)/85, float64(y-200)/115; dx*dx+dy*dy < 1 {
				c = color.RGBA{210, 170, 150, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img, lm
}

func TestFramesMoveTheFaceNotTheBorder(t *testing.T) {
	img, lm := portrait()
	frames, err := Frames(img, lm, Spec{Motion: TurnRight, Seed: 3, Vary: Plain()})
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 45 || frames[0].Rect != image.Rect(0, 0, Width, Height) {
		t.Fatalf("%d frames of %v", len(frames), frames[0].Rect)
	}
	first, turned := frames[0], frames[len(frames)*2/3]
	diff := func(r image.Rectangle) float64 {
		s, n := 0.0, 0.0
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				s += math.Abs(float64(first.RGBAAt(x, y).R) - float64(turned.RGBAAt(x, y).R))
				n++
			}
		}
		return s / n
	}
	if d := diff(image.Rect(0, 0, Width, 8)); d > 1 {
		t.Errorf("the frame's top border changed by %.2f gray levels", d)
	}
	if d := diff(image.Rect(Width/2-120, Height/2-160, Width/2+120, Height/2+160)); d < 3 {
		t.Errorf("the face region changed by only %.2f gray levels as the head turned", d)
	}
	if _, err := Frames(img, [68][2]float64{}, Spec{}); err == nil {
		t.Error("degenerate landmarks must be an error")
	}
}

func TestBlinkPoses(t *testing.T) {
	for seed := int64(0); seed < 20; seed++ {
		ps := Poses(Spec{Motion: Blink, Seed: seed, Vary: Plain()})
		first, last := -1, -1
		for i, p := range ps {
			if p.Closed == 1 {
				if first < 0 {
					first = i
				}
				last = i
			}
			if p.Closed < 0 || p.Closed > 1 || math.Abs(p.Yaw) > 16*0.6*math.Pi/180+1e-9 {
				t.Fatalf("seed %d frame %d: %+v", seed, i, p)
			}
		}
		// Shut 0.15–0.35 s at 15 fps: 2–6 frames; open at both ends.
		if first < 0 || last-first+1 < 2 || last-first+1 > 6 || ps[0].Closed != 0 || ps[len(ps)-1].Closed != 0 {
			t.Errorf("seed %d: shut from frame %d to %d", seed, first, last)
		}
	}
	for _, p := range Poses(Spec{Motion: Natural, Seed: 1}) {
		if p.Closed != 0 {
			t.Fatal("natural motion blinks")
		}
	}
}

func TestCloseLids(t *testing.T) {
	pts := make([][3]float64, 68)
	for _, pr := range lidPairs {
		pts[pr[0]] = [3]float64{10, -4, 2}
		pts[pr[1]] = [3]float64{10, 6, 2}
	}
	open := closeLids(pts, 0)
	shut := closeLids(pts, 1)
	for _, pr := range lidPairs {
		if open[pr[0]] != pts[pr[0]] || open[pr[1]] != pts[pr[1]] {
			t.Errorf("closed 0 moved the lids: %v %v", open[pr[0]], open[pr[1]])
		}
		// The upper lid comes down 85 % of the 10 px gap, the lower rises 15 %.
		if shut[pr[0]] != [3]float64{10, 4.5, 2} || shut[pr[1]] != [3]float64{10, 4.5, 2} {
			t.Errorf("closed 1: upper %v lower %v, want both at y 4.5", shut[pr[0]], shut[pr[1]])
		}
	}
	if pts[lidPairs[0][0]][1] != -4 {
		t.Error("closeLids changed its input")
	}
}

// TestTwoStepPoses: a two-step turn lasts TwoStepSeconds, turns at least
// 23° to the first side, then at least 20° to the other, in that order.
func TestTwoStepPoses(t *testing.T) {
	deg := 180 / math.Pi
	for _, m := range []Motion{TurnLeftRight, TurnRightLeft} {
		sign := 1.0 // the first side is the image's left: negative yaw
		if m == TurnRightLeft {
			sign = -1
		}
		for seed := int64(0); seed < 20; seed++ {
			ps := Poses(Spec{Motion: m, Seed: seed, Vary: Plain()})
			if len(ps) != int(TwoStepSeconds*FPS) {
				t.Fatalf("%d poses for %v s at %d fps", len(ps), TwoStepSeconds, FPS)
			}
			first, at := 0.0, 0
			for i, p := range ps {
				if y := -sign * p.Yaw * deg; y > first {
					first, at = y, i
				}
			}
			second := 0.0
			for _, p := range ps[at:] {
				second = math.Max(second, sign*p.Yaw*deg)
			}
			if first < 23 || first > 49 || second < 20 || second > 49 {
				t.Errorf("motion %d seed %d: first turn %.1f°, then %.1f° the other way", m, seed, first, second)
			}
		}
	}
}

// TestFrameLandmarksFollowTheRender: a red pixel painted on the portrait
// at the chin (landmark 8) is drawn, in every frame of a turn filmed
// by a walking camera, where FrameLandmarks puts landmark 8 (the reddest
// pixel within 1.5 px of it).
func TestFrameLandmarksFollowTheRender(t *testing.T) {
	img, lm := portrait()
	nx, ny := int(math.Round(lm[8][0])), int(math.Round(lm[8][1]))
	img.SetRGBA(nx, ny, color.RGBA{255, 0, 0, 255})
	lm[8] = [2]float64{float64(nx) + 0.5, float64(ny) + 0.5} // the pixel's centre
	s := Spec{Motion: TurnRight, Seed: 3, Vary: &Variation{Walk: 8}}
	frames, err := Frames(img, lm, s)
	if err != nil {
		t.Fatal(err)
	}
	truth, err := FrameLandmarks(img, lm, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(truth) != len(frames) {
		t.Fatalf("%d landmark sets for %d frames", len(truth), len(frames))
	}
	moved := 0.0
	for i, f := range frames {
		best, bx, by := -1, 0.0, 0.0
		for y := 0; y < Height; y++ {
			for x := 0; x < Width; x++ {
				if c := f.RGBAAt(x, y); int(c.R)-int(c.G) > best {
					best, bx, by = int(c.R)-int(c.G), float64(x)+0.5, float64(y)+0.5
				}
			}
		}
		if d := math.Hypot(bx-truth[i][8][0], by-truth[i][8][1]); d > 1.5 {
			t.Errorf("frame %d: the red pixel at (%.1f, %.1f), landmark 8 at (%.1f, %.1f)", i, bx, by, truth[i][8][0], truth[i][8][1])
		}
		moved = math.Max(moved, math.Abs(truth[i][8][0]-truth[0][8][0]))
	}
	if moved < 40 {
		t.Errorf("the chin moved at most %.1f px across the frame: no turn", moved)
	}
}

// faceLayout is a face's 68 landmarks laid out as iBUG 300-W's (the jaw
// an arc, level brows and eyes, the nose down the middle, the mouth
// below), turned by roll radians (clockwise in the picture) about
// (150, 200).
func faceLayout(roll float64) [68][2]float64 {
	var lm [68][2]float64
	for i := 0; i < 17; i++ {
		a := math.Pi * float64(i) / 16
		lm[i] = [2]float64{150 - 80*math.Cos(a), 170 + 90*math.Sin(a)}
	}
	for i := 17; i < 27; i++ {
		lm[i] = [2]float64{105 + 10*float64(i-17), 140 - 4*math.Sin(math.Pi*float64((i-17)%5)/4)}
	}
	eye := func(first int, cx float64) {
		for k := 0; k < 6; k++ {
			a := math.Pi + 2*math.Pi*float64(k)/6 // 36/42 the outer corner on the left
			lm[first+k] = [2]float64{cx + 14*math.Cos(a), 165 + 6*math.Sin(a)}
		}
	}
	eye(36, 120)
	eye(42, 180)
	for i := 27; i < 31; i++ {
		lm[i] = [2]float64{150, 160 + 12*float64(i-27)}
	}
	for i := 31; i < 36; i++ {
		lm[i] = [2]float64{138 + 6*float64(i-31), 205 - 2*math.Abs(float64(i-33))}
	}
	for k := 0; k < 12; k++ {
		a := math.Pi + 2*math.Pi*float64(k)/12
		lm[48+k] = [2]float64{150 + 25*math.Cos(a), 235 + 9*math.Sin(a)}
	}
	for k := 0; k < 8; k++ {
		a := math.Pi + 2*math.Pi*float64(k)/8
		lm[60+k] = [2]float64{150 + 18*math.Cos(a), 235 + 3*math.Sin(a)}
	}
	return rotated(lm, roll)
}

// rotated turns landmarks by roll radians about (150, 200).
func rotated(lm [68][2]float64, roll float64) [68][2]float64 {
	c, s := math.Cos(roll), math.Sin(roll)
	for i, p := range lm {
		x, y := p[0]-150, p[1]-200
		lm[i] = [2]float64{150 + c*x - s*y, 200 + s*x + c*y}
	}
	return lm
}

// jawYaw is face.JawYaw: the nose tip's offset from the jaw line's
// middle, along it, in half jaw widths.
func jawYaw(lm [68][2]float64) float64 {
	ux, uy := lm[16][0]-lm[0][0], lm[16][1]-lm[0][1]
	w := math.Hypot(ux, uy)
	mx, my := (lm[0][0]+lm[16][0])/2, (lm[0][1]+lm[16][1])/2
	return ((lm[30][0]-mx)*ux + (lm[30][1]-my)*uy) / w / (w / 2)
}

func TestRestRoll(t *testing.T) {
	deg := math.Pi / 180
	for _, c := range []struct {
		name string
		lm   [68][2]float64
		want float64
	}{
		{"level eyes", faceLayout(0), 0},
		{"rolled 30° clockwise", faceLayout(30 * deg), 30 * deg},
		{"rolled 25° anticlockwise", faceLayout(-25 * deg), -25 * deg},
		{"upside down: not a face's eyes", faceLayout(180 * deg), 0},
	} {
		if got := restRoll(c.lm, 80); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: rest roll %.4f°, want %.4f°", c.name, got/deg, c.want/deg)
		}
	}
}

// TestRolledHeadTurnsAboutItsOwnAxis: a portrait rolled 30° turns as the
// same portrait level: every landmark of the rolled head, for every
// pose, is the level head's turned by 30° in the picture, so a reader of
// the jaw line reads the same turn. The level head's turn is about the
// frame's vertical axis, as before the face's own axes were used.
func TestRolledHeadTurnsAboutItsOwnAxis(t *testing.T) {
	deg := math.Pi / 180
	v := Plain()
	level, err := newModel(faceLayout(0), v)
	if err != nil {
		t.Fatal(err)
	}
	if level.rest != 0 || level.c != [2]float64{150, faceLayout(0)[29][1]} {
		t.Fatalf("level portrait: rest %.4f, centre %v", level.rest, level.c)
	}
	for _, roll := range []float64{30 * deg, -30 * deg, 8 * deg} {
		rolled, err := newModel(faceLayout(roll), v)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []Pose{
			{Scale: 1},
			{Yaw: 35 * deg, Scale: 1},
			{Yaw: -38 * deg, Pitch: 5 * deg, Roll: 2 * deg, DX: 3, DY: -2, Scale: 1.04},
			{Yaw: 20 * deg, Pitch: -4 * deg, Talk: 0.1, Smile: 0.1, Scale: 1},
		} {
			a, _ := level.project(p)
			b, _ := rolled.project(p)
			var la, lb [68][2]float64
			copy(la[:], a[:68])
			copy(lb[:], b[:68])
			// The pose's drift is in the frame: take it out before
			// turning the rolled head's landmarks back.
			for i := range lb {
				lb[i][0] -= p.DX
				lb[i][1] -= p.DY
			}
			back := rotated(lb, -roll)
			off := 0.0
			for i := range back {
				back[i][0] += p.DX
				back[i][1] += p.DY
				off = math.Max(off, math.Hypot(back[i][0]-la[i][0], back[i][1]-la[i][1]))
			}
			if off > 1e-6 {
				t.Errorf("roll %.0f°, yaw %.0f°: landmarks up to %.3f px off the level head's", roll/deg, p.Yaw/deg, off)
			}
			if ya, yb := jawYaw(la), jawYaw(lb); math.Abs(ya-yb) > 1e-6 {
				t.Errorf("roll %.0f°, yaw %.0f°: the jaw line reads %.4f, level %.4f", roll/deg, p.Yaw/deg, yb, ya)
			}
		}
	}
	// The level head's turn, by construction: about the frame's vertical
	// through its centre, the nose tip nearer the camera than the jaw.
	a, _ := level.project(Pose{Yaw: 35 * deg, Scale: 1})
	q := level.pts[30]
	want := level.c[0] + q[0]*math.Cos(35*deg) + q[2]*math.Sin(35*deg)
	if math.Abs(a[30][0]-want) > 1e-9 || math.Abs(a[30][1]-(level.c[1]+q[1])) > 1e-9 {
		t.Errorf("level head at 35°: nose tip at %v, want (%.3f, %.3f)", a[30], want, level.c[1]+q[1])
	}
	if y := jawYaw([68][2]float64(a[:68])); y < 0.4 {
		t.Errorf("level head at 35°: the jaw line reads %.3f", y)
	}
}

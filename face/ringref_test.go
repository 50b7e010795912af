package face

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The ring cue as first written (branch ringcue), every block's texture
// and every difference computed afresh for each pair: the reference the
// faster ringFollow must equal exactly.

func refRingFollow(frames []*faceInfo) (follow float64, pairs int) {
	var shares []float64
	for i := 0; i < len(frames); i++ {
		for j := i + 1; j < len(frames); j++ {
			a, b := frames[i], frames[j]
			if len(a.scene.pix) == 0 || a.scene.w != b.scene.w || a.scene.h != b.scene.h {
				continue
			}
			f, bg := refRingVotes(&a.scene, &b.scene, &a.LM, &b.LM)
			if f+bg >= ringMinVotes {
				shares = append(shares, float64(f)/float64(f+bg))
			}
		}
	}
	if len(shares) < ringMinPairs {
		return 0, 0
	}
	return median(shares), len(shares)
}

func refRingVotes(a, b *scene, la, lb *Landmarks) (face, bg int) {
	h, na, nb, ok := fitHomography(la[:], lb[:])
	if !ok {
		return 0, 0
	}
	var cx, cy float64
	for _, p := range la {
		cx += p.X / 2 / 68
		cy += p.Y / 2 / 68
	}
	hw := math.Hypot(la[16].X-la[0].X, la[16].Y-la[0].Y) / 4
	if hw < 4 || ringInFrame(a.w, a.h, cx, cy, hw) < ringMinInFrame {
		return 0, 0
	}
	sx, sy := refBorderShift(a, b, cx, cy, hw)
	for y := 0; y+ringBlock <= a.h; y += ringBlock {
		for x := 0; x+ringBlock <= a.w; x += ringBlock {
			qx, qy := float64(x)+ringBlock/2, float64(y)+ringBlock/2
			d := math.Hypot((qx-cx)/hw, (qy-cy)/(ringTall*hw))
			if d < ringInner || d > ringOuter {
				continue
			}
			fx, fy, ok := homographyAt(h, na, nb, 2*qx, 2*qy)
			if !ok {
				continue
			}
			fdx, fdy := fx/2-qx, fy/2-qy
			if math.Hypot(fdx-sx, fdy-sy) < ringMinSplit {
				continue
			}
			if meanAbsDev(a, x, y) < ringMinTexture {
				continue
			}
			ef, okf := refBestSAD(a, b, x, y, fdx, fdy)
			eb, okb := refBestSAD(a, b, x, y, sx, sy)
			switch {
			case !okf || !okb:
			case ef*ringMargin < eb:
				face++
			case eb*ringMargin < ef:
				bg++
			}
		}
	}
	return face, bg
}

func refBorderShift(a, b *scene, cx, cy, hw float64) (sx, sy float64) {
	band := max(ringBlock, min(a.w, a.h)/8)
	var xs, ys []float64
	for y := 0; y+ringBlock <= a.h && len(xs) < ringBorderBlocks; y += ringBlock {
		for x := 0; x+ringBlock <= a.w && len(xs) < ringBorderBlocks; x += ringBlock {
			if x >= band && y >= band && x+ringBlock <= a.w-band && y+ringBlock <= a.h-band {
				continue
			}
			qx, qy := float64(x)+ringBlock/2, float64(y)+ringBlock/2
			if math.Hypot((qx-cx)/hw, (qy-cy)/(ringTall*hw)) < ringOuter {
				continue
			}
			if meanAbsDev(a, x, y) < ringMinTexture {
				continue
			}
			best, bx, by := math.Inf(1), 0, 0
			for dy := -ringBorderShift; dy <= ringBorderShift; dy++ {
				for dx := -ringBorderShift; dx <= ringBorderShift; dx++ {
					if e, ok := refBlockSAD(a, b, x, y, x+dx, y+dy); ok && e < best {
						best, bx, by = e, dx, dy
					}
				}
			}
			if !math.IsInf(best, 1) {
				xs = append(xs, float64(bx))
				ys = append(ys, float64(by))
			}
		}
	}
	if len(xs) < 3 {
		return 0, 0
	}
	slices.Sort(xs)
	slices.Sort(ys)
	return xs[len(xs)/2], ys[len(ys)/2]
}

func refBestSAD(a, b *scene, x, y int, dx, dy float64) (best float64, ok bool) {
	bx, by := x+int(math.Round(dx)), y+int(math.Round(dy))
	best = math.Inf(1)
	for v := -ringWin; v <= ringWin; v++ {
		for u := -ringWin; u <= ringWin; u++ {
			if e, in := refBlockSAD(a, b, x, y, bx+u, by+v); in && e < best {
				best, ok = e, true
			}
		}
	}
	return best, ok
}

func refBlockSAD(a, b *scene, ax, ay, bx, by int) (float64, bool) {
	if bx < 0 || by < 0 || bx+ringBlock > b.w || by+ringBlock > b.h {
		return 0, false
	}
	sa, sb := 0, 0
	for r := 0; r < ringBlock; r++ {
		pa := a.pix[(ay+r)*a.w+ax : (ay+r)*a.w+ax+ringBlock]
		pb := b.pix[(by+r)*b.w+bx : (by+r)*b.w+bx+ringBlock]
		for k := range pa {
			sa += int(pa[k])
			sb += int(pb[k])
		}
	}
	const n = ringBlock * ringBlock
	off := sb - sa
	d := 0
	for r := 0; r < ringBlock; r++ {
		pa := a.pix[(ay+r)*a.w+ax : (ay+r)*a.w+ax+ringBlock]
		pb := b.pix[(by+r)*b.w+bx : (by+r)*b.w+bx+ringBlock]
		for k := range pa {
			e := n*(int(pb[k])-int(pa[k])) - off
			if e < 0 {
				e = -e
			}
			d += e
		}
	}
	return float64(d) / (n * n), true
}

// ringNoisy returns frames with noise of amplitude amp (gray levels,
// seeded) added to every pixel and each face's landmarks jittered by up
// to jit frame pixels: ties and near-ties in every search.
func ringNoisy(frames []*faceInfo, amp int, jit float64, seed uint64) []*faceInfo {
	r := rand.New(rand.NewPCG(seed, 7))
	var out []*faceInfo
	for _, f := range frames {
		g := *f
		g.scene.pix = slices.Clone(f.scene.pix)
		for i, v := range g.scene.pix {
			g.scene.pix[i] = uint8(min(255, max(0, int(v)+r.IntN(2*amp+1)-amp)))
		}
		for i := range g.LM {
			g.LM[i].X += jit * (2*r.Float64() - 1)
			g.LM[i].Y += jit * (2*r.Float64() - 1)
		}
		out = append(out, &g)
	}
	return out
}

// ringShaken crops frames (scenes of w+2m × h+2m) to w×h, frame k's crop
// moved by k·(cx, cy) within the margin m: a camera moving the whole
// picture, wall and face alike.
func ringShaken(frames []*faceInfo, w, h, m, cx, cy int) []*faceInfo {
	var out []*faceInfo
	for k, f := range frames {
		ox, oy := m+k*cx, m+k*cy
		g := *f
		g.scene = scene{w: w, h: h, pix: make([]uint8, w*h)}
		for y := 0; y < h; y++ {
			copy(g.scene.pix[y*w:(y+1)*w], f.scene.pix[(y+oy)*f.scene.w+ox:])
		}
		for i := range g.LM {
			g.LM[i].X -= 2 * float64(ox)
			g.LM[i].Y -= 2 * float64(oy)
		}
		out = append(out, &g)
	}
	return out
}

// TestRingFollowSameAsReference: on prints, heads, blank and noisy
// surroundings, camera shifts of up to and beyond ringBorderShift and
// scenes whose sides are not multiples of ringBlock, every pair's border
// shift and votes, and the cue, equal the reference's exactly.
func TestRingFollowSameAsReference(t *testing.T) {
	type set struct {
		name   string
		frames []*faceInfo
	}
	var sets []set
	for _, sz := range [][2]int{{240, 320}, {181, 243}, {100, 76}} {
		w, h := sz[0], sz[1]
		hw := float64(min(w, h)) / 10
		wall, print := ringTexture(w, h, 11), ringTexture(w, h, 12)
		for _, m := range [][2]float64{{4, 3}, {-2, 1}, {0, 0}, {7, -6}, {13, 2}} {
			for _, within := range []float64{1.3, 2.5, 3.6} {
				fr := ringFrames(5, w, h, hw, m[0], m[1], within, wall, print)
				sets = append(sets, set{"clean", fr})
				sets = append(sets, set{"noisy", ringNoisy(fr, 6, 1.5, uint64(w+h)+uint64(within*10))})
			}
			sets = append(sets, set{"blank wall", ringFrames(4, w, h, hw, m[0], m[1], 1.3, nil, print)})
		}
		// A moving camera, up to 12 pixels between the first and last
		// frames (beyond ringBorderShift).
		const m = 14
		bw, bh := w+2*m, h+2*m
		bwall, bprint := ringTexture(bw, bh, 13), ringTexture(bw, bh, 14)
		for _, c := range [][2]int{{2, -1}, {-3, 2}, {1, 3}} {
			for _, within := range []float64{1.3, 3.6} {
				fr := ringShaken(ringFrames(5, bw, bh, hw, 3, -2, within, bwall, bprint), w, h, m, c[0], c[1])
				sets = append(sets, set{"shaken", fr})
				sets = append(sets, set{"shaken, noisy", ringNoisy(fr, 6, 1.5, uint64(c[0]+10*c[1]+20))})
			}
		}
		// Uniform noise everywhere: no motion at all to find.
		flat := ringFrames(4, w, h, hw, 1, 1, 1.3, nil, nil)
		sets = append(sets, set{"noise", ringNoisy(flat, 40, 3, 5)})
	}
	voted, shifted, counted := 0, 0, 0
	for k, s := range sets {
		for i := 0; i < len(s.frames); i++ {
			for j := i + 1; j < len(s.frames); j++ {
				a, b := s.frames[i], s.frames[j]
				ra, rb := newRingScene(&a.scene), newRingScene(&b.scene)
				f, bg := ringVotes(ra, rb, &a.LM, &b.LM)
				rf, rbg := refRingVotes(&a.scene, &b.scene, &a.LM, &b.LM)
				if f != rf || bg != rbg {
					t.Errorf("set %d (%s) pair %d–%d: votes %d/%d, reference %d/%d", k, s.name, i, j, f, bg, rf, rbg)
				}
				var cx, cy float64
				for _, p := range a.LM {
					cx += p.X / 2 / 68
					cy += p.Y / 2 / 68
				}
				hw := math.Hypot(a.LM[16].X-a.LM[0].X, a.LM[16].Y-a.LM[0].Y) / 4
				sx, sy := borderShift(ra, rb, cx, cy, hw)
				rsx, rsy := refBorderShift(&a.scene, &b.scene, cx, cy, hw)
				if f+bg > 0 {
					voted++
				}
				if sx != 0 || sy != 0 {
					shifted++
				}
				if sx != rsx || sy != rsy {
					t.Errorf("set %d (%s) pair %d–%d: border shift %v,%v, reference %v,%v", k, s.name, i, j, sx, sy, rsx, rsy)
				}
			}
		}
		f, p := ringFollow(s.frames)
		rf, rp := refRingFollow(s.frames)
		if p > 0 {
			counted++
		}
		if f != rf || p != rp {
			t.Errorf("set %d (%s): follow %v over %d pairs, reference %v over %d", k, s.name, f, p, rf, rp)
		}
	}
	// The sets must exercise what they compare: votes, the border's
	// shifts and cues that do not abstain.
	t.Logf("%d sets: %d pairs voted, %d border shifts not 0, %d cues measured", len(sets), voted, shifted, counted)
	if voted < 100 || shifted < 50 || counted < 20 {
		t.Errorf("%d pairs voted, %d border shifts not 0, %d cues measured: too few to compare", voted, shifted, counted)
	}
}

// TestSummedArea: a block's sum from the table is the sum of its pixels.
func TestSummedArea(t *testing.T) {
	s := scene{w: 37, h: 29, pix: ringTexture(37, 29, 9)}
	r := newRingScene(&s)
	for y := 0; y+ringBlock <= s.h; y++ {
		for x := 0; x+ringBlock <= s.w; x++ {
			want := 0
			for v := 0; v < ringBlock; v++ {
				for u := 0; u < ringBlock; u++ {
					want += int(s.pix[(y+v)*s.w+x+u])
				}
			}
			if got := r.blockSum(x, y); got != want {
				t.Fatalf("block at %d,%d: sum %d, want %d", x, y, got, want)
			}
		}
	}
}

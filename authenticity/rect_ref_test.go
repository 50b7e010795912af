package authenticity

import (
	"cmp"
	"image"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// refNewChromaSums and refRectSides are newChromaSums and rectSides as
// they were before the integral images came from a pool and the
// candidate sides were read from them directly (commit 1af741f), with
// the straight-side rule (rectStraight) that came with the hue turns
// since: the references TestRectSidesMatchReference compares them with.
func refNewChromaSums(cbp, crp []byte, stride, w, h int) *chromaSums {
	s := &chromaSums{w: w, h: h, cb: make([]int32, (w+1)*(h+1)), cr: make([]int32, (w+1)*(h+1))}
	for y := 0; y < h; y++ {
		var rb, rr int32
		row, prev := (y+1)*(w+1), y*(w+1)
		for x := 0; x < w; x++ {
			rb += int32(cbp[y*stride+x])
			rr += int32(crp[y*stride+x])
			s.cb[row+x+1] = s.cb[prev+x+1] + rb
			s.cr[row+x+1] = s.cr[prev+x+1] + rr
		}
	}
	return s
}

func refRectSides(sums *chromaSums, hz bool, inside func(x, y int) bool, nu, nv int) []seam {
	in := func(u, v int) bool {
		if hz {
			return inside(u, v)
		}
		return inside(v, u)
	}
	type cand struct {
		s     seam
		score float64
	}
	var cs []cand
	for b := rectBand + 2; b < nv-rectBand-1; b++ {
		var mb, mr float64
		start, n := -1, 0
		end := func(u int) {
			if start >= 0 && u-start >= rectMinRun {
				m := math.Hypot(mb/float64(n), mr/float64(n))
				if rectStraight(sums, hz, start, u, b, mb/float64(n)/m, mr/float64(n)/m) {
					cs = append(cs, cand{seam{horiz: hz, l: b, a: start, b: u - 1}, m * float64(u-start)})
				}
			}
			start, n, mb, mr = -1, 0, 0, 0
		}
		for u := 0; u+rectWindow <= nu; u += rectWindow / 2 {
			if !in(u, b-rectBand-2) || !in(u+rectWindow-1, b-rectBand-2) || !in(u, b+rectBand+1) || !in(u+rectWindow-1, b+rectBand+1) {
				end(u + rectWindow/2)
				continue
			}
			db, dr, _ := sums.step(hz, u, u+rectWindow, b)
			m := math.Hypot(db, dr)
			if m < rectMinStep {
				end(u + rectWindow/2)
				continue
			}
			if start >= 0 {
				ab, ar := mb/float64(n), mr/float64(n)
				am := math.Hypot(ab, ar)
				if (db*ab+dr*ar)/(m*am) < 0.8 || m > 2*am || m < 0.5*am {
					end(u + rectWindow/2)
				}
			}
			if start < 0 {
				start = u
			}
			mb, mr, n = mb+db, mr+dr, n+1
		}
		end(nu - nu%(rectWindow/2))
	}
	slices.SortFunc(cs, func(x, y cand) int { return cmp.Compare(y.score, x.score) })
	var out []seam
	for _, c := range cs {
		dup := false
		for _, o := range out {
			if abs(o.l-c.s.l) <= 3 && min(o.b, c.s.b)-max(o.a, c.s.a) > (c.s.b-c.s.a)/2 {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, c.s)
			if len(out) == rectMaxSeeds {
				break
			}
		}
	}
	return out
}

// refPhoto is a working photo (w×h luma, 4:2:0 chroma with pad bytes of
// stride padding) for the reference tests: a noisy chroma ground with
// steps of 1–12 levels (rectangles and bands along both axes, some
// tilted, the chroma blocks' grid marked), and a document quad tilted by
// up to 20° (in chroma samples, and in original pixels at scale).
func refPhoto(r *rand.Rand, w, h, pad int, scale float64) (*image.YCbCr, [4][2]float64, [][2]float64) {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	cw, ch := (w+1)/2, (h+1)/2
	if pad > 0 {
		img.CStride = cw + pad
		img.Cb, img.Cr = make([]byte, img.CStride*ch), make([]byte, img.CStride*ch)
	}
	for i := range img.Y {
		img.Y[i] = byte(100 + r.IntN(40))
	}
	type field struct {
		x0, y0, x1, y1 int
		db, dr, tilt   float64
	}
	var fs []field
	for range 4 + r.IntN(6) {
		x0, y0 := r.IntN(cw), r.IntN(ch)
		fs = append(fs, field{x0, y0, x0 + 8 + r.IntN(cw/2), y0 + 8 + r.IntN(ch/2), float64(r.IntN(25) - 12), float64(r.IntN(25) - 12), r.Float64()*0.2 - 0.1})
	}
	noise := r.IntN(4)
	for y := range ch {
		for x := range cw {
			cb, cr := 128.0, 128.0
			for _, f := range fs {
				xs := float64(x) + f.tilt*float64(y)
				if xs >= float64(f.x0) && xs < float64(f.x1) && y >= f.y0 && y < f.y1 {
					cb, cr = cb+f.db, cr+f.dr
				}
			}
			if x%8 == 0 || y%8 == 0 {
				cb += 2
			}
			if noise > 0 {
				cb += float64(r.IntN(2*noise+1) - noise)
				cr += float64(r.IntN(2*noise+1) - noise)
			}
			img.Cb[y*img.CStride+x] = byte(min(255, max(0, cb)))
			img.Cr[y*img.CStride+x] = byte(min(255, max(0, cr)))
		}
	}
	a := (r.Float64()*40 - 20) * math.Pi / 180
	cx, cy := float64(cw)*(0.4+0.2*r.Float64()), float64(ch)*(0.4+0.2*r.Float64())
	hw, hh := float64(cw)*(0.25+0.2*r.Float64()), float64(ch)*(0.25+0.2*r.Float64())
	var poly [4][2]float64
	var quad [][2]float64
	for i, c := range [4][2]float64{{-hw, -hh}, {hw, -hh}, {hw, hh}, {-hw, hh}} {
		j := r.Float64()*6 - 3 // perspective
		poly[i] = [2]float64{cx + c[0]*math.Cos(a) - c[1]*math.Sin(a) + j, cy + c[0]*math.Sin(a) + c[1]*math.Cos(a) - j}
		quad = append(quad, [2]float64{poly[i][0] * 2 * scale, poly[i][1] * 2 * scale})
	}
	return img, poly, quad
}

// TestRectSidesMatchReference: on photos of odd sizes, with and without
// stride padding, the integral images (from the pool, after larger and
// smaller ones) and the candidate sides along both axes are exactly the
// reference's.
func TestRectSidesMatchReference(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 1))
	sides := 0
	for k, c := range []struct{ w, h, pad int }{{640, 480, 0}, {96, 80, 3}, {1008, 756, 0}, {333, 517, 7}, {1008, 756, 5}, {200, 150, 0}, {517, 333, 0}} {
		for rep := range 3 {
			img, poly, _ := refPhoto(r, c.w, c.h, c.pad, 1)
			cw, ch := (c.w+1)/2, (c.h+1)/2
			lo, hi := quadSpans(poly[:], cw, ch, seamMargin)
			inside := func(x, y int) bool { return y >= 0 && y < ch && x >= lo[y] && x < hi[y] }
			want := refNewChromaSums(img.Cb, img.Cr, img.CStride, cw, ch)
			got := newChromaSums(img.Cb, img.Cr, img.CStride, cw, ch)
			if got.w != want.w || got.h != want.h || !slices.Equal(got.cb, want.cb) || !slices.Equal(got.cr, want.cr) {
				t.Fatalf("photo %d.%d (%d×%d): the integral images differ from the reference", k, rep, c.w, c.h)
			}
			for _, hz := range []bool{true, false} {
				nu, nv := cw, ch
				if !hz {
					nu, nv = ch, cw
				}
				g, w := rectSides(got, hz, lo, hi, nu, nv), refRectSides(want, hz, inside, nu, nv)
				if !slices.Equal(g, w) {
					t.Fatalf("photo %d.%d (%d×%d), horiz %v: sides %v, reference %v", k, rep, c.w, c.h, hz, g, w)
				}
				sides += len(w)
			}
			got.release()
		}
	}
	t.Logf("%d sides", sides)
	if sides < 20 {
		t.Errorf("%d candidate sides in all: the photos miss the case", sides)
	}
}

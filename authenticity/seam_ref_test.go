package authenticity

import (
	"image"
	"math/rand/v2"
	"testing"
)

// refCoarseChroma and refBoxMean are coarseChroma and boxMean as they
// were before the coarse planes came from a pool and the rows' means
// were taken over their spans only (commit 1af741f), the references
// TestCoarseChromaMatchesReference compares them with.
func refCoarseChroma(img *image.YCbCr, cw, ch, ccw, cch int, clo, chi []int, horiz bool) *image.YCbCr {
	out := &image.YCbCr{CStride: ccw, Cb: make([]byte, ccw*cch), Cr: make([]byte, ccw*cch)}
	j0, j1, i0, i1 := cch, 0, ccw, 0
	for j := range cch {
		if chi[j] > clo[j] {
			j0, j1 = min(j0, j), j+1
			i0, i1 = min(i0, clo[j]), max(i1, chi[j])
		}
	}
	if j1 <= j0 {
		return out
	}
	pair := make([]byte, ccw*cch)
	for p, src := range [][]byte{img.Cb, img.Cr} {
		dst := out.Cb
		if p == 1 {
			dst = out.Cr
		}
		if horiz {
			for j := j0; j < j1; j++ {
				if chi[j] <= clo[j] {
					continue
				}
				r0, r1 := src[2*j*img.CStride:][:ccw], src[(2*j+1)*img.CStride:][:ccw]
				d := pair[:ccw]
				for i := range d {
					d[i] = byte((int(r0[i]) + int(r1[i]) + 1) >> 1)
				}
				refBoxMean(dst[j*ccw:][:ccw], d)
			}
			continue
		}
		for j := max(0, j0-coarseReach); j < min(cch, j1+coarseReach); j++ {
			row := src[j*img.CStride:][:2*ccw]
			d := pair[j*ccw:][:ccw]
			for i := i0; i < i1; i++ {
				d[i] = byte((int(row[2*i]) + int(row[2*i+1]) + 1) >> 1)
			}
		}
		refBoxMeanColumns(dst, pair, ccw, cch, j0, j1, i0, i1)
	}
	return out
}

func refBoxMean(dst, src []byte) {
	const r = coarseReach
	n := len(src)
	sum := 0
	for i := 0; i < min(r, n); i++ {
		sum += int(src[i])
	}
	for i := range n {
		if i+r < n {
			sum += int(src[i+r])
		}
		if i-r-1 >= 0 {
			sum -= int(src[i-r-1])
		}
		if i >= r && i+r < n {
			dst[i] = byte((sum + (2*r+1)/2) / (2*r + 1))
			continue
		}
		k := min(i+r, n-1) - max(i-r, 0) + 1
		dst[i] = byte((sum + k/2) / k)
	}
}

func refBoxMeanColumns(dst, src []byte, w, h, j0, j1, i0, i1 int) {
	const r = coarseReach
	sum := make([]int32, w)
	for j := max(0, j0-1-r); j < min(h, j0+r); j++ {
		for i, v := range src[j*w:][i0:i1] {
			sum[i0+i] += int32(v)
		}
	}
	for j := j0; j < j1; j++ {
		if j+r < h {
			for i, v := range src[(j+r)*w:][i0:i1] {
				sum[i0+i] += int32(v)
			}
		}
		if j-r-1 >= 0 {
			for i, v := range src[(j-r-1)*w:][i0:i1] {
				sum[i0+i] -= int32(v)
			}
		}
		k := int32(min(j+r, h-1) - max(j-r, 0) + 1)
		d := dst[j*w:][i0:i1]
		for i, s := range sum[i0:i1] {
			d[i] = byte((s + k/2) / k)
		}
	}
}

// TestCoarseChromaMatchesReference: on photos of odd sizes, with and
// without stride padding, with documents reaching the photo's edges or
// not, the coarse planes (from the pool, after larger and smaller ones)
// are the reference's at every sample inside the spans along both axes,
// and the coarse searches find the same runs.
func TestCoarseChromaMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 2))
	o := Options{}
	o.defaults()
	samples, runs := 0, 0
	for k, c := range []struct{ w, h, pad int }{{640, 480, 0}, {96, 80, 3}, {1008, 756, 0}, {333, 517, 7}, {1008, 756, 5}, {200, 150, 0}, {517, 333, 0}} {
		for rep := range 3 {
			img, poly, _ := refPhoto(r, c.w, c.h, c.pad, 1)
			if rep == 2 {
				// The document past the photo's edges.
				for i := range poly {
					poly[i] = [2]float64{(poly[i][0]-float64(c.w)/4)*3 + float64(c.w)/4, (poly[i][1]-float64(c.h)/4)*3 + float64(c.h)/4}
				}
			}
			cw, ch := (c.w+1)/2, (c.h+1)/2
			lo, hi := quadSpans(poly[:], cw, ch, 2*seamMargin)
			for _, horiz := range []bool{true, false} {
				ccw, cch := cw, ch/2
				if !horiz {
					ccw, cch = cw/2, ch
				}
				clo, chi := make([]int, cch), make([]int, cch)
				for j := range cch {
					if horiz {
						clo[j], chi[j] = max(lo[2*j], lo[2*j+1]), min(hi[2*j], hi[2*j+1])
					} else {
						clo[j], chi[j] = (lo[j]+1)/2, hi[j]/2
					}
				}
				want := refCoarseChroma(img, cw, ch, ccw, cch, clo, chi, horiz)
				got, buf := coarseChroma(img, cw, ch, ccw, cch, clo, chi, horiz)
				for j := range cch {
					for i := clo[j]; i < chi[j]; i++ {
						at := j*ccw + i
						if got.Cb[at] != want.Cb[at] || got.Cr[at] != want.Cr[at] {
							t.Fatalf("photo %d.%d (%d×%d), horiz %v, sample %d,%d: %d,%d, reference %d,%d", k, rep, c.w, c.h, horiz, i, j, got.Cb[at], got.Cr[at], want.Cb[at], want.Cr[at])
						}
						samples++
					}
				}
				period := 4 + rep
				rule := &runRule{maxSlope: o.MaxSeamSlope / 2}
				oc := o
				oc.SeamStep = coarseStep
				var g, w seam
				if horiz {
					g, w = rowSeam(got, clo, chi, ccw, cch, period/2, oc, rule), rowSeam(want, clo, chi, ccw, cch, period/2, oc, rule)
				} else {
					g, w = columnSeam(got, clo, chi, ccw, cch, period/2, oc, rule), columnSeam(want, clo, chi, ccw, cch, period/2, oc, rule)
				}
				if g != w {
					t.Fatalf("photo %d.%d, horiz %v: coarse run %+v, reference %+v", k, rep, horiz, g, w)
				}
				coarsePool.Put(buf)
				if w.n() > 1 {
					runs++
				}
			}
		}
	}
	if samples == 0 || runs == 0 {
		t.Errorf("%d samples compared, %d runs found: the photos miss the case", samples, runs)
	}
}

// TestBoxMeanSpanMatchesReference: on lines of every length up to 40
// and every span of them, boxMeanSpan writes what refBoxMean does
// inside the span, reading the line only where the means reach (the
// rest of it is poisoned) and writing nothing outside the span.
func TestBoxMeanSpanMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 4))
	for n := 1; n <= 40; n++ {
		line := make([]byte, n)
		for i := range line {
			line[i] = byte(r.IntN(256))
		}
		want := make([]byte, n)
		refBoxMean(want, line)
		for i0 := 0; i0 <= n; i0++ {
			for i1 := i0; i1 <= n; i1++ {
				src := make([]byte, n, n+2*coarseReach)
				for i := range src {
					src[i] = 0xEE
				}
				for i := max(0, i0-coarseReach); i < min(n, i1+coarseReach); i++ {
					src[i] = line[i]
				}
				got := make([]byte, n)
				for i := range got {
					got[i] = 0x5A
				}
				boxMeanSpan(got, src[:min(n, i1+coarseReach)], n, i0, i1)
				for i := range n {
					w := byte(0x5A)
					if i >= i0 && i < i1 {
						w = want[i]
					}
					if got[i] != w {
						t.Fatalf("line of %d, span %d–%d: sample %d is %d, want %d", n, i0, i1, i, got[i], w)
					}
				}
			}
		}
	}
}

package imagecheck

import (
	"math/rand"
	"testing"
)

// colourfulnessTwoWalks is colourfulness as it was before its samples
// were kept for the second pass: the region walked twice, the luma
// range read in the second walk.
func colourfulnessTwoWalks(p *planes, r region) (colour, usable float64) {
	var hu, hv [2*colourSpan*colourBin + 1]int32
	n, lit := 0, 0
	visited := eachColourSample(p, r, func(cx, cy, y4 int) {
		hu[colourBinOf(int(p.cb[cy*p.cs+cx])-128, y4)]++
		hv[colourBinOf(int(p.cr[cy*p.cs+cx])-128, y4)]++
		n++
		if y4 >= 4*colourLitLuma {
			lit++
		}
	})
	if visited > 0 {
		usable = float64(lit) / float64(visited)
	}
	if n < 16 {
		return 0, usable
	}
	ku, kv := histMedian(hu[:], n)/100, histMedian(hv[:], n)/100
	var dist colourDists
	eachColourSample(p, r, func(cx, cy, _ int) {
		lo, hi := lumaRangeSlow(p, 2*cx, 2*cy)
		cb, cr := float64(int(p.cb[cy*p.cs+cx])-128), float64(int(p.cr[cy*p.cs+cx])-128)
		dist.add(chromaSegmentDist2(cb, cr, lumaRecip[max(lo, 16)], lumaRecip[max(hi, lo, 16)], ku, kv) * 1e4)
	})
	return dist.rms(n - n*2/100), usable
}

// lumaRangeSlow is lumaRange pixel by pixel.
func lumaRangeSlow(p *planes, x0, y0 int) (lo, hi byte) {
	lo, hi = 255, 0
	for y := max(0, y0-1); y <= min(p.h-1, y0+2); y++ {
		for x := max(0, x0-1); x <= min(p.w-1, x0+2); x++ {
			lo, hi = min(lo, p.y[y*p.ys+x]), max(hi, p.y[y*p.ys+x])
		}
	}
	return lo, hi
}

// A 4×4 block around (2, 2) of a 6×6 plane whose darkest pixel is the
// last read (5 at (3, 3)) and brightest the first (250 at (1, 1)); the
// plane's edge clamps the block at (0, 0).
func TestLumaRangeLiteral(t *testing.T) {
	p := planes{w: 6, h: 6, ys: 6, y: make([]byte, 36)}
	for i := range p.y {
		p.y[i] = 100
	}
	p.y[1*6+1], p.y[3*6+3], p.y[5*6+5] = 250, 5, 0
	if lo, hi := lumaRange(&p, 2, 2); lo != 5 || hi != 250 {
		t.Fatalf("at (2, 2): %d, %d; want 5, 250", lo, hi)
	}
	if lo, hi := lumaRange(&p, 0, 0); lo != 100 || hi != 250 {
		t.Fatalf("at (0, 0): %d, %d; want 100, 250", lo, hi)
	}
}

// lumaRange gives what the pixel-by-pixel reading gives everywhere on
// random planes, and colourfulness, reading its samples once, the
// scores of the two walks, bit for bit, on random cards (tinted print of
// random chroma on pale paper, dark and clipped blocks among them).
func TestColourfulnessMatchesTwoWalks(t *testing.T) {
	rng := rand.New(rand.NewSource(16))
	for trial := range 60 {
		w, h := 20+rng.Intn(200), 20+rng.Intn(150)
		p := planes{w: w, h: h, ys: w, cw: (w + 1) / 2, ch: (h + 1) / 2}
		p.cs = p.cw
		p.y = make([]byte, w*h)
		p.cb, p.cr = make([]byte, p.cw*p.ch), make([]byte, p.cw*p.ch)
		for i := range p.y {
			p.y[i] = byte(20 + rng.Intn(236))
		}
		base := 128 + rng.Intn(21) - 10
		for i := range p.cb {
			p.cb[i], p.cr[i] = byte(base+rng.Intn(5)-2), byte(base+rng.Intn(5)-2)
			if rng.Intn(5) == 0 {
				p.cb[i], p.cr[i] = byte(rng.Intn(256)), byte(rng.Intn(256))
			}
		}
		for y := range h {
			for x := range w {
				lo, hi := lumaRange(&p, x, y)
				if wlo, whi := lumaRangeSlow(&p, x, y); lo != wlo || hi != whi {
					t.Fatalf("trial %d: lumaRange at (%d, %d) %d, %d; want %d, %d", trial, x, y, lo, hi, wlo, whi)
				}
			}
		}
		// A convex quadrilateral, each corner in its own quarter.
		fw, fh := float64(w), float64(h)
		q := [4][2]float64{
			{rng.Float64() * 0.3 * fw, rng.Float64() * 0.3 * fh},
			{(0.7 + rng.Float64()*0.3) * fw, rng.Float64() * 0.3 * fh},
			{(0.7 + rng.Float64()*0.3) * fw, (0.7 + rng.Float64()*0.3) * fh},
			{rng.Float64() * 0.3 * fw, (0.7 + rng.Float64()*0.3) * fh},
		}
		r := rasterize(q, w, h)
		gc, gu := colourfulness(&p, r)
		wc, wu := colourfulnessTwoWalks(&p, r)
		if gc != wc || gu != wu {
			t.Fatalf("trial %d: colourfulness %v, %v; want %v, %v", trial, gc, gu, wc, wu)
		}
	}
}

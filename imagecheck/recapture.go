package imagecheck

import "math"

// recaptureMeasure looks for the signature of a photographed screen: a
// periodic (moiré) pattern common to the whole document. It transforms
// five 64×64 luma windows spread over the document, normalises each power
// spectrum by its mean over the band of periods 3–21 pixels, and returns
// the largest geometric mean across windows: a pattern that is periodic
// in one window only (guilloche, a block of text lines) averages out;
// one that covers the whole document stands out. Frequencies of the JPEG
// block grid are left out.
func recaptureMeasure(p *planes, wq [4][2]float64, factor int) float64 {
	uv := [5][2]float64{{0.3, 0.3}, {0.7, 0.3}, {0.5, 0.5}, {0.3, 0.7}, {0.7, 0.7}}
	const half = fftN / 2
	var logSum [fftN * fftN]float32
	nw := 0
	win := make([]complex64, fftN*fftN)
	hann := hannWindow()
	block := max(1, 8/factor) // JPEG block size in working pixels
	for _, w := range uv {
		// Bilinear position inside the quadrilateral (c0 c1 c2 c3 clockwise).
		top := lerp2(wq[0], wq[1], w[0])
		bot := lerp2(wq[3], wq[2], w[0])
		c := lerp2(top, bot, w[1])
		x0, y0 := int(c[0])-half, int(c[1])-half
		if x0 < 0 || y0 < 0 || x0+fftN > p.w || y0+fftN > p.h {
			continue
		}
		var mean float64
		for y := 0; y < fftN; y++ {
			for x := 0; x < fftN; x++ {
				mean += float64(p.y[(y0+y)*p.ys+x0+x])
			}
		}
		mean /= fftN * fftN
		for y := 0; y < fftN; y++ {
			for x := 0; x < fftN; x++ {
				v := (float64(p.y[(y0+y)*p.ys+x0+x]) - mean) * hann[x] * hann[y]
				win[y*fftN+x] = complex(float32(v), 0)
			}
		}
		fft2(win)
		// Power over the band, upper half-plane.
		var total float64
		cnt := 0
		for ky := 0; ky < half; ky++ {
			for kx := -half + 1; kx < half; kx++ {
				if !inBand(kx, ky, block) {
					continue
				}
				v := win[ky*fftN+(kx+fftN)%fftN]
				total += float64(real(v)*real(v) + imag(v)*imag(v))
				cnt++
			}
		}
		if total == 0 {
			continue
		}
		m := total / float64(cnt)
		for ky := 0; ky < half; ky++ {
			for kx := -half + 1; kx < half; kx++ {
				if !inBand(kx, ky, block) {
					continue
				}
				v := win[ky*fftN+(kx+fftN)%fftN]
				pw := float64(real(v)*real(v)+imag(v)*imag(v)) / m
				logSum[ky*fftN+kx+half] += float32(math.Log(pw + 1e-3))
			}
		}
		nw++
	}
	if nw < 3 {
		return 0
	}
	best := math.Inf(-1)
	for ky := 0; ky < half; ky++ {
		for kx := -half + 1; kx < half; kx++ {
			if !inBand(kx, ky, block) {
				continue
			}
			best = math.Max(best, float64(logSum[ky*fftN+kx+half])/float64(nw))
		}
	}
	return math.Exp(best)
}

// inBand reports whether frequency (kx, ky) (cycles per window) is in the
// analysed band and not a harmonic of the JPEG block grid.
func inBand(kx, ky, block int) bool {
	r2 := kx*kx + ky*ky
	if r2 < 3*3 || r2 > 21*21 {
		return false
	}
	if ky == 0 && kx < 0 {
		return false // the other half of the ky = 0 row
	}
	g := fftN / block // cycles per window of the block grid
	if g < fftN/2 && kx%g == 0 && ky%g == 0 {
		return false
	}
	return true
}

func lerp2(a, b [2]float64, t float64) [2]float64 {
	return [2]float64{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t}
}

var hannTable = func() [fftN]float64 {
	var h [fftN]float64
	for i := range h {
		h[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(fftN-1))
	}
	return h
}()

func hannWindow() *[fftN]float64 { return &hannTable }

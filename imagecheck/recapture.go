package imagecheck

import "math"

// recaptureMeasure looks for the signature of a photographed screen: a
// colour moiré, the interference of the screen's pixel grid with the
// camera's colour filter, which lays the same periodic chroma pattern
// over the whole document, printed or blank, text or portrait. It
// transforms 32×32 windows of both chroma planes at six places spread
// over the document, normalises each power spectrum by its mean over the
// band of periods 5–21 luma pixels, pools each bin with its neighbours
// (the bands curve a little), and returns the largest power any frequency
// keeps in every window: print that is periodic in some places only
// (guilloche, lines of text) scores low. Frequencies of the JPEG block
// grid are left out.
func recaptureMeasure(p *planes, wq [4][2]float64, factor int) float64 {
	uv := [...][2]float64{{0.25, 0.3}, {0.5, 0.3}, {0.75, 0.3}, {0.25, 0.7}, {0.5, 0.7}, {0.75, 0.7}}
	const half = fftN / 2
	block := max(1, 8/factor) // JPEG chroma block in working chroma pixels
	var minPow, minAmp [fftN * half]float32
	for i := range minPow {
		minPow[i] = math.MaxFloat32
		minAmp[i] = math.MaxFloat32
	}
	win := make([]complex64, fftN*fftN)
	var pw [fftN * half]float32
	nw := 0
	for _, plane := range [2][]byte{p.cb, p.cr} {
		for _, w := range uv {
			top := lerp2(wq[0], wq[1], w[0])
			bot := lerp2(wq[3], wq[2], w[0])
			c := lerp2(top, bot, w[1])
			x0, y0 := int(c[0]/2)-half, int(c[1]/2)-half
			if x0 < 0 || y0 < 0 || x0+fftN > p.cw || y0+fftN > p.ch {
				continue
			}
			var mean float32
			for y := 0; y < fftN; y++ {
				for _, v := range plane[(y0+y)*p.cs+x0 : (y0+y)*p.cs+x0+fftN] {
					mean += float32(v)
				}
			}
			mean /= fftN * fftN
			for y := 0; y < fftN; y++ {
				row := plane[(y0+y)*p.cs+x0:]
				for x := 0; x < fftN; x++ {
					win[y*fftN+x] = complex((float32(row[x])-mean)*hann[x]*hann[y], 0)
				}
			}
			fft2(win)
			var total float64
			cnt := 0
			for ky := 0; ky < half; ky++ {
				for kx := -half + 1; kx < half; kx++ {
					v := win[ky*fftN+(kx+fftN)%fftN]
					e := real(v)*real(v) + imag(v)*imag(v)
					pw[ky*fftN+kx+half] = e
					if inBand(kx, ky, block) {
						total += float64(e)
						cnt++
					}
				}
			}
			if total < 1e-3*float64(cnt) { // a flat window: no information
				continue
			}
			m := float32(total / float64(cnt))
			for ky := 0; ky < half; ky++ {
				for kx := -half + 1; kx < half; kx++ {
					if !inBand(kx, ky, block) {
						continue
					}
					// Pool over the 3×3 neighbourhood (same half-plane),
					// reaching at most half a bin below the band: further
					// down lies the power of the print's own edges and
					// flat panels, which would lift the band's lowest bins
					// in every window that holds an edge (a portrait's
					// outline, a panel's).
					var best float32
					for dy := -1; dy <= 1; dy++ {
						for dx := -1; dx <= 1; dx++ {
							y, x := ky+dy, kx+dx
							if y < 0 || y >= half || x <= -half || x >= half || x*x+y*y < minPoolR2 {
								continue
							}
							best = max(best, pw[y*fftN+x+half])
						}
					}
					i := ky*fftN + kx + half
					minPow[i] = min(minPow[i], best/m)
					// Amplitude of a sinusoid with this power (Hann window).
					minAmp[i] = min(minAmp[i], 8*float32(math.Sqrt(float64(best)))/(fftN*fftN))
				}
			}
			nw++
		}
	}
	if nw < 6 {
		return 0
	}
	var score float32
	for ky := 0; ky < half; ky++ {
		for kx := -half + 1; kx < half; kx++ {
			// A pattern of less than a grey level is noise, however regular.
			if i := ky*fftN + kx + half; inBand(kx, ky, block) && minAmp[i] >= minMoireAmp {
				score = max(score, minPow[i])
			}
		}
	}
	return float64(score)
}

// minMoireAmp is the weakest chroma moiré counted, in levels.
const minMoireAmp = 1

// The band's squared radii in cycles per window: periods of 5–21 luma
// pixels.
const (
	minBandR2 = 3 * 3
	maxBandR2 = 12 * 12
)

// minPoolR2 is the smallest squared radius a band bin pools from: 2.5
// cycles per window, half a bin below the band, rounded to the bins on
// the grid ((2, 2) is pooled, (2, 1) is not).
const minPoolR2 = 8

// inBand reports whether frequency (kx, ky), in cycles per window, is in
// the analysed band and not a harmonic of the JPEG block grid.
func inBand(kx, ky, block int) bool {
	r2 := kx*kx + ky*ky
	if r2 < minBandR2 || r2 > maxBandR2 {
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

var hann = func() [fftN]float32 {
	var h [fftN]float32
	for i := range h {
		h[i] = float32(0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(fftN-1)))
	}
	return h
}()

package imagecheck

import "math"

// toneBins is the number of luma levels colourTone's cast curve is
// tabulated at (16 levels each).
const toneBins = 16

// colourTone is how far the document's colour strays from a cast that
// may change with luma, in percent of luma: the root mean square distance
// between each chroma sample's chromaticity and the document's typical
// chromaticity at that sample's luma, the farthest 2 % set aside.
//
// A grey document under one light has every channel a function of one
// quantity, the light reaching the paper times its grey level: shadows,
// a vignette and the tone curve's shoulder move the cast's strength and
// hue with luma, but at any one luma there is one chromaticity. A colour
// card's print puts different chromaticities at the same luma.
//
// The typical chromaticity at each luma level (toneBins of them) is the
// per-component median of the samples whose block lies on flat luma;
// levels with too few such samples take the nearest level's that has
// them. As in colourfulness, a sample may have any luma between the
// darkest and the brightest within a pixel of its block (the chroma's
// lower resolution smears the paper's tint onto the print beside it):
// its distance is the smallest over those lumas.
//
// It also returns cast, the same distances less castAllowance chroma
// levels (at least 0): what a grey document's chroma strays from one
// cast at each luma beyond its own rounding and noise, which at the
// paper's luma are a few tenths of a percent and on dark print several
// percent, and beyond the spread of the cast within a luma level where
// the tone curve's shoulder turns it fastest. A grey copy under a strong
// light, whose paper the shoulder compresses toward white while its
// toner keeps the full cast, keeps close to none (development copies
// 0.10 and under); a colour card's tints stray by more (clean cards
// whose colour is over MinColourDoubt 0.34 and over).
func colourTone(p *planes, r region) (tone, cast float64) {
	var hu, hv [toneBins][2*colourSpan*colourBin + 1]int32
	var cnt [toneBins]int
	n := 0
	eachColourSample(p, r, func(cx, cy, y4 int) {
		n++
		lo, hi := lumaRange(p, 2*cx, 2*cy)
		if int(hi)-int(lo) > toneFlat {
			return
		}
		b := min(y4/(4*256/toneBins), toneBins-1)
		hu[b][colourBinOf(int(p.cb[cy*p.cs+cx])-128, y4)]++
		hv[b][colourBinOf(int(p.cr[cy*p.cs+cx])-128, y4)]++
		cnt[b]++
	})
	if n < 16 {
		return 0, 0
	}
	var ku, kv [toneBins]float64
	var have [toneBins]bool
	some := false
	for b := range cnt {
		if cnt[b] >= toneMinSamples {
			ku[b], kv[b] = histMedian(hu[b][:], cnt[b])/100, histMedian(hv[b][:], cnt[b])/100
			have[b], some = true, true
		}
	}
	if !some {
		return 0, 0
	}
	fillNearest(&ku, &kv, have)

	var dist, over colourDists
	eachColourSample(p, r, func(cx, cy, y4 int) {
		lo, hi := lumaRange(p, 2*cx, 2*cy)
		cb, cr := float64(int(p.cb[cy*p.cs+cx])-128), float64(int(p.cr[cy*p.cs+cx])-128)
		best := math.Inf(1)
		l0, l1 := max(int(lo), 16), max(int(hi), int(lo), 16)
		for b := l0 * toneBins / 256; b <= l1*toneBins/256 && b < toneBins; b++ {
			// The lumas of level b within the sample's range.
			a, z := max(l0, b*256/toneBins), min(l1, (b+1)*256/toneBins-1)
			if d := chromaSegmentDist2(cb, cr, lumaRecip[a], lumaRecip[z], ku[b], kv[b]); d < best {
				best = d
			}
		}
		dist.add(best * 1e4)
		// castAllowance chroma levels over the block's mean luma (y4/4).
		d := math.Sqrt(best) - castAllowance*4/float64(y4)
		over.add(max(d, 0) * max(d, 0) * 1e4)
	})
	return dist.rms(n - n*2/100), over.rms(n - n*2/100)
}

// fillNearest gives every level without a typical chromaticity the
// nearest level's that has one (the darker on a tie).
func fillNearest(ku, kv *[toneBins]float64, have [toneBins]bool) {
	src := [toneBins]int{}
	for b := range src {
		src[b] = -1
		for d := 0; d < toneBins; d++ {
			if b-d >= 0 && have[b-d] {
				src[b] = b - d
				break
			}
			if b+d < toneBins && have[b+d] {
				src[b] = b + d
				break
			}
		}
	}
	for b, s := range src {
		ku[b], kv[b] = ku[s], kv[s]
	}
}

const (
	toneFlat       = 24 // a block on flat luma: its luma range within a pixel at most this
	toneMinSamples = 12 // flat samples a level needs for a typical chromaticity of its own
	castAllowance  = 2  // chroma levels colourTone's cast allows each sample
)

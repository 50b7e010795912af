package face

import (
	"math"
	"slices"
)

// A blink is seen on the track of a selfie video by:
//
//   - the eye aspect ratio (EAR) of the 68 landmarks: the lid height over
//     the eye's width (Soukupová and Čech, "Real-Time Eye Blink Detection
//     using Facial Landmarks", 2016), which falls when the lids close.
//     kycq's small landmark net hardly follows the lids (on rendered
//     blinks the EAR fell by under 10 %), so it is reported and confirms
//     a blink only when it falls far;
//   - the eyes' change in the aligned face chips (eyeChangeAt): how unlike
//     the eyes of one frame are to those of the frames 0.4–0.7 s before
//     and after it. A shut eye looks unlike the open eyes on both sides of
//     it, whichever way the lid changes the picture (a lighter lid over a
//     dark iris, or dark lashes and make-up over a light eye). A head that
//     turns, the light and the landmarks' jitter change the eyes of every
//     frame a little, and the cheeks below them alike, so what counts is
//     the eyes' change less the cheeks', where it stands out of the
//     video's own level (its median over the frames): a brief peak. The
//     eyes of a still picture, however it is moved, never change.
//
// The eyes' darkness (eyeDark) is reported too: it falls for most eyes as
// the lids cover the iris, but rises for eyes with dark make-up.

// Blink thresholds.
const (
	// blinkEARDrop is the fall of the eye aspect ratio, as a fraction of
	// the level around it, that counts as a blink (real eyes: about 0.3
	// open, under 0.2 shut).
	blinkEARDrop = 0.3
	// blinkPeak is how far the eyes' change in one frame must stand out
	// from the video's median change (Blink.Peak), blinkChange the change
	// it must reach at least, and blinkFloor the change below which the
	// median counts as noise (set on development seeds, see docs/face.md).
	blinkPeak   = 1.75
	blinkChange = 0.015
	blinkFloor  = 0.005
	// blinkWindow is how long (seconds) before and after the shut frame
	// the eyes must be seen open: a blink on request, lids closing,
	// staying shut and reopening, lasts up to about 0.7 s.
	blinkWindow = 0.7
	// BlinkFPS is the frame rate at which a blink challenge's video is
	// sampled: a blink on request keeps the lids shut 150–400 ms, which a
	// 4 fps sampling could miss.
	BlinkFPS = 10
)

// eyeAspectRatio is the mean eye aspect ratio of the two eyes: for each,
// the mean of the two lid distances (37–41, 38–40; 43–47, 44–46) over the
// corner distance (36–39; 42–45). It is 0 for a degenerate eye.
func eyeAspectRatio(lm *Landmarks) float64 {
	d := func(a, b int) float64 { return math.Hypot(lm[a].X-lm[b].X, lm[a].Y-lm[b].Y) }
	ear := 0.0
	for _, o := range []int{36, 42} {
		w := d(o, o+3)
		if w == 0 {
			return 0
		}
		ear += (d(o+1, o+5) + d(o+2, o+4)) / (2 * w)
	}
	return ear / 2
}

// dipAt is how far v[k] falls below the level around it, as a fraction
// of that level: the level is the smaller of the largest value among the
// w frames before and the largest among the w frames after. It is 0 at
// the ends of the series and for a level ≤ 0.
func dipAt(v []float64, k, w int) float64 {
	if k < 1 || k >= len(v)-1 || w < 1 {
		return 0
	}
	before := slices.Max(v[max(0, k-w):k])
	after := slices.Max(v[k+1 : min(len(v), k+1+w)])
	level := math.Min(before, after)
	if level <= 0 {
		return 0
	}
	return math.Max(0, (level-v[k])/level)
}

// briefDip is the deepest dipAt over the series.
func briefDip(v []float64, w int) float64 {
	best := 0.0
	for k := range v {
		best = math.Max(best, dipAt(v, k, w))
	}
	return best
}

// eyeBox is one eye's patch in a chip of side chipSize: around the mean
// face's eye corners, 1.4 eye widths wide and 0.9 high.
type eyeBox struct{ x0, y0, w, h int }

// eyeBoxes are the two eye patches in the aligned chip.
var eyeBoxes = func() [2]eyeBox {
	var out [2]eyeBox
	for k, o := range []int{36, 42} {
		ax, ay := templatePoint(o, chipSize)
		bx, by := templatePoint(o+3, chipSize)
		w := bx - ax
		cx, cy := (ax+bx)/2, (ay+by)/2
		out[k] = eyeBox{int(math.Round(cx - 0.7*w)), int(math.Round(cy - 0.45*w)), int(math.Round(1.4 * w)), int(math.Round(0.9 * w))}
	}
	return out
}()

// eyeDark returns how dark the middle of the eyes is against the skin
// around them in one aligned chip (side chipSize, luma), averaged over both
// eyes: the median of the eye box's top and bottom fifths (lid and cheek
// skin) less the mean of the darkest quarter of its middle (the middle
// half of the width, between those rows: iris, pupil and lashes when
// open, the lash line alone when shut), over that median. It is 0 for a
// black chip.
func eyeDark(c []uint8) float64 {
	out := 0.0
	var ring, inner []float64
	for _, b := range eyeBoxes {
		ring, inner = ring[:0], inner[:0]
		for y := 0; y < b.h; y++ {
			for x := 0; x < b.w; x++ {
				v := float64(c[(b.y0+y)*chipSize+b.x0+x])
				switch {
				case y < b.h/5 || y >= b.h-b.h/5:
					ring = append(ring, v)
				case x >= b.w/4 && x < b.w-b.w/4:
					inner = append(inner, v)
				}
			}
		}
		slices.Sort(inner)
		q := max(1, len(inner)/4)
		dark := 0.0
		for _, v := range inner[:q] {
			dark += v
		}
		dark /= float64(q)
		if skin := median(ring); skin > 0 {
			out += (skin - dark) / skin / 2
		}
	}
	return out
}

// cheekBoxes are the control patches of the eyes' change: each eye box
// moved down by its height and 4 pixels, onto the cheek. The alignment's
// jitter, a turn of the head and the light change them as they change the
// eyes; a blink does not.
var cheekBoxes = func() [2]eyeBox {
	var out [2]eyeBox
	for k, b := range eyeBoxes {
		out[k] = eyeBox{b.x0, b.y0 + b.h + 4, b.w, b.h}
	}
	return out
}()

// eyeChangeAt is how unlike the patches (eyeBoxes or cheekBoxes) of chip
// k are to those of the frames around it, seen far enough that a blink is
// over: the smaller, over the chips w/2 to w before k and those w/2 to w
// after it, of the closest match there, a match being patchDistance. It is
// 0 when either side has no such chip.
func eyeChangeAt(chips [][]uint8, k, w int, boxes *[2]eyeBox) float64 {
	near := max(1, w/2)
	closest := func(from, to int) float64 {
		best := math.Inf(1)
		for j := max(0, from); j < min(len(chips), to); j++ {
			best = math.Min(best, patchDistance(chips[k], chips[j], boxes))
		}
		return best
	}
	before, after := closest(k-w, k-near+1), closest(k+near, k+w+1)
	if math.IsInf(before, 1) || math.IsInf(after, 1) {
		return 0
	}
	return math.Min(before, after)
}

// patchDistance is the mean over the two boxes of (1 − NCC)/2 between
// chip a's patch and chip b's, b's patch shifted by up to blinkShift
// pixels for the best NCC.
func patchDistance(a, b []uint8, boxes *[2]eyeBox) float64 {
	d := 0.0
	ref := make([]float64, 0, 64*64)
	for _, box := range boxes {
		ref = ref[:0]
		for y := 0; y < box.h; y++ {
			for x := 0; x < box.w; x++ {
				ref = append(ref, float64(a[(box.y0+y)*chipSize+box.x0+x]))
			}
		}
		best := -1.0
		for dy := -blinkShift; dy <= blinkShift; dy++ {
			for dx := -blinkShift; dx <= blinkShift; dx++ {
				best = math.Max(best, patchNCC(b, box, dx, dy, ref))
			}
		}
		d += (1 - best) / 4
	}
	return d
}

// blinkShift is how far (chip pixels) an eye patch may move to meet
// another frame's: the alignment's jitter.
const blinkShift = 2

// patchNCC is the normalised cross-correlation between the chip's eye box
// b moved by (dx, dy) and ref (b.w×b.h values); 0 when either is flat.
func patchNCC(c []uint8, b eyeBox, dx, dy int, ref []float64) float64 {
	var sa, sb, saa, sbb, sab float64
	n := float64(b.w * b.h)
	for y := 0; y < b.h; y++ {
		row := (b.y0+y+dy)*chipSize + b.x0 + dx
		for x := 0; x < b.w; x++ {
			a, r := float64(c[row+x]), ref[y*b.w+x]
			sa += a
			sb += r
			saa += a * a
			sbb += r * r
			sab += a * r
		}
	}
	va, vb := saa-sa*sa/n, sbb-sb*sb/n
	if va <= 1e-9 || vb <= 1e-9 {
		return 0
	}
	return (sab - sa*sb/n) / math.Sqrt(va*vb)
}

// Blink is what the track of a selfie video shows of a blink, each a
// fraction (see the package notes above blinkEARDrop).
type Blink struct {
	// EARDrop is the deepest brief fall of the eye aspect ratio.
	EARDrop float64
	// Dark is the deepest brief fall of the eyes' darkness (eyeDark),
	// reported only: a shut lid can be lighter or darker than the open eye
	// (make-up, lashes), so its sign says nothing.
	Dark float64
	// Change is the eyes' change (eyeChangeAt) at the frame where it
	// stands out most, and Peak how far it stands out: the eyes' change
	// less the cheeks' in that frame, less the median of that excess over
	// the frames, over (the median eye change + blinkFloor).
	Change, Peak float64
	// Sustained is the peak held over two consecutive frames: over the
	// frames, the smaller of a frame's standing-out (as Peak) and the
	// larger of its neighbours'. A shut eye lasts 150–400 ms, two to four
	// frames at BlinkFPS; one frame's eyes unlike its neighbours' (the
	// landmarks' jitter on a small face) does not.
	Sustained float64
}

// Met reports whether the track shows a blink: the landmarks' eyes shut
// far, or in one frame the eyes look unlike themselves before and after,
// far more than the eyes of the other frames do (head motion, light and
// the alignment's jitter change every frame's eyes alike).
func (b Blink) Met() bool {
	return b.EARDrop >= blinkEARDrop || (b.Peak >= blinkPeak && b.Change >= blinkChange)
}

// blinkOf measures a blink on the track's faces (time order, sampled at
// fps; faces without a chip count for the aspect ratio only).
func blinkOf(track []*faceInfo, fps float64) Blink {
	w := int(math.Ceil(blinkWindow * fps))
	ears := make([]float64, len(track))
	var chips [][]uint8
	for i, fi := range track {
		ears[i] = eyeAspectRatio(&fi.LM)
		if len(fi.gray) == chipSize*chipSize {
			chips = append(chips, fi.gray)
		}
	}
	b := Blink{EARDrop: briefDip(ears, w)}
	if len(chips) == 0 {
		return b
	}
	dark := make([]float64, len(chips))
	change := make([]float64, len(chips))
	excess := make([]float64, len(chips))
	for k, c := range chips {
		dark[k] = eyeDark(c)
		change[k] = eyeChangeAt(chips, k, w, &eyeBoxes)
		excess[k] = change[k] - eyeChangeAt(chips, k, w, &cheekBoxes)
	}
	b.Dark = briefDip(dark, w)
	level, base := median(change), median(excess)
	peaks := make([]float64, len(excess))
	for k, x := range excess {
		peaks[k] = (x - base) / (level + blinkFloor)
		if peaks[k] > b.Peak {
			b.Peak, b.Change = peaks[k], change[k]
		}
	}
	for k, p := range peaks {
		nb := math.Inf(-1)
		if k > 0 {
			nb = peaks[k-1]
		}
		if k+1 < len(peaks) {
			nb = math.Max(nb, peaks[k+1])
		}
		b.Sustained = math.Max(b.Sustained, math.Min(p, nb))
	}
	return b
}

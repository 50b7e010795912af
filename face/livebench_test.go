package face

import (
	"math"
	"testing"
)

// liveTrack is n synthetic frames of a textured face whose middle moves a
// little more each frame, with landmarks and an RGB moiré-free chip.
func liveTrack(n int) []*faceInfo {
	out := make([]*faceInfo, n)
	for k := range out {
		amp := 0.5 * float64(k)
		gray := texturedChip(chipSize, func(x, y float64) (float64, float64) {
			d := math.Exp(-((x-75)*(x-75) + (y-85)*(y-85)) / (2 * 15 * 15))
			return x + amp*d, y
		})
		lm := eyeLandmarks(9)
		for i := range lm {
			lm[i].X += float64(i%7) + amp
			lm[i].Y += float64(i%5) * 3
		}
		out[k] = &faceInfo{Found: true, LM: *lm, gray: gray, moire: chromaMoire(rgbChip(chipSize, 0, 0), chipSize),
			Quality: Quality{EyeDistance: 60}}
	}
	return out
}

// BenchmarkLivenessCues is the liveness judgement of a 6-frame video
// (motion, parallax, the texture cue's 15 homography fits, the screen
// cue's median), without the networks.
func BenchmarkLivenessCues(b *testing.B) {
	e, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	track := liveTrack(6)
	s0, c0 := cpuTimes()
	for b.Loop() {
		e.liveness(track)
	}
	reportCPU(b, s0, c0)
}

// BenchmarkChromaMoire is the screen cue of one 150 px chip.
func BenchmarkChromaMoire(b *testing.B) {
	c := rgbChip(chipSize, 9, 25)
	s0, c0 := cpuTimes()
	for b.Loop() {
		chromaMoire(c, chipSize)
	}
	reportCPU(b, s0, c0)
}

// BenchmarkBlink is the blink measure of a 3-second challenge video
// sampled at BlinkFPS (30 frames).
func BenchmarkBlink(b *testing.B) {
	track := blinkTrack(30, 12, 15, false)
	s0, c0 := cpuTimes()
	for b.Loop() {
		blinkOf(track, BlinkFPS)
	}
	reportCPU(b, s0, c0)
}

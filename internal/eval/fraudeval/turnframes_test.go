package fraudeval

import (
	"math"
	"testing"
)

// TestSampledFrame: the video frames ffmpeg's fps=4 filter gave for the
// samples of 3 s videos at 15, 12 and 10 fps (measured on a video whose
// frame i was painted gray 5·i, lossless H.264).
func TestSampledFrame(t *testing.T) {
	for _, c := range []struct {
		fps  float64
		want []int
	}{
		{15, []int{1, 5, 9, 13, 16, 20, 24, 28, 31, 35, 39, 43}},
		{12, []int{1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34}},
		{10, []int{1, 3, 6, 8, 11, 13, 16, 18, 21, 23, 26, 28}},
	} {
		n := int(3 * c.fps)
		for k, want := range c.want {
			if got := sampledFrame(k, 4, c.fps, n); got != want {
				t.Errorf("%.0f fps, sample %d: frame %d, want %d", c.fps, k, got, want)
			}
		}
		if got := sampledFrame(12, 4, c.fps, n); got != n-1 {
			t.Errorf("%.0f fps: a sample past the end is frame %d, want the last, %d", c.fps, got, n-1)
		}
	}
}

// TestTurnRead: a video asked to turn left, its frames' truth made by
// construction (the jaw ends at (0, 0) and (2, 0), the nose tip at 1 + y
// along them, so that face.JawYaw reads y): every reading is the
// rise towards the left over the larger of the first two frames.
func TestTurnRead(t *testing.T) {
	deg := []float64{0, -5, -15, -30, -10}
	y := []float64{0, -0.1, -0.3, -0.5, -0.2}
	read := []float64{0, -0.05, -0.1, -0.2, -0.1}
	both := []float64{0, 0.2, 0.4, 0.8, 0.3}
	tv := TurnVideo{Portrait: "p", Case: "genuine_turn", Challenge: "turn_left", Head: true}
	for i := range deg {
		var lm [68][2]float64
		lm[16] = [2]float64{2, 0}
		lm[30] = [2]float64{1 + y[i], 0.5}
		d := deg[i]
		tv.Frames = append(tv.Frames, TurnFrame{Index: i, Yaw: read[i], Both: both[i], TrueYaw: &d, TrueLM: &lm})
	}
	r := turnRead(tv)
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"true", r.True, 25},
		{"its landmarks", r.TrueLM, math.Atanh(0.5) - math.Atanh(0.1)},
		{"read", r.Read, 0.15},
		{"both", r.Both, 0.6},
		{"rest", r.Rest, math.Atanh(0.1)},
	} {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s: %.6f, want %.6f", c.name, c.got, c.want)
		}
	}
	// Asked to turn right, the same head turns the other way: nothing.
	tv.Challenge = "turn_right"
	if r := turnRead(tv); r.True != 0 || r.TrueLM != 0 || r.Read != 0 {
		t.Errorf("turn_right: %+v", r)
	}
}

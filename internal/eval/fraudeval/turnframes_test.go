package fraudeval

import "testing"

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

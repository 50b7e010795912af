package face

import (
	"bufio"
	"strings"
	"testing"
)

func TestReadPPMStream(t *testing.T) {
	frame := func(w, h int, header string) string {
		return header + strings.Repeat("\x80", w*h*3)
	}
	two := frame(2, 1, "P6\n2 1\n255\n") + frame(1, 1, "P6 1 1 255\n")
	frames, err := readPPMStream(bufio.NewReader(strings.NewReader(two)), 10, 4)
	if err != nil || len(frames) != 2 || frames[0].W != 2 || frames[1].H != 1 || frames[0].Pix[5] != 0x80 {
		t.Fatalf("two frames: %v %d", err, len(frames))
	}
	if frames, _ := readPPMStream(bufio.NewReader(strings.NewReader(two)), 1, 4); len(frames) != 1 {
		t.Errorf("maxFrames ignored: %d frames", len(frames))
	}
	withComment := "P6\n# made by a test\n1 1\n255\n\x01\x02\x03"
	if frames, err := readPPMStream(bufio.NewReader(strings.NewReader(withComment)), 4, 4); err != nil || len(frames) != 1 || frames[0].Pix[2] != 3 {
		t.Errorf("comment: %v %v", err, frames)
	}
	for name, bad := range map[string]string{
		"not P6":        "P5\n1 1\n255\n\x00",
		"too wide":      "P6\n5 1\n255\n" + strings.Repeat("\x00", 15),
		"zero size":     "P6\n0 1\n255\n",
		"16-bit":        "P6\n1 1\n65535\n\x00\x00\x00\x00\x00\x00",
		"truncated":     "P6\n2 2\n255\n\x00\x00",
		"huge number":   "P6\n99999999999 1\n255\n",
		"no separator":  "P6\n1 1\n255",
		"letters":       "P6\nab 1\n255\n",
		"header cut":    "P6\n1",
		"bad separator": "P6\n1x1\n255\n",
	} {
		if _, err := readPPMStream(bufio.NewReader(strings.NewReader(bad)), 4, 4); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestFrameOrder(t *testing.T) {
	for _, c := range []struct {
		n, want int
		first   []int
		total   int
	}{
		{12, 6, []int{0, 2, 4, 7, 9, 11}, 12},
		{3, 6, []int{0, 1, 2}, 3},
		{33, 6, []int{0, 6, 13, 19, 26, 32}, 12},
		{1, 6, []int{0}, 1},
		{0, 6, nil, 0},
	} {
		got := frameOrder(c.n, c.want)
		if len(got) != c.total {
			t.Errorf("frameOrder(%d,%d) = %v: %d frames, want %d", c.n, c.want, got, len(got), c.total)
			continue
		}
		for i, f := range c.first {
			if got[i] != f {
				t.Errorf("frameOrder(%d,%d) = %v, want it to start %v", c.n, c.want, got, c.first)
				break
			}
		}
		seen := map[int]bool{}
		for _, f := range got {
			if seen[f] || f < 0 || f >= c.n {
				t.Errorf("frameOrder(%d,%d) = %v: bad or repeated frame", c.n, c.want, got)
			}
			seen[f] = true
		}
	}
}

func TestFFmpegArgsAreBounded(t *testing.T) {
	e := testEngine(t, Options{})
	args := strings.Join(e.ffmpegArgs("-evil.mp4"), " ")
	for _, want := range []string{"-nostdin", "-threads 1", "-protocol_whitelist file", "-format_whitelist", "-codec_whitelist",
		"-max_pixels", "-t 8.000", "-i file:-evil.mp4", "-frames:v 33", "-an", "ppm"} {
		if !strings.Contains(args, want) {
			t.Errorf("ffmpeg args lack %q: %s", want, args)
		}
	}
}

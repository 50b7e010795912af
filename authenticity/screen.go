package authenticity

import (
	"encoding/binary"
	"image"
)

// screens are common screen resolutions (phones in portrait, the rest in
// landscape; either orientation matches).
var screens = [][2]int{
	{720, 1280}, {720, 1520}, {720, 1600}, {750, 1334}, {828, 1792}, {1080, 1920}, {1080, 2160},
	{1080, 2280}, {1080, 2340}, {1080, 2400}, {1125, 2436}, {1170, 2532}, {1179, 2556}, {1242, 2208},
	{1242, 2688}, {1284, 2778}, {1290, 2796}, {1440, 2560}, {1440, 3040}, {1440, 3120}, {1440, 3200},
	{1280, 720}, {1280, 800}, {1366, 768}, {1440, 900}, {1536, 864}, {1600, 900}, {1680, 1050},
	{1920, 1080}, {1920, 1200}, {2048, 1536}, {2160, 1620}, {2388, 1668}, {2560, 1440}, {2560, 1600},
	{2732, 2048}, {2880, 1800}, {3024, 1964}, {3456, 2234}, {3840, 2160},
}

// screenSize reports whether w×h is a common screen resolution.
func screenSize(w, h int) bool {
	for _, s := range screens {
		if (w == s[0] && h == s[1]) || (w == s[1] && h == s[0]) {
			return true
		}
	}
	return false
}

// flatBlocks is the fraction of 8×8 blocks of the luma that are exactly
// flat (every value equal) without being clipped black or white. A
// camera's sensor noise leaves almost none even in plain areas; a
// screenshot's backgrounds, bars and margins are flat to the bit.
func flatBlocks(img *image.YCbCr) float64 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	total, flat := 0, 0
	for by := 0; by+8 <= h; by += 8 {
		for bx := 0; bx+8 <= w; bx += 8 {
			total++
			first := img.Y[by*img.YStride+bx]
			if first <= 2 || first >= 253 {
				continue
			}
			// Eight pixels at a time: a row is flat when its eight bytes
			// are first's, repeated.
			want := uint64(first) * 0x0101010101010101
			same := true
			for y := by; y < by+8 && same; y++ {
				same = binary.LittleEndian.Uint64(img.Y[y*img.YStride+bx:][:8]) == want
			}
			if same {
				flat++
			}
		}
	}
	if total == 0 {
		return 0
	}
	return float64(flat) / float64(total)
}

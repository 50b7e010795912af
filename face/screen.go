package face

import "math"

// A picture shown on a screen and filmed carries the screen's pixel grid:
// red, green and blue subpixel stripes that the camera's own grid
// resamples into colour moiré, bands of false colour across the face.
// Skin, and a printed or real face, vary in brightness far more than in
// hue at that scale. The screen cue measures, on the aligned face chip,
// the hue variation left after removing the slow changes (light, skin
// tone) against the brightness variation left the same way.

// screenBox is the radius of the box mean removed before measuring: slow
// changes, wider than 2·screenBox+1 chip pixels, do not count.
const screenBox = 7

// chromaMoire returns the colour-moiré measure of an RGB chip (side×side,
// 3 bytes a pixel) over textureRegion: the RMS of the two colour
// differences (R−G and B−G) after subtracting their local box means, over
// the RMS of the luma after the same, plus 2 gray levels so a flat chip
// does not divide by nothing. A camera's face gives about 0.1–0.3; a
// screen's moiré more.
func chromaMoire(rgb []uint8, side int) float64 {
	if len(rgb) != side*side*3 || side < textureX1+screenBox || side < textureY1+screenBox {
		return 0
	}
	n := side * side
	rg := make([]float64, n)
	bg := make([]float64, n)
	lu := make([]float64, n)
	for i := 0; i < n; i++ {
		r, g, b := float64(rgb[3*i]), float64(rgb[3*i+1]), float64(rgb[3*i+2])
		rg[i], bg[i] = r-g, b-g
		lu[i] = 0.299*r + 0.587*g + 0.114*b
	}
	hp := func(f []float64) float64 {
		m := boxMean(f, side, screenBox)
		s := 0.0
		k := 0
		for y := textureY0; y < textureY1; y++ {
			for x := textureX0; x < textureX1; x++ {
				d := f[y*side+x] - m[y*side+x]
				s += d * d
				k++
			}
		}
		return s / float64(k)
	}
	return math.Sqrt(hp(rg)+hp(bg)) / (math.Sqrt(hp(lu)) + 2)
}

// boxMean returns the mean of f over the (2r+1)² box around each pixel
// (the box clipped at the borders), through a summed-area table.
func boxMean(f []float64, side, r int) []float64 {
	w := side + 1
	sat := make([]float64, w*w)
	for y := 0; y < side; y++ {
		row := 0.0
		for x := 0; x < side; x++ {
			row += f[y*side+x]
			sat[(y+1)*w+x+1] = sat[y*w+x+1] + row
		}
	}
	out := make([]float64, len(f))
	for y := 0; y < side; y++ {
		y0, y1 := max(0, y-r), min(side, y+r+1)
		for x := 0; x < side; x++ {
			x0, x1 := max(0, x-r), min(side, x+r+1)
			s := sat[y1*w+x1] - sat[y0*w+x1] - sat[y1*w+x0] + sat[y0*w+x0]
			out[y*side+x] = s / float64((y1-y0)*(x1-x0))
		}
	}
	return out
}

package imagecheck

import (
	"image"
	"math"
)

// skinTone is how a view is recoloured before the detector sees it
// (skinViews).
type skinTone uint8

const (
	skinNone     skinTone = iota // the view as rectified
	skinPlain                    // skin tones on the view's luma
	skinDarkened                 // skin tones on the luma darkened by skinGamma
)

// The skin tones of skinView: at each luma level the chroma of a skin of
// that lightness (Cb skinCb, Cr skinCr from their neutral 128; a light
// skin such as RGB 224, 172, 140 and a dark one such as 141, 85, 36 both
// lie near Cb −25 to −34, Cr +29 to +32), fading to grey over the
// darkest skinDark and the lightest skinLight levels (shadows, hair and a
// white ground carry no skin's colour).
const (
	skinCb    = -28
	skinCr    = 30
	skinDark  = 60
	skinLight = 40
	// skinGamma darkens the mid-tones of a faded print (levels to the
	// power 1.4): a portrait paled towards white keeps its shape but
	// loses the depth of its shadows.
	skinGamma = 1.4
)

// skinChroma is the chroma skinView gives each luma level (offsets from
// 128), and skinDarken the darkening of skinDarkened.
var (
	skinChroma [256][2]int8
	skinDarken [256]byte
)

func init() {
	for v := range skinChroma {
		k := math.Max(0, math.Min(1, math.Min(float64(v)/skinDark, float64(255-v)/skinLight)))
		skinChroma[v] = [2]int8{int8(math.Round(skinCb * k)), int8(math.Round(skinCr * k))}
		skinDarken[v] = byte(math.Round(255 * math.Pow(float64(v)/255, skinGamma)))
	}
}

// skinView recolours img (4:2:0, its own buffers) in place: when darken
// is set its luma is first darkened (skinDarken); each chroma sample is
// then replaced by skinChroma of the mean luma of its 2×2 block. A grey,
// sepia or faded portrait is shown with a skin's colour, whatever the
// card's tint.
func skinView(img *image.YCbCr, darken bool) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w <= 0 || h <= 0 {
		return
	}
	if darken {
		for y := 0; y < h; y++ {
			row := img.Y[y*img.YStride:][:w]
			for x, v := range row {
				row[x] = skinDarken[v]
			}
		}
	}
	for cy := 0; cy < (h+1)/2; cy++ {
		r0 := img.Y[2*cy*img.YStride:]
		r1 := img.Y[min(2*cy+1, h-1)*img.YStride:]
		cb := img.Cb[cy*img.CStride:]
		cr := img.Cr[cy*img.CStride:]
		for cx := 0; cx < (w+1)/2; cx++ {
			x0, x1 := 2*cx, min(2*cx+1, w-1)
			c := skinChroma[(int(r0[x0])+int(r0[x1])+int(r1[x0])+int(r1[x1])+2)/4]
			cb[cx] = byte(128 + int(c[0]))
			cr[cx] = byte(128 + int(c[1]))
		}
	}
}

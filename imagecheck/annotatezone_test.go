package imagecheck

import (
	"image"
	"image/color"
	"image/draw"
	"testing"
)

func TestAnnotateZone(t *testing.T) {
	white := color.RGBA{255, 255, 255, 255}
	for _, tc := range []struct {
		name  string
		zone  []Point
		scale float64
		drawn bool
	}{
		{"upright", []Point{{100, 200}, {500, 200}, {500, 300}, {100, 300}}, 1, true},
		{"photo twice the preview", []Point{{200, 400}, {1000, 400}, {1000, 600}, {200, 600}}, 2, true},
		{"no zone", nil, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := image.NewRGBA(image.Rect(0, 0, 600, 400))
			draw.Draw(img, img.Rect, image.NewUniform(white), image.Point{}, draw.Src)
			AnnotateZone(img, tc.zone, tc.scale, "td3")
			// The middle of each edge, the inside and the label's box above
			// the first corner, in preview pixels.
			edges := []image.Point{{300, 200}, {500, 250}, {300, 300}, {100, 250}}
			for _, p := range edges {
				if got := img.RGBAAt(p.X, p.Y) != white; got != tc.drawn {
					t.Errorf("edge pixel %v changed %t; want %t", p, got, tc.drawn)
				}
			}
			if img.RGBAAt(300, 250) != white {
				t.Error("the inside of the zone was painted over")
			}
			label := false
			for y := 170; y < 195; y++ {
				for x := 100; x < 130; x++ {
					label = label || img.RGBAAt(x, y) != white
				}
			}
			if label != tc.drawn {
				t.Errorf("label drawn %t; want %t", label, tc.drawn)
			}
		})
	}
}

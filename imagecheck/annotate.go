package imagecheck

import (
	"image"
	"image/color"
	"image/draw"
	"math"
)

// Preview decodes data as Check does and returns the upright photo at
// working resolution, for drawing a report over it (see Annotate).
func Preview(data []byte, opts Options) (img *image.RGBA, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, unreadable("internal error")
		}
	}()
	if opts.WorkSize <= 0 {
		opts.WorkSize = DefaultOptions().WorkSize
	}
	ws := new(workspace)
	d, err := decode(data, opts, ws)
	if err != nil {
		return nil, err
	}
	v := d.p.view()
	img = image.NewRGBA(v.Rect)
	draw.Draw(img, img.Rect, v, image.Point{}, draw.Src)
	return img, nil
}

// Colours of the overlay.
var (
	annotateOK    = color.RGBA{0, 220, 60, 255}
	annotateBad   = color.RGBA{255, 40, 40, 255}
	annotateGlare = color.RGBA{255, 220, 0, 255}
	annotateFace  = color.RGBA{0, 200, 255, 255}
)

// Annotate draws rep's geometry over img, the Preview of the same photo:
// the document quadrilateral (green when its corners passed, red when
// not, with a dot on each corner), the glare regions (yellow) and the
// face box (blue).
func Annotate(img *image.RGBA, rep Report) {
	s := rep.Scale
	if s <= 0 {
		s = 1
	}
	th := max(2, img.Rect.Dx()/300)
	if len(rep.Document) == 4 {
		c := annotateOK
		for _, ch := range rep.Checks {
			if ch.Name == CheckCorners && !ch.Pass {
				c = annotateBad
			}
		}
		for i := 0; i < 4; i++ {
			a, b := rep.Document[i], rep.Document[(i+1)%4]
			drawLine(img, a.X/s, a.Y/s, b.X/s, b.Y/s, th, c)
			fillDisc(img, a.X/s, a.Y/s, float64(2*th+2), c)
		}
	}
	for _, g := range rep.Glare {
		drawRect(img, g, s, th, annotateGlare)
	}
	if rep.Face != nil {
		drawRect(img, rep.Face.Rect, s, th, annotateFace)
	}
}

func drawRect(img *image.RGBA, r image.Rectangle, s float64, th int, c color.RGBA) {
	x0, y0 := float64(r.Min.X)/s, float64(r.Min.Y)/s
	x1, y1 := float64(r.Max.X)/s, float64(r.Max.Y)/s
	drawLine(img, x0, y0, x1, y0, th, c)
	drawLine(img, x1, y0, x1, y1, th, c)
	drawLine(img, x1, y1, x0, y1, th, c)
	drawLine(img, x0, y1, x0, y0, th, c)
}

func drawLine(img *image.RGBA, x0, y0, x1, y1 float64, th int, c color.RGBA) {
	n := int(math.Ceil(math.Max(math.Abs(x1-x0), math.Abs(y1-y0)))) + 1
	for i := 0; i <= n; i++ {
		t := float64(i) / float64(n)
		fillDisc(img, x0+(x1-x0)*t, y0+(y1-y0)*t, float64(th)/2, c)
	}
}

func fillDisc(img *image.RGBA, cx, cy, r float64, c color.RGBA) {
	for y := int(cy - r); y <= int(cy+r); y++ {
		for x := int(cx - r); x <= int(cx+r); x++ {
			if (float64(x)-cx)*(float64(x)-cx)+(float64(y)-cy)*(float64(y)-cy) <= r*r+0.5 {
				if image.Pt(x, y).In(img.Rect) {
					img.SetRGBA(x, y, c)
				}
			}
		}
	}
}

package imagecheck

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
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
	annotateZone  = color.RGBA{255, 120, 0, 255}
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

// AnnotateZone draws the zone a document reader read over img, the
// Preview of the same photo: the quadrilateral zone (in photo pixels,
// scale photo pixels per preview pixel, as Report.Scale) in orange, with
// a dot on its first corner (the reading direction's top-left) and label
// written above that corner. The label says what the zone is (a document
// kind such as "td3" or "cn_id_front"): never pass it a value read from
// the document.
func AnnotateZone(img *image.RGBA, zone []Point, scale float64, label string) {
	if len(zone) != 4 {
		return
	}
	if scale <= 0 {
		scale = 1
	}
	th := max(2, img.Rect.Dx()/300)
	for i := 0; i < 4; i++ {
		a, b := zone[i], zone[(i+1)%4]
		drawLine(img, a.X/scale, a.Y/scale, b.X/scale, b.Y/scale, th, annotateZone)
	}
	x, y := zone[0].X/scale, zone[0].Y/scale
	fillDisc(img, x, y, float64(2*th+2), annotateZone)
	if label != "" {
		drawLabel(img, int(x), int(y)-3*th, max(1, th/2), label, annotateZone)
	}
}

// drawLabel writes s in basicfont's 7×13 face enlarged k times, black on
// a box of colour c whose bottom-left corner is (x, y), kept inside img.
func drawLabel(img *image.RGBA, x, y, k int, s string, c color.RGBA) {
	f := basicfont.Face7x13
	w, h := font.MeasureString(f, s).Ceil()+4, 17
	mask := image.NewAlpha(image.Rect(0, 0, w, h))
	d := font.Drawer{Dst: mask, Src: image.Opaque, Face: f, Dot: fixed.P(2, 13)}
	d.DrawString(s)
	x = min(max(img.Rect.Min.X, x), img.Rect.Max.X-w*k)
	y = min(max(img.Rect.Min.Y+h*k, y), img.Rect.Max.Y)
	box := image.Rect(x, y-h*k, x+w*k, y).Intersect(img.Rect)
	draw.Draw(img, box, image.NewUniform(c), image.Point{}, draw.Src)
	for my := 0; my < h; my++ {
		for mx := 0; mx < w; mx++ {
			if mask.AlphaAt(mx, my).A < 128 {
				continue
			}
			r := image.Rect(x+mx*k, y-h*k+my*k, x+(mx+1)*k, y-h*k+(my+1)*k).Intersect(img.Rect)
			draw.Draw(img, r, image.Black, image.Point{}, draw.Src)
		}
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

package imagecheck

import (
	"fmt"
	"image"
	"time"
)

// Decoded is a photo decoded once, for readers of its content (the
// document reader): the upright luma plane at a requested size and the
// document outline found on it.
type Decoded struct {
	// Gray is the upright luma plane; it belongs to the caller.
	Gray *image.Gray
	// Width and Height are the original photo's, upright.
	Width, Height int
	// Scale is original pixels per Gray pixel.
	Scale float64
	// Document is the document's outline in Gray pixels: top-left,
	// top-right, bottom-right, bottom-left as seen in the photo; nil when
	// none was found.
	Document []Point
	// Timings in milliseconds: "decode" and "document".
	Timings map[string]float64
}

// Decode decodes data (JPEG or PNG) to its upright luma plane at about
// workSize pixels on the long side (the nearest reduction by 1, 2, 4 or
// 8, as Check does) and finds the document outline. It refuses images
// over maxPixels (0: the default) from their header. It never panics.
func Decode(data []byte, workSize, maxPixels int) (d *Decoded, err error) {
	defer func() {
		if r := recover(); r != nil {
			d, err = nil, fmt.Errorf("imagecheck: internal error: %v", r)
		}
	}()
	opts := DefaultOptions()
	if workSize > 0 {
		opts.WorkSize = workSize
	}
	if maxPixels > 0 {
		opts.MaxPixels = maxPixels
	}
	ws := workspaces.Get().(*workspace)
	defer workspaces.Put(ws)
	start := time.Now()
	dec, err := decode(data, opts, ws)
	if err != nil {
		return nil, err
	}
	p := &dec.p
	g := image.NewGray(image.Rect(0, 0, p.w, p.h))
	for y := 0; y < p.h; y++ {
		copy(g.Pix[y*p.w:(y+1)*p.w], p.y[y*p.ys:y*p.ys+p.w])
	}
	d = &Decoded{Gray: g, Width: dec.w, Height: dec.h, Scale: float64(dec.w) / float64(p.w),
		Timings: map[string]float64{"decode": ms(time.Since(start))}}
	t := time.Now()
	sf, sw, sh, chans := smallPlanes(p, ws)
	edges := findEdges(chans, sw, sh, ws)
	if q, found := bestQuad(houghLines(edges, ws), edges, sw, sh); found {
		for _, c := range q.ordered() {
			d.Document = append(d.Document, Point{X: c[0] * float64(sf), Y: c[1] * float64(sf)})
		}
	}
	d.Timings["document"] = ms(time.Since(t))
	return d, nil
}

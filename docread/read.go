package docread

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"time"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
)

// workSize is the long side, in pixels, photos are decoded to: the MRZ's
// characters of a document filling a third of a 12 MP frame keep about
// 10 pixels of height.
const workSize = 2000

// cardLong is the long side of the straightened card.
const cardLong = 1400

// timings accumulates stage durations in milliseconds.
type timings map[string]float64

// lap adds the time since t to stage and returns now.
func (tm timings) lap(stage string, t time.Time) time.Time {
	now := time.Now()
	if tm != nil {
		tm[stage] += float64(now.Sub(t).Microseconds()) / 1000
	}
	return now
}

// mapping takes a point of a working plane to the original photo.
type mapping func(x, y float64) (float64, float64)

// source is a decoded photo: its plane at working resolution, the
// document outline, and the way back to photo pixels.
type source struct {
	p      *plane
	scale  float64       // photo pixels per plane pixel
	doc    [4][2]float64 // the outline in plane pixels
	hasDoc bool
}

func (s *source) toPhoto(x, y float64) (float64, float64) {
	return (x + 0.5) * s.scale, (y + 0.5) * s.scale
}

// card straightens the document outline into a rectangle of its own
// proportions, at most cardLong pixels long and never enlarged, and
// returns it with the mapping of its pixels to the photo.
func (s *source) card() (*plane, mapping) {
	q := s.doc
	d := func(a, b [2]float64) float64 { return math.Hypot(b[0]-a[0], b[1]-a[1]) }
	w := (d(q[0], q[1]) + d(q[3], q[2])) / 2
	h := (d(q[0], q[3]) + d(q[1], q[2])) / 2
	k := math.Min(1, cardLong/math.Max(w, h))
	cw, ch := max(1, int(w*k)), max(1, int(h*k))
	// Sample pixel centres: plane coordinates have pixel centres at
	// integers, the quad has them at +0.5.
	c := warp(s.p, q, cw, ch)
	m := squareTo(q)
	return c, func(x, y float64) (float64, float64) {
		px, py := m.apply((x+0.5)/float64(cw), (y+0.5)/float64(ch))
		return px * s.scale, py * s.scale
	}
}

func planeFromGray(g *image.Gray) *plane {
	p := newPlane(g.Rect.Dx(), g.Rect.Dy())
	for y := 0; y < p.h; y++ {
		copy(p.pix[y*p.w:(y+1)*p.w], g.Pix[y*g.Stride:y*g.Stride+p.w])
	}
	return p
}

func (r *Reader) read(ctx context.Context, photo []byte, side imagecheck.Side, hint Hint) (*Result, error) {
	dec, err := imagecheck.Decode(photo, workSize, r.opts.MaxPixels)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUndecodable, err)
	}
	res := &Result{Timings: timings{"decode": dec.Timings["decode"], "document": dec.Timings["document"]}}
	src := &source{p: planeFromGray(dec.Gray), scale: dec.Scale}
	if len(dec.Document) == 4 {
		src.hasDoc = true
		for i, c := range dec.Document {
			src.doc[i] = [2]float64{c.X, c.Y}
		}
	}
	now := time.Now()
	switch {
	case hint.IDType == string(kyc.CNResidentID):
		err = r.readCNID(ctx, src, side, hint.chineseName(), res)
	default:
		err = r.readMRZ(ctx, src, now, res)
		if err == nil && res.Data.Kind == kyc.ReadNone && hint.IDType == "" && hint.DocumentNumber == "" {
			// Nothing typed to go by (a local read of a file): a card
			// without an MRZ may be a mainland ID.
			err = r.readCNID(ctx, src, side, hint.chineseName(), res)
			if res.Data.Kind == kyc.ReadNone {
				res.Data = kyc.DocumentRead{}
			}
		}
		if err == nil && res.Data.Kind == kyc.ReadNone {
			err = r.readVisual(ctx, src, side, hint, res)
		}
	}
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return nil, ErrBudget
	}
	if err != nil {
		return nil, err
	}
	if hint.IDType == string(kyc.Passport) && side != imagecheck.Back {
		// A passport's data page always carries an MRZ.
		res.Data.Expected = true
	}
	return res, nil
}

// readMRZ looks for the MRZ on the whole photo, then on the straightened
// card unless the zone found verified.
func (r *Reader) readMRZ(ctx context.Context, src *source, now time.Time, res *Result) error {
	tm := timings(res.Timings)
	var best mrzHit
	var bestMap mapping
	found := false
	if h, ok := bestMRZ(ctx, src.p, now, tm); ok {
		best, bestMap, found = h, src.toPhoto, true
	}
	if src.hasDoc && (!found || !best.data.ChecksValid) && ctx.Err() == nil {
		// Strong perspective bends the pitch along a line: read again on
		// the straightened card.
		t := time.Now()
		c, m := src.card()
		tm.lap("straighten", t)
		if h, ok := bestMRZ(ctx, c, now, tm); ok && (!found || better(h, best)) {
			best, bestMap, found = h, m, true
		}
	}
	if !found {
		return ctx.Err()
	}
	res.Data = best.data
	res.Zone = quadToPoints(best.zone, bestMap)
	return nil
}

func quadToPoints(q [4][2]float64, m mapping) []Point {
	out := make([]Point, 4)
	for i, c := range q {
		x, y := m(c[0], c[1])
		out[i] = Point{X: math.Round(x*10) / 10, Y: math.Round(y*10) / 10}
	}
	return out
}

package docgen

import (
	"fmt"
	"image"
	"math"

	"github.com/kycq/kycq/internal/geom"
	"github.com/kycq/kycq/kyc/reason"
)

// Condition is how a document of a Kind is photographed.
type Condition string

// Conditions.
const (
	// Phone is a hand-held phone photo: tilted (any rotation now and
	// then), in perspective, on a textured surface, under uneven light
	// with often a cast shadow, slightly out of focus, with sensor noise.
	Phone Condition = "phone"
	// Scan is a flat-bed scan: square on, even light, a white lid
	// around the document, little noise.
	Scan Condition = "scan"
)

// GenerateDocument draws a photo of a document of spec.Kind printing
// exactly spec.Identity (drawn from the seed when nil) and returns it with
// its label, which carries the identity and the machine-readable zone
// printed. The same spec always gives the same image. It fails when the
// document fonts are not installed (see DocumentFonts) or the kind has no
// such side.
func GenerateDocument(spec Spec) (*image.RGBA, Label, error) {
	k := spec.Kind
	if _, ok := docSizes[k]; !ok {
		return nil, Label{}, fmt.Errorf("docgen: unknown document kind %q", k)
	}
	side := spec.Side
	if side == "" {
		side = Front
	}
	okSide := false
	for _, sd := range k.Sides() {
		okSide = okSide || sd == side
	}
	if !okSide {
		return nil, Label{}, fmt.Errorf("docgen: a %s document has no %s side", k, side)
	}
	cond := spec.Condition
	if cond == "" {
		cond = Phone
	}
	if cond != Phone && cond != Scan {
		return nil, Label{}, fmt.Errorf("docgen: unknown condition %q", cond)
	}
	id := NewIdentity(spec.Seed, k)
	if spec.Identity != nil {
		id = *spec.Identity
	}
	r := newRNG(spec.Seed, 301)
	if side == Back {
		r = newRNG(spec.Seed, 302)
	}
	W, H, err := spec.Size.dims()
	if err != nil {
		return nil, Label{}, err
	}
	if spec.Width > 0 && spec.Height > 0 {
		W, H = spec.Width, spec.Height
	}
	if spec.Vertical {
		W, H = min(W, H), max(W, H)
	} else {
		W, H = max(W, H), min(W, H)
	}
	long := float64(max(W, H))
	lout := r.uni(0.6, 0.82) * long
	if cond == Scan {
		lout = r.uni(0.55, 0.75) * long
	}
	if spec.DocPixels > 0 {
		lout = spec.DocPixels
	}
	var look *printLook
	if spec.Portrait != nil {
		look = newPrintLook(newRNG(spec.Seed, 303))
	}
	var hard *rng
	if spec.HardPrint {
		h := newRNG(spec.Seed, 304)
		hard = &h
	}
	tw := min(int(math.Ceil(lout*1.1)), 3400)
	tex, err := renderDocument(r, k, side, id, tw, spec.Portrait, look, hard)
	if err != nil {
		return nil, Label{}, err
	}
	texW, texH := float64(tex.Rect.Dx()), float64(tex.Rect.Dy())

	// Pose.
	var rot, persp float64
	switch cond {
	case Scan:
		rot = r.uni(-1.5, 1.5) * math.Pi / 180
	default:
		rot = r.uni(-12, 12) * math.Pi / 180
		persp = r.uni(0.015, 0.07)
		if r.IntN(8) == 0 {
			rot += math.Pi // upside down
		}
	}
	if H > W {
		rot += math.Pi / 2
	}
	var jit [4][2]float64
	for i := range jit {
		jit[i] = [2]float64{r.uni(-1, 1) * persp, r.uni(-1, 1) * persp}
	}
	ox, oy := r.Float64(), r.Float64()
	margin := 0.03 * float64(min(W, H))
	var quad [4][2]float64
	for try := 0; ; try++ {
		s := lout / texW
		ca, sa := math.Cos(rot), math.Sin(rot)
		for i, p := range [4][2]float64{{0, 0}, {texW, 0}, {texW, texH}, {0, texH}} {
			x, y := (p[0]-texW/2)*s+jit[i][0]*lout, (p[1]-texH/2)*s+jit[i][1]*lout
			quad[i] = [2]float64{x*ca - y*sa, x*sa + y*ca}
		}
		minX, minY, maxX, maxY := bounds(quad)
		spanX := float64(W) - 2*margin - (maxX - minX)
		spanY := float64(H) - 2*margin - (maxY - minY)
		if (spanX < 0 || spanY < 0) && try < 40 {
			lout *= 0.96
			continue
		}
		dx := margin - minX + ox*math.Max(0, spanX)
		dy := margin - minY + oy*math.Max(0, spanY)
		for i := range quad {
			quad[i][0] += dx
			quad[i][1] += dy
		}
		break
	}
	corners := [4][2]float64{{0, 0}, {texW, 0}, {texW, texH}, {0, texH}}
	hom, ok := geom.SolveHomography(quad, corners)
	fwd, ok2 := geom.SolveHomography(corners, quad)
	if !ok || !ok2 {
		return nil, Label{}, fmt.Errorf("docgen: degenerate pose")
	}
	lab := Label{
		Seed: spec.Seed, Side: side, Defect: Clean, Codes: []reason.Code{}, Width: W, Height: H,
		Kind: k, Condition: cond, Read: k.ReadKind(side), Identity: &id,
	}
	if lab.Read == "td1" || lab.Read == "td2" || lab.Read == "td3" {
		lab.MRZ = id.MRZ(k)
	}
	for i := range quad {
		lab.Quad[i] = [2]float64{math.Round(quad[i][0]*10) / 10, math.Round(quad[i][1]*10) / 10}
	}
	lab.DocLongSide = math.Max(dist(lab.Quad[0], lab.Quad[1])+dist(lab.Quad[2], lab.Quad[3]),
		dist(lab.Quad[1], lab.Quad[2])+dist(lab.Quad[3], lab.Quad[0])) / 2

	img := image.NewRGBA(image.Rect(0, 0, W, H))
	scale := long / 1000
	if cond == Scan {
		lab.Background = "scanner"
		paintScanner(img, r)
		composite(img, tex, hom, quad, image.Rectangle{}, moireSpec{})
		addNoise(img, r.uni(0.6, 1.2), r)
		return img, lab, nil
	}
	bg := backgrounds[r.IntN(len(backgrounds))]
	lab.Background = bg
	paintBackground(img, bg, r)
	dropShadow(img, hom, quad, texW, texH, lout, r)
	composite(img, tex, hom, quad, image.Rectangle{}, moireSpec{})
	lt := newLight(r, W, H)
	if !lt.shadow && r.IntN(3) < 2 {
		// A hand or the phone casting its shadow over part of the card.
		a := r.uni(0, 2*math.Pi)
		lt.shadow, lt.sa, lt.sb = true, math.Cos(a), math.Sin(a)
		cx, cy := (quad[0][0]+quad[2][0])/2, (quad[0][1]+quad[2][1])/2
		lt.sc = -(lt.sa*(cx+r.uni(-0.3, 0.3)*lout) + lt.sb*(cy+r.uni(-0.2, 0.2)*lout))
		lt.ssoft = r.uni(0.01, 0.06) * long
		lt.sdepth = r.uni(0.15, 0.4)
	}
	if r.IntN(3) == 0 {
		lt.addGlare(r, fwd, texW, texH, lout, r.uni(0.03, 0.1))
	}
	if hard != nil {
		// The laminate's specular reflection of a lamp or a window:
		// anywhere on the document, bright enough to wash the print
		// under it out to a fraction of its contrast, never to erase it.
		x, y := fwd.Apply(hard.uni(0.1, 0.9)*texW, hard.uni(0.15, 0.9)*texH)
		a := hard.uni(0, math.Pi)
		lt.glares = append(lt.glares, glareSpot{
			x: x, y: y, rx: hard.uni(0.06, 0.14) * lout, ry: hard.uni(0.03, 0.07) * lout,
			ca: math.Cos(a), sa: math.Sin(a), amp: hard.uni(0.2, 0.45),
		})
	}
	lt.apply(img)
	if sigma := r.uni(0, 0.8) * scale; sigma > 0.3 {
		gaussBlur(img, sigma)
	}
	addNoise(img, r.uni(1.5, 3.5), r)
	return img, lab, nil
}

// paintScanner fills img as a flat-bed scanner's white lid: near white,
// faint even texture.
func paintScanner(img *image.RGBA, r rng) {
	base := r.uni(236, 250)
	f := fastRand(r.Uint64() | 1)
	for i := 0; i < len(img.Pix); i += 4 {
		v := clampByte(float32(base) + f.gauss()*1.5)
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = v, v, v-2, 255
	}
}

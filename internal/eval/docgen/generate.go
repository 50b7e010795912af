package docgen

import (
	"image"
	"math"

	"github.com/kycq/kycq/internal/geom"
	"github.com/kycq/kycq/kyc/reason"
)

// Generate draws the photo described by spec and returns it (upright, as
// the camera saw it) with its label. A spec with a Kind is drawn by
// GenerateDocument, and Generate panics when that fails (the document
// fonts are not installed): call GenerateDocument to get the error.
func Generate(spec Spec) (*image.RGBA, Label) {
	if spec.Kind != KindCard {
		img, lab, err := GenerateDocument(spec)
		if err != nil {
			panic(err)
		}
		return img, lab
	}
	r := newRNG(spec.Seed, 1)
	side := spec.Side
	if side == "" {
		side = Front
	}
	defect := spec.Defect
	if defect == "" {
		defect = Clean
	}
	strength := spec.Strength
	if defect == Clean {
		strength = 0
	} else if strength < Subtle || strength > Clear {
		strength = Clear
	}
	if defect == NoFace {
		side = Front
	}
	W, H, err := spec.Size.dims()
	if err != nil {
		W, H = 1600, 1200
	}
	if spec.Width > 0 && spec.Height > 0 {
		W, H = spec.Width, spec.Height
	}
	long := float64(max(W, H))
	frac := r.uni(0.55, 0.8) // card long side / frame long side
	if defect == LowRes {
		doc := [...]float64{0, r.uni(540, 585), r.uni(450, 520), r.uni(300, 420)}[strength]
		frac = r.uni(0.62, 0.8)
		long = math.Round(doc / frac)
		W, H = int(long), int(long*3/4)
	}
	if spec.Vertical {
		W, H = min(W, H), max(W, H)
	} else {
		W, H = max(W, H), min(W, H)
	}
	lab := Label{Seed: spec.Seed, Side: side, Defect: defect, Strength: strength, Width: W, Height: H, Codes: []reason.Code{}}
	if c := defect.Code(); c != "" {
		lab.Codes = append(lab.Codes, c)
	}
	scale := long / 1000 // feature sizes are given for a 1000 px frame

	// The card.
	id := newIdentity(r)
	st := newStyle(r)
	variant := ""
	if defect == NotColour && r.IntN(2) == 0 {
		variant = "photocopy"
	} else if defect == NotColour {
		variant = "monochrome"
	}
	// A front without a portrait: its photo area left blank, or the back
	// of the card uploaded as the front (drawn from streams of their own,
	// so the rest of the photo stays as the seed makes it).
	cardSide := side
	if defect == NoFace {
		if newRNG(spec.Seed, 9).IntN(2) == 0 {
			variant, cardSide = "back", Back
		} else {
			variant = "blank"
		}
	}
	var look *printLook
	if spec.Portrait != nil && spec.PrintedPortrait {
		look = newPrintLook(newRNG(spec.Seed, 10))
	}
	lout := frac * long
	tw := min(int(math.Ceil(lout*1.05)), 2048)
	// dr draws what only the design families vary (a stream of its own:
	// the classic card's photos stay as they were).
	dr := newRNG(spec.Seed, 21)
	var card *image.RGBA
	// A band card (DesignBand) lies half the time on a surface painted
	// first, from streams of its own, whose tone its band is drawn
	// close to (not on a screen).
	var ground *image.RGBA
	var groundKind string
	var tone *[3]float64
	if spec.Design == DesignBand && defect != NotOriginal {
		if br := newRNG(spec.Seed, 31); br.IntN(2) == 0 {
			kinds := append(append([]string{}, backgrounds...), designBackgrounds...)
			groundKind = kinds[br.IntN(len(kinds))]
			ground = image.NewRGBA(image.Rect(0, 0, W, H))
			paintBackground(ground, groundKind, newRNG(spec.Seed, 32))
			t := medianTone(ground)
			tone = &t
		}
	}
	if spec.Design != DesignClassic {
		var err error
		card, err = renderDesign(dr, spec.Design, cardSide, NewIdentity(spec.Seed, KindTD1), tw, spec.Portrait, look, defect == NoFace, devVariety(spec), tone)
		if err != nil {
			panic(err)
		}
		lab.Design = spec.Design
	} else {
		card = renderCard(r, tw, cardSide, st, id, spec.Portrait, look, defect == NoFace)
	}
	tw, th := card.Rect.Dx(), card.Rect.Dy()
	if variant == "photocopy" {
		photocopy(card, r, [...]float64{0, 0.8, 0.92, 1}[strength])
	}

	// Screen recapture: the card shown on a display with a dark bezel.
	tex := card
	cardIn := [4][2]float64{{0, 0}, {float64(tw), 0}, {float64(tw), float64(th)}, {0, float64(th)}}
	var screen image.Rectangle // the display's pixels inside tex
	if defect == NotOriginal {
		variant = "screen"
		tex, screen, cardIn = onScreen(card, r)
		lout *= float64(tex.Rect.Dx()) / float64(tw)
	}

	// Pose: rotation, perspective and position; shrunk until it fits.
	rot := r.uni(-15, 15) * math.Pi / 180
	if H > W {
		rot += math.Pi / 2
	}
	if r.IntN(20) == 0 {
		rot += math.Pi
	}
	if spec.Design != DesignClassic {
		// Any quarter turn, and a wider tilt now and then.
		rot += float64(dr.IntN(4)) * math.Pi / 2
		if dr.IntN(4) == 0 {
			rot += dr.uni(-15, 15) * math.Pi / 180
		}
	}
	persp := r.uni(0, 0.07)
	jit := [4][2]float64{}
	for i := range jit {
		jit[i] = [2]float64{r.uni(-1, 1) * persp, r.uni(-1, 1) * persp}
	}
	ox, oy := r.Float64(), r.Float64()
	texW, texH := float64(tex.Rect.Dx()), float64(tex.Rect.Dy())
	var quad [4][2]float64
	margin := 0.03 * float64(min(W, H))
	for try := 0; ; try++ {
		s := lout / math.Max(texW, texH)
		ca, sa := math.Cos(rot), math.Sin(rot)
		for i, p := range [4][2]float64{{0, 0}, {texW, 0}, {texW, texH}, {0, texH}} {
			x, y := (p[0]-texW/2)*s, (p[1]-texH/2)*s
			x += jit[i][0] * lout
			y += jit[i][1] * lout
			quad[i] = [2]float64{x*ca - y*sa, x*sa + y*ca}
		}
		minX, minY, maxX, maxY := bounds(quad)
		spanX := float64(W) - 2*margin - (maxX - minX)
		spanY := float64(H) - 2*margin - (maxY - minY)
		if (spanX < 0 || spanY < 0) && try < 30 {
			lout *= 0.95
			continue
		}
		dx := margin - minX + ox*math.Max(0, spanX)
		dy := margin - minY + oy*math.Max(0, spanY)
		if defect == CutOff && r.IntN(2) == 0 {
			variant = "frame"
			out := [...]float64{0, 0.02, 0.05, 0.1}[strength] * lout
			sides := []int{r.IntN(4)}
			if spec.Design != DesignClassic && dr.IntN(2) == 0 {
				// Two sides out: a corner of the frame cuts two of
				// the card's corners off.
				variant = "frame2"
				sides = append(sides, []int{2, 3, 1, 0}[sides[0]])
			}
			for _, side := range sides {
				switch side {
				case 0:
					dx = -minX - out
				case 1:
					dx = float64(W) - maxX + out
				case 2:
					dy = -minY - out
				default:
					dy = float64(H) - maxY + out
				}
			}
		}
		for i := range quad {
			quad[i][0] += dx
			quad[i][1] += dy
		}
		break
	}
	if defect == CutOff && variant == "" {
		variant = "finger"
	}
	hom, _ := geom.SolveHomography(quad, [4][2]float64{{0, 0}, {texW, 0}, {texW, texH}, {0, texH}})
	fwd, _ := geom.SolveHomography([4][2]float64{{0, 0}, {texW, 0}, {texW, texH}, {0, texH}}, quad)
	for i, p := range cardIn {
		x, y := fwd.Apply(p[0], p[1])
		lab.Quad[i] = [2]float64{math.Round(x*10) / 10, math.Round(y*10) / 10}
	}
	lab.DocLongSide = math.Max(dist(lab.Quad[0], lab.Quad[1])+dist(lab.Quad[2], lab.Quad[3]),
		dist(lab.Quad[1], lab.Quad[2])+dist(lab.Quad[3], lab.Quad[0])) / 2

	// Background, the card's shadow, the card.
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	bg := backgrounds[r.IntN(len(backgrounds))]
	if defect == NotOriginal {
		bg = pick(r, "desk", "wood", "fabric")
	}
	if spec.Design != DesignClassic && defect != NotOriginal && dr.IntN(3) == 0 {
		bg = designBackgrounds[dr.IntN(len(designBackgrounds))]
	}
	if ground != nil {
		img, bg = ground, groundKind
	} else {
		paintBackground(img, bg, r)
	}
	lab.Background = bg
	dropShadow(img, hom, quad, texW, texH, lout, r)
	moire := moireSpec{}
	if defect == NotOriginal {
		moire = newMoire(r, scale, [...]float64{0, 0.035, 0.07, 0.13}[strength])
	}
	composite(img, tex, hom, quad, screen, moire)
	if variant == "finger" {
		finger(img, lab.Quad, [...]float64{0, 0, 0.12, 0.25}[strength], r, spec.RealFinger, newRNG(spec.Seed, 41))
	}

	// Light: exposure, gradient, vignette, a cast shadow, glare.
	lt := newLight(r, W, H)
	if spec.Design != DesignClassic {
		designLight(lt, dr, W, H)
	}
	switch defect {
	case TooDark:
		lt.exposure = [...]float64{0, 0.45, 0.32, 0.22}[strength] * r.uni(0.9, 1.1)
	case Overexposed:
		lt.exposure = [...]float64{0, 1.3, 1.55, 1.9}[strength] * r.uni(0.95, 1.05)
	}
	if defect == Glare {
		lt.addGlare(r, fwd, texW, texH, lout, [...]float64{0, 0.35, 0.7, 1.2}[strength])
	} else if defect == Clean && r.IntN(3) == 0 {
		lt.addGlare(r, fwd, texW, texH, lout, r.uni(0.03, 0.08)) // a faint sheen, never clipping
	}
	lt.apply(img)

	// Optics and sensor.
	if defect == Blur {
		if r.IntN(10) < 7 {
			variant = "defocus"
			gaussBlur(img, [...]float64{0, 0.9, 1.5, 2.5}[strength]*scale)
		} else {
			variant = "motion"
			motionBlur(img, int(math.Round([...]float64{0, 3, 5, 8}[strength]*scale)), r.IntN(2) == 0)
		}
	}
	sigma := r.uni(1.5, 3)
	if lt.exposure < 0.7 {
		sigma *= 1.6
	}
	addNoise(img, sigma, r)
	if variant == "monochrome" {
		desaturate(img, [...]float64{0, 0.75, 0.9, 1}[strength])
	}
	lab.Variant = variant
	return img, lab
}

func bounds(q [4][2]float64) (minX, minY, maxX, maxY float64) {
	minX, minY, maxX, maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range q {
		minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
	}
	return
}

func dist(a, b [2]float64) float64 { return math.Hypot(a[0]-b[0], a[1]-b[1]) }

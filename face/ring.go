package face

import (
	"math"
	"slices"
)

// scene is a video frame's luma at half its size (each pixel the mean of
// a 2×2 block), kept for the ring cue (ringFollow): what lies around the
// face, outside its chip.
type scene struct {
	pix  []uint8
	w, h int
}

// halfGray returns img's luma (BT.601) at half its width and height.
func halfGray(img *rgbImage) scene {
	s := scene{w: img.W / 2, h: img.H / 2}
	s.pix = make([]uint8, s.w*s.h)
	row := img.W * 3
	for y := 0; y < s.h; y++ {
		for x := 0; x < s.w; x++ {
			o := (2*y)*row + 2*x*3
			sum := 0
			for _, p := range [4]int{o, o + 3, o + row, o + row + 3} {
				sum += 299*int(img.Pix[p]) + 587*int(img.Pix[p+1]) + 114*int(img.Pix[p+2])
			}
			s.pix[y*s.w+x] = uint8((sum + 2000) / 4000)
		}
	}
	return s
}

// Ring cue parameters, in scene pixels (half the frame's) and face
// half-widths (half the jaw's width, landmarks 0 to 16).
const (
	// ringBlock is the side of a compared block.
	ringBlock = 8
	// ringInner and ringOuter bound the ring around the face centre, in
	// face half-widths, the vertical distance counted in ringTall
	// half-widths: beyond a head's outline (hair and ears reach about
	// 1.3–1.5 half-widths) and the stretch of background next to it.
	ringInner, ringOuter, ringTall = 1.8, 3.2, 1.25
	// ringMinSplit is how far apart (scene pixels) the face's motion and
	// the background's must put a block for it to tell them apart.
	ringMinSplit = 3.0
	// ringWin is how far (scene pixels) from each model's place a block
	// is looked for: the models' error (a head is not a plane, a bent
	// print not a homography, landmarks jitter).
	ringWin = 1
	// ringMargin is how much better (a ratio of block differences) one
	// model must explain a block for the block to vote.
	ringMargin = 1.5
	// ringMinTexture is the least mean absolute deviation (gray levels) of
	// a block that can vote.
	ringMinTexture = 3.0
	// ringMinVotes is the least number of votes a pair needs to count,
	// ringMinPairs the least number of counting pairs for the cue.
	ringMinVotes, ringMinPairs = 4, 3
	// ringBorderShift is the largest background shift (scene pixels) the
	// frame's border is searched for.
	ringBorderShift = 10
	// ringBorderBlocks caps the border blocks matched per pair.
	ringBorderBlocks = 24
	// ringMinInFrame is the least share of the ring inside the frame:
	// a face filling the frame leaves only a strip of the ring, mostly
	// hair and head, and the cue abstains.
	ringMinInFrame = 0.25
	// ringMinW is the least homogeneous coordinate of a block's place
	// mapped by the face's homography (homographyAt).
	ringMinW = 0.2
)

// ringFollow is the ring cue of frames (time order, each with its scene):
// for each pair of frames, the blocks of a ring around the face
// (ringInner to ringOuter face half-widths, textured) vote for the
// motion that explains them better: the face's own (the homography of
// its 68 landmarks from one frame to the other) or the background's (the
// median shift of the frame's border, away from the face; none when the
// border has no texture). follow is the median over the pairs with at
// least ringMinVotes votes of the share voting for the face, and pairs
// how many such pairs there were. In a print or a screen moved in front
// of the camera, the print around the face (hair, shoulders, the photo's
// background) moves with the face: follow near 1. Behind a real head the
// background stays or moves with the camera: follow near 0. Blocks
// where the two motions agree (a head that did not move against the
// background) or without texture do not vote: with fewer than
// ringMinPairs pairs, or a ring less than ringMinInFrame inside the
// frame, the cue abstains (pairs 0, follow 0).
func ringFollow(frames []*faceInfo) (follow float64, pairs int) {
	rs := make([]*ringScene, len(frames))
	for i, f := range frames {
		rs[i] = newRingScene(&f.scene)
	}
	var shares []float64
	for i := 0; i < len(frames); i++ {
		for j := i + 1; j < len(frames); j++ {
			a, b := frames[i], frames[j]
			if len(a.scene.pix) == 0 || a.scene.w != b.scene.w || a.scene.h != b.scene.h {
				continue
			}
			f, bg := ringVotes(rs[i], rs[j], &a.LM, &b.LM)
			if f+bg >= ringMinVotes {
				shares = append(shares, float64(f)/float64(f+bg))
			}
		}
	}
	if len(shares) < ringMinPairs {
		return 0, 0
	}
	return median(shares), len(shares)
}

// ringScene is a scene with what the ring cue needs of it in every pair,
// computed once per frame when first asked for: the texture (meanAbsDev)
// of its grid's blocks and its summed-area table.
type ringScene struct {
	*scene
	// tex holds meanAbsDev of the block at column x/ringBlock, row
	// y/ringBlock of the block grid; NaN until computed.
	tex []float64
	// sat is the summed-area table, (w+1)×(h+1), its sums modulo 2³²
	// (a block's sum, a difference of four, is exact); nil until needed.
	sat []uint32
}

// newRingScene returns s with nothing computed yet.
func newRingScene(s *scene) *ringScene {
	tex := make([]float64, (s.w/ringBlock)*(s.h/ringBlock))
	for i := range tex {
		tex[i] = math.NaN()
	}
	return &ringScene{scene: s, tex: tex}
}

// texture is meanAbsDev of the grid block at (x, y), multiples of
// ringBlock.
func (r *ringScene) texture(x, y int) float64 {
	i := (y/ringBlock)*(r.w/ringBlock) + x/ringBlock
	if math.IsNaN(r.tex[i]) {
		r.tex[i] = meanAbsDev(r.scene, x, y)
	}
	return r.tex[i]
}

// blockSum is the sum of the pixels of the block at (x, y).
func (r *ringScene) blockSum(x, y int) int {
	if r.sat == nil {
		r.sat = summedArea(r.scene)
	}
	s := r.w + 1
	t := r.sat[(y+ringBlock)*s+x+ringBlock] - r.sat[y*s+x+ringBlock] -
		r.sat[(y+ringBlock)*s+x] + r.sat[y*s+x]
	return int(t)
}

// summedArea returns a's summed-area table: at (x, y) of (w+1)×(h+1) the
// sum, modulo 2³², of the pixels above and left of (x, y).
func summedArea(a *scene) []uint32 {
	s := a.w + 1
	t := make([]uint32, s*(a.h+1))
	for y := 0; y < a.h; y++ {
		var row uint32
		for x, v := range a.pix[y*a.w : (y+1)*a.w] {
			row += uint32(v)
			t[(y+1)*s+x+1] = t[y*s+x+1] + row
		}
	}
	return t
}

// ringVotes compares scenes a and b (a's landmarks la, b's lb, frame
// pixels) and returns how many ring blocks of a the face's motion
// explains better (face) and how many the background's (bg).
func ringVotes(a, b *ringScene, la, lb *Landmarks) (face, bg int) {
	h, na, nb, ok := fitHomography(la[:], lb[:])
	if !ok {
		return 0, 0
	}
	var cx, cy float64
	for _, p := range la {
		cx += p.X / 2 / 68
		cy += p.Y / 2 / 68
	}
	hw := math.Hypot(la[16].X-la[0].X, la[16].Y-la[0].Y) / 4
	if hw < 4 || ringInFrame(a.w, a.h, cx, cy, hw) < ringMinInFrame {
		return 0, 0
	}
	sx, sy := borderShift(a, b, cx, cy, hw)
	for y := 0; y+ringBlock <= a.h; y += ringBlock {
		for x := 0; x+ringBlock <= a.w; x += ringBlock {
			qx, qy := float64(x)+ringBlock/2, float64(y)+ringBlock/2
			d := math.Hypot((qx-cx)/hw, (qy-cy)/(ringTall*hw))
			if d < ringInner || d > ringOuter {
				continue
			}
			// The face's motion at the block, in scene pixels: the
			// homography works in frame pixels (twice the scene's).
			fx, fy, ok := homographyAt(h, na, nb, 2*qx, 2*qy)
			if !ok {
				continue
			}
			fdx, fdy := fx/2-qx, fy/2-qy
			if math.Hypot(fdx-sx, fdy-sy) < ringMinSplit {
				continue
			}
			if a.texture(x, y) < ringMinTexture {
				continue
			}
			ef, okf := bestSAD(a, b, x, y, fdx, fdy)
			eb, okb := bestSAD(a, b, x, y, sx, sy)
			switch {
			case !okf || !okb:
			case ef*ringMargin < eb:
				face++
			case eb*ringMargin < ef:
				bg++
			}
		}
	}
	return face, bg
}

// homographyAt maps the frame point (x, y) by the homography h fitted on
// points normalised by na and nb (fitHomography); ok is false where the
// point maps near or beyond the horizon (the fit extrapolated too far).
func homographyAt(h [8]float64, na, nb norm, x, y float64) (u, v float64, ok bool) {
	px, py := na.apply(Point{x, y})
	w := h[6]*px + h[7]*py + 1
	if w < ringMinW {
		return 0, 0, false
	}
	u, v = (h[0]*px+h[1]*py+h[2])/w, (h[3]*px+h[4]*py+h[5])/w
	return u/nb.s + nb.cx, v/nb.s + nb.cy, true
}

// borderShift is the background's shift from a to b (scene pixels): the
// median of the shifts found for textured blocks of the frame's border
// band (an eighth of each side) outside the ring's outer edge around the
// face (centre cx, cy, half-width hw), searched up to ringBorderShift
// (the first least difference in row order); 0, 0 (a still camera) when
// fewer than 3 such blocks have texture.
func borderShift(a, b *ringScene, cx, cy, hw float64) (sx, sy float64) {
	band := max(ringBlock, min(a.w, a.h)/8)
	var xs, ys []float64
	px, py := 0, 0 // the last shift found
	for y := 0; y+ringBlock <= a.h && len(xs) < ringBorderBlocks; y += ringBlock {
		for x := 0; x+ringBlock <= a.w && len(xs) < ringBorderBlocks; x += ringBlock {
			if x >= band && y >= band && x+ringBlock <= a.w-band && y+ringBlock <= a.h-band {
				continue
			}
			qx, qy := float64(x)+ringBlock/2, float64(y)+ringBlock/2
			if math.Hypot((qx-cx)/hw, (qy-cy)/(ringTall*hw)) < ringOuter {
				continue
			}
			if a.texture(x, y) < ringMinTexture {
				continue
			}
			sa := a.blockSum(x, y)
			// The previous block's shift, if inside b, bounds the least
			// difference from the start: the search keeps the first
			// shift at or under its difference.
			best, bx, by := math.MaxInt, 0, 0
			if blockIn(b.scene, x+px, y+py) {
				best = blockDiff(a.scene, b.scene, x, y, x+px, y+py, b.blockSum(x+px, y+py)-sa, math.MaxInt) + 1
			}
			for dy := -ringBorderShift; dy <= ringBorderShift; dy++ {
				for dx := -ringBorderShift; dx <= ringBorderShift; dx++ {
					if !blockIn(b.scene, x+dx, y+dy) {
						continue
					}
					off := b.blockSum(x+dx, y+dy) - sa
					if d := blockDiff(a.scene, b.scene, x, y, x+dx, y+dy, off, best); d < best {
						best, bx, by = d, dx, dy
					}
				}
			}
			if best != math.MaxInt {
				px, py = bx, by
				xs = append(xs, float64(bx))
				ys = append(ys, float64(by))
			}
		}
	}
	if len(xs) < 3 {
		return 0, 0
	}
	slices.Sort(xs)
	slices.Sort(ys)
	return xs[len(xs)/2], ys[len(ys)/2]
}

// meanAbsDev is the mean absolute deviation from its mean of a's block
// at (x, y).
func meanAbsDev(a *scene, x, y int) float64 {
	sum := 0
	for r := 0; r < ringBlock; r++ {
		for _, v := range a.pix[(y+r)*a.w+x : (y+r)*a.w+x+ringBlock] {
			sum += int(v)
		}
	}
	m := float64(sum) / (ringBlock * ringBlock)
	d := 0.0
	for r := 0; r < ringBlock; r++ {
		for _, v := range a.pix[(y+r)*a.w+x : (y+r)*a.w+x+ringBlock] {
			d += math.Abs(float64(v) - m)
		}
	}
	return d / (ringBlock * ringBlock)
}

// bestSAD is the least mean-removed mean absolute difference (see
// blockDiff) of a's block at (x, y) against b's blocks within ringWin of
// (x+dx, y+dy) rounded; ok false when none lies in b.
func bestSAD(a, b *ringScene, x, y int, dx, dy float64) (best float64, ok bool) {
	bx, by := x+int(math.Round(dx)), y+int(math.Round(dy))
	sa := a.blockSum(x, y)
	least := math.MaxInt
	// The least is the same in any order; the model's own place, tried
	// first, most often bounds the others' early.
	try := func(u, v int) {
		if blockIn(b.scene, bx+u, by+v) {
			off := b.blockSum(bx+u, by+v) - sa
			least = min(least, blockDiff(a.scene, b.scene, x, y, bx+u, by+v, off, least))
		}
	}
	try(0, 0)
	for v := -ringWin; v <= ringWin; v++ {
		for u := -ringWin; u <= ringWin; u++ {
			if u != 0 || v != 0 {
				try(u, v)
			}
		}
	}
	if least == math.MaxInt {
		return math.Inf(1), false
	}
	return float64(least) / (ringBlock * ringBlock * ringBlock * ringBlock), true
}

// blockIn reports whether the block at (x, y) lies inside a.
func blockIn(a *scene, x, y int) bool {
	return x >= 0 && y >= 0 && x+ringBlock <= a.w && y+ringBlock <= a.h
}

// blockDiff is n² (n the block's pixel count) times the mean absolute
// difference between a's block at (ax, ay) and b's at (bx, by), each less
// its own mean (light changes between frames), given off, b's block's
// sum less a's. It stops early, returning a value at or above limit, once
// the sum reaches limit: a search keeping the least needs no more.
func blockDiff(a, b *scene, ax, ay, bx, by, off, limit int) int {
	const n = ringBlock * ringBlock
	d := 0
	for r := 0; r < ringBlock; r++ {
		pa := a.pix[(ay+r)*a.w+ax:][:ringBlock]
		pb := b.pix[(by+r)*b.w+bx:][:ringBlock]
		for k := 0; k < ringBlock; k++ {
			e := n*(int(pb[k])-int(pa[k])) - off
			if e < 0 {
				e = -e
			}
			d += e
		}
		if d >= limit {
			return d
		}
	}
	return d
}

// ringInFrame is the share of the ring around a face (centre cx, cy,
// half-width hw, scene pixels) that lies inside a w×h scene.
func ringInFrame(w, h int, cx, cy, hw float64) float64 {
	in, all := 0, 0
	step := max(1, hw/8)
	for y := cy - ringOuter*ringTall*hw; y <= cy+ringOuter*ringTall*hw; y += step {
		for x := cx - ringOuter*hw; x <= cx+ringOuter*hw; x += step {
			d := math.Hypot((x-cx)/hw, (y-cy)/(ringTall*hw))
			if d < ringInner || d > ringOuter {
				continue
			}
			all++
			if x >= 0 && y >= 0 && x < float64(w) && y < float64(h) {
				in++
			}
		}
	}
	if all == 0 {
		return 0
	}
	return float64(in) / float64(all)
}

package docgen

import (
	"math"
	"math/rand/v2"
)

// rng wraps a seeded PCG source with the draws the generator needs.
type rng struct{ *rand.Rand }

func newRNG(seed int64, stream uint64) rng {
	return rng{rand.New(rand.NewPCG(uint64(seed), 0x6b79637164676e00^stream))}
}

// uni returns a uniform value in [a, b).
func (r rng) uni(a, b float64) float64 { return a + (b-a)*r.Float64() }

// pick returns one of the values, uniformly.
func pick[T any](r rng, vs ...T) T { return vs[r.IntN(len(vs))] }

// fastRand is a xorshift generator for per-pixel noise.
type fastRand uint64

func (f *fastRand) next() uint64 {
	x := uint64(*f)
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	*f = fastRand(x)
	return x
}

// gauss returns an approximately normal value (mean 0, sd 1): the sum of
// four uniforms, rescaled.
func (f *fastRand) gauss() float32 {
	x := f.next()
	s := float32(x&0xFFFF) + float32(x>>16&0xFFFF) + float32(x>>32&0xFFFF) + float32(x>>48)
	return (s/65535 - 2) * 1.7320508
}

// noiseField is smooth value noise sampled on a coarse grid.
type noiseField struct {
	w, h int
	cell float64
	v    []float32
}

func newNoise(r rng, w, h int, cell float64) *noiseField {
	gw, gh := int(float64(w)/cell)+3, int(float64(h)/cell)+3
	n := &noiseField{w: gw, h: gh, cell: cell, v: make([]float32, gw*gh)}
	for i := range n.v {
		n.v[i] = float32(r.Float64()*2 - 1)
	}
	return n
}

// at returns the noise at (x, y), smoothly interpolated, in [-1, 1].
func (n *noiseField) at(x, y float64) float32 {
	fx, fy := x/n.cell, y/n.cell
	ix, iy := int(fx), int(fy)
	if ix < 0 {
		ix = 0
	}
	if iy < 0 {
		iy = 0
	}
	if ix > n.w-2 {
		ix = n.w - 2
	}
	if iy > n.h-2 {
		iy = n.h - 2
	}
	tx, ty := float32(fx-float64(ix)), float32(fy-float64(iy))
	tx = tx * tx * (3 - 2*tx)
	ty = ty * ty * (3 - 2*ty)
	a := n.v[iy*n.w+ix]
	b := n.v[iy*n.w+ix+1]
	c := n.v[(iy+1)*n.w+ix]
	d := n.v[(iy+1)*n.w+ix+1]
	return a + (b-a)*tx + (c-a)*ty + (a-b-c+d)*tx*ty
}

// fbm sums octaves of value noise into a coarse w/step × h/step map that
// is then read bilinearly: cheap enough for 12 MP backgrounds.
type fbm struct {
	step   int
	gw, gh int
	v      []float32
}

func newFBM(r rng, w, h int, cell float64, octaves int) *fbm {
	step := 4
	f := &fbm{step: step, gw: w/step + 2, gh: h/step + 2}
	f.v = make([]float32, f.gw*f.gh)
	amp := float32(1)
	total := float32(0)
	for o := 0; o < octaves; o++ {
		n := newNoise(r, w+2*step, h+2*step, cell)
		for gy := 0; gy < f.gh; gy++ {
			for gx := 0; gx < f.gw; gx++ {
				f.v[gy*f.gw+gx] += amp * n.at(float64(gx*step), float64(gy*step))
			}
		}
		total += amp
		amp *= 0.5
		cell /= 2
		if cell < 2 {
			break
		}
	}
	for i := range f.v {
		f.v[i] /= total
	}
	return f
}

func (f *fbm) at(x, y int) float32 {
	gx, gy := x/f.step, y/f.step
	tx := float32(x-gx*f.step) / float32(f.step)
	ty := float32(y-gy*f.step) / float32(f.step)
	if gx >= f.gw-1 {
		gx, tx = f.gw-2, 1
	}
	if gy >= f.gh-1 {
		gy, ty = f.gh-2, 1
	}
	i := gy*f.gw + gx
	a, b, c, d := f.v[i], f.v[i+1], f.v[i+f.gw], f.v[i+f.gw+1]
	return a + (b-a)*tx + (c-a)*ty + (a-b-c+d)*tx*ty
}

func clamp01(v float32) float32 {
	if v < 0 {
		return 0
	}
	if v > 1 {
		return 1
	}
	return v
}

func clampByte(v float32) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}

func smoothstep(a, b, x float64) float64 {
	t := (x - a) / (b - a)
	if t < 0 {
		return 0
	}
	if t > 1 {
		return 1
	}
	return t * t * (3 - 2*t)
}

// hsl converts hue (degrees), saturation and lightness (0..1) to RGB 0..255.
func hsl(h, s, l float64) [3]float64 {
	c := (1 - math.Abs(2*l-1)) * s
	hp := math.Mod(h/60, 6)
	if hp < 0 {
		hp += 6
	}
	x := c * (1 - math.Abs(math.Mod(hp, 2)-1))
	var r, g, b float64
	switch int(hp) {
	case 0:
		r, g, b = c, x, 0
	case 1:
		r, g, b = x, c, 0
	case 2:
		r, g, b = 0, c, x
	case 3:
		r, g, b = 0, x, c
	case 4:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	m := l - c/2
	return [3]float64{(r + m) * 255, (g + m) * 255, (b + m) * 255}
}

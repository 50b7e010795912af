package nn

import "fmt"

// Tensor is one image-shaped activation in NHWC order: element (y, x, c)
// is Data[(y*W+x)*C+c].
type Tensor struct {
	H, W, C int
	Data    []float32
}

// Len returns H*W*C.
func (t *Tensor) Len() int { return t.H * t.W * t.C }

// At returns element (y, x, c).
func (t *Tensor) At(y, x, c int) float32 { return t.Data[(y*t.W+x)*t.C+c] }

// String describes the shape.
func (t *Tensor) String() string { return fmt.Sprintf("[%d×%d×%d]", t.H, t.W, t.C) }

// Arena hands out float32 buffers from one growing backing store and
// takes them all back at once with Reset. A forward pass allocates its
// activations from an Arena, so after the first pass it allocates nothing.
// An Arena is not safe for concurrent use; pool one per goroutine.
type Arena struct {
	chunks [][]float32
	cur    int // index of the chunk in use
	off    int // next free offset in chunks[cur]
}

// arenaChunk is the minimum chunk size (4 MiB of float32).
const arenaChunk = 1 << 20

// Alloc returns a zeroed slice of n floats valid until Reset.
func (a *Arena) Alloc(n int) []float32 {
	s := a.Uninit(n)
	clear(s)
	return s
}

// Uninit is Alloc without the zeroing, for buffers the caller overwrites.
func (a *Arena) Uninit(n int) []float32 {
	for a.cur < len(a.chunks) {
		c := a.chunks[a.cur]
		if a.off+n <= len(c) {
			s := c[a.off : a.off+n : a.off+n]
			a.off += n
			return s
		}
		a.cur++
		a.off = 0
	}
	size := max(arenaChunk, n)
	a.chunks = append(a.chunks, make([]float32, size))
	a.cur = len(a.chunks) - 1
	a.off = n
	return a.chunks[a.cur][:n:n]
}

// Tensor returns a zeroed h×w×c tensor valid until Reset.
func (a *Arena) Tensor(h, w, c int) Tensor {
	return Tensor{H: h, W: w, C: c, Data: a.Alloc(h * w * c)}
}

// TensorUninit is Tensor without the zeroing.
func (a *Arena) TensorUninit(h, w, c int) Tensor {
	return Tensor{H: h, W: w, C: c, Data: a.Uninit(h * w * c)}
}

// Reset makes every buffer handed out so far free for reuse.
func (a *Arena) Reset() {
	a.cur, a.off = 0, 0
}

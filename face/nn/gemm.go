package nn

import (
	"sync"
	"unsafe"
)

// Tile sizes of the GEMM micro-kernel: it computes mr rows by nr columns
// of C at a time.
const (
	mr = 6
	nr = 16
)

// Packed is a K×N weight matrix (and its bias) packed for the GEMM kernel:
// column panels of nr columns, each stored k-major (panel p holds
// B[k][p*nr+j] at Data[p*K*nr+k*nr+j]), zero-padded to a multiple of nr.
type Packed struct {
	K, N int
	Data []float32 // panels
	Bias []float32 // N rounded up to nr, zero-padded
	// Scale and Shift (padded like Bias, nil for none) and Act are the
	// epilogue applied to every output: act((A·B + bias)*scale + shift).
	Scale, Shift []float32
	Act          Act
}

// SetEpilogue sets the per-column scale and shift (length N; nil for
// none) and the activation applied after the bias.
func (p *Packed) SetEpilogue(scale, shift []float32, act Act) {
	p.Act = act
	if scale == nil {
		p.Scale, p.Shift = nil, nil
		return
	}
	p.Scale = make([]float32, len(p.Bias))
	p.Shift = make([]float32, len(p.Bias))
	copy(p.Scale, scale)
	copy(p.Shift, shift)
}

// epilogue is the kernel's view of one panel's epilogue; the assembly
// reads it by offset (scale 0, shift 8, act 16, alpha 24).
type epilogue struct {
	scale, shift *float32
	act          int64
	alpha        float32
}

// leakyAlpha is the leaky ReLU's negative slope.
const leakyAlpha = 0.1

// Pack packs the row-major K×N matrix b and the optional bias (length N,
// or nil for none).
func Pack(b []float32, k, n int, bias []float32) *Packed {
	if len(b) != k*n {
		panic("nn: Pack: size mismatch")
	}
	panels := (n + nr - 1) / nr
	p := &Packed{K: k, N: n, Data: make([]float32, panels*k*nr), Bias: make([]float32, panels*nr)}
	for q := 0; q < panels; q++ {
		dst := p.Data[q*k*nr:]
		for kk := 0; kk < k; kk++ {
			for j := 0; j < nr && q*nr+j < n; j++ {
				dst[kk*nr+j] = b[kk*n+q*nr+j]
			}
		}
	}
	copy(p.Bias, bias)
	return p
}

// edgeScratch holds the zero-padded rows and the output tile the GEMM uses
// at the ragged bottom and right edges.
type edgeScratch struct {
	a    []float32
	tile [mr * nr]float32
}

var edgePool = sync.Pool{New: func() any { return new(edgeScratch) }}

// Gemm computes C = A·B + bias for the m×K matrix A (row i at a[i*lda:]) and
// the packed K×N matrix b, writing C row i at c[i*ldc:], columns 0..N-1.
func Gemm(m int, a []float32, lda int, b *Packed, c []float32, ldc int) {
	k, n := b.K, b.N
	if m == 0 || n == 0 {
		return
	}
	if len(a) < (m-1)*lda+k || len(c) < (m-1)*ldc+n {
		panic("nn: Gemm: buffer too small")
	}
	panels := (n + nr - 1) / nr
	fullRows := m / mr * mr
	var es *edgeScratch
	if fullRows < m || n%nr != 0 {
		es = edgePool.Get().(*edgeScratch)
		defer edgePool.Put(es)
	}
	var edgeA []float32
	if fullRows < m {
		if cap(es.a) < mr*k {
			es.a = make([]float32, mr*k)
		}
		edgeA = es.a[:mr*k]
		clear(edgeA)
		for i := fullRows; i < m; i++ {
			copy(edgeA[(i-fullRows)*k:], a[i*lda:i*lda+k])
		}
	}
	ep := epilogue{act: int64(b.Act), alpha: leakyAlpha}
	// tiles computes panel q's columns of rows i0..i1-1 (whole tiles).
	tiles := func(q, i0, i1 int) {
		bp := b.Data[q*k*nr : (q+1)*k*nr]
		bias := b.Bias[q*nr : (q+1)*nr]
		if b.Scale != nil {
			ep.scale, ep.shift = &b.Scale[q*nr], &b.Shift[q*nr]
		}
		col := q * nr
		width := min(nr, n-col)
		i := i0
		// Every whole tile in one call where the AVX2 kernel runs
		// alone (the same outputs as a call per tile).
		if width == nr && i1 > i0 && kernelN((i1-i0)/mr, k, a[i0*lda:], lda, bp, bias, c[i0*ldc+col:], ldc, &ep) {
			i = i1
		}
		for ; i < i1; i += mr {
			if width == nr {
				// Two tiles in one call where the AVX-512 kernel runs.
				if i+2*mr <= i1 && kernel12(k, a[i*lda:], lda, bp, bias, c[i*ldc+col:], ldc, &ep) {
					i += mr
					continue
				}
				kernel(k, a[i*lda:], lda, bp, bias, c[i*ldc+col:], ldc, &ep)
				continue
			}
			kernel(k, a[i*lda:], lda, bp, bias, es.tile[:], nr, &ep)
			for r := 0; r < mr; r++ {
				copy(c[(i+r)*ldc+col:(i+r)*ldc+col+width], es.tile[r*nr:])
			}
		}
		if i1 == fullRows && edgeA != nil {
			kernel(k, edgeA, k, bp, bias, es.tile[:], nr, &ep)
			for r := 0; r < m-fullRows; r++ {
				i := fullRows + r
				copy(c[i*ldc+col:i*ldc+col+width], es.tile[r*nr:])
			}
		}
	}
	if panels == 1 || k*nr*panels > rowsOuterB {
		for q := 0; q < panels; q++ {
			tiles(q, 0, fullRows)
		}
		return
	}
	// All of B fits in the level-1 cache: a band of rows goes through
	// every panel while it is cached, instead of every row being read
	// again for each panel (the same tiles, computed the same way).
	band := max(2*mr, rowsOuterA/(k*2*mr)*2*mr)
	for i := 0; i < fullRows; i += band {
		for q := 0; q < panels; q++ {
			tiles(q, i, min(i+band, fullRows))
		}
	}
	if fullRows == 0 {
		for q := 0; q < panels; q++ {
			tiles(q, 0, 0)
		}
	}
}

// Gemm goes through a band of rows for every panel in turn when all of B
// (packed) has at most rowsOuterB floats (16 KB), the band holding about
// rowsOuterA floats of A (16 KB): a layer with few output channels, many
// rows and a short K (the detector's first separable layers) otherwise
// reads its whole input again from further caches for each panel.
const (
	rowsOuterB = 4096
	rowsOuterA = 4096
)

// kernelGo is the portable micro-kernel: C[0:mr][0:nr] =
// act((A[0:mr][0:k]·B + bias)*scale + shift), A row i at a[i*lda:], B
// packed k×nr, C row i at c[i*ldc:].
func kernelGo(k int, a []float32, lda int, b, bias, c []float32, ldc int, ep *epilogue) {
	var acc [mr][nr]float32
	for i := range acc {
		copy(acc[i][:], bias[:nr])
	}
	for p := 0; p < k; p++ {
		bv := (*[nr]float32)(b[p*nr : p*nr+nr])
		for i := 0; i < mr; i++ {
			av := a[i*lda+p]
			row := &acc[i]
			for j := 0; j < nr; j++ {
				row[j] += av * bv[j]
			}
		}
	}
	var scale, shift []float32
	if ep.scale != nil {
		scale = unsafe.Slice(ep.scale, nr)
		shift = unsafe.Slice(ep.shift, nr)
	}
	for i := 0; i < mr; i++ {
		row := &acc[i]
		for j := range row {
			v := row[j]
			if scale != nil {
				v = float32(v*scale[j]) + shift[j]
			}
			switch Act(ep.act) {
			case ReLU:
				v = max(v, 0)
			case Leaky:
				v = max(v, v*ep.alpha)
			}
			row[j] = v
		}
		copy(c[i*ldc:i*ldc+nr], row[:])
	}
}

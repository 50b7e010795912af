package imagecheck

import "golang.org/x/sys/cpu"

// useEdgesAVX2 lets findEdges smooth and differentiate eight pixels at a
// time in assembly where the CPU has AVX2 (the same float32 operations in
// the same order: the same bits); tests flip it to compare both.
var useEdgesAVX2 = cpu.X86.HasAVX2

//go:noescape
func smoothRowAVX2(out *float32, row *byte, n int)

//go:noescape
func smoothColsAVX2(out, a, b, c *float32, k float32, n int)

//go:noescape
func sobelRowAVX2(up, mid, dn, ox, oy, om *float32, n int)

// smoothRowFast sets out[x] = float32(row[x] + 2·row[x+1] + row[x+2]) for
// the leading whole groups of eight x below len(row)−2 and returns how
// many it set (0 without AVX2).
func smoothRowFast(out []float32, row []byte) int {
	n := (len(row) - 2) / 8
	if !useEdgesAVX2 || n <= 0 {
		return 0
	}
	_ = out[8*n-1]
	_ = row[8*n+1]
	smoothRowAVX2(&out[0], &row[0], n)
	return 8 * n
}

// smoothColsFast sets out[x] = (a[x] + 2·b[x] + c[x])·k for the leading
// whole groups of eight of out and returns how many it set.
func smoothColsFast(out, a, b, c []float32, k float32) int {
	n := len(out) / 8
	if !useEdgesAVX2 || n == 0 {
		return 0
	}
	_ = a[8*n-1]
	_ = b[8*n-1]
	_ = c[8*n-1]
	smoothColsAVX2(&out[0], &a[0], &b[0], &c[0], k, n)
	return 8 * n
}

// sobelRowFast computes findEdges' Sobel outputs ox[x], oy[x], om[x] from
// the window up, mid, dn[x..x+2] for the leading whole groups of eight x
// below len(up)−2 and returns how many it computed.
func sobelRowFast(up, mid, dn, ox, oy, om []float32) int {
	n := (len(up) - 2) / 8
	if !useEdgesAVX2 || n <= 0 {
		return 0
	}
	_ = mid[8*n+1]
	_ = dn[8*n+1]
	_ = ox[8*n-1]
	_ = oy[8*n-1]
	_ = om[8*n-1]
	sobelRowAVX2(&up[0], &mid[0], &dn[0], &ox[0], &oy[0], &om[0], n)
	return 8 * n
}

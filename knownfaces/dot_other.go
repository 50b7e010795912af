//go:build !amd64

package knownfaces

// dots computes out[i] = codes[i*Dim:(i+1)*Dim] · q for every row.
func dots(codes []int8, q *[Dim]int16, out []int32) { dotsGo(codes, q, out) }

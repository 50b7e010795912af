//go:build !amd64

package face

var useFillAVX2 = false

func fill420Row(out []float32, yrow, cb, cr []byte, mean *[3]float32) int { return 0 }

//go:build !amd64

package imagecheck

// useEdgesAVX2 is false: findEdges' loops do every pixel.
var useEdgesAVX2 = false

func smoothRowFast(out []float32, row []byte) int { return 0 }

func smoothColsFast(out, a, b, c []float32, k float32) int { return 0 }

func sobelRowFast(up, mid, dn, ox, oy, om []float32) int { return 0 }

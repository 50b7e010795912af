package imagecheck

import "testing"

// applyLUT maps every byte, in the groups of eight and in the tail after
// them: the table v → 255 − v on bytes 0, 1, 2, ... of every length up
// to 19 gives 255, 254, 253, ... and leaves the byte past the slice.
func TestApplyLUTLiteral(t *testing.T) {
	var lut [256]byte
	for v := range lut {
		lut[v] = byte(255 - v)
	}
	for n := 0; n <= 19; n++ {
		b := make([]byte, n+1)
		for i := range b {
			b[i] = byte(i)
		}
		applyLUT(b[:n], &lut)
		for i := 0; i < n; i++ {
			if b[i] != byte(255-i) {
				t.Errorf("length %d: byte %d is %d, want %d", n, i, b[i], 255-i)
			}
		}
		if b[n] != byte(n) {
			t.Errorf("length %d: the byte past the slice became %d", n, b[n])
		}
	}
}

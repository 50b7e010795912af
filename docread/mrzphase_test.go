package docread

import (
	"math"
	"testing"
)

// TestPhaseAt checks the interpolation of a cell's phase between the
// cells on either side whose ink centre was found.
func TestPhaseAt(t *testing.T) {
	cases := []struct {
		name string
		offs []float64
		good []bool
		k    int
		want float64
		ok   bool
	}{
		{"between two", []float64{0.2, 0, 0, -0.1}, []bool{true, false, false, true}, 1, 0.1, true},
		{"between two, second", []float64{0.2, 0, 0, -0.1}, []bool{true, false, false, true}, 2, 0, true},
		{"left only", []float64{0.15, 0, 0}, []bool{true, false, false}, 2, 0.15, true},
		{"right only", []float64{0, 0, -0.2}, []bool{false, false, true}, 0, -0.2, true},
		{"none", []float64{0, 0}, []bool{false, false}, 1, 0, false},
		{"own value ignored", []float64{0.1, 0.9, 0.3}, []bool{true, true, true}, 1, 0.2, true},
	}
	for _, c := range cases {
		got, ok := phaseAt(c.offs, c.good, c.k)
		if ok != c.ok || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: phaseAt(%v, %v, %d) = %v, %v; want %v, %v", c.name, c.offs, c.good, c.k, got, ok, c.want, c.ok)
		}
	}
}

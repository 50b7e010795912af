package authenticity

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestNth: on slices of every length up to 300 and a few larger ones,
// of distinct values, of few repeated values, sorted, reversed and all
// equal, nth returns the value the sorted slice holds at every index
// tried, and reorders the slice without losing or adding a value.
func TestNth(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 3))
	lengths := []int{6000, 11907, 65536}
	for n := 1; n <= 300; n++ {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		for kind := range 5 {
			a := make([]float64, n)
			for i := range a {
				switch kind {
				case 0:
					a[i] = r.Float64() * 10
				case 1:
					a[i] = float64(r.IntN(4))
				case 2:
					a[i] = float64(i)
				case 3:
					a[i] = float64(n - i)
				case 4:
					a[i] = 0.25
				}
			}
			want := slices.Clone(a)
			slices.Sort(want)
			for _, k := range []int{0, n / 2, n - 1, r.IntN(n)} {
				b := slices.Clone(a)
				if got := nth(b, k); got != want[k] {
					t.Fatalf("length %d, kind %d, index %d: %v, want %v", n, kind, k, got, want[k])
				}
				slices.Sort(b)
				if !slices.Equal(b, want) {
					t.Fatalf("length %d, kind %d, index %d: the values changed", n, kind, k)
				}
			}
		}
	}
}

package authenticity

import "slices"

// nth returns the value a[k] would hold once a is sorted (a holds no
// NaN), reordering a: a quickselect (median-of-three pivot, three-way
// partition) that sorts what is left once it has narrowed the range
// to a few values, or after 2·log2(len(a)) rounds (a run of bad pivots
// costs no more than a sort).
func nth(a []float64, k int) float64 {
	lo, hi := 0, len(a) // a[k] lies in a[lo:hi]
	rounds := 4
	for m := len(a); m > 0; m >>= 1 {
		rounds += 2
	}
	for ; hi-lo > 16 && rounds > 0; rounds-- {
		x, y, z := a[lo], a[lo+(hi-lo)/2], a[hi-1]
		if x > y {
			x, y = y, x
		}
		p := min(max(x, z), y) // the median of the three
		// a[lo:lt] < p, a[lt:i] == p, a[gt:hi] > p.
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch v := a[i]; {
			case v < p:
				a[lt], a[i] = v, a[lt]
				lt++
				i++
			case v > p:
				gt--
				a[i], a[gt] = a[gt], v
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt
		case k >= gt:
			lo = gt
		default:
			return p
		}
	}
	slices.Sort(a[lo:hi])
	return a[k]
}

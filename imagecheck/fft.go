package imagecheck

import (
	"math"
	"math/bits"
)

// fftN is the size of the (square) windows the recapture check transforms.
const fftN = 32

var (
	twiddles [fftN / 2]complex64
	bitrev   [fftN]int
)

func init() {
	for k := range twiddles {
		a := -2 * math.Pi * float64(k) / fftN
		twiddles[k] = complex(float32(math.Cos(a)), float32(math.Sin(a)))
	}
	shift := 64 - bits.Len(fftN-1)
	for i := range bitrev {
		bitrev[i] = int(bits.Reverse64(uint64(i)) >> shift)
	}
}

// fft1 transforms fftN elements of x, step apart from off, in place
// (radix 2, decimation in time).
func fft1(x []complex64, off, step int) {
	var buf [fftN]complex64
	for i := 0; i < fftN; i++ {
		buf[bitrev[i]] = x[off+i*step]
	}
	for size := 2; size <= fftN; size <<= 1 {
		half := size / 2
		tstep := fftN / size
		for start := 0; start < fftN; start += size {
			for k := 0; k < half; k++ {
				t := twiddles[k*tstep] * buf[start+k+half]
				u := buf[start+k]
				buf[start+k] = u + t
				buf[start+k+half] = u - t
			}
		}
	}
	for i := 0; i < fftN; i++ {
		x[off+i*step] = buf[i]
	}
}

// fft2 transforms the fftN×fftN window x in place.
func fft2(x []complex64) {
	for r := 0; r < fftN; r++ {
		fft1(x, r*fftN, 1)
	}
	for c := 0; c < fftN; c++ {
		fft1(x, c, fftN)
	}
}

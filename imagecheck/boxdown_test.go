package imagecheck

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// boxMean is the definition boxDown implements, one output at a time:
// the rounded mean of the source pixels of block (dx, dy) (f×f, cut at
// the plane's right and bottom edges).
func boxMean(src []byte, sw, sh, ss, f, dx, dy int) byte {
	var s, n uint32
	for y := dy * f; y < min(dy*f+f, sh); y++ {
		for x := dx * f; x < min(dx*f+f, sw); x++ {
			s += uint32(src[y*ss+x])
			n++
		}
	}
	return byte((s + n/2) / n)
}

func TestBoxDownLiteral(t *testing.T) {
	// 5×3, stride 6 (the last byte of each row is not the plane's),
	// halved: blocks of 2×2, the last column's and row's cut short.
	src := []byte{
		1, 2, 3, 4, 250, 99,
		5, 6, 7, 9, 255, 99,
		10, 20, 30, 41, 0, 99,
	}
	dst := make([]byte, 3*2)
	boxDown(src, 5, 3, 6, dst, 3, 2, 3, 2)
	want := []byte{
		4,   // (1+2+5+6+2)/4
		6,   // (3+4+7+9+2)/4 = 25/4
		253, // (250+255+1)/2
		15,  // (10+20+1)/2
		36,  // (30+41+1)/2 = 72/2
		0,
	}
	if !bytes.Equal(dst, want) {
		t.Errorf("got %v, want %v", dst, want)
	}
	// Quartered: one whole block of the top-left 4×3 and the partial
	// last column.
	dst = make([]byte, 2)
	boxDown(src, 5, 3, 6, dst, 2, 1, 2, 4)
	if want := []byte{(1 + 2 + 3 + 4 + 5 + 6 + 7 + 9 + 10 + 20 + 30 + 41 + 6) / 12, (250 + 255 + 0 + 1) / 3}; !bytes.Equal(dst, want) {
		t.Errorf("quartered: got %v, want %v", dst, want)
	}
}

// TestBoxDownMatchesMean holds boxDown (eight bytes at a time for f = 2
// and 4) to boxMean over every plane width from 1 to 41 (whole blocks,
// partial last columns, odd numbers of pair columns), heights with and
// without a partial last row, strides wider than the rows, and planes of
// 255 only (the largest lane sums).
func TestBoxDownMatchesMean(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, f := range []int{2, 3, 4, 8} {
		for sw := 1; sw <= 41; sw++ {
			for _, sh := range []int{1, f - 1, f, 2*f + 1, 3 * f} {
				if sh < 1 {
					continue
				}
				for _, fill := range []string{"random", "white"} {
					ss := sw + r.IntN(3)
					src := make([]byte, (sh-1)*ss+sw)
					for i := range src {
						src[i] = byte(r.UintN(256))
						if fill == "white" {
							src[i] = 255
						}
					}
					dw, dh := (sw+f-1)/f, (sh+f-1)/f
					ds := dw + 1
					dst := make([]byte, (dh-1)*ds+dw)
					boxDown(src, sw, sh, ss, dst, dw, dh, ds, f)
					for dy := 0; dy < dh; dy++ {
						for dx := 0; dx < dw; dx++ {
							if got, want := dst[dy*ds+dx], boxMean(src, sw, sh, ss, f, dx, dy); got != want {
								t.Fatalf("f %d, %d×%d (stride %d), %s: block (%d, %d) %d, want %d", f, sw, sh, ss, fill, dx, dy, got, want)
							}
						}
					}
				}
			}
		}
	}
}

// BenchmarkBoxDown is smallPlanes' reduction of a 12 MP photo's ¼-scale
// planes: the 1008×756 luma by 4 and a 504×378 chroma plane by 2.
func BenchmarkBoxDown(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		name    string
		w, h, f int
	}{{"luma_1008x756_f4", 1008, 756, 4}, {"chroma_504x378_f2", 504, 378, 2}} {
		src := make([]byte, c.w*c.h)
		for i := range src {
			src[i] = byte(r.UintN(256))
		}
		dw, dh := (c.w+c.f-1)/c.f, (c.h+c.f-1)/c.f
		dst := make([]byte, dw*dh)
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				boxDown(src, c.w, c.h, c.w, dst, dw, dh, dw, c.f)
			}
		})
	}
}

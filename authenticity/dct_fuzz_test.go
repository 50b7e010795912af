package authenticity

import (
	"bytes"
	"image/jpeg"
	"testing"
)

// FuzzReadCoefficients feeds the coefficient reader arbitrary bytes (it
// reads every uploaded JPEG) and checks that it neither panics nor reads
// anything other than the reference reader (dct_ref_test.go) does: the
// same error or the same coefficients, histograms and compression
// history, read from the top and seeking at restart markers. The seeds
// (testdata/fuzz/FuzzReadCoefficients) are small JPEGs of each kind:
// Go's encoder saved once and twice, restart markers, cjpeg's 4:4:4 with
// optimised tables, 4:2:2, gray, progressive, and an unused overfull
// Huffman table, which made the previous reader panic.
//
//	go test ./authenticity -run '^$' -fuzz FuzzReadCoefficients -fuzztime 60s -parallel 1
func FuzzReadCoefficients(f *testing.F) {
	f.Add(jpegOfF(f, 40, 24, 85))
	// Every other MCU row, as many as the budget holds.
	pick := func(mcuh, my, budget int) []int {
		var rows []int
		for y := 0; y < my && len(rows) < budget; y += 2 {
			rows = append(rows, y)
		}
		return rows
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, budget := range []int{600, 4000} {
			for _, p := range []rowPicker{nil, pick} {
				diff, img := compareReaders(data, Input{}, budget, p)
				if diff != "" {
					t.Fatalf("budget %d, picker %v: %s", budget, p != nil, diff)
				}
				if img != nil {
					img.release() // the next reads get it back, not cleared
				}
			}
		}
	})
}

// jpegOfF is jpegOf for a fuzz target's seeds.
func jpegOfF(f *testing.F, w, h, q int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, noisy(w, h, 11), &jpeg.Options{Quality: q}); err != nil {
		f.Fatal(err)
	}
	return b.Bytes()
}

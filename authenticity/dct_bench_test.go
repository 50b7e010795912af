package authenticity

import (
	"bytes"
	"image/jpeg"
	"testing"

	"github.com/kycq/kycq/internal/eval/docgen"
)

// BenchmarkReadCoefficients12MP measures the coefficient reader alone on
// a whole 12 MP photo (no budget).
func BenchmarkReadCoefficients12MP(b *testing.B) {
	img, _ := docgen.Generate(docgen.Spec{Seed: 3, Size: docgen.Size12MP})
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d bytes", buf.Len())
	b.ReportAllocs()
	cpuLoop(b, 1, func() {
		if _, err := readCoefficients(buf.Bytes(), 0, nil); err != nil {
			b.Fatal(err)
		}
	})
}

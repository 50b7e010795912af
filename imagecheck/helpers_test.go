package imagecheck

import (
	"testing"

	"github.com/kycq/kycq/internal/eval/docgen"
)

// photo generates and encodes one synthetic photo.
func photo(t testing.TB, spec docgen.Spec, enc docgen.Encoding) ([]byte, docgen.Label) {
	t.Helper()
	if spec.Size == "" && spec.Width == 0 {
		spec.Size = docgen.SizeTest
	}
	img, lab := docgen.Generate(spec)
	data, err := docgen.Encode(img, enc)
	if err != nil {
		t.Fatal(err)
	}
	return data, lab
}

func sqrt(v float64) float64 {
	x := v
	if x == 0 {
		return 0
	}
	for i := 0; i < 60; i++ {
		x = (x + v/x) / 2
	}
	return x
}

// frameSides counts the sides of q that lie on the photo's edge.
func frameSides(q quad) int {
	n := 0
	for _, l := range q.side {
		if l.frame {
			n++
		}
	}
	return n
}

package docgen

import (
	"os"
	"strconv"
	"testing"
)

// TestWriteSample writes one photo: DOCGEN_SAMPLE=OUT.jpg DOCGEN_SEED=N.
func TestWriteSample(t *testing.T) {
	out := os.Getenv("DOCGEN_SAMPLE")
	if out == "" {
		t.Skip("set DOCGEN_SAMPLE=OUT.jpg")
	}
	seed, _ := strconv.ParseInt(os.Getenv("DOCGEN_SEED"), 10, 64)
	img, lab := Generate(Spec{Seed: seed, Size: Size(os.Getenv("DOCGEN_SIZE")), Defect: Defect(os.Getenv("DOCGEN_DEFECT")), Strength: Clear})
	o, _ := strconv.Atoi(os.Getenv("DOCGEN_ORIENT"))
	data, err := Encode(img, Encoding{Quality: 92, Orientation: o})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(out, data, 0o644)
	t.Logf("%+v", lab)
}

package docgen

import (
	"os"
	"testing"
)

func TestZZBaseline(t *testing.T) {
	dir := os.Getenv("DOCGEN_BASELINE_DIR")
	if dir == "" {
		t.Skip()
	}

	if _, err := WriteDataset(dir, DatasetSpec{Seed: 5, PerCell: 1, Clean: 6, Unreadable: 3, Share12MP: 0.1, Workers: 2}); err != nil {
		t.Fatal(err)
	}
}

package app

import (
	"strings"
	"testing"
)

// TestPipelineRefusesToStartWithoutTheReader: a worker whose document
// reader cannot load its OCR data does not start, and says what to
// install.
func TestPipelineRefusesToStartWithoutTheReader(t *testing.T) {
	t.Setenv("TESSDATA_PREFIX", t.TempDir()) // no language data there
	c, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := &App{Config: c}
	defer a.Close()
	p, err := a.Pipeline()
	if err == nil || p != nil {
		t.Fatalf("Pipeline() = %v, %v; want an error", p, err)
	}
	for _, want := range []string{"document reader", "tesseract-ocr-eng"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

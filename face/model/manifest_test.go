package model

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
)

func TestParseManifest(t *testing.T) {
	f32 := make([]byte, 8)
	binary.LittleEndian.PutUint32(f32, math.Float32bits(1.5))
	binary.LittleEndian.PutUint32(f32[4:], math.Float32bits(-2))
	shard := append([]byte{0, 1, 255}, f32...)
	good := `[{"paths":["a.bin"],"weights":[
		{"name":"q","shape":[3],"dtype":"float32","quantization":{"dtype":"uint8","scale":0.5,"min":-1}},
		{"name":"f","shape":[1,2],"dtype":"float32"}]}]`
	m, err := ParseManifest([]byte(good), map[string][]byte{"a.bin": shard})
	if err != nil {
		t.Fatal(err)
	}
	if got := m["q"].Data; got[0] != -1 || got[1] != -0.5 || got[2] != 126.5 {
		t.Errorf("dequantized %v", got)
	}
	if got := m["f"].Data; got[0] != 1.5 || got[1] != -2 || len(m["f"].Shape) != 2 {
		t.Errorf("float32 %v shape %v", got, m["f"].Shape)
	}

	for _, tc := range []struct {
		name, manifest string
		files          map[string][]byte
		want           string
	}{
		{"not json", `{`, nil, "manifest"},
		{"missing shard", good, map[string][]byte{}, "missing shard"},
		{"short shard", good, map[string][]byte{"a.bin": shard[:5]}, "bytes"},
		{"long shard", good, map[string][]byte{"a.bin": append(shard, 0)}, "shards hold"},
		{"bad shape", `[{"paths":["a.bin"],"weights":[{"name":"q","shape":[-1],"dtype":"float32"}]}]`, map[string][]byte{"a.bin": nil}, "bad shape"},
		{"huge shape", `[{"paths":["a.bin"],"weights":[{"name":"q","shape":[100000,100000],"dtype":"float32"}]}]`, map[string][]byte{"a.bin": nil}, "bad shape"},
		{"dtype", `[{"paths":["a.bin"],"weights":[{"name":"q","shape":[1],"dtype":"int32"}]}]`, map[string][]byte{"a.bin": {0, 0, 0, 0}}, "dtype"},
		{"no scale", `[{"paths":["a.bin"],"weights":[{"name":"q","shape":[1],"dtype":"float32","quantization":{"dtype":"uint8"}}]}]`, map[string][]byte{"a.bin": {0}}, "scale"},
		{"duplicate", `[{"paths":["a.bin"],"weights":[{"name":"q","shape":[1],"dtype":"float32","quantization":{"dtype":"uint8","scale":1,"min":0}},{"name":"q","shape":[1],"dtype":"float32","quantization":{"dtype":"uint8","scale":1,"min":0}}]}]`, map[string][]byte{"a.bin": {0, 0}}, "twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseManifest([]byte(tc.manifest), tc.files)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestLoadEmbedded(t *testing.T) {
	n, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if n.Detector == nil || n.Landmarks == nil || n.Recognizer == nil {
		t.Fatal("nil net")
	}
	// A weight map missing a tensor is refused, not half-built.
	w, err := loadEmbedded(RecognizerName)
	if err != nil {
		t.Fatal(err)
	}
	delete(w, "fc")
	if _, err := NewRecognizer(w); err == nil || !strings.Contains(err.Error(), `"fc" missing`) {
		t.Errorf("NewRecognizer without fc: %v", err)
	}
	w, _ = loadEmbedded(DetectorName)
	w["conv8/bias"].Shape = []int{24}
	if _, err := NewDetector(w); err == nil || !strings.Contains(err.Error(), "shape") {
		t.Errorf("NewDetector with a bad shape: %v", err)
	}
}

package model

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
)

// Tensor is one named weight tensor, dequantized to float32, in the layout
// TensorFlow.js stores it (row-major over Shape; conv filters are
// [height, width, in, out], depthwise filters [height, width, channels, 1]).
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

// manifestGroup is one entry of a TF.js weights manifest: the files holding
// the group's bytes, concatenated in order, and the tensors laid out in them.
type manifestGroup struct {
	Paths   []string         `json:"paths"`
	Weights []manifestWeight `json:"weights"`
}

type manifestWeight struct {
	Name         string        `json:"name"`
	Shape        []int         `json:"shape"`
	Dtype        string        `json:"dtype"`
	Quantization *quantization `json:"quantization"`
}

type quantization struct {
	Dtype string   `json:"dtype"`
	Scale *float64 `json:"scale"`
	Min   *float64 `json:"min"`
}

// maxElements bounds one tensor's size, so a corrupt manifest cannot make
// the loader allocate without limit.
const maxElements = 1 << 26

// ParseManifest reads a TF.js weights manifest (a JSON array of groups) and
// the binary shards it names, looked up in files by path, and returns every
// tensor by name. Quantized weights (uint8 or uint16 with a per-tensor scale
// and minimum) are dequantized as TF.js does: value = q*scale + min,
// computed in float64 and rounded to float32.
func ParseManifest(manifest []byte, files map[string][]byte) (map[string]*Tensor, error) {
	var groups []manifestGroup
	if err := json.Unmarshal(manifest, &groups); err != nil {
		return nil, fmt.Errorf("model: manifest: %w", err)
	}
	out := map[string]*Tensor{}
	for gi, g := range groups {
		var buf []byte
		for _, p := range g.Paths {
			b, ok := files[p]
			if !ok {
				return nil, fmt.Errorf("model: manifest group %d: missing shard %q", gi, p)
			}
			buf = append(buf, b...)
		}
		off := 0
		for _, w := range g.Weights {
			t, n, err := decodeWeight(w, buf[off:])
			if err != nil {
				return nil, fmt.Errorf("model: weight %q: %w", w.Name, err)
			}
			if _, dup := out[w.Name]; dup {
				return nil, fmt.Errorf("model: weight %q appears twice", w.Name)
			}
			out[w.Name] = t
			off += n
		}
		if off != len(buf) {
			return nil, fmt.Errorf("model: manifest group %d: %d bytes described, shards hold %d", gi, off, len(buf))
		}
	}
	return out, nil
}

// decodeWeight decodes one tensor from the front of b and returns it with
// the number of bytes it used.
func decodeWeight(w manifestWeight, b []byte) (*Tensor, int, error) {
	if w.Dtype != "float32" {
		return nil, 0, fmt.Errorf("dtype %q not supported", w.Dtype)
	}
	n := 1
	for _, d := range w.Shape {
		if d <= 0 || n > maxElements/d {
			return nil, 0, fmt.Errorf("bad shape %v", w.Shape)
		}
		n *= d
	}
	t := &Tensor{Name: w.Name, Shape: append([]int(nil), w.Shape...), Data: make([]float32, n)}
	q := w.Quantization
	if q == nil {
		if len(b) < 4*n {
			return nil, 0, fmt.Errorf("needs %d bytes, %d left", 4*n, len(b))
		}
		for i := range t.Data {
			t.Data[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
		return t, 4 * n, nil
	}
	if q.Scale == nil || q.Min == nil {
		return nil, 0, fmt.Errorf("quantization %q without scale and min", q.Dtype)
	}
	scale, minV := *q.Scale, *q.Min
	switch q.Dtype {
	case "uint8":
		if len(b) < n {
			return nil, 0, fmt.Errorf("needs %d bytes, %d left", n, len(b))
		}
		for i := range t.Data {
			t.Data[i] = float32(float64(b[i])*scale + minV)
		}
		return t, n, nil
	case "uint16":
		if len(b) < 2*n {
			return nil, 0, fmt.Errorf("needs %d bytes, %d left", 2*n, len(b))
		}
		for i := range t.Data {
			t.Data[i] = float32(float64(binary.LittleEndian.Uint16(b[2*i:]))*scale + minV)
		}
		return t, 2 * n, nil
	}
	return nil, 0, fmt.Errorf("quantization dtype %q not supported", q.Dtype)
}

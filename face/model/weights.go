package model

import (
	"fmt"
	"slices"
)

// weightMap looks tensors up by name and checks their shapes, remembering
// the first error so net constructors read straight through.
type weightMap struct {
	m   map[string]*Tensor
	err error
}

// get returns the tensor's data. When it is missing or shaped otherwise it
// records the error and returns zeros of the wanted shape, so constructors
// can build every layer and report w.err at the end.
func (w *weightMap) get(name string, shape ...int) []float32 {
	t, ok := w.m[name]
	if ok && slices.Equal(t.Shape, shape) {
		return t.Data
	}
	if w.err == nil {
		if !ok {
			w.err = fmt.Errorf("model: weight %q missing", name)
		} else {
			w.err = fmt.Errorf("model: weight %q has shape %v, want %v", name, t.Shape, shape)
		}
	}
	n := 1
	for _, d := range shape {
		n *= d
	}
	return make([]float32, n)
}

package model

import (
	"fmt"

	"github.com/kycq/kycq/face/nn"
)

// FaceMean is the RGB mean the landmark and recognition nets subtract
// before dividing by 255.
var FaceMean = [3]float32{122.782, 117.001, 104.298}

// LandmarksInput is the side of the landmark net's square input.
const LandmarksInput = 112

// Landmarks is face-api's 68-point landmark net: four dense blocks of
// separable convolutions (each halving the size: 112→56→28→14→7), a 7×7
// average pool and a fully connected layer to 136 values, the (x, y) of
// each point relative to the input square.
type Landmarks struct {
	blocks [4]denseBlock
	fc     *nn.Packed
}

// denseBlock is conv0 (stride 2) then three separable convolutions whose
// inputs are the ReLU of the sum of everything before them.
type denseBlock struct {
	first *nn.ConvLayer // dense0 only: a plain 3×3 convolution
	conv0 separable     // other blocks: separable, stride 2
	convs [3]separable
}

// NewLandmarks builds the landmark net from its weights.
func NewLandmarks(m map[string]*Tensor) (*Landmarks, error) {
	w := &weightMap{m: m}
	l := &Landmarks{}
	ch := []int{3, 32, 64, 128, 256}
	for b := range l.blocks {
		p := fmt.Sprintf("dense%d", b)
		cin, cout := ch[b], ch[b+1]
		blk := &l.blocks[b]
		if b == 0 {
			blk.first = nn.NewConvLayer(w.get(p+"/conv0/filters", 3, 3, cin, cout), 3, 3, cin, cout, 2, nn.Same, w.get(p+"/conv0/bias", cout), nn.ReLU)
		} else {
			blk.conv0 = newSeparable(w, p+"/conv0", cin, cout, 2, nn.Same, nn.ReLU)
		}
		for i := range blk.convs {
			blk.convs[i] = newSeparable(w, fmt.Sprintf("%s/conv%d", p, i+1), cout, cout, 1, nn.Same, nn.Linear)
		}
	}
	l.fc = nn.Pack(w.get("fc/weights", 256, 136), 256, 136, w.get("fc/bias", 136))
	if w.err != nil {
		return nil, w.err
	}
	return l, nil
}

func (b *denseBlock) forward(ar *nn.Arena, x nn.Tensor) nn.Tensor {
	var out1 nn.Tensor
	if b.first != nil {
		out1 = b.first.Forward(ar, x)
	} else {
		out1 = b.conv0.forward(ar, x)
	}
	out2 := b.convs[0].forward(ar, out1)
	in3 := sumReLU(ar, out1, out2, nn.Tensor{}, nn.Tensor{})
	out3 := b.convs[1].forward(ar, in3)
	// TF.js adds right to left: out1 + (out2 + out3).
	in4 := sumReLU(ar, out1, out2, out3, nn.Tensor{})
	out4 := b.convs[2].forward(ar, in4)
	// out1 + (out2 + (out3 + out4))
	return sumReLU(ar, out1, out2, out3, out4)
}

// sumReLU is the ReLU of a + (b + (c + d)) in a new tensor, over the terms
// given (c and d may be zero tensors; d only where c is), in one pass
// (nn.SumReLU).
func sumReLU(ar *nn.Arena, a, b, c, d nn.Tensor) nn.Tensor {
	out := ar.TensorUninit(a.H, a.W, a.C) // every value written
	nn.SumReLU(out.Data, a.Data, b.Data, c.Data, d.Data)
	return out
}

// Forward runs the net on a normalized 112×112 input and writes the 136
// outputs (x0, y0, x1, y1, ...; relative to the input square) to dst.
func (l *Landmarks) Forward(ar *nn.Arena, x nn.Tensor, dst []float32) {
	out := x
	for b := range l.blocks {
		out = l.blocks[b].forward(ar, out)
	}
	pooled := nn.AvgPool(ar, out, 7, 2)
	nn.Gemm(1, pooled.Data, 256, l.fc, dst[:136], 136)
}

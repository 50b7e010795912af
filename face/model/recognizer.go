package model

import (
	"fmt"

	"github.com/kycq/kycq/face/nn"
)

// RecognizerInput is the side of the recognition net's square input.
const RecognizerInput = 150

// DescriptorLen is the length of a face descriptor.
const DescriptorLen = 128

// Recognizer is dlib's ResNet face descriptor as face-api ships it: a 7×7
// stride-2 convolution, a 3×3 max-pool, residual blocks of 32, 64, 128 and
// 256 channels (the down blocks use a stride-2 valid convolution and an
// average-pooled, zero-channel-padded shortcut), a global mean and a fully
// connected 256→128 layer without bias.
type Recognizer struct {
	conv0  *nn.ConvLayer
	blocks []residual
	fc     *nn.Packed
}

type residual struct {
	down         bool
	conv1, conv2 *nn.ConvLayer
}

// convScale builds one conv + bias + per-channel scale layer.
func convScale(w *weightMap, prefix string, k, cin, cout, stride int, pad nn.Padding, act nn.Act) *nn.ConvLayer {
	l := nn.NewConvLayer(w.get(prefix+"/conv/filters", k, k, cin, cout), k, k, cin, cout, stride, pad, w.get(prefix+"/conv/bias", cout), act)
	l.SetScale(w.get(prefix+"/scale/weights", cout), w.get(prefix+"/scale/biases", cout))
	return l
}

// NewRecognizer builds the recognition net from its weights.
func NewRecognizer(m map[string]*Tensor) (*Recognizer, error) {
	w := &weightMap{m: m}
	r := &Recognizer{conv0: convScale(w, "conv32_down", 7, 3, 32, 2, nn.Valid, nn.ReLU)}
	add := func(name string, cin, cout int, down bool) {
		stride, pad := 1, nn.Same
		if down {
			stride, pad = 2, nn.Valid
		}
		r.blocks = append(r.blocks, residual{
			down:  down,
			conv1: convScale(w, name+"/conv1", 3, cin, cout, stride, pad, nn.ReLU),
			conv2: convScale(w, name+"/conv2", 3, cout, cout, 1, nn.Same, nn.Linear),
		})
	}
	for i := 1; i <= 3; i++ {
		add(fmt.Sprintf("conv32_%d", i), 32, 32, false)
	}
	add("conv64_down", 32, 64, true)
	for i := 1; i <= 3; i++ {
		add(fmt.Sprintf("conv64_%d", i), 64, 64, false)
	}
	add("conv128_down", 64, 128, true)
	for i := 1; i <= 2; i++ {
		add(fmt.Sprintf("conv128_%d", i), 128, 128, false)
	}
	add("conv256_down", 128, 256, true)
	for i := 1; i <= 2; i++ {
		add(fmt.Sprintf("conv256_%d", i), 256, 256, false)
	}
	add("conv256_down_out", 256, 256, true)
	r.fc = nn.Pack(w.get("fc", 256, 128), 256, 128, nil)
	if w.err != nil {
		return nil, w.err
	}
	return r, nil
}

func (b *residual) forward(ar *nn.Arena, x nn.Tensor) nn.Tensor {
	out := b.conv2.Forward(ar, b.conv1.Forward(ar, x))
	if !b.down {
		nn.Add(out.Data, x.Data)
		nn.ReLU.Apply(out.Data)
		return out
	}
	// Shortcut: 2×2 average pool, channels zero-padded to the output's.
	// When the pool is one larger than the strided convolution (odd sizes),
	// the convolution's output is zero-padded at the bottom and right.
	pooled := nn.AvgPool(ar, x, 2, 2)
	res := ar.Tensor(pooled.H, pooled.W, out.C)
	for y := 0; y < res.H; y++ {
		for xx := 0; xx < res.W; xx++ {
			dst := res.Data[(y*res.W+xx)*res.C : (y*res.W+xx+1)*res.C]
			copy(dst, pooled.Data[(y*pooled.W+xx)*pooled.C:(y*pooled.W+xx+1)*pooled.C])
			if y < out.H && xx < out.W {
				nn.Add(dst, out.Data[(y*out.W+xx)*out.C:(y*out.W+xx+1)*out.C])
			}
		}
	}
	nn.ReLU.Apply(res.Data)
	return res
}

// Forward runs the net on a normalized 150×150 input and writes the
// 128-value descriptor to dst.
func (r *Recognizer) Forward(ar *nn.Arena, x nn.Tensor, dst []float32) {
	out := r.conv0.Forward(ar, x)
	out = nn.MaxPool(ar, out, 3, 2, nn.Valid)
	for i := range r.blocks {
		out = r.blocks[i].forward(ar, out)
	}
	mean := ar.Alloc(256)
	nn.Mean(out, mean)
	nn.Gemm(1, mean, 256, r.fc, dst[:DescriptorLen], DescriptorLen)
}

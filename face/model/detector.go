package model

import (
	"fmt"
	"math"

	"github.com/kycq/kycq/face/nn"
)

// DetectorMean is the RGB mean the tiny face detector subtracts before
// dividing by 255.
var DetectorMean = [3]float32{117.001, 114.697, 97.404}

// detectorAnchors are the five box priors (width, height in grid cells).
var detectorAnchors = [5][2]float64{
	{1.603231, 2.094468},
	{6.041143, 7.080126},
	{2.882459, 3.518061},
	{4.266906, 5.178857},
	{9.041765, 10.66308},
}

// Detector is face-api's tiny face detector: a 3×3 convolution, five
// depthwise-separable blocks (leaky ReLU 0.1, max-pooling between them) and
// a 1×1 convolution giving 5 anchors × (x, y, w, h, score) per grid cell;
// the grid is the input size / 32.
type Detector struct {
	conv0 *nn.ConvLayer
	sep   [5]separable
	conv8 *nn.ConvLayer
}

// separable is a depthwise 3×3 followed by a pointwise 1×1 with bias.
type separable struct {
	dw *nn.Depthwise
	pw *nn.ConvLayer
}

func (s *separable) forward(ar *nn.Arena, x nn.Tensor) nn.Tensor {
	return s.pw.Forward(ar, s.dw.Forward(ar, x))
}

func newSeparable(w *weightMap, prefix string, cin, cout, stride int, pad nn.Padding, act nn.Act) separable {
	dw := w.get(prefix+"/depthwise_filter", 3, 3, cin, 1)
	pw := w.get(prefix+"/pointwise_filter", 1, 1, cin, cout)
	bias := w.get(prefix+"/bias", cout)
	return separable{
		dw: &nn.Depthwise{KH: 3, KW: 3, Stride: stride, Pad: pad, C: cin, W: dw},
		pw: nn.NewConvLayer(pw, 1, 1, cin, cout, 1, nn.Valid, bias, act),
	}
}

// NewDetector builds the detector from its weights.
func NewDetector(m map[string]*Tensor) (*Detector, error) {
	w := &weightMap{m: m}
	d := &Detector{}
	d.conv0 = nn.NewConvLayer(w.get("conv0/filters", 3, 3, 3, 16), 3, 3, 3, 16, 1, nn.Valid, w.get("conv0/bias", 16), nn.Leaky)
	ch := []int{16, 32, 64, 128, 256, 512}
	for i := range d.sep {
		d.sep[i] = newSeparable(w, fmt.Sprintf("conv%d", i+1), ch[i], ch[i+1], 1, nn.Pad1, nn.Leaky)
	}
	d.conv8 = nn.NewConvLayer(w.get("conv8/filters", 1, 1, 512, 25), 1, 1, 512, 25, 1, nn.Valid, w.get("conv8/bias", 25), nn.Linear)
	if w.err != nil {
		return nil, w.err
	}
	return d, nil
}

// Forward runs the detector on a normalized input ((rgb-mean)/255, each
// side a multiple of 32; face-api's is square) and returns the raw grid:
// H/32 × W/32 × 25. The network is fully convolutional, so a trimmed,
// non-square input gives the same grid cells' geometry.
func (d *Detector) Forward(ar *nn.Arena, x nn.Tensor) nn.Tensor {
	out := d.conv0.ForwardMaxPool2(ar, x) // conv0, then a 2×2 max pool
	for i := range d.sep {
		if i < 4 {
			// The block and its pool a band of rows at a time (the same
			// values as the block, then MaxPool).
			out = nn.SeparableMaxPool2(ar, out, d.sep[i].dw, d.sep[i].pw)
		} else {
			out = nn.MaxPool(ar, d.sep[i].forward(ar, out), 2, 1, nn.Same)
		}
	}
	return d.conv8.Forward(ar, out)
}

// Candidate is one decoded grid box, in units of the input's width and
// height (0..1).
type Candidate struct {
	X, Y, W, H float64
	Score      float64
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// Decode turns the raw grid into candidates scoring above threshold,
// appending to dst. Coordinates are relative to the network input (x to its
// width, y to its height; the input need not be square).
func Decode(grid nn.Tensor, threshold float64, dst []Candidate) []Candidate {
	rows, cols := float64(grid.H), float64(grid.W)
	for row := 0; row < grid.H; row++ {
		for col := 0; col < grid.W; col++ {
			cell := grid.Data[(row*grid.W+col)*grid.C:]
			for a := range detectorAnchors {
				v := cell[a*5 : a*5+5]
				score := sigmoid(float64(v[4]))
				if score <= threshold {
					continue
				}
				cx := (float64(col) + sigmoid(float64(v[0]))) / cols
				cy := (float64(row) + sigmoid(float64(v[1]))) / rows
				w := math.Exp(float64(v[2])) * detectorAnchors[a][0] / cols
				h := math.Exp(float64(v[3])) * detectorAnchors[a][1] / rows
				dst = append(dst, Candidate{X: cx - w/2, Y: cy - h/2, W: w, H: h, Score: score})
			}
		}
	}
	return dst
}

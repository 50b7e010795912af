package face

import (
	"math"

	"github.com/kycq/kycq/face/model"
	"github.com/kycq/kycq/face/nn"
)

// The face chip follows dlib's convention for its ResNet descriptor
// (get_face_chip_details with size 150 and padding 0.25): a similarity
// transform (rotation, uniform scale, shift; so the eyes come out level)
// fitted by least squares from a mean face shape to the detected
// landmarks. The template below is dlib's mean face shape for points 17–67
// in a unit square (dlib, Boost Software License; see
// face/model/weights/NOTICE.md); like dlib, the fit ignores the brows
// (17–26) and the lower lip (55–59, 65–67).
var meanFaceX = [51]float64{
	0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124,
	0.904991, 0.98004, 0.490127, 0.490127, 0.490127, 0.490127, 0.36688, 0.426036,
	0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825, 0.334606, 0.260918,
	0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149,
	0.340985, 0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721,
	0.490127, 0.423532, 0.338094, 0.290379, 0.428096, 0.490127, 0.552157, 0.689874,
	0.553364, 0.490127, 0.42689,
}

var meanFaceY = [51]float64{
	0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891,
	0.0187482, 0.038915, 0.106454, 0.203352, 0.307009, 0.409805, 0.515625, 0.587326,
	0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852, 0.231733,
	0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099,
	0.780233, 0.745405, 0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805,
	0.902192, 0.909281, 0.902192, 0.864805, 0.784792, 0.778746, 0.785343, 0.778746,
	0.784792, 0.824182, 0.831803, 0.824182,
}

// chipPadding is dlib's padding around the template for the descriptor.
const chipPadding = 0.25

// usedForAlignment reports whether landmark i takes part in the fit.
func usedForAlignment(i int) bool {
	return i >= 27 && !(i >= 55 && i <= 59) && !(i >= 65 && i <= 67)
}

// similarity maps chip coordinates to image coordinates:
// (x, y) -> (a*x - b*y + tx, b*x + a*y + ty).
type similarity struct{ a, b, tx, ty float64 }

func (s similarity) apply(x, y float64) (float64, float64) {
	return s.a*x - s.b*y + s.tx, s.b*x + s.a*y + s.ty
}

// scale is the number of image pixels per chip pixel.
func (s similarity) scale() float64 { return math.Hypot(s.a, s.b) }

// templatePoint is landmark i's place in a chip of side size.
func templatePoint(i, size int) (x, y float64) {
	x = (chipPadding + meanFaceX[i-17]) / (2*chipPadding + 1) * float64(size)
	y = (chipPadding + meanFaceY[i-17]) / (2*chipPadding + 1) * float64(size)
	return x, y
}

// chipTransform fits the chip-to-image similarity for a chip of side size.
func chipTransform(lm *Landmarks, size int) similarity {
	var n, px, py, qx, qy float64
	var ps [68][2]float64
	for i := 27; i < 68; i++ {
		if !usedForAlignment(i) {
			continue
		}
		x, y := templatePoint(i, size)
		ps[i] = [2]float64{x, y}
		px += x
		py += y
		qx += lm[i].X
		qy += lm[i].Y
		n++
	}
	px, py, qx, qy = px/n, py/n, qx/n, qy/n
	var sxx, sab, sba float64
	for i := 27; i < 68; i++ {
		if !usedForAlignment(i) {
			continue
		}
		x, y := ps[i][0]-px, ps[i][1]-py
		u, v := lm[i].X-qx, lm[i].Y-qy
		sxx += x*x + y*y
		sab += x*u + y*v
		sba += x*v - y*u
	}
	a, b := sab/sxx, sba/sxx
	return similarity{a: a, b: b, tx: qx - (a*px - b*py), ty: qy - (b*px + a*py)}
}

// chip samples the aligned size×size face chip into dst as 8-bit RGB
// (dst holds size*size*3 bytes). Pixel centers sit at integer coordinates.
// When one chip pixel spans several image pixels it averages a grid of
// bilinear samples, so downscaling large faces does not alias.
func chip(img *rgbImage, t similarity, size int, dst []uint8) {
	n := int(math.Ceil(t.scale() - 0.25))
	n = min(max(n, 1), 4)
	inv := 1 / float64(n*n)
	step := 1 / float64(n)
	w, h := img.W, img.H
	pix := img.Pix
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			var acc [3]float64
			for j := 0; j < n; j++ {
				sy := float64(y) + (float64(j)+0.5)*step - 0.5
				for i := 0; i < n; i++ {
					sx := float64(x) + (float64(i)+0.5)*step - 0.5
					u := t.a*sx - t.b*sy + t.tx
					v := t.b*sx + t.a*sy + t.ty
					if u >= 0 && v >= 0 && u < float64(w-1) && v < float64(h-1) {
						// Inside: all four taps exist (int truncates = floors).
						x0, y0 := int(u), int(v)
						fx, fy := u-float64(x0), v-float64(y0)
						p := pix[(y0*w+x0)*3 : (y0*w+x0)*3+6]
						q := pix[((y0+1)*w+x0)*3 : ((y0+1)*w+x0)*3+6]
						w00, w01 := (1-fx)*(1-fy), fx*(1-fy)
						w10, w11 := (1-fx)*fy, fx*fy
						acc[0] += w00*float64(p[0]) + w01*float64(p[3]) + w10*float64(q[0]) + w11*float64(q[3])
						acc[1] += w00*float64(p[1]) + w01*float64(p[4]) + w10*float64(q[1]) + w11*float64(q[4])
						acc[2] += w00*float64(p[2]) + w01*float64(p[5]) + w10*float64(q[2]) + w11*float64(q[5])
						continue
					}
					r, g, b := bilinear(img, u, v)
					acc[0] += r
					acc[1] += g
					acc[2] += b
				}
			}
			o := dst[(y*size+x)*3 : (y*size+x)*3+3]
			for c := 0; c < 3; c++ {
				o[c] = uint8(math.Min(255, math.Max(0, acc[c]*inv+0.5)))
			}
		}
	}
}

// bilinear samples img at (u, v), reading black outside it.
func bilinear(img *rgbImage, u, v float64) (float64, float64, float64) {
	x0, y0 := int(math.Floor(u)), int(math.Floor(v))
	fx, fy := u-float64(x0), v-float64(y0)
	var out [3]float64
	for dy := 0; dy < 2; dy++ {
		yy := y0 + dy
		wy := fy
		if dy == 0 {
			wy = 1 - fy
		}
		if yy < 0 || yy >= img.H || wy == 0 {
			continue
		}
		for dx := 0; dx < 2; dx++ {
			xx := x0 + dx
			wx := fx
			if dx == 0 {
				wx = 1 - fx
			}
			if xx < 0 || xx >= img.W || wx == 0 {
				continue
			}
			p := img.Pix[(yy*img.W+xx)*3:]
			w := wx * wy
			out[0] += w * float64(p[0])
			out[1] += w * float64(p[1])
			out[2] += w * float64(p[2])
		}
	}
	return out[0], out[1], out[2]
}

// chipTensor normalizes an 8-bit RGB chip for the recognition net.
func chipTensor(c []uint8, dst nn.Tensor) {
	m := model.FaceMean
	for i := range dst.Data {
		dst.Data[i] = (float32(c[i]) - m[i%3]) / 255
	}
}

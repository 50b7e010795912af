package imagecheck

import (
	"bytes"
	"image"
	"image/jpeg"
)

// decodeJPEGGo decodes at full size with image/jpeg, then box-filters down
// by f: the path of builds without cgo, slower than libjpeg-turbo and
// giving the same verdicts.
func decodeJPEGGo(data []byte, hdr header, f int, ws *workspace) (planes, error) {
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return planes{}, unreadable("jpeg: %v", err)
	}
	switch m := img.(type) {
	case *image.YCbCr:
		return fromYCbCr(m, f, ws)
	case *image.Gray:
		b := m.Bounds()
		return fromGray(m.Pix, b.Dx(), b.Dy(), m.Stride, f, ws), nil
	}
	return planes{}, unreadable("jpeg: unsupported colour model")
}

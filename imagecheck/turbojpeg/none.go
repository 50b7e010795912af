//go:build !cgo || noturbo

package turbojpeg

import "errors"

// Available reports whether this build decodes with libjpeg-turbo: not in
// a build without cgo or with the noturbo tag.
const Available = false

// Values that keep callers compiling; Encode always fails here.
const (
	Samp444 = 0
	Samp420 = 2
	PixCMYK = 10
	PixRGBX = 7
)

// EncodeOptions set the JPEG Encode writes.
type EncodeOptions struct {
	Quality     int
	Subsamp     int
	Progressive bool
}

// Encode is unavailable without libjpeg-turbo.
func Encode(pix []byte, width, height, stride, pf int, o EncodeOptions) ([]byte, error) {
	return nil, errors.New("turbojpeg: not in this build (no cgo)")
}

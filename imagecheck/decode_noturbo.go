//go:build !cgo || noturbo

package imagecheck

// decoderName names the JPEG decoder of this build.
const decoderName = "go"

func decodeJPEG(data []byte, hdr header, f int, _ bool, ws *workspace) (planes, error) {
	return decodeJPEGGo(data, hdr, f, ws)
}

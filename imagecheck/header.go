package imagecheck

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// format is the container type of an upload, found from its first bytes.
type format int

const (
	formatUnknown format = iota
	formatJPEG
	formatPNG
)

func (f format) String() string {
	switch f {
	case formatJPEG:
		return "jpeg"
	case formatPNG:
		return "png"
	}
	return "unknown"
}

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

func sniff(data []byte) format {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return formatJPEG
	case bytes.HasPrefix(data, pngMagic):
		return formatPNG
	}
	return formatUnknown
}

// header is what is known about an upload before any pixel is decoded.
type header struct {
	format        format
	width, height int // as stored, before orientation
	components    int // 1 gray, 3 YCbCr (or RGB), 4 CMYK/YCCK
	progressive   bool
	adobeRGB      bool // 3 components with an Adobe transform of 0 (RGB)
	orientation   int  // EXIF orientation 1..8 (1 when absent)
	// sampling factors of the three components (JPEG only)
	hs, vs [3]int
}

// errUnreadable wraps every reason an upload cannot be decoded; its text
// is safe to log (it never contains image content).
var errUnreadable = errors.New("unreadable image")

func unreadable(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUnreadable}, args...)...)
}

// parseHeader reads the container header without decoding pixels.
func parseHeader(data []byte) (header, error) {
	switch sniff(data) {
	case formatJPEG:
		return parseJPEGHeader(data)
	case formatPNG:
		return parsePNGHeader(data)
	}
	if len(data) == 0 {
		return header{}, unreadable("empty file")
	}
	return header{}, unreadable("not a JPEG or PNG file")
}

// maxScans bounds the scans of a progressive JPEG: a file with thousands
// of tiny scans costs a decoder far more than its size suggests.
const maxScans = 100

func parseJPEGHeader(data []byte) (header, error) {
	h := header{format: formatJPEG, orientation: 1}
	i := 2
	sof := false
	for {
		// Find the next marker (skipping fill bytes).
		if i+1 >= len(data) {
			return h, unreadable("jpeg: truncated before the image data")
		}
		if data[i] != 0xFF {
			return h, unreadable("jpeg: bad marker at offset %d", i)
		}
		m := data[i+1]
		if m == 0xFF {
			i++
			continue
		}
		i += 2
		if m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7) {
			continue // no length
		}
		if m == 0xD9 {
			return h, unreadable("jpeg: no image data")
		}
		if i+2 > len(data) {
			return h, unreadable("jpeg: truncated segment")
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		if n < 2 || i+n > len(data) {
			return h, unreadable("jpeg: truncated segment")
		}
		seg := data[i+2 : i+n]
		switch {
		case m == 0xC0 || m == 0xC1 || m == 0xC2:
			if sof {
				return h, unreadable("jpeg: two frames")
			}
			sof = true
			h.progressive = m == 0xC2
			if len(seg) < 6 {
				return h, unreadable("jpeg: short frame header")
			}
			if seg[0] != 8 {
				return h, unreadable("jpeg: %d-bit samples are not supported", seg[0])
			}
			h.height = int(binary.BigEndian.Uint16(seg[1:]))
			h.width = int(binary.BigEndian.Uint16(seg[3:]))
			h.components = int(seg[5])
			if h.width == 0 || h.height == 0 {
				return h, unreadable("jpeg: zero width or height")
			}
			if h.components != 1 && h.components != 3 && h.components != 4 {
				return h, unreadable("jpeg: %d components", h.components)
			}
			if len(seg) < 6+3*h.components {
				return h, unreadable("jpeg: short frame header")
			}
			for c := 0; c < h.components && c < 3; c++ {
				s := seg[6+3*c+1]
				h.hs[c], h.vs[c] = int(s>>4), int(s&15)
				if h.hs[c] < 1 || h.hs[c] > 4 || h.vs[c] < 1 || h.vs[c] > 4 {
					return h, unreadable("jpeg: bad sampling factors")
				}
			}
		case m >= 0xC3 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC:
			return h, unreadable("jpeg: lossless, hierarchical or arithmetic-coded JPEG is not supported")
		case m == 0xE1:
			if o, ok := exifOrientation(seg); ok {
				h.orientation = o
			}
		case m == 0xEE:
			// Adobe APP14: transform 0 on a 3-component image means RGB.
			if len(seg) >= 12 && bytes.HasPrefix(seg, []byte("Adobe")) && seg[11] == 0 {
				h.adobeRGB = true
			}
		case m == 0xDA:
			if !sof {
				return h, unreadable("jpeg: image data before the frame header")
			}
			if h.components == 3 && h.adobeRGB {
				return h, unreadable("jpeg: RGB-coded JPEG is not supported")
			}
			if h.progressive && countScans(data[i+n:]) >= maxScans {
				return h, unreadable("jpeg: too many progressive scans")
			}
			return h, nil
		}
		i += n
	}
}

// countScans counts the start-of-scan markers after the first scan.
func countScans(rest []byte) int {
	n := 1
	for {
		k := bytes.IndexByte(rest, 0xFF)
		if k < 0 || k+1 >= len(rest) {
			return n
		}
		if rest[k+1] == 0xDA {
			n++
			if n >= maxScans {
				return n
			}
		}
		rest = rest[k+1:]
	}
}

// exifOrientation returns the orientation tag (0x0112) of an APP1 Exif
// segment.
func exifOrientation(seg []byte) (int, bool) {
	if len(seg) < 14 || !bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
		return 0, false
	}
	t := seg[6:]
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0, false
	}
	if bo.Uint16(t[2:]) != 42 {
		return 0, false
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 0, false
	}
	n := int(bo.Uint16(t[off:]))
	for k := 0; k < n; k++ {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 0, false
		}
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		typ := bo.Uint16(t[e+2:])
		var v int
		switch typ {
		case 3: // SHORT
			v = int(bo.Uint16(t[e+8:]))
		case 4: // LONG
			v = int(bo.Uint32(t[e+8:]))
		default:
			return 0, false
		}
		if v < 1 || v > 8 {
			return 0, false
		}
		return v, true
	}
	return 0, false
}

func parsePNGHeader(data []byte) (header, error) {
	h := header{format: formatPNG, orientation: 1}
	// signature, then the IHDR chunk: length(4) "IHDR" w(4) h(4) depth type ...
	if len(data) < 8+8+13 {
		return h, unreadable("png: truncated header")
	}
	c := data[8:]
	if binary.BigEndian.Uint32(c) != 13 || string(c[4:8]) != "IHDR" {
		return h, unreadable("png: missing IHDR")
	}
	w := binary.BigEndian.Uint32(c[8:])
	hh := binary.BigEndian.Uint32(c[12:])
	if w == 0 || hh == 0 || w > 1<<24 || hh > 1<<24 {
		return h, unreadable("png: bad width or height")
	}
	h.width, h.height = int(w), int(hh)
	switch c[17] { // colour type
	case 0, 4:
		h.components = 1
	case 2, 3, 6:
		h.components = 3
	default:
		return h, unreadable("png: bad colour type")
	}
	return h, nil
}

package authenticity

import (
	"bytes"
	"encoding/binary"
	"strings"
	"time"
)

// meta is what a file's container says about where it came from.
type meta struct {
	format string // "jpeg", "png" or ""
	// Camera fields of EXIF IFD0; Software is IFD0's Software tag, or
	// XMP's CreatorTool, or a PNG Software text chunk.
	make, model, software string
	// captured is EXIF DateTimeOriginal (else DateTime); zero when absent.
	captured time.Time
	// thumb is the EXIF thumbnail (a JPEG), nil when absent.
	thumb []byte
	// adobe: an Adobe APP14 segment or a Photoshop APP13 resource block,
	// which Adobe's encoders write and cameras do not.
	adobe bool
	// luma is the first quantisation table (64 values, zig-zag order),
	// nil when the file has none; tables counts them.
	luma   []uint16
	tables int
	// exif reports an EXIF block of any content.
	exif bool
}

// parseMeta reads the metadata segments of a JPEG or the text chunks of a
// PNG. It never fails: what it cannot read it leaves empty.
func parseMeta(data []byte) meta {
	switch {
	case len(data) > 3 && data[0] == 0xFF && data[1] == 0xD8:
		return parseJPEG(data)
	case len(data) > 8 && bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return parsePNG(data)
	}
	return meta{}
}

func parseJPEG(data []byte) meta {
	m := meta{format: "jpeg"}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			break
		}
		mk := data[i+1]
		if mk == 0xFF {
			i++
			continue
		}
		i += 2
		if mk == 0xD8 || mk == 0x01 || (mk >= 0xD0 && mk <= 0xD7) {
			continue
		}
		if mk == 0xD9 || mk == 0xDA || i+2 > len(data) {
			break
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		if n < 2 || i+n > len(data) {
			break
		}
		seg := data[i+2 : i+n]
		switch mk {
		case 0xE1:
			switch {
			case bytes.HasPrefix(seg, []byte("Exif\x00\x00")):
				m.exif = true
				parseExif(seg[6:], &m)
			case bytes.HasPrefix(seg, []byte("http://ns.adobe.com/xap/1.0/")):
				if t := xmpCreatorTool(seg); t != "" && m.software == "" {
					m.software = t
				}
			}
		case 0xED:
			if bytes.HasPrefix(seg, []byte("Photoshop 3.0")) {
				m.adobe = true
			}
		case 0xEE:
			if bytes.HasPrefix(seg, []byte("Adobe")) {
				m.adobe = true
			}
		case 0xDB:
			parseDQT(seg, &m)
		}
		i += n
	}
	return m
}

// parseDQT keeps the first 8-bit or 16-bit table and counts them all.
func parseDQT(seg []byte, m *meta) {
	for len(seg) > 0 {
		prec := seg[0] >> 4
		size := 1 + 64
		if prec == 1 {
			size = 1 + 128
		}
		if len(seg) < size {
			return
		}
		if m.luma == nil {
			t := make([]uint16, 64)
			for k := range t {
				if prec == 1 {
					t[k] = binary.BigEndian.Uint16(seg[1+2*k:])
				} else {
					t[k] = uint16(seg[1+k])
				}
			}
			m.luma = t
		}
		m.tables++
		seg = seg[size:]
	}
}

// parseExif reads IFD0 (camera and software), the Exif IFD (capture time)
// and IFD1 (the thumbnail) of a TIFF block.
func parseExif(t []byte, m *meta) {
	if len(t) < 8 {
		return
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return
	}
	ifd0 := int(bo.Uint32(t[4:]))
	var exifIFD, thumbOff, thumbLen int
	var dtOriginal, dt string
	next := readIFD(t, bo, ifd0, func(tag, typ uint16, count uint32, val []byte) {
		switch tag {
		case 0x010F:
			m.make = asciiValue(t, bo, typ, count, val)
		case 0x0110:
			m.model = asciiValue(t, bo, typ, count, val)
		case 0x0131:
			m.software = asciiValue(t, bo, typ, count, val)
		case 0x0132:
			dt = asciiValue(t, bo, typ, count, val)
		case 0x8769:
			exifIFD = int(bo.Uint32(val))
		}
	})
	if exifIFD > 0 {
		readIFD(t, bo, exifIFD, func(tag, typ uint16, count uint32, val []byte) {
			if tag == 0x9003 {
				dtOriginal = asciiValue(t, bo, typ, count, val)
			}
		})
	}
	if next > 0 {
		readIFD(t, bo, next, func(tag, typ uint16, count uint32, val []byte) {
			switch tag {
			case 0x0201:
				thumbOff = int(bo.Uint32(val))
			case 0x0202:
				thumbLen = int(bo.Uint32(val))
			}
		})
	}
	if thumbOff > 0 && thumbLen > 0 && thumbOff+thumbLen <= len(t) {
		m.thumb = t[thumbOff : thumbOff+thumbLen]
	}
	for _, s := range []string{dtOriginal, dt} {
		if tm, err := time.Parse("2006:01:02 15:04:05", s); err == nil {
			m.captured = tm
			break
		}
	}
}

// readIFD calls f for each entry of the IFD at off (val is the 4-byte
// value field) and returns the offset of the next IFD (0 for none). At
// most 256 entries are read.
func readIFD(t []byte, bo binary.ByteOrder, off int, f func(tag, typ uint16, count uint32, val []byte)) int {
	if off < 8 || off+2 > len(t) {
		return 0
	}
	n := int(bo.Uint16(t[off:]))
	if n > 256 {
		return 0
	}
	p := off + 2
	for k := 0; k < n; k++ {
		if p+12 > len(t) {
			return 0
		}
		e := t[p : p+12]
		f(bo.Uint16(e), bo.Uint16(e[2:]), bo.Uint32(e[4:]), e[8:12])
		p += 12
	}
	if p+4 > len(t) {
		return 0
	}
	next := int(bo.Uint32(t[p:]))
	if next <= off {
		return 0 // no loops
	}
	return next
}

// asciiValue returns an ASCII tag's text (inline when it fits in 4 bytes),
// trimmed, at most 128 bytes.
func asciiValue(t []byte, bo binary.ByteOrder, typ uint16, count uint32, val []byte) string {
	if typ != 2 || count == 0 || count > 128 {
		return ""
	}
	var b []byte
	if count <= 4 {
		b = val[:count]
	} else {
		o := int(bo.Uint32(val))
		if o < 0 || o+int(count) > len(t) {
			return ""
		}
		b = t[o : o+int(count)]
	}
	return strings.TrimSpace(strings.TrimRight(string(b), "\x00"))
}

// xmpCreatorTool finds xmp:CreatorTool, as an attribute or an element.
func xmpCreatorTool(seg []byte) string {
	s := string(seg)
	for _, open := range []string{`CreatorTool="`, `CreatorTool>`} {
		if k := strings.Index(s, open); k >= 0 {
			rest := s[k+len(open):]
			end := strings.IndexAny(rest, `"<`)
			if end > 0 && end <= 128 {
				return strings.TrimSpace(rest[:end])
			}
		}
	}
	if strings.Contains(s, "photoshop:History") || strings.Contains(s, "<stEvt:softwareAgent>Adobe") {
		return "Adobe Photoshop"
	}
	return ""
}

// parsePNG reads tEXt/iTXt chunks naming the software and eXIf.
func parsePNG(data []byte) meta {
	m := meta{format: "png"}
	p := 8
	for k := 0; k < 64 && p+12 <= len(data); k++ {
		n := int(binary.BigEndian.Uint32(data[p:]))
		typ := string(data[p+4 : p+8])
		if n < 0 || p+12+n > len(data) {
			break
		}
		body := data[p+8 : p+8+n]
		switch typ {
		case "tEXt", "iTXt":
			key, val, ok := bytes.Cut(body, []byte{0})
			if !ok {
				break
			}
			switch string(key) {
			case "Software":
				m.software = strings.TrimSpace(string(bytes.TrimLeft(val, "\x00")))
			case "XML:com.adobe.xmp":
				if t := xmpCreatorTool(val); t != "" && m.software == "" {
					m.software = t
				}
			}
		case "eXIf":
			m.exif = true
			parseExif(body, &m)
		case "IDAT":
			return m
		}
		p += 12 + n
	}
	return m
}

package imagecheck

import (
	"bytes"
	"encoding/binary"
)

// A progressive JPEG spends most of its decoding time on its last scans,
// and its largest is usually the luma's final refinement: the least
// significant bit of every luma AC coefficient (libjpeg's standard script
// sends it last "since it's usually largest"). At the ¼ or ⅛ scale the
// checks decode to, that bit barely shows: leaving it out leaves each
// luma AC coefficient short by at most one quantisation step, which the
// DCT-domain reduction averages over 4×4 or 8×8 pixels. dropFinalLuma
// writes a copy of a progressive JPEG without those scans, so the decoder
// never reads them. Nothing depends on such a scan (the bit is final),
// so the stream stays valid; every other scan, chroma's included, is kept.

// minDropFactor is the least reduction at which dropFinalLuma is used: at
// ½ scale the missing bit moved the blur score by up to 0.012 on the
// distribution benchmark's 2 MP photos, at ¼ by up to 0.0024.
const minDropFactor = 4

// lumaFinalScan reports whether the scan whose header (after the length)
// is sos is an AC refinement of the last bit (Ah 1, Al 0) of component
// id luma alone.
func lumaFinalScan(sos []byte, luma byte) bool {
	if len(sos) < 1 || sos[0] != 1 || len(sos) < 1+2+3 {
		return false
	}
	ss, ah, al := sos[3], sos[5]>>4, sos[5]&15
	return sos[1] == luma && ss >= 1 && ah == 1 && al == 0
}

// scanEnd returns the offset in data of the marker ending the entropy-coded
// data that starts at i (len(data) when none does): the first 0xFF not
// followed by a stuffed zero, a restart marker's code or another 0xFF.
func scanEnd(data []byte, i int) int {
	for i+1 < len(data) {
		k := bytes.IndexByte(data[i:len(data)-1], 0xFF)
		if k < 0 {
			break
		}
		i += k
		switch m := data[i+1]; {
		case m == 0xFF:
			i++ // a fill byte: the marker starts at the next one
		case m == 0 || (m >= 0xD0 && m <= 0xD7):
			i += 2 // a stuffed zero or a restart marker: data goes on
		default:
			return i
		}
	}
	return len(data)
}

// dropFinalLuma returns data without the final luma refinement scans of a
// progressive 3-component JPEG, in buf's storage, and whether it dropped
// any (data itself when it did not, or when data cannot be walked).
func dropFinalLuma(data, buf []byte) ([]byte, bool) {
	out := buf[:0]
	var luma byte
	comps := 0
	dropped := false
	i := 2
	last := 0 // data[last:i] is still to be copied
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return data, false
		}
		m := data[i+1]
		if m == 0xFF {
			i++
			continue
		}
		if m == 0xD9 {
			break
		}
		if m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7) {
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return data, false
		}
		seg := data[i+4 : i+2+n]
		switch m {
		case 0xC2:
			if len(seg) >= 7 {
				comps, luma = int(seg[5]), seg[6]
			}
		case 0xC0, 0xC1:
			return data, false // not progressive
		case 0xDA:
			end := scanEnd(data, i+2+n)
			if comps == 3 && lumaFinalScan(seg, luma) {
				out = append(out, data[last:i]...)
				last = end
				dropped = true
			}
			i = end
			continue
		}
		i += 2 + n
	}
	if !dropped {
		return data, false
	}
	return append(out, data[last:]...), true
}

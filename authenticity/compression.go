package authenticity

// stdLuma is the example luminance quantisation table of the JPEG standard
// (ITU-T T.81, Annex K, table K.1), in natural (row-major) order: libjpeg
// scales it by its quality setting, and so do the many encoders built on
// it (image/jpeg, browsers' canvas, most editors' "save for web").
var stdLuma = [64]int{
	16, 11, 10, 16, 24, 40, 51, 61,
	12, 12, 14, 19, 26, 58, 60, 55,
	14, 13, 16, 24, 40, 57, 69, 56,
	14, 17, 22, 29, 51, 87, 80, 62,
	18, 22, 37, 56, 68, 109, 103, 77,
	24, 35, 55, 64, 81, 104, 113, 92,
	49, 64, 78, 87, 103, 121, 120, 101,
	72, 92, 95, 98, 112, 100, 103, 99,
}

// zigzag maps a table's position in the file (zig-zag order) to its natural
// position.
var zigzag = [64]int{
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
}

// scaledTable is libjpeg's table for quality q (1..100), natural order.
func scaledTable(q int) [64]int {
	s := 200 - 2*q
	if q < 50 {
		s = 5000 / q
	}
	var t [64]int
	for i, v := range stdLuma {
		t[i] = min(255, max(1, (v*s+50)/100))
	}
	return t
}

// ijgQuality returns the libjpeg quality whose scaled standard table is
// exactly the file's luminance table (zig-zag order), or 0 when none is:
// a camera's own tables, or an editor's.
func ijgQuality(zz []uint16) int {
	if len(zz) != 64 {
		return 0
	}
	var nat [64]int
	for k, v := range zz {
		nat[zigzag[k]] = int(v)
	}
	for q := 100; q >= 1; q-- {
		if scaledTable(q) == nat {
			return q
		}
	}
	return 0
}

// photoshopLuma are the luminance tables (zig-zag, as in the file) of
// Adobe Photoshop's JPEG settings as Pillow reproduces them
// (PIL.JpegPresets, "equivalent to the Photoshop settings"; HPND
// licence): Save for Web low, medium, high, very high, maximum and Save
// As low, medium, high, maximum (very high and maximum share a table). No
// camera writes them; Photoshop, and tools imitating it, do.
var photoshopLuma = []struct {
	name  string
	table [64]uint8
}{
	{"web_low", [64]uint8{20, 16, 16, 25, 18, 25, 39, 23, 23, 39, 50, 38, 31, 38, 50, 46, 38, 38, 38, 38, 46, 62, 53, 53, 53, 53, 53, 62, 68, 65, 65, 65, 65, 65, 65, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68}},
	{"web_medium", [64]uint8{16, 11, 11, 11, 12, 11, 16, 12, 12, 16, 23, 15, 13, 15, 23, 27, 20, 16, 16, 20, 27, 31, 23, 23, 23, 23, 23, 31, 30, 23, 26, 26, 26, 26, 23, 30, 30, 35, 37, 39, 37, 35, 30, 47, 47, 51, 51, 47, 47, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64}},
	{"web_high", [64]uint8{6, 4, 4, 4, 5, 4, 6, 5, 5, 6, 9, 6, 5, 6, 9, 11, 8, 6, 6, 8, 11, 12, 10, 10, 11, 10, 10, 12, 16, 12, 12, 12, 12, 12, 12, 16, 12, 14, 15, 16, 15, 14, 12, 19, 19, 20, 20, 19, 19, 28, 27, 27, 27, 28, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31}},
	{"web_very_high", [64]uint8{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 2, 2, 3, 4, 3, 2, 2, 3, 4, 5, 4, 4, 4, 4, 4, 5, 6, 5, 5, 5, 5, 5, 5, 6, 6, 7, 7, 8, 7, 7, 6, 9, 9, 10, 10, 9, 9, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12}},
	{"web_maximum", [64]uint8{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}},
	{"low", [64]uint8{18, 14, 14, 14, 16, 14, 21, 16, 16, 21, 30, 19, 17, 19, 30, 35, 26, 21, 21, 26, 35, 34, 23, 23, 23, 23, 23, 34, 17, 12, 12, 12, 12, 12, 12, 17, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12}},
	{"medium", [64]uint8{12, 8, 8, 8, 9, 8, 12, 9, 9, 12, 17, 11, 10, 11, 17, 21, 15, 12, 12, 15, 21, 24, 19, 19, 21, 19, 19, 24, 17, 12, 12, 12, 12, 12, 12, 17, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12}},
	{"high", [64]uint8{6, 4, 4, 4, 5, 4, 6, 5, 5, 6, 9, 6, 5, 6, 9, 11, 8, 6, 6, 8, 11, 12, 10, 10, 11, 10, 10, 12, 16, 12, 12, 12, 12, 12, 12, 16, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12}},
}

// photoshopTable returns the name of the Photoshop setting whose
// luminance table the file's is (zig-zag order), or "".
func photoshopTable(zz []uint16) string {
	if len(zz) != 64 {
		return ""
	}
next:
	for _, p := range photoshopLuma {
		for k, v := range p.table {
			if uint16(v) != zz[k] {
				continue next
			}
		}
		return p.name
	}
	return ""
}

// QuantScale is how coarse a JPEG's luminance quantiser is at the low
// frequencies that survive imagecheck's reduction to working resolution:
// the mean, over the 9 lowest AC coefficients (zig-zag 1–9), of the
// file's step over the standard table's (libjpeg quality 50 is 1, 60 is
// 0.8, 70 is 0.6, 90 is 0.2). zz is the table in zig-zag order; 0 when
// there is none (not a JPEG). A camera's own tables and an editor's are
// measured the same way.
func QuantScale(zz []uint16) float64 {
	if len(zz) != 64 {
		return 0
	}
	s := 0.0
	for k := 1; k <= 9; k++ {
		s += float64(zz[k]) / float64(stdLuma[zigzag[k]])
	}
	return s / 9
}

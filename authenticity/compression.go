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

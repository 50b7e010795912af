package docread

import "testing"

// rowOf builds glyph boxes along a horizontal line at y 100, one per
// character of s: 'A' a 10×14 letter, '<' a 9×9 filler, 'v' a filler
// broken to 6×6, '#' a 30×30 blot, '.' nothing (a lost glyph); cells
// 14 px apart.
func rowOf(s string) []comp {
	var cs []comp
	for i, ch := range s {
		x := 50 + 14*i
		var w, h int
		switch ch {
		case 'A':
			w, h = 10, 14
		case '<':
			w, h = 9, 9
		case 'v':
			w, h = 6, 6
		case '#':
			w, h = 30, 30
		default:
			continue
		}
		cs = append(cs, comp{x0: x - w/2, x1: x - w/2 + w, y0: 100 - h/2, y1: 100 - h/2 + h, n: w * h / 2})
	}
	return cs
}

func TestMRZLines(t *testing.T) {
	for _, tc := range []struct {
		name  string
		row   string
		cells int // cells of the longest line; 0: none
	}{
		{"whole line", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 30},
		{"a filler broken small", "AAAAAAAAAAAAA<<<v<<<<<<<<<<<<<", 30},
		{"one glyph lost", "AAAAAAAAAAAA.AAAAAAAAAAAAAAAAA", 30},
		{"two glyphs lost", "AAAAAAAAAA..AAAAAAAAAAAAAAAAAA", 30},
		{"six glyphs lost: two lines", "AAAAAAAAA......AAAAAAAAAAAAAAA", 15},
		{"a blot beside the line stays out", "#.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs := rowOf(tc.row)
			g := newGrid(cs, 800, 200, 24)
			best := 0
			for _, l := range mrzLines(cs, g, 0, 10) {
				best = max(best, l.n)
			}
			if best != tc.cells {
				t.Errorf("longest line %d cells; want %d", best, tc.cells)
			}
		})
	}
}

func TestSnapCells(t *testing.T) {
	for n, want := range map[int]int{28: 0, 29: 30, 30: 30, 32: 30, 33: 0, 35: 36, 38: 36, 42: 0, 43: 44, 46: 44, 47: 0} {
		if got := snapCells(n); got != want {
			t.Errorf("snapCells(%d) = %d; want %d", n, got, want)
		}
	}
}

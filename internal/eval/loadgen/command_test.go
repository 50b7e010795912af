package loadgen

import "testing"

func TestFormatOf(t *testing.T) {
	for _, tc := range []struct {
		json, tsv bool
		want      Format
	}{
		{false, false, Text},
		{true, false, JSON},
		{false, true, TSV},
		{true, true, JSON},
	} {
		if got := FormatOf(tc.json, tc.tsv); got != tc.want {
			t.Errorf("FormatOf(%v, %v) = %v; want %v", tc.json, tc.tsv, got, tc.want)
		}
	}
}

package docread

import "testing"

func TestNameDoubtful(t *testing.T) {
	for _, tc := range []struct {
		name string
		alts []string
		want bool
	}{
		{"林兰", nil, false},
		{"林兰了", []string{"", "", "?"}, true},
		{"林兰了", []string{"", "", "子"}, false},
		{"高敏", []string{"", "?"}, false},
		{"欧阳娜海", []string{"?", "", "", ""}, false},
		{"林兰一了", []string{"", "", "丨", "?"}, true},
		{"林兰一了", []string{"", "", "丨", "子"}, true},
		{"买买提艾力", nil, false},
		{"买买提艾力", []string{"", "", "", "", "?"}, true},
		{"林兰", []string{"?", "?"}, false},
	} {
		if got := nameDoubtful(tc.name, tc.alts); got != tc.want {
			t.Errorf("%s %q: %t, want %t", tc.name, tc.alts, got, tc.want)
		}
	}
}

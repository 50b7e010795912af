package app

import (
	"strings"
	"testing"
)

func TestReadStaffPassword(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"s3cret-Pass\n", "s3cret-Pass", true},
		{"dos line\r\nsecond\n", "dos line", true},
		{"no newline", "no newline", true},
		{"", "", false},
	} {
		got, err := ReadStaffPassword(strings.NewReader(tc.in))
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ReadStaffPassword(%q) = %q, %v; want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestNewStaffPassword(t *testing.T) {
	a, b := NewStaffPassword(), NewStaffPassword()
	if len(a) != 20 || a == b {
		t.Errorf("passwords %q and %q: want 20 characters, different", a, b)
	}
}

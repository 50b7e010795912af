package face

import (
	"context"
	"path/filepath"
	"testing"
)

func TestIsVideo(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"selfie.mp4", true},
		{"dir/SELFIE.MOV", true},
		{"a.webm", true},
		{"a.3gp", true},
		{"selfie.jpg", false},
		{"selfie.png", false},
		{"mp4", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := IsVideo(tc.path); got != tc.want {
			t.Errorf("IsVideo(%q) = %v, want %v", tc.path, got, tc.want)
		}
	}
}

// TestMatchFilesMissing: a missing file is an error, not a verdict.
func TestMatchFilesMissing(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "none.jpg")
	if _, err := e.MatchFiles(context.Background(), missing, missing); err == nil {
		t.Fatal("MatchFiles of missing files succeeded")
	}
}

package app

import (
	"testing"

	"github.com/kycq/kycq/face"
)

func TestFaceOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want face.Options
	}{
		{"defaults", map[string]string{}, face.Options{Threshold: 0, FFmpeg: "ffmpeg"}},
		{"set", map[string]string{"KYCQ_FACE_THRESHOLD": "0.45", "KYCQ_FFMPEG": "/opt/ffmpeg"}, face.Options{Threshold: 0.45, FFmpeg: "/opt/ffmpeg"}},
		{"bad threshold", map[string]string{"KYCQ_FACE_THRESHOLD": "high"}, face.Options{Threshold: 0, FFmpeg: "ffmpeg"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := FaceOptions(func(k string) string { return tc.env[k] })
			if got.Threshold != tc.want.Threshold || got.FFmpeg != tc.want.FFmpeg {
				t.Errorf("got threshold %v ffmpeg %q; want %v %q", got.Threshold, got.FFmpeg, tc.want.Threshold, tc.want.FFmpeg)
			}
		})
	}
}

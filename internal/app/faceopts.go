package app

import "github.com/kycq/kycq/face"

// FaceOptions returns the face engine options that the commands working
// on local files (kycq face, kycq eval face) start from: KYCQ_FACE_THRESHOLD
// and KYCQ_FFMPEG from getenv, each at its default in the settings table
// when it is unset or does not parse.
func FaceOptions(getenv func(string) string) face.Options {
	var c Config
	for _, s := range settings {
		if s.env != "KYCQ_FACE_THRESHOLD" && s.env != "KYCQ_FFMPEG" {
			continue
		}
		if v := getenv(s.env); v == "" || s.set(&c, v) != nil {
			s.set(&c, s.def)
		}
	}
	return face.Options{Threshold: c.FaceThreshold, FFmpeg: c.FFmpeg}
}

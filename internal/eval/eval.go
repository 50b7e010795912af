// Package eval says where the evaluations keep their data. Its
// subpackages generate labelled data (docgen, sample, headmotion) and
// measure the checks on it (doceval, faceeval, readeval, fraudeval,
// loadgen); nothing in the service's runtime imports them.
package eval

import "path/filepath"

// CacheDir is where generated sets and fetched photos are kept:
// $KYCQ_CACHE, .cache by default.
func CacheDir(getenv func(string) string) string {
	if c := getenv("KYCQ_CACHE"); c != "" {
		return c
	}
	return ".cache"
}

// FacePhotos is where scripts/setup.d/40-face-photos.sh puts the public
// face photos the evaluations render into cards and selfies.
func FacePhotos(getenv func(string) string) string {
	return filepath.Join(CacheDir(getenv), "face", "photos")
}

package face

import (
	"os"
	"path/filepath"
	"runtime"
)

// photoDir is where scripts/setup.d/40-face-photos.sh puts the real face
// photos: $KYCQ_CACHE/face/photos, by default .cache/face/photos at the
// repository root.
func photoDir() string {
	if c := os.Getenv("KYCQ_CACHE"); c != "" {
		return filepath.Join(c, "face", "photos")
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", ".cache", "face", "photos")
}

func itoa(n int) string {
	return string(rune('0'+n/100%10)) + string(rune('0'+n/10%10)) + string(rune('0'+n%10))
}

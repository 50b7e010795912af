package eval

import "testing"

func TestCacheDirs(t *testing.T) {
	for _, c := range []struct{ env, cache, photos string }{
		{"", ".cache", ".cache/face/photos"},
		{"/var/kycq", "/var/kycq", "/var/kycq/face/photos"},
	} {
		getenv := func(k string) string {
			if k == "KYCQ_CACHE" {
				return c.env
			}
			return ""
		}
		if got := CacheDir(getenv); got != c.cache {
			t.Errorf("CacheDir with KYCQ_CACHE=%q = %q, want %q", c.env, got, c.cache)
		}
		if got := FacePhotos(getenv); got != c.photos {
			t.Errorf("FacePhotos with KYCQ_CACHE=%q = %q, want %q", c.env, got, c.photos)
		}
	}
}

package ops

import (
	"os"
	"path/filepath"
	"runtime"
	"sort"
)

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o600) }

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// repoPath returns a path in the repository, from this file's location.
func repoPath(parts ...string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(append([]string{filepath.Dir(file), "..", "..", ".."}, parts...)...)
}

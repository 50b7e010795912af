package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/internal/systest/harness"
)

// TestReadmeWalkThrough runs the README's curl walk-through, as written,
// against `kycq run` on its embedded defaults, and expects an approval.
func TestReadmeWalkThrough(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed by the README's walk-through (scripts/setup.sh installs it): %v", tool, err)
		}
	}
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	script := walkThrough(t, string(readme))

	env := harness.EmbeddedEnv(t)
	proc := harness.StartProcess(t, env, "run")
	base := "http://" + env["KYCQ_ADDR"]
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := proc.WaitReady(ctx, base); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "KYCQ_DATA_DIR="+env["KYCQ_DATA_DIR"], "API="+base)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("walk-through failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), `"outcome": "approved"`) {
		t.Fatalf("walk-through did not end approved:\n%s", out)
	}
}

// walkThrough returns the first sh block after the walk-through heading.
func walkThrough(t *testing.T, readme string) string {
	t.Helper()
	i := strings.Index(readme, "## Walk-through")
	if i < 0 {
		t.Fatal("README has no walk-through section")
	}
	rest := readme[i:]
	start := strings.Index(rest, "```sh\n")
	if start < 0 {
		t.Fatal("the walk-through has no sh block")
	}
	rest = rest[start+len("```sh\n"):]
	end := strings.Index(rest, "```")
	if end < 0 {
		t.Fatal("the walk-through's sh block is not closed")
	}
	return rest[:end]
}

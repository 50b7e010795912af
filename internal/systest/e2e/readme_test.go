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
// against `kycq run` on its embedded defaults, as a newcomer would: twice
// in a row as it is (a fresh account and document each time: the first
// approved, the second, the same face again, sent to manual review with
// face_already_verified), once with the impostor sample (rejected with
// face_mismatch, or borderline and sent to review), and
// once for the account the first run verified, where it must stop with the
// API's identity_locked error instead of waiting silently. The server
// prints no internal error on the way (the embedded S3's webhook submit
// races the walk-through's own submit).
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
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	if err := proc.WaitReady(ctx, base); err != nil {
		t.Fatal(err)
	}
	// run runs the block in a fresh shell, as a user pasting it would,
	// with extra variables set first.
	run := func(vars ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "bash", "-c", script)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "KYCQ_DATA_DIR="+env["KYCQ_DATA_DIR"], "API="+base)
		cmd.Env = append(cmd.Env, vars...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	// The block draws a random seed per run; SAMPLE_FLAGS overrides it
	// (the last -seed wins) with seeds whose cards the face engine reads:
	// on about 2 random seeds in 25 the card lies upside down and the
	// portrait is found with a score near 0.2, so its own holder fails
	// face_mismatch (a face-engine limit the face eval measures, not the
	// README flow this test is about; docs/face.md). The second run uses
	// 1012 (texture 0.479): seed 102's selfie scored in the texture cue's
	// doubt band of the time (0.312), before the depth cue took the band.
	genuine := []string{"SAMPLE_FLAGS=-seed 101", "SAMPLE_FLAGS=-seed 1012"}
	var accounts []string
	for i := range 2 {
		out, err := run(genuine[i])
		if err != nil {
			t.Fatalf("walk-through run %d failed: %v\n%s", i+1, err, out)
		}
		// The second run shows the same face on a new account with another
		// document: the known-faces rule (rules §10) sends it to review.
		want := []string{`"outcome": "approved"`}
		if i == 1 {
			want = []string{`"outcome": "manual_review"`, `"face_already_verified"`}
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Fatalf("walk-through run %d did not end with %s:\n%s", i+1, w, out)
			}
		}
		accounts = append(accounts, accountOf(t, out))
	}
	if accounts[0] == accounts[1] {
		t.Errorf("both runs used account %s", accounts[0])
	}

	out, err := run("SAMPLE_FLAGS=-impostor -seed 103")
	if err != nil {
		t.Fatalf("impostor run failed: %v\n%s", err, out)
	}
	// The two bundled faces score 0.42–0.50 against each other depending on
	// the card's seed; one in the ±0.05 band under the threshold is
	// borderline and goes to a person (rules: never approved without one).
	rejected := strings.Contains(out, `"outcome": "rejected"`)
	reviewed := strings.Contains(out, `"outcome": "manual_review"`) && strings.Contains(out, `"note": "borderline score"`)
	if !strings.Contains(out, `"face_mismatch"`) || !(rejected || reviewed) {
		t.Fatalf("the impostor was neither rejected nor sent to review with face_mismatch:\n%s", out)
	}

	out, err = run("ACCOUNT=" + accounts[0])
	if err == nil {
		t.Fatalf("the walk-through for a verified account succeeded:\n%s", out)
	}
	if !strings.Contains(out, "identity_locked") || strings.Contains(out, `"outcome"`) {
		t.Fatalf("the walk-through for a verified account did not stop with identity_locked:\n%s", out)
	}

	if logs := proc.Logs.String(); strings.Contains(logs, "INTERNAL ERROR") {
		t.Errorf("kycq run printed internal errors on the walk-through's path:\n%s", logs)
	}
}

// accountOf returns the account a walk-through run printed.
func accountOf(t *testing.T, out string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "account "); ok {
			account, _, _ := strings.Cut(rest, ",")
			return account
		}
	}
	t.Fatalf("the walk-through printed no account:\n%s", out)
	return ""
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

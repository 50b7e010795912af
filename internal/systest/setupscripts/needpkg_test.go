package setupscripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot is the repository's root, two directories up from this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "scripts", "setup.d", "lib.sh.inc")); err != nil {
		t.Fatalf("repository root not found from %s: %v", root, err)
	}
	return root
}

// recordingAPT writes, into a fresh directory, apt-get and sudo commands
// that append their arguments to a log and succeed, and returns the
// directory and the log's path. apt-get itself cannot be run by a test: it
// would change the machine.
func recordingAPT(t *testing.T) (bin, log string) {
	t.Helper()
	bin = t.TempDir()
	log = filepath.Join(bin, "calls.log")
	for _, name := range []string{"apt-get", "sudo"} {
		script := "#!/bin/sh\necho \"" + name + " $*\" >>" + log + "\n"
		if name == "sudo" {
			script += "exec \"$@\"\n"
		}
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return bin, log
}

// runNeedPkg sources lib.sh.inc and calls need_pkg with the packages, with
// the recording apt-get first on PATH, and returns the recorded calls.
func runNeedPkg(t *testing.T, env []string, pkgs ...string) []string {
	t.Helper()
	bin, log := recordingAPT(t)
	lib := filepath.Join(repoRoot(t), "scripts", "setup.d", "lib.sh.inc")
	cmd := exec.Command("bash", "-c", `set -euo pipefail; source "$1"; shift; need_pkg "$@"`, "bash", lib)
	cmd.Args = append(cmd.Args, pkgs...)
	cmd.Env = append([]string{"PATH=" + bin + ":" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("need_pkg %v: %v\n%s", pkgs, err, out)
	}
	b, err := os.ReadFile(log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// TestNeedPkgInstalledSkipsAPT: when every package is installed, need_pkg
// runs no apt-get at all, so it neither needs root nor waits for the dpkg
// lock that another process may hold.
func TestNeedPkgInstalledSkipsAPT(t *testing.T) {
	if _, err := exec.LookPath("dpkg-query"); err != nil {
		t.Fatalf("dpkg-query: %v (the set-up supports Debian only)", err)
	}
	calls := runNeedPkg(t, nil, "bash", "coreutils")
	if len(calls) != 0 {
		t.Errorf("need_pkg bash coreutils ran %q; want no apt call for installed packages", calls)
	}
}

// TestNeedPkgWaitsForTheLock: when a package is missing, every apt-get
// call waits for the dpkg lock (DPkg::Lock::Timeout) instead of failing at
// once when unattended-upgrades or another set-up holds it.
func TestNeedPkgWaitsForTheLock(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"default", nil, "-o DPkg::Lock::Timeout=600"},
		{"override", []string{"KYCQ_APT_LOCK_TIMEOUT=30"}, "-o DPkg::Lock::Timeout=30"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := runNeedPkg(t, tc.env, "bash", "kycq-test-no-such-package")
			var apt []string
			for _, c := range calls {
				if strings.HasPrefix(c, "apt-get ") {
					apt = append(apt, c)
				}
			}
			if len(apt) != 2 {
				t.Fatalf("apt-get calls = %q; want an update and an install", apt)
			}
			for _, c := range apt {
				if !strings.Contains(c, tc.want) {
					t.Errorf("%q lacks %q", c, tc.want)
				}
			}
			if install := apt[1]; !strings.Contains(install, " install ") ||
				!strings.HasSuffix(install, " kycq-test-no-such-package") {
				t.Errorf("install call %q; want only the missing package installed", install)
			}
		})
	}
}

package layout

import (
	"bytes"
	"encoding/json"
	"io"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/kycq/kycq"

// pkg is what the rules need of one package of "go list -json": its path
// and every package it depends on, directly or not (tests excluded).
type pkg struct {
	ImportPath string
	Deps       []string
}

// under reports whether path is the package dir or one below it (dir is
// relative to the module).
func under(path, dir string) bool {
	p := module + "/" + dir
	return path == p || strings.HasPrefix(path, p+"/")
}

// wings are the folders whose packages are not the service runtime: they
// may import anything.
var wings = []string{"internal/eval", "internal/systest", "internal/tools", "cmd"}

// pure are the check packages that hold no I/O of the service.
var pure = []string{"imagecheck", "face", "kyc", "docread"}

// drivers are what the pure packages must not reach.
var drivers = []string{"workers", "api", "storage/sqlstore", "storage/blob", "storage/s3embed"}

// violations lists every import that runs against the house's direction,
// as "importer -> imported (rule)".
func violations(pkgs []pkg) []string {
	var out []string
	isAny := func(path string, dirs []string) bool {
		return slices.ContainsFunc(dirs, func(d string) bool { return under(path, d) })
	}
	for _, p := range pkgs {
		for _, d := range p.Deps {
			if !strings.HasPrefix(d, module+"/") && d != module {
				continue
			}
			switch {
			case !isAny(p.ImportPath, wings) && isAny(d, []string{"internal/eval", "internal/systest"}):
				out = append(out, p.ImportPath+" -> "+d+" (runtime imports evaluation or test code)")
			case isAny(p.ImportPath, pure) && isAny(d, drivers):
				out = append(out, p.ImportPath+" -> "+d+" (pure check package imports a worker, the API or a storage driver)")
			case under(p.ImportPath, "tasks"):
				out = append(out, p.ImportPath+" -> "+d+" (tasks imports the project)")
			}
		}
	}
	return out
}

func TestViolations(t *testing.T) {
	m := func(s string) string { return module + "/" + s }
	tests := []struct {
		name string
		pkgs []pkg
		want int
	}{
		{"clean", []pkg{
			{m("workers"), []string{m("imagecheck"), m("storage"), m("tasks"), "fmt"}},
			{m("cmd/kycq"), []string{m("internal/eval/docgen"), m("internal/app")}},
			{m("internal/systest/e2e"), []string{m("internal/systest/harness"), m("internal/eval/sample")}},
			{m("imagecheck"), []string{m("internal/geom"), m("kyc/reason")}},
			{m("tasks"), []string{"errors", "encoding/json"}},
		}, 0},
		{"runtime imports eval", []pkg{{m("internal/app"), []string{m("internal/eval/docgen")}}}, 1},
		{"runtime imports systest", []pkg{{m("storage"), []string{m("internal/systest/testenv")}}}, 1},
		{"face imports workers", []pkg{{m("face/nn"), []string{m("workers")}}}, 1},
		{"kyc imports sqlstore", []pkg{{m("kyc"), []string{m("storage/sqlstore")}}}, 1},
		{"docread imports s3embed", []pkg{{m("docread"), []string{m("storage/s3embed")}}}, 1},
		{"imagecheck imports storage interfaces", []pkg{{m("imagecheck"), []string{m("storage")}}}, 0},
		{"tasks imports the project", []pkg{{m("tasks"), []string{m("kyc/reason")}}}, 1},
		{"facex is not face", []pkg{{m("facex"), []string{m("workers")}}}, 0},
	}
	for _, tc := range tests {
		if got := violations(tc.pkgs); len(got) != tc.want {
			t.Errorf("%s: %d violations %q, want %d", tc.name, len(got), got, tc.want)
		}
	}
}

// TestImportDirection checks the module's real import graph.
func TestImportDirection(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	cmd := exec.Command("go", "list", "-deps=false", "-json=ImportPath,Deps", "./...")
	cmd.Dir = filepath.Join(filepath.Dir(file), "..", "..", "..")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages; expected the whole module", len(pkgs))
	}
	for _, v := range violations(pkgs) {
		t.Error(v)
	}
}

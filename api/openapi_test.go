package api_test

import (
	"bufio"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// routeRE matches a route registration with a literal "METHOD /path"
// pattern: s.mux.Handle("GET /v1/...", ...) in server.go, mux.Handle("GET
// /metrics", ...) in internal/app.
var routeRE = regexp.MustCompile(`\.Handle(?:Func)?\("((?:GET|POST|PUT|PATCH|DELETE) /[^"]*)"`)

// registeredRoutes returns every "METHOD /path" registered in the files.
func registeredRoutes(t *testing.T, files ...string) []string {
	t.Helper()
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range routeRE.FindAllStringSubmatch(string(b), -1) {
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// openAPIRoutes returns every operation of openapi.yaml as "METHOD /path",
// reading only the shape of the paths section: a path at two spaces of
// indent, its operations at four.
func openAPIRoutes(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pathRE := regexp.MustCompile(`^  (/\S*):\s*$`)
	opRE := regexp.MustCompile(`^    (get|put|post|patch|delete|head|options):\s*$`)
	var out []string
	in, path := false, ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "paths:":
			in = true
		case in && line != "" && !strings.HasPrefix(line, " "):
			in = false
		case !in:
		case pathRE.MatchString(line):
			path = pathRE.FindStringSubmatch(line)[1]
		case opRE.MatchString(line):
			out = append(out, strings.ToUpper(opRE.FindStringSubmatch(line)[1])+" "+path)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// TestOpenAPICoversEveryRoute: every route the server registers (the API's
// in server.go, the operational ones in internal/app) is documented in
// openapi.yaml, and openapi.yaml documents no route that does not exist.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	ops, err := filepath.Glob("../internal/app/*.go")
	if err != nil || len(ops) == 0 {
		t.Fatalf("internal/app sources: %v", err)
	}
	registered := registeredRoutes(t, append([]string{"server.go", "review.go"}, ops...)...)
	documented := openAPIRoutes(t)
	if len(registered) < 15 || len(documented) < 15 {
		t.Fatalf("found %d registered and %d documented routes: the parsing is broken", len(registered), len(documented))
	}
	for _, r := range registered {
		if !slices.Contains(documented, r) {
			t.Errorf("%s is served but not in openapi.yaml", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(registered, d) {
			t.Errorf("%s is in openapi.yaml but not served", d)
		}
	}
}

// TestOpenAPIRoutesReachTheirHandlers: every documented /v1 operation
// reaches a handler of its own, not the catch-all "no such route" or a 405.
func TestOpenAPIRoutesReachTheirHandlers(t *testing.T) {
	fx := newFixture(t)
	fill := strings.NewReplacer(
		"/v1/verifications/{id}", "/v1/verifications/v_"+strings.Repeat("a", 26),
		"/v1/holder-checks/{id}", "/v1/holder-checks/h_"+strings.Repeat("a", 26),
		"/v1/migrations/{id}", "/v1/migrations/m_abcdef",
		"{account}", "acct-1",
	)
	for _, op := range openAPIRoutes(t) {
		method, path, _ := strings.Cut(op, " ")
		if !strings.HasPrefix(path, "/v1/") {
			continue // served by internal/app, tested there and in internal/systest/badinput
		}
		r := fx.serve(method, fill.Replace(path), "application/json", nil, []byte(`{}`))
		if r.status == http.StatusMethodNotAllowed || r.err.Code == "not_found" && r.err.Message == "no such route" || r.err.Code == "invalid_path" {
			t.Errorf("%s → %d %s: not routed to its handler", op, r.status, r.body)
		}
	}
}

// errorCodeRE matches the error codes the API's sources can answer.
var errorCodeRE = regexp.MustCompile(`(?:Code: |badRequest\()"([a-z_]+)"`)

// TestEveryErrorCodeIsDocumented: the codes in the sources, the ErrorBody
// enum of openapi.yaml and the table of docs/api.md are the same set.
func TestEveryErrorCodeIsDocumented(t *testing.T) {
	srcs, _ := filepath.Glob("*.go")
	var inCode []string
	for _, f := range srcs {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range errorCodeRE.FindAllStringSubmatch(string(b), -1) {
			inCode = append(inCode, m[1])
		}
	}
	sort.Strings(inCode)
	inCode = slices.Compact(inCode)
	if len(inCode) < 15 {
		t.Fatalf("found only %v in the sources", inCode)
	}

	spec, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, enum, ok := strings.Cut(string(spec), "enum: [malformed_json")
	enum, _, ok2 := strings.Cut(enum, "]")
	if !ok || !ok2 {
		t.Fatal("openapi.yaml: no ErrorBody code enum starting with malformed_json")
	}
	var inSpec []string
	for _, c := range strings.Split("malformed_json"+enum, ",") {
		inSpec = append(inSpec, strings.TrimSpace(c))
	}
	sort.Strings(inSpec)
	if !slices.Equal(inCode, inSpec) {
		t.Errorf("error codes in the sources %v\n  and in openapi.yaml %v differ", inCode, inSpec)
	}

	doc, err := os.ReadFile("../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range inCode {
		if !strings.Contains(string(doc), "| `"+c+"`") {
			t.Errorf("docs/api.md: error code %s is not in the table of errors", c)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// kycq staff add, list, disable and enable on a SQLite database.
func TestStaffCommand(t *testing.T) {
	t.Setenv("DATABASE_URL", "sqlite:"+filepath.Join(t.TempDir(), "kycq.db"))
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := dispatch(context.Background(), append([]string{"staff"}, args...), &out, &errb)
		return code, out.String(), errb.String()
	}
	code, out, errs := run("add", "-username", "rita", "-role", "reviewer")
	if code != 0 || !strings.Contains(out, "added rita (reviewer)") || !strings.Contains(out, "password: ") {
		t.Fatalf("add: %d %q %q", code, out, errs)
	}
	for _, tc := range [][]string{
		{"add", "-username", "rita", "-role", "support"},  // taken
		{"add", "-username", "sam", "-role", "superuser"}, // unknown role
		{"add", "-username", "X", "-role", "support"},     // bad name
		{"disable", "nobody"},
		{"frobnicate"},
	} {
		if code, _, _ := run(tc...); code == 0 {
			t.Errorf("staff %v succeeded", tc)
		}
	}
	if code, out, _ := run("disable", "rita"); code != 0 || out != "disabled rita\n" {
		t.Fatalf("disable: %d %q", code, out)
	}
	code, out, _ = run("list")
	if code != 0 || !strings.Contains(out, "rita") || !strings.Contains(out, "disabled") || strings.Contains(out, "$2a$") {
		t.Fatalf("list: %d %q", code, out)
	}
	if code, out, _ := run("enable", "rita"); code != 0 || out != "enabled rita\n" {
		t.Fatalf("enable: %d %q", code, out)
	}
}

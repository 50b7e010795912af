package main

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The command only parses flags and prints (issue 10): commands are lines
// of the tables in main.go rather than init() registrations, and no
// package-level variable holds state or wiring. Its size (non-test files,
// counted as wc -l counts them) is logged against the goal of 600.
func TestCommandStaysThin(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	lines := 0
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		lines += bytes.Count(src, []byte("\n"))
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.Name == "init" {
					t.Errorf("%s: func init: add the command to commands() or evaluations() in main.go instead", fset.Position(d.Pos()))
				}
			case *ast.GenDecl:
				if d.Tok == token.VAR {
					t.Errorf("%s: package-level var: pass dependencies as parameters", fset.Position(d.Pos()))
				}
			}
		}
	}
	// Issue 10's goal is under 600. Logged, not yet asserted: kycq read
	// and eval read, which landed with the merge, hold it above.
	t.Logf("cmd/kycq: %d lines in its non-test files (goal: under 600)", lines)
}

// Every command and suite of the tables has a summary and a run function.
func TestCommandTables(t *testing.T) {
	for table, m := range map[string]map[string]command{"commands": commands(), "evaluations": evaluations()} {
		for name, c := range m {
			if name == "" || c.summary == "" || c.run == nil {
				t.Errorf("%s: %q has an empty summary or no run function", table, name)
			}
		}
	}
	for _, name := range []string{"run", "serve", "work", "migrate", "staff", "check", "face", "eval", "loadgen"} {
		if _, ok := commands()[name]; !ok {
			t.Errorf("kycq %s is not in commands()", name)
		}
	}
}

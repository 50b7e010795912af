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

// The command only parses flags and prints (issue 10): its non-test files
// stay under 600 lines in all (counted as wc -l counts them, blank lines
// and comments included), commands are lines of the tables in main.go
// rather than init() registrations, and no package-level variable holds
// state or wiring.
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
	if lines >= 600 {
		t.Errorf("cmd/kycq has %d lines in its non-test files; keep it under 600 by moving logic into the library that owns it", lines)
	}
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

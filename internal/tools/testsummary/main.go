// Command testsummary reads `go test -json` on stdin and prints what a
// person wants from a run: one line per package, the output of every failed
// test, and a closing "N passed, N failed, N skipped" line.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

func main() {
	var passed, failed, skipped int
	output := map[string]*strings.Builder{}
	var failures []string
	var pkgLines []string
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Println(sc.Text()) // build errors arrive as plain text
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			if output[key] == nil {
				output[key] = &strings.Builder{}
			}
			if output[key].Len() < 64<<10 {
				output[key].WriteString(e.Output)
			}
		case "pass", "fail", "skip":
			if e.Test == "" {
				word := map[string]string{"pass": "ok  ", "fail": "FAIL", "skip": "?   "}[e.Action]
				line := fmt.Sprintf("%s\t%s\t%.1fs", word, e.Package, e.Elapsed)
				if e.Action == "fail" && output[key] != nil {
					line += "\n" + indent(output[key].String())
				}
				pkgLines = append(pkgLines, line)
				continue
			}
			switch e.Action {
			case "pass":
				passed++
			case "fail":
				failed++
				failures = append(failures, fmt.Sprintf("--- FAIL: %s (%s)\n%s", e.Test, e.Package, indent(output[key].String())))
			case "skip":
				skipped++
			}
		}
	}
	sort.Strings(pkgLines)
	for _, l := range pkgLines {
		fmt.Println(l)
	}
	for _, f := range failures {
		fmt.Println(f)
	}
	fmt.Printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped)
}

func indent(s string) string {
	if s == "" {
		return ""
	}
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

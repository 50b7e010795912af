// Command dashrules reads a Grafana dashboard JSON on stdin and writes a
// Prometheus rule file with one recording rule per panel query, so that
// `promtool check rules` validates every query of the dashboard.
// Grafana's $__rate_interval and $__interval become 5m.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

type dashboard struct {
	Panels []struct {
		Title   string `json:"title"`
		Targets []struct {
			Expr string `json:"expr"`
		} `json:"targets"`
	} `json:"panels"`
}

func main() {
	var d dashboard
	if err := json.NewDecoder(os.Stdin).Decode(&d); err != nil {
		fmt.Fprintln(os.Stderr, "dashrules:", err)
		os.Exit(1)
	}
	r := strings.NewReplacer("$__rate_interval", "5m", "$__interval", "5m")
	fmt.Println("groups:")
	fmt.Println("  - name: dashboard-queries")
	fmt.Println("    rules:")
	n := 0
	for _, p := range d.Panels {
		for _, t := range p.Targets {
			n++
			expr, _ := json.Marshal(r.Replace(t.Expr)) // a JSON string is a valid YAML string
			fmt.Printf("      - record: dashboard:query_%d\n        expr: %s\n", n, expr)
		}
	}
	if n == 0 {
		fmt.Fprintln(os.Stderr, "dashrules: no queries found")
		os.Exit(1)
	}
}

package main

import (
	"context"
	"fmt"
	"io"
	"sort"
)

// evaluation is one "kycq eval NAME" suite. Each lives in a file of its own
// (eval_docs.go, eval_face.go) and registers itself from init.
type evaluation struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

var evaluations = map[string]evaluation{}

func registerEval(e evaluation) {
	if _, dup := evaluations[e.name]; dup {
		panic("kycq: evaluation registered twice: " + e.name)
	}
	evaluations[e.name] = e
}

func init() {
	register(command{name: "eval", summary: "measure the checks' accuracy on labelled data (kycq eval docs|face ...)", run: runEval})
}

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		w := stderr
		if len(args) > 0 {
			w = stdout
		}
		fmt.Fprintln(w, "Usage: kycq eval SUITE [flags]")
		fmt.Fprintln(w)
		names := make([]string, 0, len(evaluations))
		for n := range evaluations {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(w, "  %-8s %s\n", n, evaluations[n].summary)
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, `Run "kycq eval SUITE -h" for a suite's flags.`)
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Environment:")
		fmt.Fprintln(w, "  KYCQ_CACHE   where generated sets and the fetched face photos are kept (default .cache)")
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	e, ok := evaluations[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "kycq eval: unknown suite %q\n", args[0])
		return 2
	}
	return e.run(ctx, args[1:], stdout, stderr)
}

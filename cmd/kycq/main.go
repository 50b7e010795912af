// Command kycq verifies identity documents and faces for KYC.
//
// One binary holds every role: "kycq run" starts the API and the workers in
// one process on embedded defaults; "kycq serve" and "kycq work" split them
// for production; "kycq check" and "kycq face" run the checks locally on
// files. "kycq help" lists every command, and "kycq help COMMAND" its flags.
//
// The package parses flags and prints: each command's work is done by the
// library that owns it (internal/app, internal/eval/..., face, ...).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/kycq/kycq/internal/app"
)

// command is one kycq subcommand or "kycq eval" suite.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands is every kycq command. Adding one is adding its line here.
func commands() map[string]command {
	return map[string]command{
		"run":     {summary: "API and workers in one process; embedded Redis, S3 and database for what is not configured", run: service("run", app.Embedded, app.Roles{API: true, Work: true})},
		"serve":   {summary: "the HTTP API only (production: needs REDIS_ADDR, S3_ENDPOINT, DATABASE_URL)", run: service("serve", app.Production, app.Roles{API: true})},
		"work":    {summary: "the task workers only (production: needs REDIS_ADDR, S3_ENDPOINT, DATABASE_URL)", run: service("work", app.Production, app.Roles{Work: true})},
		"migrate": {summary: "apply the database schema migrations and exit", run: runMigrate},
		"staff":   {summary: "manage review-console staff users: add, list, disable, enable", run: runStaff},
		"check":   {summary: "run the document photo checks on image files (kycq check [--json] [--side front|back] FILE...)", run: runCheck},
		"face":    {summary: "match a selfie video (or still image) against a document photo", run: runFace},
		"eval":    {summary: "measure the checks' accuracy on labelled data (kycq eval docs|face|read|fraud ...)", run: runEval},
		"read":    {summary: "read the MRZ or the mainland-ID text of document photos (kycq read [--json] FILE...)", run: runRead},
		"loadgen": {summary: "drive a running kycq (loopback only) with synthetic applicants; report throughput and decision latency", run: runLoadgen},
	}
}

// evaluations is every "kycq eval" suite. Adding one is adding its line
// here.
func evaluations() map[string]command {
	return map[string]command{
		"docs":  {summary: "document photo checks: precision/recall per reason code on a labelled synthetic set", run: runEvalDocs},
		"face":  {summary: "face match FMR/FNMR and ROC on real faces rendered into ID cards and selfie videos", run: runEvalFace},
		"read":  {summary: "document reading: exact-match rates per document kind and photo condition, and confusions", run: runEvalRead},
		"fraud": {summary: "edited, screenshot and screen document photos, replayed selfies, known faces", run: runEvalFraud},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := dispatch(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runTable(ctx, "kycq", "COMMAND", "Commands:\n", commands(), 12, args, stdout, stderr,
		"Run \"kycq help COMMAND\" for a command's flags and environment variables.\n")
}

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runTable(ctx, "kycq eval", "SUITE", "", evaluations(), 8, args, stdout, stderr,
		"Run \"kycq eval SUITE -h\" for a suite's flags.\n\nEnvironment:\n"+
			"  KYCQ_CACHE   where generated sets and the fetched face photos are kept (default .cache)\n")
}

// runTable runs the entry of table that args name. With no name it prints
// the usage to stderr (status 2); with help or -h to stdout (status 0);
// "help NAME" runs NAME -h.
func runTable(ctx context.Context, prog, what, header string, table map[string]command, width int, args []string, stdout, stderr io.Writer, footer string) int {
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: %s %s [flags]\n\n%s", prog, what, header)
		list(w, table, width)
		fmt.Fprint(w, "\n"+footer)
	}
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if c, ok := table[first(rest)]; ok && len(rest) > 0 {
			return c.run(ctx, []string{"-h"}, stdout, stdout)
		}
		usage(stdout)
		return 0
	}
	c, ok := table[name]
	if !ok {
		fmt.Fprintf(stderr, "%s: unknown %s %q\n\n", prog, strings.ToLower(what), name)
		usage(stderr)
		return 2
	}
	return c.run(ctx, rest, stdout, stderr)
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// list prints the commands of table by name with their summaries, the
// names padded to width.
func list(w io.Writer, table map[string]command, width int) {
	for _, name := range slices.Sorted(maps.Keys(table)) {
		fmt.Fprintf(w, "  %-*s %s\n", width, name, table[name].summary)
	}
}

// parse sets fs's usage to text and the flags' defaults, and parses args
// into fs. It reports whether the command goes on and, when not, its exit
// status: 0 after -h, 2 after a bad flag.
func parse(fs *flag.FlagSet, args []string, text string) (int, bool) {
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), text)
		fs.PrintDefaults()
	}
	switch err := fs.Parse(args); err {
	case nil:
		return 0, true
	case flag.ErrHelp:
		return 0, false
	}
	return 2, false
}

// flags returns an empty flag set for the command name whose messages go
// to stderr.
func flags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// fail prints err to stderr after what, the command and step that failed,
// and returns the exit status code.
func fail(stderr io.Writer, what string, err error, code int) int {
	fmt.Fprintf(stderr, "%s: %v\n", what, err)
	return code
}

// printReport prints rep as indented JSON or as its text (Print). It
// returns the exit status: 1 when the JSON could not be written.
func printReport(w io.Writer, rep interface{ Print(io.Writer) }, asJSON bool) int {
	if !asJSON {
		rep.Print(w)
		return 0
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return 1
	}
	return 0
}

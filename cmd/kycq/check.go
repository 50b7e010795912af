package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kycq/kycq/authenticity"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/eval/checkrun"
)

func init() {
	register(command{name: "check", summary: "run the document photo checks on image files (kycq check [--json] [--side front|back] FILE...)", run: runCheck})
}

// checkOutput is one line of "kycq check --json".
type checkOutput struct {
	File string  `json:"file"`
	MS   float64 `json:"ms"`
	imagecheck.Report
	Authenticity *authenticity.Report `json:"authenticity,omitempty"`
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per file")
	sideFlag := fs.String("side", "", "the document side the photos show: front or back (front also looks for the portrait when a face detector is built in)")
	annotate := fs.String("annotate", "", "write the photo with the detected document, glare and face drawn over it to this PNG (with several files: OUT-NAME.png)")
	timeMode := fs.Bool("time", false, "time the checks over the files (directories are walked) and print per-image ms percentiles and images/s")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "concurrent checks (with -time)")
	repeat := fs.Int("repeat", 1, "passes over the files (with -time)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: kycq check [--json] [--side front|back] [--annotate OUT.png] FILE...\n       kycq check --time [--workers N] [--repeat N] DIR|FILE...\n\nRuns the document photo quality checks (rules §2) on each file and prints\nthe verdict: the failing reason codes and every check's score. The exit\nstatus is 0 when every file was checked, whatever the verdicts.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	side, err := imagecheck.ParseSide(*sideFlag)
	if err != nil {
		fmt.Fprintln(stderr, "kycq check:", err)
		return 2
	}
	opts := imagecheck.DefaultOptions()
	opts.Side = side
	if side == imagecheck.Front {
		if opts.FaceDetector, err = frontDetector(); err != nil {
			fmt.Fprintln(stderr, "kycq check: face detector:", err)
			return 1
		}
	}
	if *timeMode {
		if *workers < 1 || *repeat < 1 {
			fmt.Fprintln(stderr, "kycq check: -workers and -repeat must be at least 1")
			return 2
		}
		if err := checkrun.Time(ctx, fs.Args(), opts, *workers, *repeat, stdout); err != nil {
			fmt.Fprintln(stderr, "kycq check:", err)
			return 1
		}
		return 0
	}
	status := 0
	var tw *tabwriter.Writer
	if !*asJSON {
		tw = tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "file\tok\treasons\tms\tscores")
	}
	enc := json.NewEncoder(stdout)
	for _, file := range fs.Args() {
		data, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintln(stderr, "kycq check:", err)
			status = 1
			continue
		}
		start := time.Now()
		rep, auth := authenticity.Check(data, opts, authenticity.Options{}, time.Now())
		ms := float64(time.Since(start).Microseconds()) / 1000
		if *asJSON {
			enc.Encode(checkOutput{File: file, MS: ms, Report: rep, Authenticity: auth})
		} else {
			reasons := make([]string, len(rep.Reasons))
			for i, r := range rep.Reasons {
				reasons[i] = string(r)
			}
			var sc []string
			for _, c := range rep.Checks {
				mark := ""
				if !c.Pass {
					mark = "!"
				}
				sc = append(sc, fmt.Sprintf("%s%s=%.4g", mark, c.Name, c.Score))
			}
			if rep.Error != "" {
				sc = append(sc, "error: "+rep.Error)
			}
			if auth != nil {
				sc = append(sc, checkrun.AuthenticitySummary(auth))
			}
			fmt.Fprintf(tw, "%s\t%v\t%s\t%.1f\t%s\n", file, rep.OK, strings.Join(reasons, ","), ms, strings.Join(sc, " "))
		}
		if *annotate != "" {
			out := *annotate
			if fs.NArg() > 1 {
				ext := filepath.Ext(out)
				base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
				out = strings.TrimSuffix(out, ext) + "-" + base + ext
			}
			if err := checkrun.WriteAnnotatedAuthenticity(out, data, rep, auth, opts); err != nil {
				fmt.Fprintf(stderr, "kycq check: annotate %s: %v\n", file, err)
				status = 1
			}
		}
	}
	if tw != nil {
		tw.Flush()
	}
	return status
}

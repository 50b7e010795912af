package main

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/kycq/kycq/docread"
	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/eval/checkrun"
	"github.com/kycq/kycq/workers"
)

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("check", stderr)
	var fo checkrun.FilesOptions
	fs.BoolVar(&fo.JSON, "json", false, "print one JSON object per file")
	sideFlag := fs.String("side", "", "the document side the photos show: front or back (front also looks for the portrait when a face detector is built in)")
	fs.StringVar(&fo.Annotate, "annotate", "", "write the photo with the detected document, glare, face and the zone read (MRZ or mainland ID, labelled by kind) drawn over it to this PNG (with several files: OUT-NAME.png)")
	timeMode := fs.Bool("time", false, "time the checks over the files (directories are walked) and print per-image ms percentiles and images/s")
	nWorkers := fs.Int("workers", runtime.GOMAXPROCS(0), "concurrent checks (with -time)")
	repeat := fs.Int("repeat", 1, "passes over the files (with -time)")
	if _, ok := parse(fs, args, "Usage: kycq check [--json] [--side front|back] [--annotate OUT.png] FILE...\n       kycq check --time [--workers N] [--repeat N] DIR|FILE...\n\nRuns the document photo quality checks (rules §2) on each file and prints\nthe verdict: the failing reason codes and every check's score. The exit\nstatus is 0 when every file was checked, whatever the verdicts.\n\nFlags:"); !ok {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	side, err := imagecheck.ParseSide(*sideFlag)
	if err != nil {
		return fail(stderr, "kycq check", err, 2)
	}
	opts := imagecheck.DefaultOptions()
	opts.Side = side
	if side == imagecheck.Front {
		if opts.FaceDetector, err = workers.NewFaceDetector(face.Options{}); err != nil {
			return fail(stderr, "kycq check: face detector", err, 1)
		}
	}
	if *timeMode {
		if *nWorkers < 1 || *repeat < 1 {
			fmt.Fprintln(stderr, "kycq check: -workers and -repeat must be at least 1")
			return 2
		}
		if err := checkrun.Time(ctx, fs.Args(), opts, *nWorkers, *repeat, stdout); err != nil {
			return fail(stderr, "kycq check", err, 1)
		}
		return 0
	}
	if fo.Annotate != "" {
		r, err := docread.New(docread.Options{})
		if err != nil {
			return fail(stderr, "kycq check: document reader", err, 1)
		}
		defer r.Close()
		fo.Reader = r
	}
	errs := checkrun.Files(fs.Args(), opts, fo, stdout)
	for _, err := range errs {
		fmt.Fprintln(stderr, "kycq check:", err)
	}
	if len(errs) > 0 {
		return 1
	}
	return 0
}

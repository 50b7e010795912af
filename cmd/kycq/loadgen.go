package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kycq/kycq/internal/eval/loadgen"
)

func init() {
	register(command{name: "loadgen", summary: "drive a running kycq (loopback only) with synthetic applicants; report throughput and decision latency", run: runLoadgen})
}

func runLoadgen(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kycq loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "kycq API base URL (loopback only)")
	n := fs.Int("n", 100, "applicants in all")
	conc := fs.Int("c", 8, "applicants in flight at once")
	dur := fs.Duration("duration", 5*time.Minute, "start no applicant after this")
	wait := fs.Duration("wait", 5*time.Minute, "how long each applicant waits for its decision")
	pool := fs.Int("pool", 4, "distinct ID card photo + selfie video sets to generate (about 1 s of ffmpeg each)")
	samples := fs.String("samples", "", "use the files of this directory (front.jpg, back.jpg, selfie.mp4) instead of generating")
	seed := fs.Int64("seed", time.Now().UnixNano()%1_000_000_000, "seed for accounts, document numbers and generated files (vary it between runs on one database)")
	ffmpeg := fs.String("ffmpeg", "ffmpeg", "ffmpeg binary for the generated selfie videos")
	asJSON := fs.Bool("json", false, "print the summary as one line of JSON")
	asTSV := fs.Bool("tsv", false, "print the main figures as one tab-separated line: "+strings.ReplaceAll(loadgen.TSVHeader, "\t", " "))
	quiet := fs.Bool("quiet", false, "no progress bar")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kycq loadgen [-url URL] [-n N] [-c C] [-duration D] [flags]")
		fmt.Fprintln(stderr, "The API token comes from KYCQ_API_TOKEN. Only loopback targets are accepted.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	token := os.Getenv("KYCQ_API_TOKEN")
	if token == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	if err := loadgen.CheckLoopback(*base); err != nil {
		fmt.Fprintln(stderr, "kycq loadgen:", err)
		return 2
	}
	var src loadgen.Source
	var err error
	if *samples != "" {
		src, err = loadgen.DirSource(*samples, *seed)
	} else {
		if !*quiet {
			fmt.Fprintf(stderr, "generating %d sample applicants...\n", *pool)
		}
		src, err = loadgen.SampleSource(ctx, loadgen.PoolOptions{Pool: *pool, Seed: *seed, FFmpeg: *ffmpeg})
	}
	if err != nil {
		fmt.Fprintln(stderr, "kycq loadgen:", err)
		return 1
	}
	var bar io.Writer = stderr
	if *quiet {
		bar = nil
	}
	res, err := loadgen.Run(ctx, loadgen.Config{BaseURL: *base, Token: token, N: *n, Concurrency: *conc,
		Duration: *dur, Wait: *wait, Progress: bar}, src)
	if res != nil {
		switch {
		case *asJSON:
			_ = res.JSON(stdout)
			res.ReportErrors(stderr)
		case *asTSV:
			_ = res.TSV(stdout)
			res.ReportErrors(stderr)
		default:
			res.Report(stdout)
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "kycq loadgen:", err)
		return 1
	}
	if res.Failed > 0 {
		return 1
	}
	return 0
}

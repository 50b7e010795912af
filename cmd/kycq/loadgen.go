package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kycq/kycq/internal/loadgen"
)

func init() {
	register(command{name: "loadgen", summary: "drive a running kycq (loopback only) with synthetic applicants and report latency", run: runLoadgen})
}

func runLoadgen(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kycq loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "kycq API base URL (loopback only)")
	token := fs.String("token", os.Getenv("KYCQ_API_TOKEN"), "API bearer token (env KYCQ_API_TOKEN)")
	n := fs.Int("n", 100, "applicants in all")
	conc := fs.Int("c", 8, "applicants in flight at once")
	dur := fs.Duration("duration", 5*time.Minute, "stop starting applicants after this")
	wait := fs.Duration("wait", 5*time.Minute, "how long each applicant waits for its decision")
	samples := fs.String("samples", "", "directory with front.jpg, back.jpg and selfie.mp4 (see kycq sample)")
	seed := fs.Uint64("seed", uint64(time.Now().UnixNano()), "seed for account and document numbers")
	quiet := fs.Bool("quiet", false, "no progress bar")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kycq loadgen -samples DIR [-n N] [-c C] [-duration D] [-url URL]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if *samples == "" || *token == "" {
		fs.Usage()
		return 2
	}
	src, err := loadgen.DirSource(*samples, *seed)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	var bar io.Writer = stderr
	if *quiet {
		bar = nil
	}
	res, err := loadgen.Run(ctx, loadgen.Config{BaseURL: *base, Token: *token, N: *n, Concurrency: *conc,
		Duration: *dur, Wait: *wait, Progress: bar}, src)
	if res != nil {
		res.Report(stdout)
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

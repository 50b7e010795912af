package main

import (
	"context"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kycq/kycq/internal/eval/loadgen"
)

func runLoadgen(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("kycq loadgen", stderr)
	cfg := loadgen.Config{BaseURL: "http://127.0.0.1:8080", Token: os.Getenv("KYCQ_API_TOKEN"), N: 100, Concurrency: 8, Duration: 5 * time.Minute, Wait: 5 * time.Minute}
	pool := loadgen.PoolOptions{Pool: 4, Seed: time.Now().UnixNano() % 1_000_000_000, FFmpeg: "ffmpeg"}
	cfg.Flags(fs)
	pool.Flags(fs)
	samples := fs.String("samples", "", "use the sample directory (front.jpg, back.jpg, selfie.mp4, info.json, as go run ./internal/tools/sample writes), or the sample directories in it, instead of generating; each applicant submits its sample's info.json")
	asJSON := fs.Bool("json", false, "print the summary as one line of JSON")
	asTSV := fs.Bool("tsv", false, "print the main figures as one tab-separated line: "+strings.ReplaceAll(loadgen.TSVHeader, "\t", " "))
	quiet := fs.Bool("quiet", false, "no progress bar")
	if code, ok := parse(fs, args, "Usage: kycq loadgen [-url URL] [-n N] [-c C] [-duration D] [flags]\nThe API token comes from KYCQ_API_TOKEN. Only loopback targets are accepted."); !ok {
		return code
	}
	if cfg.Token == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	if err := loadgen.CheckLoopback(cfg.BaseURL); err != nil {
		return fail(stderr, "kycq loadgen", err, 2)
	}
	if !*quiet {
		cfg.Progress = stderr
	}
	src, err := loadgen.NewSource(ctx, *samples, pool, cfg.Progress)
	if err != nil {
		return fail(stderr, "kycq loadgen", err, 1)
	}
	res, err := loadgen.Run(ctx, cfg, src)
	if res != nil {
		_ = res.Write(stdout, stderr, loadgen.FormatOf(*asJSON, *asTSV))
	}
	if err != nil {
		return fail(stderr, "kycq loadgen", err, 1)
	}
	if res.Failed > 0 {
		return 1
	}
	return 0
}

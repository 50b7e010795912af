package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/kycq/kycq/internal/eval/faceeval"
)

func init() {
	registerEval(evaluation{name: "face", summary: "face match FMR/FNMR and ROC on real faces rendered into ID cards and selfie videos", run: runEvalFace})
}

func runEvalFace(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kycq eval face", flag.ContinueOnError)
	fs.SetOutput(stderr)
	photos := fs.String("photos", filepath.Join(cacheDir(), "face", "photos"), "directory of the face photos (scripts/setup.d/40-face-photos.sh fetches them)")
	threshold := fs.Float64("threshold", faceEnvFloat("KYCQ_FACE_THRESHOLD"), "similarity threshold to report at (0 = the calibrated default)")
	seed := fs.Int64("seed", 1, "seed of the generated cards and videos")
	limit := fs.Int("limit", 0, "use only the first N labelled faces (0 = all 26)")
	keep := fs.String("keep", "", "keep the generated cards and videos in this directory")
	ffmpeg := fs.String("ffmpeg", faceEnv("KYCQ_FFMPEG", "ffmpeg"), "ffmpeg binary")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	quiet := fs.Bool("quiet", false, "no per-face progress on stderr")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kycq eval face [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	cfg := faceeval.Config{Photos: *photos, Threshold: *threshold, Seed: *seed, Limit: *limit, Keep: *keep, FFmpeg: *ffmpeg}
	if !*quiet {
		cfg.Progress = stderr
	}
	rep, err := faceeval.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "kycq eval face:", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return 1
		}
		return 0
	}
	rep.Print(stdout)
	return 0
}

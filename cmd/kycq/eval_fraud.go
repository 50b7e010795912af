package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/kycq/kycq/internal/eval/fraudeval"
)

func init() {
	registerEval(evaluation{name: "fraud", summary: "edited, screenshot and screen document photos, replayed selfies, known faces", run: runEvalFraud})
}

func runEvalFraud(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kycq eval fraud", flag.ContinueOnError)
	fs.SetOutput(stderr)
	photos := fs.String("photos", filepath.Join(cacheDir(), "face", "photos"), "directory of the face photos (scripts/setup.d/40-face-photos.sh fetches them)")
	seed := fs.Int64("seed", fraudeval.HeldOutSeed, "seed of the generated photos and videos (the default is held out: thresholds were set on others)")
	docs := fs.Int("docs", 20, "document photos per attack and genuine controls")
	faces := fs.Int("faces", 0, "use only the first N portraits for videos and known faces (0 = all)")
	keep := fs.String("keep", "", "keep the generated photos and videos in this directory")
	ffmpeg := fs.String("ffmpeg", faceEnv("KYCQ_FFMPEG", "ffmpeg"), "ffmpeg binary")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	quiet := fs.Bool("quiet", false, "no per-portrait progress on stderr")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kycq eval fraud [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	cfg := fraudeval.Config{Photos: *photos, Seed: *seed, Docs: *docs, Faces: *faces, Keep: *keep, FFmpeg: *ffmpeg}
	if !*quiet {
		cfg.Progress = stderr
	}
	rep, err := fraudeval.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "kycq eval fraud:", err)
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

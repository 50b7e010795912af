package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/kycq/kycq/internal/app"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/internal/eval/doceval"
	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/internal/eval/faceeval"
	"github.com/kycq/kycq/internal/eval/fraudeval"
)

func runEvalDocs(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("eval docs", stderr)
	cfg := doceval.Config{Spec: docgen.DatasetSpec{Seed: 1, PerCell: 12, Clean: 160, Unreadable: 20, Share12MP: 0.2},
		Workers: runtime.GOMAXPROCS(0), Face: true, PortraitDir: facePhotoDir()}
	cfg.Flags(fs)
	if _, ok := parse(fs, args, "Usage: kycq eval docs [flags] DIR\n\nRuns imagecheck on every photo of a labelled dataset (DIR/manifest.json, as\nwritten by -generate) and prints precision and recall per reason code, recall\nby defect strength, and the false-reject rate on clean photos, for the\ncalibration and the held-out test split.\n\nFlags:"); !ok {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	cfg.Dir = fs.Arg(0)
	if cfg.NeedsFace() {
		eng, err := face.New(face.Options{})
		if err != nil {
			return fail(stderr, "kycq eval docs: face engine", err, 1)
		}
		n, err := cfg.UseFace(eng)
		if err != nil {
			return fail(stderr, "kycq eval docs", err, 1)
		}
		if cfg.Generate {
			fmt.Fprintf(stderr, "fronts carry %d real faces\n", n)
		}
	}
	if err := doceval.Run(ctx, cfg, stdout, stderr); err != nil {
		return fail(stderr, "kycq eval docs", err, 1)
	}
	return 0
}

func runEvalFace(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("kycq eval face", stderr)
	fo := app.FaceOptions(os.Getenv)
	cfg := faceeval.Config{Photos: facePhotoDir(), Threshold: fo.Threshold, Seed: 1, FFmpeg: fo.FFmpeg}
	cfg.Flags(fs)
	return runSuite(fs, args, "no per-face progress on stderr", &cfg.Progress, func() (*faceeval.Report, error) { return faceeval.Run(ctx, cfg) }, stdout, stderr)
}

func runEvalFraud(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("kycq eval fraud", stderr)
	cfg := fraudeval.Config{Photos: facePhotoDir(), Seed: fraudeval.HeldOutSeed, Docs: 20, FFmpeg: app.FaceOptions(os.Getenv).FFmpeg}
	cfg.Flags(fs)
	return runSuite(fs, args, "no per-portrait progress on stderr", &cfg.Progress, func() (*fraudeval.Report, error) { return fraudeval.Run(ctx, cfg) }, stdout, stderr)
}

// runSuite parses args into fs, with the -json and -quiet flags of a
// suite that reports, sets *progress to stderr unless -quiet, runs the
// suite and prints its report.
func runSuite[R interface{ Print(io.Writer) }](fs *flag.FlagSet, args []string, quietHelp string, progress *io.Writer, run func() (R, error), stdout, stderr io.Writer) int {
	asJSON := fs.Bool("json", false, "print the report as JSON")
	quiet := fs.Bool("quiet", false, quietHelp)
	if code, ok := parse(fs, args, "Usage: "+fs.Name()+" [flags]"); !ok {
		return code
	}
	if !*quiet {
		*progress = stderr
	}
	rep, err := run()
	if err != nil {
		return fail(stderr, fs.Name(), err, 1)
	}
	return printReport(stdout, rep, *asJSON)
}

// facePhotoDir is where scripts/setup.d/40-face-photos.sh puts the face
// photos: under $KYCQ_CACHE, .cache by default.
func facePhotoDir() string {
	return filepath.Join(cacheDir(), "face", "photos")
}

// cacheDir is $KYCQ_CACHE, .cache by default.
func cacheDir() string {
	if c := os.Getenv("KYCQ_CACHE"); c != "" {
		return c
	}
	return ".cache"
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/eval/doceval"
	"github.com/kycq/kycq/internal/eval/faceeval"
	"github.com/kycq/kycq/workers"
)

func init() {
	registerEval(evaluation{name: "docs", summary: "document photo checks: precision/recall per reason code on a labelled synthetic set", run: runEvalDocs})
}

func runEvalDocs(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval docs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg doceval.Config
	fs.BoolVar(&cfg.Generate, "generate", false, "generate the labelled dataset into DIR first (files already there are kept)")
	fs.Int64Var(&cfg.Spec.Seed, "seed", 1, "dataset seed (with -generate)")
	fs.IntVar(&cfg.Spec.PerCell, "per-cell", 12, "photos per defect and strength (with -generate)")
	fs.IntVar(&cfg.Spec.Clean, "clean", 160, "clean photos (with -generate)")
	fs.IntVar(&cfg.Spec.Unreadable, "unreadable", 20, "broken files (with -generate)")
	fs.Float64Var(&cfg.Spec.Share12MP, "share-12mp", 0.2, "share of 12 MP photos (with -generate)")
	fs.StringVar(&cfg.Split, "split", "", "evaluate one split only: calibrate or test (default: both, separately)")
	fs.IntVar(&cfg.Workers, "workers", runtime.GOMAXPROCS(0), "concurrent checks")
	fs.BoolVar(&cfg.Scores, "scores", false, "also print score quantiles per check for clean photos and each defect/strength (for calibration)")
	fs.BoolVar(&cfg.Confusion, "confusion", false, "also list every wrong verdict")
	fs.BoolVar(&cfg.JSON, "json", false, "print the results as JSON")
	useFace := fs.Bool("face", true, "evaluate doc_no_face with the face engine")
	portraitDir := fs.String("portraits", filepath.Join(cacheDir(), "face", "photos"), "face photos whose faces the generated fronts carry, besides the two bundled portraits (with -generate; scripts/setup.d/40-face-photos.sh fetches them)")
	fs.BoolVar(&cfg.Compare, "compare-decoders", false, "also check every JPEG with the pure-Go decoder and report how often the verdicts agree")
	fs.StringVar(&cfg.Annotate, "annotate", "", "write every wrong verdict's photo with its outline drawn into this directory")
	fs.StringVar(&cfg.Dump, "dump", "", "write one JSON line per photo (its label, outline overlap, reasons and scores) to this file")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: kycq eval docs [flags] DIR\n\nRuns imagecheck on every photo of a labelled dataset (DIR/manifest.json, as\nwritten by -generate) and prints precision and recall per reason code, recall\nby defect strength, and the false-reject rate on clean photos, for the\ncalibration and the held-out test split.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	cfg.Dir = fs.Arg(0)
	cfg.Spec.Workers = cfg.Workers
	if cfg.Generate || *useFace {
		eng, err := face.New(face.Options{})
		if err != nil {
			fmt.Fprintf(stderr, "kycq eval docs: face engine: %v\n", err)
			return 1
		}
		if *useFace {
			cfg.FaceDetector = workers.FaceDetector{Engine: eng}
		}
		if cfg.Generate {
			if cfg.Spec.Portraits, err = faceeval.Portraits(eng, *portraitDir); err != nil {
				fmt.Fprintf(stderr, "kycq eval docs: portraits: %v\n", err)
				return 1
			}
			fmt.Fprintf(stderr, "fronts carry %d real faces\n", len(cfg.Spec.Portraits))
		}
	}
	if err := doceval.Run(ctx, cfg, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "kycq eval docs: %v\n", err)
		return 1
	}
	return 0
}

// cacheDir is $KYCQ_CACHE, .cache by default: where generated sets and
// the fetched face photos are kept.
func cacheDir() string {
	if c := os.Getenv("KYCQ_CACHE"); c != "" {
		return c
	}
	return ".cache"
}

// frontDetector returns the face engine behind doc_no_face, through the
// adapter the production pipeline uses.
func frontDetector() (imagecheck.FaceDetector, error) {
	eng, err := face.New(face.Options{})
	if err != nil {
		return nil, err
	}
	return workers.FaceDetector{Engine: eng}, nil
}

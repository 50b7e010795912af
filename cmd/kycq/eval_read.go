package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/kycq/kycq/docread"
	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/internal/eval/readeval"
	"github.com/kycq/kycq/internal/eval/sample"
)

func init() {
	registerEval(evaluation{name: "read", summary: "document reading: exact-match rates per document kind and photo condition, and confusions", run: runEvalRead})
}

func runEvalRead(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval read", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Int64("seed", readeval.HeldOutSeed, fmt.Sprintf("set seed: %d is the held-out set of the reported table; develop on %d..%d", readeval.HeldOutSeed, readeval.DevSeeds[0], readeval.DevSeeds[1]))
	perCell := fs.Int("per-cell", 50, "photos per document kind and condition")
	perCellLarge := fs.Int("per-cell-large", 0, "photos per document kind in the large (12 MP) condition (default: -per-cell)")
	docs := fs.String("docs", "", "comma-separated document kinds (default all: td1,td2,td3,cn_id_front,cn_id_back,visual)")
	conds := fs.String("conditions", "", "comma-separated conditions (default all: scan,phone,small,large)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "concurrent generation and reading")
	tessdata := fs.String("tessdata", "", "directory of eng and chi_sim traineddata (default: libtesseract's)")
	budget := fs.Duration("budget", 0, "time allowed per photo (default: the reader's own); raise it on a loaded machine so that slowness is not counted as failed reads")
	confusions := fs.Int("confusions", 30, "confusion pairs to list")
	failures := fs.Bool("failures", false, "also list the files not read exactly")
	markdown := fs.Bool("markdown", false, "also print the document-level table in Markdown (as in docs/reading.md)")
	dump := fs.String("dump", "", "write one JSON line per photo (its truth and what was read) to this file")
	cache := os.Getenv("KYCQ_CACHE")
	if cache == "" {
		cache = ".cache"
	}
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: kycq eval read [flags] [DIR]\n\nGenerates (or reuses) a labelled set of document photos in DIR (default\n$KYCQ_CACHE/readeval-SEED), reads every photo with the document reader and\nprints, per document kind and photo condition, the share of documents with\nthe right kind and every key field exact, each field's exact-match rate, and\nwhich characters were read as which.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return 2
	}
	dir := filepath.Join(cache, fmt.Sprintf("readeval-%d", *seed))
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	spec := readeval.SetSpec{Seed: *seed, PerCell: *perCell, PerCellLarge: *perCellLarge, Workers: *workers}
	var err error
	if spec.Docs, err = readeval.ParseDocs(*docs); err == nil {
		spec.Conditions, err = readeval.ParseConditions(*conds)
	}
	if err != nil {
		fmt.Fprintf(stderr, "kycq eval read: %v\n", err)
		return 2
	}
	for _, name := range sample.Faces() {
		img, err := sample.Portrait(name)
		if err != nil {
			fmt.Fprintf(stderr, "kycq eval read: %v\n", err)
			return 1
		}
		spec.Portraits = append(spec.Portraits, docgen.Portrait{Name: name, Image: img})
	}
	if err := docgen.DocumentFonts(); err != nil {
		fmt.Fprintf(stderr, "kycq eval read: %v\n", err)
		return 1
	}
	start, last := time.Now(), time.Now()
	progress := func(verb string) func(done, total int) {
		return func(done, total int) {
			if time.Since(last) > 10*time.Second || done == total {
				last = time.Now()
				fmt.Fprintf(stderr, "%s %d/%d (%s)\n", verb, done, total, time.Since(start).Round(time.Second))
			}
		}
	}
	spec.Progress = progress("generated")
	m, err := readeval.WriteSet(ctx, dir, spec)
	if err != nil {
		fmt.Fprintf(stderr, "kycq eval read: %v\n", err)
		return 1
	}
	rd, err := docread.New(docread.Options{TessdataDir: *tessdata, Budget: *budget})
	if err != nil {
		fmt.Fprintf(stderr, "kycq eval read: %v\n", err)
		return 1
	}
	defer rd.Close()
	start = time.Now()
	outs, err := readeval.Evaluate(ctx, dir, m, rd, *workers, progress("read"))
	if err != nil {
		fmt.Fprintf(stderr, "kycq eval read: %v\n", err)
		return 1
	}
	rep := readeval.Score(outs)
	fmt.Fprintf(stdout, "set %s: seed %d, %d photos (held-out seed %d)\n\n", dir, *seed, len(m.Items), readeval.HeldOutSeed)
	rep.WriteTable(stdout, *confusions)
	if *markdown {
		fmt.Fprintln(stdout)
		rep.WriteMarkdown(stdout)
	}
	if *failures {
		fmt.Fprintln(stdout, "\nnot read exactly:")
		rep.WriteFailures(stdout)
	}
	if *dump != "" {
		f, err := os.Create(*dump)
		if err == nil {
			err = readeval.Dump(f, outs)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "kycq eval read: %v\n", err)
			return 1
		}
	}
	return 0
}

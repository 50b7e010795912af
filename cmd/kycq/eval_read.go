package main

import (
	"context"
	"errors"
	"io"

	"github.com/kycq/kycq/internal/eval/readeval"
)

func runEvalRead(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("eval read", stderr)
	cfg := readeval.DefaultConfig(cacheDir())
	cfg.Flags(fs)
	if _, ok := parse(fs, args, "Usage: kycq eval read [flags] [DIR]\n\nGenerates (or reuses) a labelled set of document photos in DIR (default\n$KYCQ_CACHE/readeval-SEED), reads every photo with the document reader and\nprints, per document kind and photo condition, the share of documents with\nthe right kind and every key field exact, each field's exact-match rate, and\nwhich characters were read as which.\n\nFlags:"); !ok || fs.NArg() > 1 {
		if ok {
			fs.Usage()
		}
		return 2
	}
	cfg.Dir = fs.Arg(0)
	if err := readeval.Run(ctx, cfg, stdout, stderr); err != nil {
		if errors.Is(err, readeval.ErrUsage) {
			return fail(stderr, "kycq eval read", err, 2)
		}
		return fail(stderr, "kycq eval read", err, 1)
	}
	return 0
}

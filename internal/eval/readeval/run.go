package readeval

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
	"github.com/kycq/kycq/internal/eval/sample"
)

// Config is one "kycq eval read" run.
type Config struct {
	// Dir holds the set; empty: Cache/readeval-SEED.
	Dir, Cache            string
	Seed                  int64
	PerCell, PerCellLarge int
	Docs, Conditions      string // comma-separated; empty: all
	Workers               int
	Tessdata              string
	Budget                time.Duration // per photo; 0: the reader's own
	Confusions            int
	Failures, Markdown    bool
	Dump                  string
}

// DefaultConfig is the configuration of the reported table, its set kept
// under cache.
func DefaultConfig(cache string) Config {
	return Config{Cache: cache, Seed: HeldOutSeed, PerCell: 50, Workers: runtime.GOMAXPROCS(0), Confusions: 30}
}

// Flags declares the configuration's flags (as "kycq eval read" has them)
// on fs, with c's current values as their defaults.
func (c *Config) Flags(fs *flag.FlagSet) {
	fs.Int64Var(&c.Seed, "seed", c.Seed, fmt.Sprintf("set seed: %d is the held-out set of the reported table (%d, the previous one, is partly seen); develop on %d..%d", HeldOutSeed, PreviousHeldOutSeed, DevSeeds[0], DevSeeds[1]))
	fs.IntVar(&c.PerCell, "per-cell", c.PerCell, "photos per document kind and condition")
	fs.IntVar(&c.PerCellLarge, "per-cell-large", c.PerCellLarge, "photos per document kind in the large (12 MP) condition (default: -per-cell)")
	fs.StringVar(&c.Docs, "docs", c.Docs, "comma-separated document kinds (default all: td1,td2,td3,cn_id_front,cn_id_back,visual)")
	fs.StringVar(&c.Conditions, "conditions", c.Conditions, "comma-separated conditions (default: scan,phone,small,large; hard, the hard-print condition, only when named)")
	fs.IntVar(&c.Workers, "workers", c.Workers, "concurrent generation and reading")
	fs.StringVar(&c.Tessdata, "tessdata", c.Tessdata, "directory of eng and chi_sim traineddata (default: libtesseract's)")
	fs.DurationVar(&c.Budget, "budget", c.Budget, "time allowed per photo (default: the reader's own); raise it on a loaded machine so that slowness is not counted as failed reads")
	fs.IntVar(&c.Confusions, "confusions", c.Confusions, "confusion pairs to list")
	fs.BoolVar(&c.Failures, "failures", c.Failures, "also list the files not read exactly")
	fs.BoolVar(&c.Markdown, "markdown", c.Markdown, "also print the document-level table in Markdown (as in docs/reading.md)")
	fs.StringVar(&c.Dump, "dump", c.Dump, "write one JSON line per photo (its truth and what was read) to this file")
}

// ErrUsage marks a configuration that names unknown documents or
// conditions.
var ErrUsage = fmt.Errorf("readeval: bad configuration")

// Run generates (or reuses) the set, reads every photo and prints the
// report to stdout; progress goes to stderr.
func Run(ctx context.Context, c Config, stdout, stderr io.Writer) error {
	dir := c.Dir
	if dir == "" {
		dir = filepath.Join(c.Cache, fmt.Sprintf("readeval-%d", c.Seed))
	}
	spec := SetSpec{Seed: c.Seed, PerCell: c.PerCell, PerCellLarge: c.PerCellLarge, Workers: c.Workers}
	var err error
	if spec.Docs, err = ParseDocs(c.Docs); err == nil {
		spec.Conditions, err = ParseConditions(c.Conditions)
	}
	if err != nil {
		return fmt.Errorf("%w%w", err, usageMark{})
	}
	for _, name := range sample.Faces() {
		img, err := sample.Portrait(name)
		if err != nil {
			return err
		}
		spec.Portraits = append(spec.Portraits, docgen.Portrait{Name: name, Image: img})
	}
	if err := docgen.DocumentFonts(); err != nil {
		return err
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
	m, err := WriteSet(ctx, dir, spec)
	if err != nil {
		return err
	}
	rd, err := docread.New(docread.Options{TessdataDir: c.Tessdata, Budget: c.Budget})
	if err != nil {
		return err
	}
	defer rd.Close()
	start = time.Now()
	outs, err := Evaluate(ctx, dir, m, rd, c.Workers, progress("read"))
	if err != nil {
		return err
	}
	rep := Score(outs)
	fmt.Fprintf(stdout, "set %s: seed %d, %d photos (held-out seed %d)\n\n", dir, c.Seed, len(m.Items), HeldOutSeed)
	rep.WriteTable(stdout, c.Confusions)
	if c.Markdown {
		fmt.Fprintln(stdout)
		rep.WriteMarkdown(stdout)
	}
	if c.Failures {
		fmt.Fprintln(stdout, "\nnot read exactly:")
		rep.WriteFailures(stdout)
	}
	if c.Dump == "" {
		return nil
	}
	f, err := os.Create(c.Dump)
	if err == nil {
		err = Dump(f, outs)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// usageMark makes an error match ErrUsage without changing its text.
type usageMark struct{}

func (usageMark) Error() string        { return "" }
func (usageMark) Is(target error) bool { return target == ErrUsage }

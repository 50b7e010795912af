package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/kycq/kycq/imagecheck"
)

func init() {
	register(command{name: "check", summary: "run the document photo checks on image files (kycq check [--json] [--side front|back] FILE...)", run: runCheck})
}

// checkOutput is one line of "kycq check --json".
type checkOutput struct {
	File string  `json:"file"`
	MS   float64 `json:"ms"`
	imagecheck.Report
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per file")
	sideFlag := fs.String("side", "", "the document side the photos show: front or back (front also looks for the portrait when a face detector is built in)")
	annotate := fs.String("annotate", "", "write the photo with the detected document, glare and face drawn over it to this PNG (with several files: OUT-NAME.png)")
	timeMode := fs.Bool("time", false, "time the checks over the files (directories are walked) and print per-image ms percentiles and images/s")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "concurrent checks (with -time)")
	repeat := fs.Int("repeat", 1, "passes over the files (with -time)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: kycq check [--json] [--side front|back] [--annotate OUT.png] FILE...\n       kycq check --time [--workers N] [--repeat N] DIR|FILE...\n\nRuns the document photo quality checks (rules §2) on each file and prints\nthe verdict: the failing reason codes and every check's score. The exit\nstatus is 0 when every file was checked, whatever the verdicts.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	side, err := imagecheck.ParseSide(*sideFlag)
	if err != nil {
		fmt.Fprintln(stderr, "kycq check:", err)
		return 2
	}
	opts := imagecheck.DefaultOptions()
	opts.Side = side
	if side == imagecheck.Front && docsFaceDetector != nil {
		if opts.FaceDetector, err = docsFaceDetector(); err != nil {
			fmt.Fprintln(stderr, "kycq check: face detector:", err)
			return 1
		}
	}
	if *timeMode {
		if *workers < 1 || *repeat < 1 {
			fmt.Fprintln(stderr, "kycq check: -workers and -repeat must be at least 1")
			return 2
		}
		return timeChecks(ctx, fs.Args(), opts, *workers, *repeat, stdout, stderr)
	}
	status := 0
	var tw *tabwriter.Writer
	if !*asJSON {
		tw = tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "file\tok\treasons\tms\tscores")
	}
	enc := json.NewEncoder(stdout)
	for _, file := range fs.Args() {
		data, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintln(stderr, "kycq check:", err)
			status = 1
			continue
		}
		start := time.Now()
		rep := imagecheck.Check(data, opts)
		ms := float64(time.Since(start).Microseconds()) / 1000
		if *asJSON {
			enc.Encode(checkOutput{File: file, MS: ms, Report: rep})
		} else {
			reasons := make([]string, len(rep.Reasons))
			for i, r := range rep.Reasons {
				reasons[i] = string(r)
			}
			var sc []string
			for _, c := range rep.Checks {
				mark := ""
				if !c.Pass {
					mark = "!"
				}
				sc = append(sc, fmt.Sprintf("%s%s=%.4g", mark, c.Name, c.Score))
			}
			if rep.Error != "" {
				sc = append(sc, "error: "+rep.Error)
			}
			fmt.Fprintf(tw, "%s\t%v\t%s\t%.1f\t%s\n", file, rep.OK, strings.Join(reasons, ","), ms, strings.Join(sc, " "))
		}
		if *annotate != "" {
			out := *annotate
			if fs.NArg() > 1 {
				ext := filepath.Ext(out)
				base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
				out = strings.TrimSuffix(out, ext) + "-" + base + ext
			}
			if err := writeAnnotated(out, data, rep, opts); err != nil {
				fmt.Fprintf(stderr, "kycq check: annotate %s: %v\n", file, err)
				status = 1
			}
		}
	}
	if tw != nil {
		tw.Flush()
	}
	return status
}

func writeAnnotated(out string, data []byte, rep imagecheck.Report, opts imagecheck.Options) error {
	img, err := imagecheck.Preview(data, opts)
	if err != nil {
		return err
	}
	imagecheck.Annotate(img, rep)
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// timeChecks loads every image under args into memory and runs Check on
// all of them with the given concurrency, repeat times.
func timeChecks(ctx context.Context, args []string, opts imagecheck.Options, workers, repeat int, stdout, stderr io.Writer) int {
	var files []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			fmt.Fprintln(stderr, "kycq check:", err)
			return 1
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				switch strings.ToLower(filepath.Ext(p)) {
				case ".jpg", ".jpeg", ".png":
					files = append(files, p)
				}
			}
			return nil
		})
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "kycq check: no .jpg/.jpeg/.png files")
		return 1
	}
	sort.Strings(files)
	data := make([][]byte, len(files))
	var bytes int64
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(stderr, "kycq check:", err)
			return 1
		}
		data[i] = b
		bytes += int64(len(b))
	}
	n := len(files) * repeat
	lat := make([]float64, n)
	next := make(chan int)
	var wg sync.WaitGroup
	var decoder string // as the first check reports it
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				t := time.Now()
				rep := imagecheck.Check(data[i%len(data)], opts)
				lat[i] = float64(time.Since(t).Microseconds()) / 1000
				if i == 0 {
					decoder = rep.Decoder
				}
			}
		}()
	}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	wall := time.Since(start)
	sort.Float64s(lat)
	q := func(p float64) float64 { return lat[min(n-1, int(p*float64(n)))] }
	fmt.Fprintf(stdout, "%d images (%.1f MB), %d checks, %d workers, GOMAXPROCS %d, decoder %s\n",
		len(files), float64(bytes)/1e6, n, workers, runtime.GOMAXPROCS(0), decoder)
	fmt.Fprintf(stdout, "per image ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n", q(0.5), q(0.9), q(0.99), lat[n-1])
	fmt.Fprintf(stdout, "throughput: %.1f images/s (wall %.2fs)\n", float64(n)/wall.Seconds(), wall.Seconds())
	return 0
}

// Package checkrun runs imagecheck over files for "kycq check" and the
// evaluations: it times the checks over a set of photos and writes a
// photo with its report drawn over it.
package checkrun

import (
	"context"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kycq/kycq/imagecheck"
)

// annotatedPNG writes the annotated previews: zlib's fastest level encodes
// a 1000-pixel preview in about 80 ms where the default took 280–630 ms
// (most of the 578 ms issue 16 saw for one photo with --annotate), for
// files about a third larger.
var annotatedPNG = png.Encoder{CompressionLevel: png.BestSpeed}

// WriteAnnotated writes the photo in data, with rep drawn over it, to the
// PNG file out.
func WriteAnnotated(out string, data []byte, rep imagecheck.Report, opts imagecheck.Options) error {
	img, err := imagecheck.Preview(data, opts)
	if err != nil {
		return err
	}
	imagecheck.Annotate(img, rep)
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := annotatedPNG.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Time loads every image under args (directories are walked for .jpg,
// .jpeg and .png files) into memory, runs Check on all of them with the
// given concurrency, repeat times, and prints the per-image latency
// percentiles and the throughput to w.
func Time(ctx context.Context, args []string, opts imagecheck.Options, workers, repeat int, w io.Writer) error {
	var files []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return err
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
		return fmt.Errorf("no .jpg/.jpeg/.png files")
	}
	sort.Strings(files)
	data := make([][]byte, len(files))
	var bytes int64
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		data[i] = b
		bytes += int64(len(b))
	}
	n := len(files) * repeat
	lat := make([]float64, n)
	over := make([][]string, n) // the stages over their budget, per check
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
				over[i] = rep.OverBudget
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
	fmt.Fprintf(w, "%d images (%.1f MB), %d checks, %d workers, GOMAXPROCS %d, decoder %s\n",
		len(files), float64(bytes)/1e6, n, workers, runtime.GOMAXPROCS(0), decoder)
	fmt.Fprintf(w, "per image ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n", q(0.5), q(0.9), q(0.99), lat[n-1])
	fmt.Fprintf(w, "throughput: %.1f images/s (wall %.2fs)\n", float64(n)/wall.Seconds(), wall.Seconds())
	fmt.Fprintf(w, "over budget: %s\n", overSummary(over))
	return nil
}

// overSummary says in how many checks each stage went over its budget
// (Report.OverBudget), in pipeline order.
func overSummary(over [][]string) string {
	count := map[string]int{}
	for _, stages := range over {
		for _, st := range stages {
			count[st]++
		}
	}
	var parts []string
	for _, st := range imagecheck.Stages() {
		if count[st] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d of %d", st, count[st], len(over)))
		}
	}
	if len(parts) == 0 {
		return "no stage"
	}
	return strings.Join(parts, ", ")
}

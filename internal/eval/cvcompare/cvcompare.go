// Package cvcompare measures imagecheck against OpenCV doing the same
// document checks on the same photos: OpenCV decodes at ¼ scale in the DCT
// domain (libjpeg's IMREAD_REDUCED_COLOR_4) and runs blur (variance of the
// Laplacian), exposure, glare (connected components), colour, the outline
// (Canny, contours, approxPolyDP) and, for the portrait, a Haar cascade
// (cvchecks.py, run by Debian's python3-opencv with one thread). Both
// engines are timed per photo in CPU time of the one thread that runs
// them, so the comparison is of one core's work whatever else the machine
// runs. The figures are in docs/imagecheck.md ("Speed").
package cvcompare

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"time"
	"unsafe"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/internal/eval/sample"
)

// script is the OpenCV side of the comparison.
//
//go:embed cvchecks.py
var script []byte

// DefaultCascade is opencv-data's frontal face Haar cascade.
const DefaultCascade = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"

// Python returns the interpreter that has OpenCV's bindings: $KYCQ_PYTHON,
// else Debian's /usr/bin/python3 (python3-opencv installs for it; a python3
// earlier on PATH, such as a pyenv shim, may not have them).
func Python() string {
	if p := os.Getenv("KYCQ_PYTHON"); p != "" {
		return p
	}
	return "/usr/bin/python3"
}

// Result is one photo's outcome from one engine.
type Result struct {
	File string `json:"file"`
	// CPU and Wall hold one time per iteration; DecodeCPU the CPU time
	// of its decode.
	CPU       []time.Duration    `json:"-"`
	Wall      []time.Duration    `json:"-"`
	DecodeCPU []time.Duration    `json:"-"`
	Scores    map[string]float64 `json:"scores"`
	// Quad is the document outline in original pixels (nil: none found).
	Quad  [][2]float64 `json:"quad"`
	Faces int          `json:"faces"`
}

// Options configure a run of the OpenCV side.
type Options struct {
	Iterations int    // checks of each photo (at least 1)
	Face       bool   // also search the portrait
	Cascade    string // Haar cascade file; DefaultCascade when empty
}

// OpenCV runs cvchecks.py over files and returns one result per file.
func OpenCV(ctx context.Context, files []string, o Options) ([]Result, error) {
	if o.Cascade == "" {
		o.Cascade = DefaultCascade
	}
	dir, err := os.MkdirTemp("", "cvcompare")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "cvchecks.py")
	if err := os.WriteFile(path, script, 0o644); err != nil {
		return nil, err
	}
	req, _ := json.Marshal(map[string]any{
		"files": files, "iterations": max(1, o.Iterations), "face": o.Face, "cascade": o.Cascade,
	})
	cmd := exec.CommandContext(ctx, Python(), path)
	cmd.Stdin = bytes.NewReader(req)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("cvcompare: %s %s: %v: %s", Python(), path, err, bytes.TrimSpace(stderr.Bytes()))
	}
	var rs []Result
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct {
			Result
			CPU       []float64 `json:"cpu_ms"`
			Wall      []float64 `json:"wall_ms"`
			DecodeCPU []float64 `json:"decode_cpu_ms"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			return nil, fmt.Errorf("cvcompare: bad output line: %v", err)
		}
		r := line.Result
		for _, v := range line.CPU {
			r.CPU = append(r.CPU, msDuration(v))
		}
		for _, v := range line.Wall {
			r.Wall = append(r.Wall, msDuration(v))
		}
		for _, v := range line.DecodeCPU {
			r.DecodeCPU = append(r.DecodeCPU, msDuration(v))
		}
		rs = append(rs, r)
	}
	if len(rs) != len(files) {
		return nil, fmt.Errorf("cvcompare: %d results for %d photos", len(rs), len(files))
	}
	return rs, nil
}

func msDuration(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }

// Kycq checks every file with imagecheck, iterations times each, on one
// goroutine locked to its thread, and returns one result per file. The
// photos are read into memory before the timing, as OpenCV's are.
func Kycq(files []string, opts imagecheck.Options, iterations int) ([]Result, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var rs []Result
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		r := Result{File: f}
		for i := 0; i < max(1, iterations); i++ {
			c0, w0 := ThreadCPU(), time.Now()
			rep := imagecheck.Check(data, opts)
			r.Wall = append(r.Wall, time.Since(w0))
			r.CPU = append(r.CPU, ThreadCPU()-c0)
			r.DecodeCPU = append(r.DecodeCPU, msDuration(rep.CPU["decode"]))
			if rep.Format == "" {
				return nil, fmt.Errorf("cvcompare: %s: %s", filepath.Base(f), rep.Error)
			}
			r.Scores = rep.Scores
			r.Quad = nil
			for _, p := range rep.Document {
				r.Quad = append(r.Quad, [2]float64{p.X, p.Y})
			}
			r.Faces = 0
			if rep.Face != nil {
				r.Faces = 1
			}
		}
		rs = append(rs, r)
	}
	return rs, nil
}

// ThreadCPU is the CPU time of the calling OS thread: Linux's
// CLOCK_THREAD_CPUTIME_ID, the clock Python's time.thread_time reads on
// the OpenCV side.
func ThreadCPU() time.Duration {
	var ts syscall.Timespec
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 3, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}

// Stats are the percentiles of per-photo times, in milliseconds.
type Stats struct {
	N                  int
	P50, P90, P99, Max float64
}

// What Summarise pools.
const (
	CPUTime = iota
	WallTime
	DecodeCPUTime
)

// Summarise pools the times of kind what (CPUTime, WallTime or
// DecodeCPUTime) of every iteration of every result and returns their
// percentiles (nearest rank).
func Summarise(rs []Result, what int) Stats {
	var all []time.Duration
	for _, r := range rs {
		switch what {
		case WallTime:
			all = append(all, r.Wall...)
		case DecodeCPUTime:
			all = append(all, r.DecodeCPU...)
		default:
			all = append(all, r.CPU...)
		}
	}
	slices.Sort(all)
	return Stats{N: len(all), P50: Percentile(all, 50), P90: Percentile(all, 90), P99: Percentile(all, 99), Max: Percentile(all, 100)}
}

// Percentile returns the p-th percentile (0..100, nearest rank) of sorted
// durations, in milliseconds; 0 for none.
func Percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	k := int(p/100*float64(len(sorted))+0.999999) - 1
	k = max(0, min(len(sorted)-1, k))
	return float64(sorted[k].Microseconds()) / 1000
}

// Photo describes one generated photo of the comparison set.
type Photo struct {
	Seed    int64
	Size    docgen.Size
	Quality int
	Defect  docgen.Defect
	// Progressive writes a progressive JPEG (libjpeg's standard script).
	Progressive bool
}

// Spec is what docgen draws for p: a card front carrying one of the
// bundled portraits, printed, with p's defect at its clearly visible
// strength.
func (p Photo) Spec() (docgen.Spec, error) {
	names := sample.Faces()
	if len(names) == 0 {
		return docgen.Spec{}, errors.New("cvcompare: no bundled portraits")
	}
	portrait, err := sample.Portrait(names[int(p.Seed)%len(names)])
	if err != nil {
		return docgen.Spec{}, err
	}
	spec := docgen.Spec{Seed: p.Seed, Size: p.Size, Side: docgen.Front, Portrait: portrait, PrintedPortrait: true}
	if p.Defect != "" {
		spec.Defect, spec.Strength = p.Defect, docgen.Clear
	}
	return spec, nil
}

// Set returns the comparison set's photos: n clean card fronts at 12 MP,
// JPEG qualities 85 to 95, carrying the bundled portraits (printed), seeds
// 2000 on (a different card each).
func Set(n int) []Photo {
	qs := []int{85, 88, 90, 92, 95}
	out := make([]Photo, n)
	for i := range out {
		out[i] = Photo{Seed: int64(2000 + i), Size: docgen.Size12MP, Quality: qs[i%len(qs)]}
	}
	return out
}

// Write draws the photos (those not already in dir) and returns their
// paths.
func Write(dir string, photos []Photo) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for _, p := range photos {
		kind := "baseline"
		if p.Progressive {
			kind = "progressive"
		}
		path := filepath.Join(dir, fmt.Sprintf("cvcompare-%s-%d-q%d-%s-%s.jpg", p.Size, p.Seed, p.Quality, kind, p.Defect))
		paths = append(paths, path)
		if _, err := os.Stat(path); err == nil {
			continue
		}
		spec, err := p.Spec()
		if err != nil {
			return nil, err
		}
		img, _ := docgen.Generate(spec)
		b, err := docgen.Encode(img, docgen.Encoding{Quality: p.Quality, Progressive: p.Progressive})
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return nil, err
		}
	}
	return paths, nil
}

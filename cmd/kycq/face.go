package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/kyc/reason"
)

func init() {
	register(command{name: "face", summary: "match a selfie video (or still image) against a document photo", run: runFace})
}

// faceOutput is the JSON `kycq face --json` prints: the document first,
// then the selfie (file), in the order of the arguments.
type faceOutput struct {
	Document   string             `json:"document"`
	File       string             `json:"file"`
	OK         bool               `json:"ok"`
	Borderline bool               `json:"borderline"`
	Similarity float64            `json:"similarity"`
	Threshold  float64            `json:"threshold"`
	Reasons    []reason.Code      `json:"reasons"`
	Remedies   []string           `json:"remedies,omitempty"`
	Scores     map[string]float64 `json:"scores"`
	MS         float64            `json:"ms"`
	Result     *face.Result       `json:"detail"`
}

func runFace(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kycq face", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object")
	threshold := fs.Float64("threshold", faceEnvFloat("KYCQ_FACE_THRESHOLD"), "similarity needed for a match (0 = the calibrated default; env KYCQ_FACE_THRESHOLD)")
	ffmpeg := fs.String("ffmpeg", faceEnv("KYCQ_FFMPEG", "ffmpeg"), "ffmpeg binary (env KYCQ_FFMPEG)")
	frames := fs.Int("frames", 0, "video frames to score (0 = default 6)")
	still := fs.Bool("accept-still", false, "let a matching still image pass without manual review")
	timeout := fs.Duration("timeout", time.Minute, "give up after this long")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kycq face [--json] [flags] DOC_IMAGE SELFIE")
		fmt.Fprintln(stderr, "\nDOC_IMAGE is the document front (JPEG/PNG); SELFIE a video (mp4, mov, webm) or a still image.")
		fmt.Fprintln(stderr, "Exit status: 0 match, 1 no match (or manual review), 2 usage, 3 the check could not run.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return 2
	}
	docPath, selfiePath := fs.Arg(0), fs.Arg(1)
	eng, err := face.New(face.Options{Threshold: *threshold, FFmpeg: *ffmpeg, Frames: *frames, AcceptStillImage: *still})
	if err != nil {
		fmt.Fprintln(stderr, "kycq face:", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	res, err := eng.MatchFiles(ctx, docPath, selfiePath)
	if err != nil {
		fmt.Fprintln(stderr, "kycq face:", err)
		return 3
	}
	out := faceOutput{File: selfiePath, Document: docPath, OK: res.OK, Borderline: res.Borderline, Similarity: res.Similarity,
		Threshold: res.Threshold, Reasons: res.Reasons, Scores: res.Scores, MS: res.Timings.Total, Result: res}
	for _, c := range res.Reasons {
		out.Remedies = append(out.Remedies, reason.Remedy(c))
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return 3
		}
	} else {
		printFace(stdout, &out)
	}
	if res.OK && !res.Borderline {
		return 0
	}
	return 1
}

func printFace(w io.Writer, o *faceOutput) {
	verdict := "NO MATCH"
	switch {
	case o.OK && o.Borderline:
		verdict = "MATCH (borderline: manual review)"
	case o.OK:
		verdict = "MATCH"
	case o.Borderline:
		verdict = "NO MATCH (borderline: manual review)"
	}
	fmt.Fprintf(w, "%s vs %s: %s  similarity %.3f (threshold %.2f)  %.0f ms\n", o.Document, o.File, verdict, o.Similarity, o.Threshold, o.MS)
	for i, c := range o.Reasons {
		fmt.Fprintf(w, "  %-18s %s\n", c, o.Remedies[i])
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	names := make([]string, 0, len(o.Scores))
	for n := range o.Scores {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(tw, "  %s\t%.4g\n", n, o.Scores[n])
	}
	tw.Flush()
	if r := o.Result; r != nil && len(r.Frames) > 1 {
		fmt.Fprintln(w, "  frames:")
		for _, f := range r.Frames {
			state := "used"
			if !f.Usable {
				state = f.Problem
			}
			fmt.Fprintf(w, "    #%-3d t=%5.2fs  %-12s distance %.3f\n", f.Index, f.Time, state, f.Distance)
		}
	}
}

func faceEnv(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func faceEnvFloat(name string) float64 {
	var v float64
	if s := os.Getenv(name); s != "" {
		fmt.Sscan(s, &v)
	}
	return v
}

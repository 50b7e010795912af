package main

import (
	"context"
	"github.com/kycq/kycq/internal/app"
	"io"
	"os"
	"time"

	"github.com/kycq/kycq/face"
)

func runFace(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("kycq face", stderr)
	asJSON := fs.Bool("json", false, "print one JSON object")
	o := app.FaceOptions(os.Getenv)
	fs.Float64Var(&o.Threshold, "threshold", o.Threshold, "similarity needed for a match (0 = the calibrated default; env KYCQ_FACE_THRESHOLD)")
	fs.StringVar(&o.FFmpeg, "ffmpeg", o.FFmpeg, "ffmpeg binary (env KYCQ_FFMPEG)")
	fs.IntVar(&o.Frames, "frames", 0, "video frames to score (0 = default 6)")
	fs.BoolVar(&o.AcceptStillImage, "accept-still", false, "let a matching still image pass without manual review")
	timeout := fs.Duration("timeout", time.Minute, "give up after this long")
	if code, ok := parse(fs, args, "Usage: kycq face [--json] [flags] DOC_IMAGE SELFIE\n\nDOC_IMAGE is the document front (JPEG/PNG); SELFIE a video (mp4, mov, webm) or a still image.\nExit status: 0 match, 1 no match (or manual review), 2 usage, 3 the check could not run."); !ok {
		return code
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return 2
	}
	eng, err := face.New(o)
	if err != nil {
		return fail(stderr, "kycq face", err, 2)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	res, err := eng.MatchFiles(ctx, fs.Arg(0), fs.Arg(1))
	if err != nil {
		return fail(stderr, "kycq face", err, 3)
	}
	rep := face.NewFileReport(fs.Arg(0), fs.Arg(1), res)
	if printReport(stdout, &rep, *asJSON) != 0 {
		return 3
	}
	if rep.Matched() {
		return 0
	}
	return 1
}

package loadgen

import (
	"context"
	"fmt"
	"io"
)

// Format is how Write prints a run's result.
type Format int

const (
	// Text is the summary for people (Report).
	Text Format = iota
	// JSON is the summary as one line of JSON, errors for people on the
	// second writer.
	JSON
	// TSV is the main figures as one tab-separated line (TSVHeader), errors
	// for people on the second writer.
	TSV
)

// Write prints the result to w in format f; with JSON and TSV the errors
// go to errw, so that w holds only the machine-readable line.
func (r *Result) Write(w, errw io.Writer, f Format) error {
	var err error
	switch f {
	case JSON:
		err = r.JSON(w)
	case TSV:
		err = r.TSV(w)
	default:
		r.Report(w)
		return nil
	}
	r.ReportErrors(errw)
	return err
}

// NewSource returns the applicants of a run: the files of the directory
// samples (DirSource) when it is set, else a generated pool
// (SampleSource), announced on progress when that is not nil.
func NewSource(ctx context.Context, samples string, o PoolOptions, progress io.Writer) (Source, error) {
	if samples != "" {
		return DirSource(samples, o.Seed)
	}
	if progress != nil {
		fmt.Fprintf(progress, "generating %d sample applicants...\n", o.Pool)
	}
	return SampleSource(ctx, o)
}

// FormatOf is the format the -json and -tsv flags of "kycq loadgen" ask
// for; JSON wins when both are set.
func FormatOf(json, tsv bool) Format {
	switch {
	case json:
		return JSON
	case tsv:
		return TSV
	}
	return Text
}

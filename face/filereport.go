package face

import (
	"fmt"
	"io"
	"sort"
	"text/tabwriter"

	"github.com/kycq/kycq/kyc/reason"
)

// FileReport is one match of a selfie file against a document photo file,
// as "kycq face" prints it: the document first, then the selfie (File), in
// the order of the command's arguments.
type FileReport struct {
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
	Result     *Result            `json:"detail"`
}

// NewFileReport returns the report of res, the match of the selfie file
// against the document file, with the remedy of each reason.
func NewFileReport(document, selfie string, res *Result) FileReport {
	r := FileReport{Document: document, File: selfie, OK: res.OK, Borderline: res.Borderline, Similarity: res.Similarity,
		Threshold: res.Threshold, Reasons: res.Reasons, Scores: res.Scores, MS: res.Timings.Total, Result: res}
	for _, c := range res.Reasons {
		r.Remedies = append(r.Remedies, reason.Remedy(c))
	}
	return r
}

// Matched reports whether the match passes without manual review.
func (r *FileReport) Matched() bool { return r.OK && !r.Borderline }

// Verdict is the report's one-phrase outcome, such as "MATCH" or
// "NO MATCH (borderline: manual review)".
func (r *FileReport) Verdict() string {
	switch {
	case r.OK && r.Borderline:
		return "MATCH (borderline: manual review)"
	case r.OK:
		return "MATCH"
	case r.Borderline:
		return "NO MATCH (borderline: manual review)"
	}
	return "NO MATCH"
}

// Print writes the report as text: the verdict line, each reason with its
// remedy, the scores by name and, for a video, every frame.
func (r *FileReport) Print(w io.Writer) {
	fmt.Fprintf(w, "%s vs %s: %s  similarity %.3f (threshold %.2f)  %.0f ms\n", r.Document, r.File, r.Verdict(), r.Similarity, r.Threshold, r.MS)
	for i, c := range r.Reasons {
		fmt.Fprintf(w, "  %-18s %s\n", c, r.Remedies[i])
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	names := make([]string, 0, len(r.Scores))
	for n := range r.Scores {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(tw, "  %s\t%.4g\n", n, r.Scores[n])
	}
	tw.Flush()
	if res := r.Result; res != nil && len(res.Frames) > 1 {
		fmt.Fprintln(w, "  frames:")
		for _, f := range res.Frames {
			state := "used"
			if !f.Usable {
				state = f.Problem
			}
			fmt.Fprintf(w, "    #%-3d t=%5.2fs  %-12s distance %.3f\n", f.Index, f.Time, state, f.Distance)
		}
	}
}

package workers

import (
	"slices"

	"github.com/kycq/kycq/authenticity"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/storage"
)

// documentResult merges a document photo's quality report and its
// authenticity findings (rules §10) into the stored result: every
// authenticity score as auth_<signal>; an editor named in the metadata
// adds doc_edited and a screenshot doc_not_original (rejections); a
// forensic-only finding on an otherwise passing photo makes the result
// borderline, which sends the verification to manual review with the
// scores as evidence. A photo that already fails keeps its rejection.
func documentResult(rep imagecheck.Report, auth *authenticity.Report) storage.CheckResult {
	r := storage.CheckResult{OK: rep.OK, Reasons: slices.Clone(rep.Reasons), Scores: rep.Scores}
	if auth == nil {
		return r
	}
	if r.Scores == nil {
		r.Scores = map[string]float64{}
	}
	for k, v := range auth.Scores {
		r.Scores["auth_"+k] = v
	}
	for i, box := range auth.Regions {
		if i > 0 {
			break // the largest region; the console reads its box from here
		}
		r.Scores["auth_region_x0"], r.Scores["auth_region_y0"] = float64(box.Min.X), float64(box.Min.Y)
		r.Scores["auth_region_x1"], r.Scores["auth_region_y1"] = float64(box.Max.X), float64(box.Max.Y)
	}
	if code := auth.Reason(); code != "" {
		if !slices.Contains(r.Reasons, code) {
			r.Reasons = append(r.Reasons, code)
		}
		r.OK = false
	}
	if auth.Verdict == authenticity.Review && r.OK {
		r.Borderline = true
	}
	return r
}

package workers

import (
	"image"
	"slices"
	"testing"

	"github.com/kycq/kycq/authenticity"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

func TestDocumentResult(t *testing.T) {
	pass := imagecheck.Report{OK: true, Reasons: []reason.Code{}, Scores: map[string]float64{"blur": 0.1}}
	blurry := imagecheck.Report{OK: false, Reasons: []reason.Code{reason.DocBlurry}, Scores: map[string]float64{"blur": 0.5}}
	auth := func(v authenticity.Verdict, regions ...image.Rectangle) *authenticity.Report {
		return &authenticity.Report{Verdict: v, Scores: map[string]float64{"local_anomaly": 0.03}, Regions: regions}
	}
	box := image.Rect(10, 20, 110, 60)
	for _, c := range []struct {
		name       string
		rep        imagecheck.Report
		auth       *authenticity.Report
		ok, border bool
		reasons    []reason.Code
		outcome    storage.Outcome
	}{
		{"clean", pass, auth(authenticity.Clean), true, false, []reason.Code{}, storage.Approved},
		{"edited in an editor", pass, auth(authenticity.Edited), false, false, []reason.Code{reason.DocEdited}, storage.Rejected},
		{"a screenshot", pass, auth(authenticity.Screenshot), false, false, []reason.Code{reason.DocNotOriginal}, storage.Rejected},
		{"a forensic finding", pass, auth(authenticity.Review, box), true, true, []reason.Code{}, storage.ManualReview},
		{"a forensic finding on a blurry photo", blurry, auth(authenticity.Review, box), false, false, []reason.Code{reason.DocBlurry}, storage.Rejected},
	} {
		r := documentResult(c.rep, c.auth)
		if r.OK != c.ok || r.Borderline != c.border || !slices.Equal(r.Reasons, c.reasons) || r.Scores["auth_local_anomaly"] != 0.03 {
			t.Errorf("%s: ok=%v borderline=%v reasons=%v scores=%v", c.name, r.OK, r.Borderline, r.Reasons, r.Scores)
		}
		if len(c.auth.Regions) > 0 && (r.Scores["auth_region_x0"] != 10 || r.Scores["auth_region_y1"] != 60) {
			t.Errorf("%s: region scores %v", c.name, r.Scores)
		}
		r.Check = "doc_quality:doc_front"
		d := kyc.Decide(kyc.DecisionInput{Expected: []string{r.Check}, Results: []storage.CheckResult{r}}, kyc.Policy{})
		if d.Outcome != c.outcome {
			t.Errorf("%s: decided %s %v, want %s", c.name, d.Outcome, d.Reasons, c.outcome)
		}
	}
	if rep := blurry; documentResult(rep, nil).OK || rep.Reasons[0] != reason.DocBlurry {
		t.Error("no authenticity report must leave the quality result as it is")
	}
}

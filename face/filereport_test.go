package face

import (
	"bytes"
	"testing"

	"github.com/kycq/kycq/kyc/reason"
)

func TestFileReportVerdict(t *testing.T) {
	for _, tc := range []struct {
		ok, borderline bool
		want           string
		matched        bool
	}{
		{true, false, "MATCH", true},
		{true, true, "MATCH (borderline: manual review)", false},
		{false, true, "NO MATCH (borderline: manual review)", false},
		{false, false, "NO MATCH", false},
	} {
		r := NewFileReport("doc.jpg", "selfie.mp4", &Result{OK: tc.ok, Borderline: tc.borderline})
		if got := r.Verdict(); got != tc.want || r.Matched() != tc.matched {
			t.Errorf("ok %v borderline %v: %q matched %v; want %q %v", tc.ok, tc.borderline, got, r.Matched(), tc.want, tc.matched)
		}
	}
}

func TestFileReportPrint(t *testing.T) {
	res := &Result{Similarity: 0.25, Threshold: 0.5, Reasons: []reason.Code{reason.FaceMismatch},
		Scores: map[string]float64{"similarity": 0.25, "liveness": 1}}
	res.Timings.Total = 12
	r := NewFileReport("doc.jpg", "me.png", res)
	var b bytes.Buffer
	r.Print(&b)
	want := "doc.jpg vs me.png: NO MATCH  similarity 0.250 (threshold 0.50)  12 ms\n" +
		"  face_mismatch      " + reason.Remedy(reason.FaceMismatch) + "\n" +
		"  liveness    1\n" +
		"  similarity  0.25\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

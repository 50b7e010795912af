package checkrun

import (
	"testing"

	"github.com/kycq/kycq/authenticity"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc/reason"
)

func TestAnnotatedName(t *testing.T) {
	for _, tc := range []struct {
		out, file string
		n         int
		want      string
	}{
		{"out.png", "a/front.jpg", 1, "out.png"},
		{"out.png", "a/front.jpg", 2, "out-front.png"},
		{"dir/x.png", "b/back.v2.png", 3, "dir/x-back.v2.png"},
	} {
		if got := AnnotatedName(tc.out, tc.file, tc.n); got != tc.want {
			t.Errorf("AnnotatedName(%q, %q, %d) = %q; want %q", tc.out, tc.file, tc.n, got, tc.want)
		}
	}
}

func TestFileReportRow(t *testing.T) {
	r := FileReport{File: "f.jpg", MS: 12.34, Report: imagecheck.Report{OK: false, Reasons: []reason.Code{"doc_blurry"},
		Checks: []imagecheck.CheckResult{{Name: "blur", Score: 0.5, Pass: false}, {Name: "glare", Score: 0.125, Pass: true}}},
		Authenticity: &authenticity.Report{Verdict: "clean"}}
	want := "f.jpg\tfalse\tdoc_blurry\t12.3\t!blur=0.5 glare=0.125 authenticity=clean"
	if got := r.Row(); got != want {
		t.Errorf("Row() = %q; want %q", got, want)
	}
}

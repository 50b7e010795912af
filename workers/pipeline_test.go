package workers

import (
	"fmt"
	"testing"

	"github.com/kycq/kycq/kyc/reason"
)

// A holder check matches only on a clear face match; otherwise it says
// why, with the face rules' codes, and face_mismatch when they gave none
// (a borderline similarity).
func TestHolderMatch(t *testing.T) {
	for _, tc := range []struct {
		name       string
		ok         bool
		borderline bool
		reasons    []reason.Code
		want       HolderMatch
	}{
		{"clear match", true, false, nil, HolderMatch{Matched: true, Score: 0.8}},
		{"borderline", true, true, nil, HolderMatch{Score: 0.8, Reasons: []reason.Code{reason.FaceMismatch}}},
		{"different face", false, false, []reason.Code{reason.FaceMismatch}, HolderMatch{Score: 0.8, Reasons: []reason.Code{reason.FaceMismatch}}},
		{"unusable selfie", false, false, []reason.Code{reason.FacePoorQuality, reason.LivenessFailed},
			HolderMatch{Score: 0.8, Reasons: []reason.Code{reason.FacePoorQuality, reason.LivenessFailed}}},
	} {
		if got := holderMatch(tc.ok, tc.borderline, 0.8, tc.reasons); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

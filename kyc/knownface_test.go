package kyc

import (
	"reflect"
	"testing"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

func TestWithKnownFaces(t *testing.T) {
	approved := storage.Decision{VerificationID: "v1", Outcome: storage.Approved, Reasons: []reason.Code{}}
	rejected := storage.Decision{VerificationID: "v1", Outcome: storage.Rejected, Reasons: []reason.Code{reason.FaceMismatch}}
	review := storage.Decision{VerificationID: "v1", Outcome: storage.ManualReview, Reasons: []reason.Code{reason.ManualReview}, Note: NoteBorderline}
	other := KnownFaceMatch{AccountID: "other", Distance: 0.3}
	sameDoc := KnownFaceMatch{AccountID: "other", SameDocument: true, Distance: 0.3}
	own := KnownFaceMatch{AccountID: "me", Distance: 0.2}
	flagged := storage.Decision{VerificationID: "v1", Outcome: storage.ManualReview,
		Reasons: []reason.Code{reason.ManualReview, reason.FaceAlreadyVerified}, Note: NoteFaceAlreadyVerified}
	for _, c := range []struct {
		name    string
		d       storage.Decision
		matches []KnownFaceMatch
		want    storage.Decision
	}{
		{"no known face", approved, nil, approved},
		{"the same face on another account, another document", approved, []KnownFaceMatch{other}, flagged},
		{"the same face and document on another account: occupancy decides", approved, []KnownFaceMatch{sameDoc}, approved},
		{"the account's own earlier face", approved, []KnownFaceMatch{own}, approved},
		{"own first, then another account's", approved, []KnownFaceMatch{own, other}, flagged},
		{"a rejection stands", rejected, []KnownFaceMatch{other}, rejected},
		{"a review stands", review, []KnownFaceMatch{other}, review},
	} {
		if got := WithKnownFaces(c.d, "me", c.matches); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
	for _, c := range []reason.Code{reason.FaceAlreadyVerified, reason.DocEdited} {
		if reason.Remedy(c) == "" {
			t.Errorf("%s has no remedy", c)
		}
	}
}

package workers

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

func TestPhotoUnreadable(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		ok   bool
		want []reason.Code
	}{
		{"read", nil, false, nil},
		{"missing", storage.ErrNotFound, true, []reason.Code{reason.UploadMissing}},
		{"missing, wrapped", fmt.Errorf("get: %w", storage.ErrNotFound), true, []reason.Code{reason.UploadMissing}},
		{"too large", fmt.Errorf("%w: 9 > 8 bytes", ErrTooLarge), true, []reason.Code{reason.DocUnreadable}},
		{"transient", errors.New("connection reset"), false, nil},
	} {
		r, ok := photoUnreadable("doc_quality:doc_front", tc.err)
		if ok != tc.ok || !slices.Equal(r.Reasons, tc.want) {
			t.Errorf("%s: %v %v, want %v %v", tc.name, r.Reasons, ok, tc.want, tc.ok)
		}
		if ok && r.Check != "doc_quality:doc_front" {
			t.Errorf("%s: check %q", tc.name, r.Check)
		}
	}
}

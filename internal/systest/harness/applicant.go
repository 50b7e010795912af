package harness

import (
	"context"
	"sync"
	"testing"

	"github.com/kycq/kycq/internal/eval/sample"
)

var (
	applicantsMu sync.Mutex
	applicants   = map[sample.Options]*sample.Applicant{}
)

// Applicant returns the sample applicant (document photos, selfie video,
// basic info) of o, made once per test binary: ffmpeg makes the video, so
// tests share one applicant's files and vary only what they submit.
func Applicant(t testing.TB, o sample.Options) *sample.Applicant {
	t.Helper()
	applicantsMu.Lock()
	defer applicantsMu.Unlock()
	if a, ok := applicants[o]; ok {
		return a
	}
	a, err := sample.New(context.Background(), o)
	if err != nil {
		t.Fatalf("sample: %v", err)
	}
	applicants[o] = a
	return a
}

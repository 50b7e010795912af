package api

import (
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

func TestWithFieldsNamesMismatchedFields(t *testing.T) {
	results := []storage.CheckResult{
		{Check: "doc_quality:doc_front", OK: true, Scores: map[string]float64{"match:name": 0}},
		{Check: "doc_read", Reasons: []reason.Code{reason.DocDataMismatch},
			Scores: map[string]float64{"readable": 1, "match:name": 0, "match:document_number": 0, "match:birth_date": 1}},
	}
	for _, tc := range []struct {
		name    string
		codes   []reason.Code
		results []storage.CheckResult
		want    [][]string
	}{
		{"mismatch named", []reason.Code{reason.DocExpired, reason.DocDataMismatch}, results,
			[][]string{nil, {"document_number", "name"}}},
		{"no read result", []reason.Code{reason.DocDataMismatch}, results[:1], [][]string{nil}},
		{"other codes untouched", []reason.Code{reason.NameMismatch}, results, [][]string{nil}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := withFields(reason.Details(tc.codes), tc.results)
			for i, d := range got {
				if !slices.Equal(d.Fields, tc.want[i]) {
					t.Errorf("%s: fields %v, want %v", d.Code, d.Fields, tc.want[i])
				}
			}
		})
	}
}

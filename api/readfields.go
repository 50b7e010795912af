package api

import (
	"sort"
	"strings"

	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// withFields names the fields of a doc_data_mismatch: those the doc_read
// result scores 0 ("match:<field>"). Field names only, never data.
func withFields(details []reason.Detail, results []storage.CheckResult) []reason.Detail {
	fields := mismatchedFields(results)
	if len(fields) == 0 {
		return details
	}
	for i := range details {
		if details[i].Code == reason.DocDataMismatch {
			details[i].Fields = fields
		}
	}
	return details
}

// mismatchedFields lists, sorted, the fields the doc_read result found to
// differ from the document.
func mismatchedFields(results []storage.CheckResult) []string {
	var out []string
	for _, r := range results {
		if r.Check != tasks.CheckDocRead {
			continue
		}
		for k, v := range r.Scores {
			if f, ok := strings.CutPrefix(k, kyc.ScoreMatchPrefix); ok && v == 0 {
				out = append(out, f)
			}
		}
	}
	sort.Strings(out)
	return out
}

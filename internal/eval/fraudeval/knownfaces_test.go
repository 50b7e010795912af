package fraudeval

import (
	"math"
	"slices"
	"testing"

	"github.com/kycq/kycq/knownfaces"
)

// TestTally: a selfie's search counts another person's portrait within
// the distance as a false match, but lists (and does not count) another
// portrait of the same person and one nobody can tell from that person;
// its own card beyond the distance is listed as missed.
func TestTally(t *testing.T) {
	person := map[string]string{
		"face#1":        "gocv-man",
		"face-detect#1": "gocv-man",
		"sample1#3":     "s1-right",
		"sample3#2":     "s3-centre", // faceeval's uncertain pair with s1-right
		"pigo-sample#1": "pigo-man",
		"unlabelled#1":  "",
		"unlabelled#2":  "",
	}
	tests := []struct {
		name           string
		all            []knownfaces.Match
		own            bool
		false_, same   int
		uncertain, mis int
		nearest        float64
	}{
		{"face#1", []knownfaces.Match{{AccountID: "face#1", Distance: 0.2}, {AccountID: "face-detect#1", Distance: 0.24}, {AccountID: "pigo-sample#1", Distance: 0.7}}, true, 0, 1, 0, 0, 0.7},
		{"sample3#2", []knownfaces.Match{{AccountID: "sample1#3", Distance: 0.39}, {AccountID: "sample3#2", Distance: 0.45}}, false, 0, 0, 1, 1, math.Inf(1)},
		{"pigo-sample#1", []knownfaces.Match{{AccountID: "pigo-sample#1", Distance: 0.1}, {AccountID: "face#1", Distance: 0.35}}, true, 1, 0, 0, 0, 0.35},
		// Two unlabelled portraits are two people as far as anyone knows.
		{"unlabelled#1", []knownfaces.Match{{AccountID: "unlabelled#2", Distance: 0.3}, {AccountID: "unlabelled#1", Distance: 0.31}}, true, 1, 0, 0, 0, 0.3},
	}
	for _, tt := range tests {
		rep := Report{Threshold: 0.40, NearestOther: math.Inf(1)}
		own := rep.tally(tt.name, tt.all, person)
		if own != tt.own || rep.FalseMatches != tt.false_ || len(rep.FalsePairs) != tt.false_ ||
			len(rep.SamePairs) != tt.same || len(rep.UncertainPairs) != tt.uncertain || len(rep.Missed) != tt.mis ||
			rep.NearestOther != tt.nearest {
			t.Errorf("%s: own %v false %d (%v) same %v uncertain %v missed %v nearest %v; want own %v false %d same %d uncertain %d missed %d nearest %v",
				tt.name, own, rep.FalseMatches, rep.FalsePairs, rep.SamePairs, rep.UncertainPairs, rep.Missed, rep.NearestOther,
				tt.own, tt.false_, tt.same, tt.uncertain, tt.mis, tt.nearest)
		}
	}
	rep := Report{Threshold: 0.40, NearestOther: math.Inf(1)}
	rep.tally("face#1", tests[0].all, person)
	if !slices.Equal(rep.SamePairs, []string{"face#1~face-detect#1 0.240"}) {
		t.Errorf("same pairs %q", rep.SamePairs)
	}
}

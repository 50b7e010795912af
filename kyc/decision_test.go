package kyc

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

var expected = []string{"doc_data", "doc_quality:doc_back", "doc_quality:doc_front", "face_match"}

func pass(check string) storage.CheckResult { return storage.CheckResult{Check: check, OK: true} }

func fail(check string, codes ...reason.Code) storage.CheckResult {
	return storage.CheckResult{Check: check, Reasons: codes}
}

func allPass() []storage.CheckResult {
	var out []storage.CheckResult
	for _, c := range expected {
		out = append(out, pass(c))
	}
	return out
}

// replace returns the passing results with some replaced.
func replace(rs ...storage.CheckResult) []storage.CheckResult {
	out := allPass()
	for _, r := range rs {
		for i := range out {
			if out[i].Check == r.Check {
				out[i] = r
			}
		}
	}
	return out
}

func TestDecide(t *testing.T) {
	borderlineFace := storage.CheckResult{Check: "face_match", OK: true, Borderline: true}
	borderlineMismatch := storage.CheckResult{Check: "face_match", Reasons: []reason.Code{reason.FaceMismatch}, Borderline: true}
	gaveUp := storage.CheckResult{Check: "face_match", Failed: true, Reasons: []reason.Code{reason.CheckFailed}}
	manual := func(note string, extra ...reason.Code) storage.Decision {
		return storage.Decision{Outcome: storage.ManualReview, Note: note, Reasons: append([]reason.Code{reason.ManualReview}, extra...)}
	}
	for _, tc := range []struct {
		name string
		in   DecisionInput
		want storage.Decision
	}{
		{"all pass", DecisionInput{Expected: expected, Results: allPass()}, storage.Decision{Outcome: storage.Approved}},
		{"one failure", DecisionInput{Expected: expected, Results: replace(fail("doc_data", reason.DocExpired))},
			storage.Decision{Outcome: storage.Rejected, Reasons: []reason.Code{reason.DocExpired}}},
		{"every failing code, by check name, deduplicated", DecisionInput{Expected: expected, Results: replace(
			fail("face_match", reason.FaceMismatch, reason.LivenessFailed),
			fail("doc_quality:doc_front", reason.DocGlare, reason.DocBlurry),
			fail("doc_quality:doc_back", reason.DocBlurry, reason.DocCutOff),
			fail("doc_data", reason.DocExpired, reason.NameMismatch))},
			storage.Decision{Outcome: storage.Rejected, Reasons: []reason.Code{
				reason.DocExpired, reason.NameMismatch, reason.DocBlurry, reason.DocCutOff, reason.DocGlare,
				reason.FaceMismatch, reason.LivenessFailed}}},
		{"upload missing is a rejection", DecisionInput{Expected: expected, Results: replace(fail("doc_quality:doc_back", reason.UploadMissing))},
			storage.Decision{Outcome: storage.Rejected, Reasons: []reason.Code{reason.UploadMissing}}},
		{"unreadable document rejects (retake)", DecisionInput{Expected: expected,
			Results: append(allPass(), fail("doc_read", reason.DocTextUnreadable))},
			storage.Decision{Outcome: storage.Rejected, Reasons: []reason.Code{reason.DocTextUnreadable}}},
		{"unreadable document after repeated rejections: manual review", DecisionInput{Expected: expected,
			Results: append(allPass(), fail("doc_read", reason.DocTextUnreadable)), RecentRejections: 3},
			manual(NoteRepeatedRejections)},
		{"data mismatch beside passing checks", DecisionInput{Expected: expected,
			Results: append(allPass(), pass("doc_read:doc_front"), fail("doc_read", reason.DocDataMismatch, reason.DocExpired))},
			storage.Decision{Outcome: storage.Rejected, Reasons: []reason.Code{reason.DocDataMismatch, reason.DocExpired}}},
		{"borderline", DecisionInput{Expected: expected, Results: replace(borderlineFace)}, manual(NoteBorderline)},
		{"borderline and not OK", DecisionInput{Expected: expected, Results: replace(borderlineMismatch)}, manual(NoteBorderline)},
		{"hard reject beats borderline", DecisionInput{Expected: expected, Results: replace(borderlineMismatch, fail("doc_data", reason.DocExpired))},
			storage.Decision{Outcome: storage.Rejected, Reasons: []reason.Code{reason.DocExpired}}},
		{"check gave up", DecisionInput{Expected: expected, Results: replace(gaveUp)}, manual(NoteCheckFailed, reason.CheckFailed)},
		{"hard reject beats a check that gave up", DecisionInput{Expected: expected, Results: replace(gaveUp, fail("doc_data", reason.Underage))},
			storage.Decision{Outcome: storage.Rejected, Reasons: []reason.Code{reason.Underage}}},
		{"check failed beats borderline", DecisionInput{Expected: expected, Results: replace(gaveUp, storage.CheckResult{Check: "doc_data", OK: true, Borderline: true})},
			manual(NoteCheckFailed, reason.CheckFailed)},
		{"missing result", DecisionInput{Expected: expected, Results: allPass()[1:]}, manual(NoteCheckFailed, reason.CheckFailed)},
		{"not OK without a code", DecisionInput{Expected: expected, Results: replace(fail("doc_data"))}, manual(NoteCheckFailed, reason.CheckFailed)},
		{"not OK with only system codes", DecisionInput{Expected: expected, Results: replace(fail("doc_data", reason.CheckFailed, reason.ManualReview))},
			manual(NoteCheckFailed, reason.CheckFailed)},
		{"system codes never reach a rejection", DecisionInput{Expected: expected, Results: replace(fail("doc_data", reason.CheckFailed, reason.DocExpired))},
			storage.Decision{Outcome: storage.Rejected, Reasons: []reason.Code{reason.DocExpired}}},
		{"nothing checked", DecisionInput{}, manual(NoteCheckFailed, reason.CheckFailed)},
		{"extra results count", DecisionInput{Expected: expected, Results: append(allPass(), fail("watchlist", reason.DocNotOriginal))},
			storage.Decision{Outcome: storage.Rejected, Reasons: []reason.Code{reason.DocNotOriginal}}},
		{"compliance flag beats approval", DecisionInput{Expected: expected, Results: allPass(), Flags: []string{"pep"}}, manual(NoteComplianceFlag)},
		{"compliance flag beats rejection", DecisionInput{Expected: expected, Results: replace(fail("doc_data", reason.DocExpired)), Flags: []string{"sanctions"}},
			manual(NoteComplianceFlag)},
		{"blank flags ignored", DecisionInput{Expected: expected, Results: allPass(), Flags: []string{"", " "}}, storage.Decision{Outcome: storage.Approved}},
		{"2 rejections: still automatic", DecisionInput{Expected: expected, Results: replace(fail("doc_data", reason.DocExpired)), RecentRejections: 2},
			storage.Decision{Outcome: storage.Rejected, Reasons: []reason.Code{reason.DocExpired}}},
		{"3 rejections: manual instead of reject", DecisionInput{Expected: expected, Results: replace(fail("doc_data", reason.DocExpired)), RecentRejections: 3},
			manual(NoteRepeatedRejections)},
		{"3 rejections: manual instead of approve", DecisionInput{Expected: expected, Results: allPass(), RecentRejections: 3}, manual(NoteRepeatedRejections)},
		{"flag beats repeated rejections", DecisionInput{Expected: expected, Results: allPass(), RecentRejections: 9, Flags: []string{"pep"}}, manual(NoteComplianceFlag)},
	} {
		got := Decide(tc.in, Policy{})
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
}

func TestDecidePolicy(t *testing.T) {
	in := DecisionInput{Expected: expected, Results: replace(fail("doc_data", reason.DocExpired)), RecentRejections: 4}
	if d := Decide(in, Policy{RepeatedRejections: 5}); d.Outcome != storage.Rejected {
		t.Fatalf("N=5, 4 rejections: %v", d.Outcome)
	}
	if d := Decide(in, Policy{RepeatedRejections: -1}); d.Outcome != storage.Rejected {
		t.Fatalf("rule off: %v", d.Outcome)
	}
	if d := Decide(in, Policy{}); d.Outcome != storage.ManualReview {
		t.Fatalf("zero policy (default N=3): %v", d.Outcome)
	}
}

// randomInput draws results for the expected checks and some extras.
func randomInput(r *rand.Rand) DecisionInput {
	codes := []reason.Code{reason.DocExpired, reason.DocBlurry, reason.FaceMismatch, reason.UploadMissing, reason.CheckFailed, reason.ManualReview}
	in := DecisionInput{Expected: expected, RecentRejections: r.IntN(5)}
	if r.IntN(8) == 0 {
		in.Flags = []string{"pep"}
	}
	for _, c := range append(slices.Clone(expected), "extra") {
		if r.IntN(10) == 0 {
			continue // missing
		}
		res := storage.CheckResult{Check: c, OK: r.IntN(2) == 0, Failed: r.IntN(8) == 0, Borderline: r.IntN(5) == 0}
		for range r.IntN(3) {
			res.Reasons = append(res.Reasons, codes[r.IntN(len(codes))])
		}
		in.Results = append(in.Results, res)
		if r.IntN(10) == 0 {
			in.Results = append(in.Results, res) // a duplicate delivery
		}
	}
	return in
}

// Properties of Decide over random inputs: deterministic, independent of
// the order of results, never approving without every expected check
// passing, rejections always carrying user-fixable codes, manual reviews
// always carrying a note.
func TestDecideProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		in := randomInput(r)
		d := Decide(in, Policy{})
		shuffled := in
		shuffled.Results = slices.Clone(in.Results)
		r.Shuffle(len(shuffled.Results), func(i, j int) {
			shuffled.Results[i], shuffled.Results[j] = shuffled.Results[j], shuffled.Results[i]
		})
		if again := Decide(shuffled, Policy{}); !reflect.DeepEqual(d, again) {
			t.Fatalf("order changed the decision:\n%+v\n%+v\ninput %+v", d, again, in)
		}
		switch d.Outcome {
		case storage.Approved:
			if len(in.Flags) > 0 || in.RecentRejections >= 3 || len(d.Reasons) != 0 {
				t.Fatalf("approved despite flags/rejections: %+v", in)
			}
			for _, c := range in.Expected {
				ok := false
				for _, res := range in.Results {
					ok = ok || (res.Check == c && res.OK && !res.Failed)
				}
				if !ok {
					t.Fatalf("approved without %s passing: %+v", c, in)
				}
			}
			for _, res := range in.Results {
				if !res.OK || res.Failed || res.Borderline {
					t.Fatalf("approved with a non-passing result: %+v", in)
				}
			}
		case storage.Rejected:
			if len(d.Reasons) == 0 || d.Note != "" {
				t.Fatalf("rejection without reasons: %+v", d)
			}
			seen := map[reason.Code]bool{}
			for _, c := range d.Reasons {
				if c == reason.CheckFailed || c == reason.ManualReview || seen[c] {
					t.Fatalf("bad rejection reasons %v", d.Reasons)
				}
				seen[c] = true
			}
		case storage.ManualReview:
			if d.Note == "" || len(d.Reasons) == 0 || d.Reasons[0] != reason.ManualReview {
				t.Fatalf("manual review without note: %+v", d)
			}
		default:
			t.Fatalf("outcome %q", d.Outcome)
		}
	}
}

func BenchmarkDecide(b *testing.B) {
	in := DecisionInput{Expected: expected, Results: replace(fail("doc_data", reason.DocExpired, reason.NameMismatch),
		fail("doc_quality:doc_front", reason.DocGlare))}
	for b.Loop() {
		Decide(in, Policy{})
	}
}

func BenchmarkCheckData(b *testing.B) {
	a := passport()
	for b.Loop() {
		CheckData(a, before2012, DataPolicy{})
	}
}

func BenchmarkCheckDataMainland(b *testing.B) {
	a := mainland()
	for b.Loop() {
		CheckData(a, now, DataPolicy{})
	}
}

package kyc

import (
	"slices"
	"strings"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// Policy holds the tunables of the decision (rules.md §5).
type Policy struct {
	// RepeatedRejections is N: an account with at least N rejected
	// decisions within RejectionWindow gets manual_review instead of an
	// automatic answer. 0 means the default (3); a negative value turns
	// the rule off.
	RepeatedRejections int
}

func (p Policy) repeated() int {
	if p.RepeatedRejections == 0 {
		return 3
	}
	return p.RepeatedRejections
}

// DecisionInput is everything the decision depends on.
type DecisionInput struct {
	// Expected are the checks the decision waits for
	// (storage.Verification.Checks). One without a result counts as a
	// check that could not run.
	Expected []string
	// Results are the stored check results, in any order.
	Results []storage.CheckResult
	// Flags are the compliance flags on the verification.
	Flags []string
	// RecentRejections counts the account's rejected decisions within
	// the rejection window before this one (the caller counts them:
	// workers.Policy.RejectionWindow, KYCQ_REJECTION_WINDOW).
	RecentRejections int
}

// Notes of manual_review decisions: fixed phrases, never personal data.
const (
	NoteComplianceFlag     = "compliance flag"
	NoteRepeatedRejections = "repeated rejections"
	NoteCheckFailed        = "a check could not run"
	NoteBorderline         = "borderline score"
)

// Decide fans in every check result of a verification (rules.md §5). It is
// a pure, deterministic function of its input — the order of Results does
// not matter — so a redelivered decision task decides the same way; the
// store keeps the first decision saved.
//
// Precedence, first match wins:
//  1. a compliance flag → manual_review (NoteComplianceFlag);
//  2. at least N recent rejections → manual_review
//     (NoteRepeatedRejections), whatever the checks say;
//  3. any hard failure → rejected, with every failing code of every check,
//     deduplicated, ordered by check name then by the check's own order.
//     A hard failure is a result that ran (not Failed), is not OK and is
//     not Borderline; upload_missing is one;
//  4. a check that could not run (Failed, no result, or not OK without a
//     user-fixable code), or no check at all → manual_review
//     (NoteCheckFailed, reasons manual_review and check_failed);
//  5. a borderline result → manual_review (NoteBorderline);
//  6. otherwise approved.
//
// So a hard reject such as doc_expired beats a borderline face score or a
// failed check: the user must resubmit anyway, and is told why at once.
// VerificationID and DecidedAt are left for the caller to set.
func Decide(in DecisionInput, p Policy) storage.Decision {
	manual := func(note string, extra ...reason.Code) storage.Decision {
		return storage.Decision{Outcome: storage.ManualReview, Note: note,
			Reasons: append([]reason.Code{reason.ManualReview}, extra...)}
	}
	for _, f := range in.Flags {
		if strings.TrimSpace(f) != "" {
			return manual(NoteComplianceFlag)
		}
	}
	if n := p.repeated(); n > 0 && in.RecentRejections >= n {
		return manual(NoteRepeatedRejections)
	}

	results := slices.Clone(in.Results)
	slices.SortStableFunc(results, compareResults)
	var (
		hard       []reason.Code
		failed     bool
		borderline bool
		have       = map[string]bool{}
	)
	for _, r := range results {
		have[r.Check] = true
		switch {
		case r.Failed || systemOnly(r):
			failed = true
		case r.OK:
			borderline = borderline || r.Borderline
		case r.Borderline:
			borderline = true
		default:
			for _, c := range r.Reasons {
				if !system[c] && !slices.Contains(hard, c) {
					hard = append(hard, c)
				}
			}
		}
	}
	for _, c := range in.Expected {
		if !have[c] {
			failed = true
		}
	}
	switch {
	case len(hard) > 0:
		return storage.Decision{Outcome: storage.Rejected, Reasons: hard}
	case failed || len(results) == 0:
		return manual(NoteCheckFailed, reason.CheckFailed)
	case borderline:
		return manual(NoteBorderline)
	}
	return storage.Decision{Outcome: storage.Approved}
}

// system codes say something about kycq, not about the submission: they
// are never a reason to reject.
var system = map[reason.Code]bool{reason.CheckFailed: true, reason.ManualReview: true}

// systemOnly reports a result that is not OK but names no user-fixable
// code: it cannot be told to the user as a rejection.
func systemOnly(r storage.CheckResult) bool {
	if r.OK {
		return false
	}
	for _, c := range r.Reasons {
		if !system[c] {
			return false
		}
	}
	return true
}

// compareResults orders results canonically: by check name, then by
// content, so that Decide does not depend on the order it is given.
func compareResults(a, b storage.CheckResult) int {
	if c := strings.Compare(a.Check, b.Check); c != 0 {
		return c
	}
	key := func(r storage.CheckResult) string {
		var s strings.Builder
		for _, f := range []bool{r.OK, r.Failed, r.Borderline} {
			if f {
				s.WriteByte('1')
			} else {
				s.WriteByte('0')
			}
		}
		for _, c := range r.Reasons {
			s.WriteString("," + string(c))
		}
		return s.String()
	}
	return strings.Compare(key(a), key(b))
}

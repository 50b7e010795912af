// Package review is the staff side of kycq (rules §9): named staff users
// with roles, their sessions, the manual-review queue with leased claims,
// reviewers' decisions (four eyes over hard automatic findings), support
// cases, and the audit log of every staff action and every staff view of
// personal data. The reviewer API (package api, /v1/review) and the web
// console (package console) are thin layers over a Service.
//
// Nothing personal reaches the process logs: notes are sealed at rest, and
// log lines carry IDs, roles, outcomes and reason codes only.
package review

import (
	"slices"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// Permission is something a staff role may do.
type Permission string

const (
	// PermRead: see the queue, cases, their personal data and the audit
	// trail (every view is audited).
	PermRead Permission = "read"
	// PermReview: claim and decide manual reviews.
	PermReview Permission = "review"
	// PermSecondApproval: give the second approval of a four-eyes case.
	PermSecondApproval Permission = "second_approval"
	// PermSupport: work support cases.
	PermSupport Permission = "support"
	// PermStaff: manage staff users.
	PermStaff Permission = "staff"
)

var grants = map[storage.StaffRole][]Permission{
	storage.RoleReviewer:       {PermRead, PermReview},
	storage.RoleSeniorReviewer: {PermRead, PermReview, PermSecondApproval},
	storage.RoleSupport:        {PermRead, PermSupport},
	storage.RoleAuditor:        {PermRead},
	storage.RoleAdmin:          {PermRead, PermReview, PermSecondApproval, PermSupport, PermStaff},
}

// Can reports whether role r has permission p.
func Can(r storage.StaffRole, p Permission) bool { return slices.Contains(grants[r], p) }

// hardFindings are the automatic findings a single reviewer may not
// override (rules §9): a face mismatch, a data mismatch, a fraud signal
// (rules §10).
var hardFindings = []reason.Code{
	reason.FaceMismatch, reason.DocDataMismatch, reason.NameMismatch,
	reason.DocNotOriginal, reason.LivenessFailed,
	"doc_edited", "face_already_verified", // fraud signals (rules §10)
}

// NeedsFourEyes reports whether approving a case with these codes (the
// decision's and every check's) needs a second, different senior
// reviewer.
func NeedsFourEyes(codes []reason.Code) bool {
	for _, c := range codes {
		if slices.Contains(hardFindings, c) {
			return true
		}
	}
	return false
}

// HardFindings returns the codes among codes that need four eyes to be
// overridden.
func HardFindings(codes []reason.Code) []reason.Code {
	var out []reason.Code
	for _, c := range codes {
		if slices.Contains(hardFindings, c) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// rejectable reports whether a reviewer may reject with code c: a
// catalogue code that tells the applicant something (not the system codes
// manual_review and check_failed).
func rejectable(c reason.Code) bool {
	return reason.Known(c) && c != reason.ManualReview && c != reason.CheckFailed
}

// RejectCodes lists the codes a reviewer may reject with.
func RejectCodes() []reason.Code {
	var out []reason.Code
	for _, c := range reason.All() {
		if rejectable(c) {
			out = append(out, c)
		}
	}
	return out
}

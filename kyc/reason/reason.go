// Package reason is the catalogue of the stable reason codes kycq reports and
// the user-facing remedy shown with each.
//
// Codes are part of the public API: clients switch on them, dashboards count
// them (they are the only values kycq puts in metric labels next to check
// names), and operators search logs for them. A code is never renamed; new
// codes may be added.
package reason

import "sort"

// Code is a stable, machine-readable reason for a failed check or a refusal.
type Code string

// Document photo (rules §2).
const (
	DocUnreadable    Code = "doc_unreadable"
	DocLowResolution Code = "doc_low_resolution"
	DocBlurry        Code = "doc_blurry"
	DocGlare         Code = "doc_glare"
	DocCutOff        Code = "doc_cut_off"
	DocNotColour     Code = "doc_not_colour"
	DocTooDark       Code = "doc_too_dark"
	DocOverexposed   Code = "doc_overexposed"
	DocNotOriginal   Code = "doc_not_original"
	DocNoFace        Code = "doc_no_face"
)

// Fraud signals (rules §10).
const (
	// DocEdited: the photo was edited (editor software in its metadata,
	// recompression, a pasted or painted region).
	DocEdited Code = "doc_edited"
	// FaceAlreadyVerified: the selfie's face is already verified on
	// another account with a different document (a manual-review finding).
	FaceAlreadyVerified Code = "face_already_verified"
)

// Document data (rules §3).
const (
	DocExpired         Code = "doc_expired"
	DocMissingDOB      Code = "doc_missing_dob"
	DocNumberInvalid   Code = "doc_number_invalid"
	DocTypeUnsupported Code = "doc_type_unsupported"
	NameMismatch       Code = "name_mismatch"
	Underage           Code = "underage"
)

// Reading the document (rules §8).
const (
	// DocDataMismatch: what was typed differs from what the document
	// says. Its detail names the field ("document_type",
	// "document_number", "name", "birth_date", "expiry_date",
	// "nationality", "issuing_country", "sex"), never the data.
	DocDataMismatch Code = "doc_data_mismatch"
	// DocTextUnreadable: the document carries an MRZ or a printed number
	// that could not be read.
	DocTextUnreadable Code = "doc_text_unreadable"
)

// Face (rules §4).
const (
	FaceNotFound    Code = "face_not_found"
	FacePoorQuality Code = "face_poor_quality"
	FaceMismatch    Code = "face_mismatch"
	LivenessFailed  Code = "liveness_failed"
	FaceTimeout     Code = "face_timeout"
)

// Decision, occupancy and migration (rules §5–§7).
const (
	ManualReview             Code = "manual_review"
	DocAlreadyUsed           Code = "doc_already_used"
	MigrationSourceVerified  Code = "migration_source_verified"
	MigrationSourceNotEmpty  Code = "migration_source_not_empty"
	MigrationAlreadyUsed     Code = "migration_already_used"
	MigrationProofMissing    Code = "migration_proof_missing"
	MigrationContactNotFound Code = "migration_contact_not_found"
	MigrationInvalid         Code = "migration_invalid"
	// MigrationReviewDismissed: support dismissed the review case of a
	// scenario-B migration (rules §6, §9).
	MigrationReviewDismissed Code = "migration_review_dismissed"
	UploadMissing            Code = "upload_missing"
	CheckFailed              Code = "check_failed"
)

var remedies = map[Code]string{
	DocUnreadable:    "Upload a JPEG or PNG photo taken with the camera.",
	DocLowResolution: "Move closer so the document fills the frame.",
	DocBlurry:        "Hold the phone steady and let it focus before taking the photo.",
	DocGlare:         "Turn the flash off and avoid direct light on the card.",
	DocCutOff:        "Show all four corners of the document and keep fingers off the edges.",
	DocNotColour:     "Photograph the original document in colour, not a copy or a black-and-white photo.",
	DocTooDark:       "Use even light from the front; avoid shadows and backlight.",
	DocOverexposed:   "Use even light from the front; avoid strong light and backlight.",
	DocNotOriginal:   "Photograph the physical original; do not use a screenshot, a screen or a printout, and do not edit or crop.",
	DocNoFace:        "Photograph the side of the document that shows your photo.",

	DocEdited:           "Upload an unedited photo of the physical document, taken with the camera; do not retouch, filter or re-save it in an editor.",
	FaceAlreadyVerified: "Your verification needs a manual review; this usually takes minutes and at most about 2 hours.",

	DocExpired:         "Use a document that has not expired.",
	DocMissingDOB:      "Use a document that shows your date of birth.",
	DocNumberInvalid:   "Check the document number and date of birth you entered; they must match the document exactly.",
	DocTypeUnsupported: "Use a document accepted for your region (mainland China: the second-generation resident ID card).",
	NameMismatch:       "Enter your name exactly as on the document, spaces and special characters included (Chinese characters for a mainland ID).",
	Underage:           "You must be an adult to verify your identity.",

	DocDataMismatch:   "Enter your details exactly as printed on the document you photographed (name, document number, dates, nationality and sex).",
	DocTextUnreadable: "Take the photo again with the machine-readable zone or the document number sharp, fully visible and free of glare or fingers.",

	FaceNotFound:    "Keep your whole face in the frame, well lit, and look at the camera.",
	FacePoorQuality: "Use even light, avoid backlight, and remove masks, sunglasses or anything covering your face.",
	FaceMismatch:    "Make sure the selfie is of the person shown on the document.",
	LivenessFailed:  "Record a live selfie of yourself, not a photo of a photo or a screen.",
	FaceTimeout:     "Record the selfie video again and keep your face in view for a few seconds.",

	ManualReview:             "Your verification needs a manual review; this usually takes minutes and at most about 2 hours.",
	DocAlreadyUsed:           "This document has been verified by another account. You can ask to see which account holds it.",
	MigrationSourceVerified:  "The account you want to move from has completed identity verification; its contact details cannot be moved.",
	MigrationSourceNotEmpty:  "Withdraw or transfer all assets, cancel pending withdrawals and open orders on the other account first.",
	MigrationAlreadyUsed:     "This email or phone number has already been migrated once and cannot be migrated again.",
	MigrationProofMissing:    "Complete every verification step: the code sent to the new contact, the code sent to the original contact (or its reset), and your 2FA.",
	MigrationContactNotFound: "The email or phone number is not bound to the account you named.",
	MigrationReviewDismissed: "Support reviewed this migration and did not approve it. Contact support to learn what is missing, or log in to the account that holds your document.",
	MigrationInvalid:         "This migration is not possible between these accounts: they must be two different, open accounts, and at least one email or phone number must be named.",
	UploadMissing:            "Upload every required photo and the selfie video before submitting.",
	CheckFailed:              "Something went wrong on our side; your submission will be reviewed.",
}

// Remedy returns the user-facing remedy for c, or "" for an unknown code.
func Remedy(c Code) string { return remedies[c] }

// Known reports whether c is in the catalogue.
func Known(c Code) bool { _, ok := remedies[c]; return ok }

// All returns every known code, sorted.
func All() []Code {
	out := make([]Code, 0, len(remedies))
	for c := range remedies {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Detail is a code with its remedy, the form the API returns.
type Detail struct {
	Code   Code   `json:"code"`
	Remedy string `json:"remedy"`
	// Fields names what a doc_data_mismatch is about ("document_number",
	// "name"...): field names, never the data.
	Fields []string `json:"fields,omitempty"`
}

// Details expands codes into code+remedy pairs, dropping duplicates and
// keeping the first occurrence's order.
func Details(codes []Code) []Detail {
	seen := make(map[Code]bool, len(codes))
	out := make([]Detail, 0, len(codes))
	for _, c := range codes {
		if seen[c] {
			continue
		}
		seen[c] = true
		out = append(out, Detail{Code: c, Remedy: Remedy(c)})
	}
	return out
}

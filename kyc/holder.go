package kyc

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// Answers to "is the holding account yours?" (rules.md §6).
const (
	AnswerMine    = "mine"     // scenario B: move this account's contacts to the holder, freeze this account
	AnswerNotMine = "not_mine" // open a support case for suspected identity misuse
	// AnswerMineAccessible is stored for "mine" when the user can still log
	// in to the holding account (scenario A): nothing moves.
	AnswerMineAccessible = "mine_accessible"
)

// CaseIdentityMisuse is the kind of the support case "not mine" opens.
const CaseIdentityMisuse = "identity_misuse"

// CaseOccupancyMigration is the kind of the support case "mine" opens when
// the holder account is not accessible (scenario B): the migration waits
// for support to resolve the case (ReviewAllows).
const CaseOccupancyMigration = "occupancy_migration"

// Errors of the "view holder" flow; none carries personal data.
var (
	// ErrNotOccupied: the verification did not end as doc_already_used,
	// so there is no other holder to show.
	ErrNotOccupied = errors.New("kyc: the verification did not end as doc_already_used")
	// ErrNotRequester: only the account that submitted the verification
	// may ask about its document.
	ErrNotRequester = errors.New("kyc: the verification belongs to another account")
	// ErrAccountInactive: a frozen or closed account cannot start the flow.
	ErrAccountInactive = errors.New("kyc: the account is frozen or closed")
	// ErrHolderNotMatched: the fresh selfie has not (yet) matched the
	// holder's verified face; nothing may be shown or answered.
	ErrHolderNotMatched = errors.New("kyc: the fresh selfie has not matched the holder")
	// ErrHolderAnswered: the check was already answered differently.
	ErrHolderAnswered = errors.New("kyc: the holder check was already answered")
	// ErrBadAnswer: the answer is neither "mine" nor "not_mine".
	ErrBadAnswer = errors.New(`kyc: the answer must be "mine" or "not_mine"`)
	// ErrNoContacts: "mine" needs at least one contact to move.
	ErrNoContacts = errors.New("kyc: the account has no email or phone to move")
)

// CanViewHolder decides whether requester may ask to see the account
// holding the document of verification v: only for a verification of its
// own that was decided rejected with doc_already_used, while another
// account holds the document, and only from an account that is neither
// frozen nor closed (account may be nil: never seen, so active).
func CanViewHolder(v *storage.Verification, d storage.Decision, holder storage.Claim, requester string, account *storage.Account) error {
	switch {
	case v == nil || v.AccountID != requester:
		return ErrNotRequester
	case v.Status != storage.StatusDecided || d.Outcome != storage.Rejected || !slices.Contains(d.Reasons, reason.DocAlreadyUsed):
		return ErrNotOccupied
	case holder.DocKey != v.DocKey || holder.AccountID == "" || holder.AccountID == requester:
		return ErrNotOccupied
	case account != nil && account.Status != "" && account.Status != storage.AccountActive:
		return ErrAccountInactive
	}
	return nil
}

// HolderView is what the user sees of the holding account after a
// matching selfie: masked ID and masked contacts only.
type HolderView struct {
	AccountID string   `json:"account_id"` // masked, see MaskAccountID
	Emails    []string `json:"emails"`     // masked, sorted
	Phones    []string `json:"phones"`     // masked, sorted
}

// RevealHolder returns the masked view of the holder of a check, only when
// its fresh selfie matched the holder's verified face. holderContacts are
// the holder's bound contacts; their stored masked forms are shown, never
// more.
func RevealHolder(h storage.HolderCheck, holderContacts []storage.Contact) (HolderView, error) {
	if h.State != storage.HolderCheckMatched && h.State != storage.HolderCheckResolved {
		return HolderView{}, ErrHolderNotMatched
	}
	view := HolderView{AccountID: MaskAccountID(h.HolderAccount), Emails: []string{}, Phones: []string{}}
	for _, c := range holderContacts {
		if c.AccountID != h.HolderAccount || c.Masked == "" {
			continue
		}
		switch c.Kind {
		case storage.ContactEmail:
			view.Emails = append(view.Emails, c.Masked)
		case storage.ContactPhone:
			view.Phones = append(view.Phones, c.Masked)
		}
	}
	slices.Sort(view.Emails)
	slices.Sort(view.Phones)
	return view, nil
}

// HolderResolution is what an answer leads to: a migration to create
// (answer "mine") or a support case to open ("not_mine"). Their IDs are
// derived from the holder check's, so a repeated answer creates nothing
// new.
type HolderResolution struct {
	Answer    string
	Migration *storage.Migration
	Case      *storage.SupportCase
}

// OccupancyMigrationID is the ID of the scenario-B migration started by a
// holder check.
func OccupancyMigrationID(holderCheckID string) string { return "m_occ_" + holderCheckID }

// HolderCheckOf returns the holder check that started an occupancy
// migration, from its ID.
func HolderCheckOf(migrationID string) (string, bool) {
	id, ok := strings.CutPrefix(migrationID, "m_occ_")
	return id, ok && id != ""
}

// MisuseCaseID is the ID of the support case opened by a holder check:
// the identity-misuse case of "not mine" or the review case of a
// scenario-B "mine" (a holder check has one answer, so one case).
func MisuseCaseID(holderCheckID string) string { return "case_" + holderCheckID }

// HolderCheckOfCase returns the holder check that opened a support case,
// from its ID.
func HolderCheckOfCase(caseID string) (string, bool) {
	id, ok := strings.CutPrefix(caseID, "case_")
	return id, ok && id != "" && !strings.HasPrefix(id, "appeal_")
}

// ResolveHolder turns the user's answer on a matched holder check into what
// must happen (rules.md §6):
//   - "mine" (scenario B): a MigrationOccupancy from the requesting account
//     to the holder, moving every contact bound to the requesting account
//     (requesterContacts, filtered to it), with the proofs the calling
//     service attests (see MigrationProofsMet), and an
//     occupancy_migration support case under which support reviews it
//     (the migration runs only once the case is resolved);
//   - "not_mine": an identity_misuse support case.
//
// Answering again with the same answer gives the same resolution; with
// another answer, ErrHolderAnswered.
func ResolveHolder(h storage.HolderCheck, answer string, proofs storage.Proofs, requesterContacts []storage.Contact, now time.Time) (HolderResolution, error) {
	if answer != AnswerMine && answer != AnswerNotMine {
		return HolderResolution{}, ErrBadAnswer
	}
	switch h.State {
	case storage.HolderCheckMatched:
	case storage.HolderCheckResolved:
		if h.Answer != answer {
			return HolderResolution{}, ErrHolderAnswered
		}
	default:
		return HolderResolution{}, ErrHolderNotMatched
	}
	if answer == AnswerNotMine {
		return HolderResolution{Answer: answer, Case: &storage.SupportCase{
			ID: MisuseCaseID(h.ID), Kind: CaseIdentityMisuse, AccountID: h.AccountID,
			HolderAccount: h.HolderAccount, VerificationID: h.VerificationID, CreatedAt: now,
		}}, nil
	}
	var refs []storage.ContactRef
	for _, c := range requesterContacts {
		if c.AccountID == h.AccountID {
			refs = append(refs, storage.ContactRef{Kind: c.Kind, Hash: c.Hash, Masked: c.Masked})
		}
	}
	if len(refs) == 0 {
		return HolderResolution{}, ErrNoContacts
	}
	slices.SortFunc(refs, func(a, b storage.ContactRef) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Hash, b.Hash))
	})
	refs = slices.CompactFunc(refs, func(a, b storage.ContactRef) bool { return a.Kind == b.Kind && a.Hash == b.Hash })
	return HolderResolution{Answer: answer, Migration: &storage.Migration{
		ID: OccupancyMigrationID(h.ID), Kind: storage.MigrationOccupancy,
		SourceAccount: h.AccountID, TargetAccount: h.HolderAccount, Contacts: refs, Proofs: proofs,
		VerificationID: h.VerificationID, State: storage.MigrationRequested, CreatedAt: now, UpdatedAt: now,
	}, Case: &storage.SupportCase{
		ID: MisuseCaseID(h.ID), Kind: CaseOccupancyMigration, AccountID: h.AccountID,
		HolderAccount: h.HolderAccount, VerificationID: h.VerificationID, CreatedAt: now,
	}}, nil
}

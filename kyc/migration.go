package kyc

import (
	"errors"
	"fmt"
	"slices"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// The contact-migration state machine (rules.md §7):
//
//	requested ──► validated ──► executing ──► completed
//	    │             │             │
//	    ├─────────────┴─────────────┴──► refused (with a reason code)
//	    └─────────────┴─────────────┴──► failed  (gave up; fixed phrase)
//
// Every state but the three final ones has exactly one way forward; refused
// and failed are reachable from each of them. Final states have no exits.
var migrationTransitions = map[storage.MigrationState][]storage.MigrationState{
	storage.MigrationRequested: {storage.MigrationValidated, storage.MigrationRefused, storage.MigrationFailed},
	storage.MigrationValidated: {storage.MigrationExecuting, storage.MigrationRefused, storage.MigrationFailed},
	storage.MigrationExecuting: {storage.MigrationCompleted, storage.MigrationRefused, storage.MigrationFailed},
}

// MigrationStates lists every state, in the order of the machine.
func MigrationStates() []storage.MigrationState {
	return []storage.MigrationState{storage.MigrationRequested, storage.MigrationValidated, storage.MigrationExecuting,
		storage.MigrationCompleted, storage.MigrationRefused, storage.MigrationFailed}
}

// CanTransition reports whether the machine allows moving from one state
// to another.
func CanTransition(from, to storage.MigrationState) bool {
	return slices.Contains(migrationTransitions[from], to)
}

// Audit details of the transitions: fixed phrases, never personal data. A
// refusal's detail is its reason code.
const (
	DetailValidated   = "request validated"
	DetailExecuting   = "revalidated; executing"
	DetailGaveUp      = "gave up after retries"
	DetailStateFailed = "account state unavailable"
)

// ErrInvalidMigration is wrapped by ValidateMigrationRequest's errors.
var ErrInvalidMigration = errors.New("kyc: invalid migration request")

// ValidateMigrationRequest checks the shape of a migration request before
// it is stored, for the API to answer 400: a known kind, two different
// accounts, contacts that are emails or phones with a hash, none twice; a
// contact migration moves exactly one contact, an occupancy migration at
// least one and names its verification.
func ValidateMigrationRequest(m storage.Migration) error {
	bad := func(msg string) error { return fmt.Errorf("%w: %s", ErrInvalidMigration, msg) }
	switch {
	case m.Kind != storage.MigrationContact && m.Kind != storage.MigrationOccupancy:
		return bad("kind must be contact or occupancy")
	case m.SourceAccount == "" || m.TargetAccount == "":
		return bad("source and target accounts are required")
	case m.SourceAccount == m.TargetAccount:
		return bad("source and target accounts must differ")
	case len(m.Contacts) == 0:
		return bad("at least one contact is required")
	case m.Kind == storage.MigrationContact && len(m.Contacts) != 1:
		return bad("a contact migration moves exactly one email or phone")
	case m.Kind == storage.MigrationOccupancy && m.VerificationID == "":
		return bad("an occupancy migration names its verification")
	}
	seen := map[storage.ContactRef]bool{}
	for _, c := range m.Contacts {
		if c.Kind != storage.ContactEmail && c.Kind != storage.ContactPhone {
			return bad("contact kind must be email or phone")
		}
		if c.Hash == "" {
			return bad("contact hash is required")
		}
		k := storage.ContactRef{Kind: c.Kind, Hash: c.Hash}
		if seen[k] {
			return bad("a contact is named twice")
		}
		seen[k] = true
	}
	return nil
}

// AccountFacts is what the migration task knows of one account.
type AccountFacts struct {
	Status      storage.AccountStatus // "" for an account never seen (active)
	KYCVerified bool
}

func (a AccountFacts) active() bool { return a.Status == "" || a.Status == storage.AccountActive }

// ContactFacts is what the migration task knows of one contact of the
// migration.
type ContactFacts struct {
	Kind     storage.ContactKind
	Hash     string
	BoundTo  string // the account the contact is bound to now; "" if unbound
	Migrated bool   // the contact was migrated before (ever)
}

// OccupancyFacts is what an occupancy (scenario B) migration additionally
// depends on.
type OccupancyFacts struct {
	// HolderMatched: the holder check that started the migration saw the
	// fresh selfie match the holder's verified face, and was answered
	// "mine" (HolderCheckOf gives its ID).
	HolderMatched bool
	// DocAlreadyUsed: the migration's verification was decided rejected
	// with doc_already_used.
	DocAlreadyUsed bool
	// VerificationAccount is the account of the migration's verification.
	VerificationAccount string
	// Holder is the account holding that verification's document.
	Holder string
	// Reviewed says whether the migration comes from a holder check and so
	// must wait for its review case (rules §9); Review is that case's
	// state, "" when it has not been opened.
	Reviewed bool
	Review   storage.CaseState
}

// AwaitingReview reports whether a scenario-B migration started by a
// holder check still waits for support: its review case is neither
// resolved (approved) nor dismissed. Such a migration stays requested.
func AwaitingReview(m storage.Migration, o OccupancyFacts) bool {
	return m.Kind == storage.MigrationOccupancy && o.Reviewed && !o.Review.Final()
}

// MigrationFacts are the facts the migration task gathers before every
// step; NextMigrationStep decides from them alone.
type MigrationFacts struct {
	Source, Target AccountFacts
	// SourceHoldings comes from the exchange's AccountState.
	SourceHoldings storage.Holdings
	// HoldingsUnknown: the AccountState does not know what the source
	// holds (ErrHoldingsUnknown). Unknown is never empty: it refuses.
	HoldingsUnknown bool
	// Contacts has the facts of the migration's contacts; a contact of the
	// migration missing here counts as not bound to the source.
	Contacts  []ContactFacts
	Occupancy OccupancyFacts
}

// Action is what the migration task must do for a step.
type Action string

const (
	// ActionTransition: call Migrations.TransitionMigration(From, To,
	// Refusal, Detail).
	ActionTransition Action = "transition"
	// ActionExecute: call Migrations.ExecuteMigration, which moves the
	// contacts and closes or freezes the source in one transaction, then
	// moves the migration to completed (or refused when a contact was
	// taken in the meantime).
	ActionExecute Action = "execute"
	// ActionNone: the migration is final; nothing to do.
	ActionNone Action = "none"
)

// Step is the next step of a migration.
type Step struct {
	Action   Action
	From, To storage.MigrationState
	Refusal  reason.Code // with To == refused
	Detail   string      // audit detail: a fixed phrase or the refusal code
}

// NextMigrationStep returns the next step of migration m given the facts
// gathered now. It is pure, so a redelivered task recomputes the same
// step from the same facts, and the store makes a repeated step a no-op
// (TransitionMigration to the stored state changes nothing;
// ExecuteMigration on a final migration returns it unchanged).
//
//   - requested, for a scenario-B migration whose review case is not
//     final yet (AwaitingReview): ActionNone, it waits;
//   - requested: every rule is checked (see MigrationRefusal); a violation
//     → refused with its code, else → validated;
//   - validated: the rules are checked again, since holdings and bindings
//     may have changed since; → executing or refused;
//   - executing: the rules are checked once more on the facts gathered
//     now (a redelivered task may run hours after validation); a violation
//     → refused, else ActionExecute, and the store re-checks the facts it
//     holds inside its transaction;
//   - completed, refused, failed: ActionNone.
func NextMigrationStep(m storage.Migration, f MigrationFacts) Step {
	var next storage.MigrationState
	var detail string
	switch m.State {
	case storage.MigrationRequested:
		next, detail = storage.MigrationValidated, DetailValidated
	case storage.MigrationValidated:
		next, detail = storage.MigrationExecuting, DetailExecuting
	case storage.MigrationExecuting:
		next = storage.MigrationCompleted
	default:
		return Step{Action: ActionNone, From: m.State, To: m.State}
	}
	if m.State == storage.MigrationRequested && AwaitingReview(m, f.Occupancy) {
		return Step{Action: ActionNone, From: m.State, To: m.State}
	}
	if code := MigrationRefusal(m, f); code != "" {
		return Step{Action: ActionTransition, From: m.State, To: storage.MigrationRefused, Refusal: code, Detail: string(code)}
	}
	if m.State == storage.MigrationExecuting {
		return Step{Action: ActionExecute, From: storage.MigrationExecuting, To: storage.MigrationCompleted}
	}
	return Step{Action: ActionTransition, From: m.State, To: next, Detail: detail}
}

// FailMigration returns the step that ends a migration as failed, for a
// task that gives up (detail: a fixed phrase such as DetailGaveUp). A
// final migration stays as it is.
func FailMigration(m storage.Migration, detail string) Step {
	if m.State.Final() || !CanTransition(m.State, storage.MigrationFailed) {
		return Step{Action: ActionNone, From: m.State, To: m.State}
	}
	return Step{Action: ActionTransition, From: m.State, To: storage.MigrationFailed, Detail: detail}
}

// MigrationProofsMet reports whether the attested proofs suffice for a
// migration of this kind:
//   - contact: a code sent to the contact at its new home, a code sent to
//     the original contact or a completed reset of that factor, and the
//     main (target) account's 2FA;
//   - occupancy (scenario B): a code sent to the contacts being moved
//     (they are the requesting account's own) and the fresh selfie that
//     matched the holder's verified face (OccupancyFacts.HolderMatched).
//     The holder account is by definition not accessible, so neither its
//     2FA nor its original contacts can be asked for: the face match is
//     the proof of identity.
func MigrationProofsMet(m storage.Migration, f MigrationFacts) bool {
	p := m.Proofs
	if m.Kind == storage.MigrationOccupancy {
		return p.NewContactCode && f.Occupancy.HolderMatched
	}
	return p.NewContactCode && (p.OriginalContactCode || p.OriginalFactorReset) && p.Target2FA
}

// MigrationRefusal returns the reason a migration must be refused given
// the facts, or "" if it may proceed. The rules, first failing wins:
//  0. migration_review_dismissed: support dismissed the review case of a
//     scenario-B migration (its word comes first);
//  1. migration_invalid: a malformed request (ValidateMigrationRequest), a
//     closed source or target, a frozen target, or for occupancy a
//     verification that did not end as doc_already_used, a source that is
//     not its account, a target that does not hold its document or is not
//     verified;
//  2. migration_proof_missing: see MigrationProofsMet;
//  3. migration_source_verified: the source completed KYC;
//  4. migration_already_used: a contact was migrated before;
//  5. migration_contact_not_found: a contact is not bound to the source;
//  6. migration_holdings_unknown: what the source holds is not known
//     (never reported); unknown is never empty;
//  7. migration_source_not_empty: the source holds assets, pending
//     withdrawals or open orders. Occupancy migrations too: the source is
//     frozen without its contacts, so what it holds would be stranded.
func MigrationRefusal(m storage.Migration, f MigrationFacts) reason.Code {
	if m.Kind == storage.MigrationOccupancy && f.Occupancy.Reviewed && f.Occupancy.Review == storage.CaseDismissed {
		return reason.MigrationReviewDismissed
	}
	if ValidateMigrationRequest(m) != nil ||
		f.Source.Status == storage.AccountClosed || !f.Target.active() {
		return reason.MigrationInvalid
	}
	switch m.Kind {
	case storage.MigrationContact:
		if !f.Source.active() {
			return reason.MigrationInvalid
		}
	case storage.MigrationOccupancy:
		o := f.Occupancy
		if !o.DocAlreadyUsed || o.VerificationAccount != m.SourceAccount || o.Holder != m.TargetAccount || !f.Target.KYCVerified {
			return reason.MigrationInvalid
		}
	}
	if !MigrationProofsMet(m, f) {
		return reason.MigrationProofMissing
	}
	if f.Source.KYCVerified {
		return reason.MigrationSourceVerified
	}
	facts := map[storage.ContactRef]ContactFacts{}
	for _, c := range f.Contacts {
		facts[storage.ContactRef{Kind: c.Kind, Hash: c.Hash}] = c
	}
	for _, c := range m.Contacts {
		if facts[storage.ContactRef{Kind: c.Kind, Hash: c.Hash}].Migrated {
			return reason.MigrationAlreadyUsed
		}
	}
	for _, c := range m.Contacts {
		if facts[storage.ContactRef{Kind: c.Kind, Hash: c.Hash}].BoundTo != m.SourceAccount {
			return reason.MigrationContactNotFound
		}
	}
	if f.HoldingsUnknown {
		return reason.MigrationHoldingsUnknown
	}
	if !f.SourceHoldings.Empty() {
		return reason.MigrationSourceNotEmpty
	}
	return ""
}

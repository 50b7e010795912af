package reason

// Codes of the rules-and-integrity rules (rules §6, §7; docs/rules.md).
const (
	// AccountInactive: the verification's account was frozen or closed
	// before it could be approved; a frozen or closed account is never
	// verified.
	AccountInactive Code = "account_inactive"
	// MigrationSourceVerifying: the migration source has a submitted
	// verification without a decision; it may complete KYC, so its contacts
	// cannot move until it is decided.
	MigrationSourceVerifying Code = "migration_source_verifying"
	// MigrationHoldingsUnknown: what the migration source holds was never
	// reported, so it cannot be known to be empty; unknown is never empty.
	MigrationHoldingsUnknown Code = "migration_holdings_unknown"
	// HolderAttemptsExceeded: too many "view holder" face-match attempts
	// for one verification or one account in the window; support takes
	// over.
	HolderAttemptsExceeded Code = "holder_attempts_exceeded"
	// HolderFaceMissing: the holding account has no verified face to
	// match against; only support can help.
	HolderFaceMissing Code = "holder_face_missing"
)

func init() {
	for c, r := range map[Code]string{
		AccountInactive:          "This account is frozen or closed and cannot be verified. Contact support if you think this is wrong.",
		MigrationSourceVerifying: "The account you want to move from has an identity verification in progress; wait for its result before moving its email or phone number.",
		MigrationHoldingsUnknown: "What the account you want to move from holds has not been reported yet: the exchange must report its assets, pending withdrawals and open orders before its email or phone number can move.",
		HolderAttemptsExceeded:   "Too many attempts to view the account holding your document. Our support team has been notified and will contact you.",
		HolderFaceMissing:        "The account holding your document has no verified face to compare with. Contact support to resolve this.",
	} {
		remedies[c] = r
	}
	// In the occupancy flow the source is the applicant's own account.
	occupancyRemedies[MigrationHoldingsUnknown] = "What this account holds has not been reported yet: the exchange must report its assets, pending withdrawals and open orders before its email and phone can move to your verified account."
	occupancyRemedies[MigrationSourceVerifying] = "This account has an identity verification in progress; wait for its result before its email and phone can move."
}

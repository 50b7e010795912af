package reason

// occupancyRemedies are the remedies of migration refusals in the
// occupancy flow (a "view holder" answered "mine" while the holding
// account cannot be logged in to: the applicant's contacts move from the
// account they are verifying (the source, their own) to the verified
// account that holds their document, and the source is frozen). There the
// proofs are a code sent to the contacts being moved and the fresh selfie
// that matched the holder; no code is sent to the holder's original
// contacts.
var occupancyRemedies = map[Code]string{
	MigrationProofMissing:   "Confirm the code sent to your email or phone, and take the selfie again so that it matches the verified holder of your document.",
	MigrationSourceNotEmpty: "Withdraw or transfer all assets, cancel pending withdrawals and open orders on this account first: it is frozen once its email and phone move to your verified account.",
	MigrationInvalid:        "Your contact details cannot move to the account that holds your document: that account is closed or frozen, or no longer holds it. Please contact support.",
	MigrationSourceVerified: "This account has completed identity verification itself; its contact details cannot be moved.",
}

// OccupancyRemedy returns the remedy for c in the occupancy flow: its own
// wording where the general one would mislead, else Remedy(c).
func OccupancyRemedy(c Code) string {
	if r, ok := occupancyRemedies[c]; ok {
		return r
	}
	return Remedy(c)
}

package api

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

func TestUserMessageDropsPackagePrefix(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{kyc.ValidateMigrationRequest(storage.Migration{Kind: storage.MigrationContact, SourceAccount: "a", TargetAccount: "a"}),
			"invalid migration request: source and target accounts must differ"},
		{fmt.Errorf("%w: more", kyc.ErrNoContacts), "the account has no email or phone to move: more"},
		{errors.New("no prefix here"), "no prefix here"},
	} {
		if got := userMessage(tc.err); got != tc.want {
			t.Errorf("userMessage(%q) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

// TestOccupancyRefusalRemedies: a refused occupancy migration shows the
// occupancy flow's remedies (no original-contact code, "this account",
// a closed or frozen holder), a contact migration the general ones.
func TestOccupancyRefusalRemedies(t *testing.T) {
	for _, tc := range []struct {
		kind       storage.MigrationKind
		code       reason.Code
		has, hasnt string
	}{
		{storage.MigrationOccupancy, reason.MigrationProofMissing, "selfie", "original contact"},
		{storage.MigrationOccupancy, reason.MigrationSourceNotEmpty, "this account", "other account"},
		{storage.MigrationOccupancy, reason.MigrationInvalid, "closed or frozen", "two different"},
		{storage.MigrationOccupancy, reason.MigrationAlreadyUsed, "migrated once", ""},
		{storage.MigrationContact, reason.MigrationProofMissing, "original contact", ""},
		{storage.MigrationContact, reason.MigrationSourceNotEmpty, "other account", ""},
		{storage.MigrationOccupancy, reason.MigrationHoldingsUnknown, "this account", "move from"},
		{storage.MigrationContact, reason.MigrationHoldingsUnknown, "move from", ""},
		{storage.MigrationOccupancy, reason.MigrationSourceVerifying, "This account", "move from"},
	} {
		d := refusalDetail(&storage.Migration{Kind: tc.kind, Refusal: tc.code})
		if d.Code != tc.code || !strings.Contains(d.Remedy, tc.has) || tc.hasnt != "" && strings.Contains(d.Remedy, tc.hasnt) {
			t.Errorf("%s %s: remedy %q; want it to say %q and not %q", tc.kind, tc.code, d.Remedy, tc.has, tc.hasnt)
		}
	}
}

// TestMigrationEnded: answering a holder check again after its migration
// was refused says why and what to do; a migration under way or
// completed is no error.
func TestMigrationEnded(t *testing.T) {
	hc := &storage.HolderCheck{ID: "h_x", VerificationID: "v_y"}
	m := &storage.Migration{ID: "m_z", Kind: storage.MigrationOccupancy, State: storage.MigrationRefused, Refusal: reason.MigrationSourceNotEmpty}
	e := migrationEnded(m, hc)
	if e == nil || e.Code != "migration_refused" || e.status != 409 {
		t.Fatalf("refused: %+v", e)
	}
	for _, want := range []string{"m_z", "migration_source_not_empty", reason.OccupancyRemedy(reason.MigrationSourceNotEmpty), "/v1/verifications/v_y/holder-checks"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("message %q lacks %q", e.Message, want)
		}
	}
	m.State, m.Refusal = storage.MigrationFailed, ""
	if e := migrationEnded(m, hc); e == nil || e.Code != "migration_failed" {
		t.Errorf("failed: %+v", e)
	}
	for _, s := range []storage.MigrationState{storage.MigrationRequested, storage.MigrationValidated, storage.MigrationExecuting, storage.MigrationCompleted} {
		m.State = s
		if e := migrationEnded(m, hc); e != nil {
			t.Errorf("%s: %+v", s, e)
		}
	}
}

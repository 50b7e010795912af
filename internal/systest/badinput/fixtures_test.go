package badinput

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// Sizes declared in the fixtures' create requests: nothing is uploaded, so
// they only need to be within the limits.
const (
	frontSize  = 1000
	backSize   = 1001
	selfieSize = 2000
)

// createBody returns a valid create request for account, changed by edit
// (which may delete or replace anything in the decoded JSON object).
func createBody(account string, edit func(m map[string]any)) string {
	m := map[string]any{
		"account_id": account,
		"info": map[string]any{
			"country": "DE", "nationality": "DE", "issuing_country": "DE",
			"full_name": "ERIKA MUSTERMANN", "date_of_birth": "1983-08-12",
			"id_type": "id_card", "id_number": "L01X00T47", "expiry_date": "2034-06-30",
		},
		"uploads": map[string]any{
			"doc_front": map[string]any{"content_type": "image/jpeg", "size": frontSize},
			"doc_back":  map[string]any{"content_type": "image/jpeg", "size": backSize},
			"selfie":    map[string]any{"content_type": "video/mp4", "size": selfieSize},
		},
	}
	if edit != nil {
		edit(m)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func info(m map[string]any) map[string]any    { return m["info"].(map[string]any) }
func uploads(m map[string]any) map[string]any { return m["uploads"].(map[string]any) }
func upload(m map[string]any, slot string) map[string]any {
	return uploads(m)[slot].(map[string]any)
}

// migrationBody returns a valid migration request, changed by edit.
func migrationBody(edit func(m map[string]any)) string {
	m := map[string]any{
		"source_account": "acct-dup-src",
		"target_account": "acct-main",
		"contact":        map[string]any{"kind": "email", "value": "moving@example.org"},
		"proofs":         map[string]any{"new_contact_code": true, "original_contact_code": true, "target_2fa": true},
	}
	if edit != nil {
		edit(m)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// fixtures are records every bad request is tried against.
type fixtures struct {
	created   string // a verification waiting for its uploads
	occupied  string // a verification rejected as doc_already_used
	pendingHC string // a holder check waiting for its selfie
	matchedHC string // a holder check whose selfie matched the holder
}

// setUp makes the fixtures: through the API where it can, directly in the
// store where the pipeline would take too long (a decision, a face match).
func setUp(t *testing.T, s *service) fixtures {
	t.Helper()
	ctx := context.Background()
	st := s.App.State
	now := time.Now().UTC()
	var f fixtures
	createOK := func(account string, edit func(map[string]any)) string {
		t.Helper()
		r := s.do(request{method: "POST", path: "/v1/verifications", body: createBody(account, edit)})
		if r.status != 201 {
			t.Fatalf("fixture: create for %s: %v", account, r)
		}
		var out api.CreateResponse
		if err := json.Unmarshal(r.body, &out); err != nil {
			t.Fatal(err)
		}
		return out.ID
	}
	f.created = createOK("acct-created", nil)

	// The same document is held by acct-holder: acct-dup's verification
	// ends as doc_already_used.
	f.occupied = createOK("acct-dup", func(m map[string]any) { info(m)["id_number"] = "T22000129" })
	v, err := st.GetVerification(ctx, f.occupied)
	must(t, err)
	_, won, err := st.ClaimDocument(ctx, storage.Claim{DocKey: v.DocKey, AccountID: "acct-holder", VerificationID: "v_" + strings.Repeat("h", 26), ClaimedAt: now})
	must(t, err)
	if !won {
		t.Fatal("fixture: claim lost")
	}
	_, err = st.MarkSubmitted(ctx, v.ID, api.Checks(v), nil, now)
	must(t, err)
	_, _, err = st.SaveDecision(ctx, storage.Decision{VerificationID: v.ID, Outcome: storage.Rejected,
		Reasons: []reason.Code{reason.DocAlreadyUsed}, DecidedAt: now})
	must(t, err)

	holderCheck := func(key string) string {
		t.Helper()
		r := s.do(request{method: "POST", path: "/v1/verifications/" + f.occupied + "/holder-checks",
			body: `{"selfie":{"content_type":"video/mp4","size":2000}}`, header: map[string]string{"Idempotency-Key": key}})
		if r.status != 201 {
			t.Fatalf("fixture: holder check: %v", r)
		}
		var out api.HolderCheckView
		must(t, json.Unmarshal(r.body, &out))
		return out.ID
	}
	f.pendingHC = holderCheck("pending")
	f.matchedHC = holderCheck("matched")
	_, err = st.CompleteHolderCheck(ctx, f.matchedHC, true, 0.9, nil, now)
	must(t, err)

	must(t, st.MarkAccountVerified(ctx, "acct-verified", "v_"+strings.Repeat("q", 26), nil, now))
	must(t, st.SetAccountStatus(ctx, "acct-frozen", storage.AccountFrozen, now))
	must(t, st.SetAccountStatus(ctx, "acct-closed", storage.AccountClosed, now))
	for account, email := range map[string]string{"acct-holder": "taken@example.org", "acct-dup-src": "moving@example.org"} {
		if r := s.do(request{method: "POST", path: "/v1/accounts/" + account + "/contacts",
			body: fmt.Sprintf(`{"kind":"email","value":%q}`, email)}); r.status != 200 {
			t.Fatalf("fixture: bind %s: %v", account, r)
		}
	}
	// No fixture may have queued anything: the holder checks were never
	// submitted and the decision was stored directly.
	if got := s.tasks(""); len(got) != 0 {
		t.Fatalf("fixtures queued tasks: %v", got)
	}
	return f
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

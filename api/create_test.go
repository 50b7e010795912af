package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// createBody is a valid create request for account, with edit applied to
// its decoded form.
func createBody(t *testing.T, account string, edit func(m map[string]any)) []byte {
	t.Helper()
	m := map[string]any{
		"account_id": account,
		"info": map[string]any{
			"country": "DE", "nationality": "DE", "issuing_country": "DE",
			"full_name": "ERIKA MUSTERMANN", "date_of_birth": "1983-08-12",
			"id_type": "passport", "id_number": "C01X00T47", "expiry_date": "2031-01-01",
		},
		"uploads": map[string]any{
			"doc_front": map[string]any{"content_type": "image/jpeg", "size": 1000},
			"selfie":    map[string]any{"content_type": "video/mp4", "size": 2000},
		},
	}
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func info(m map[string]any) map[string]any { return m["info"].(map[string]any) }
func upload(m map[string]any, slot string) map[string]any {
	return m["uploads"].(map[string]any)[slot].(map[string]any)
}

// TestCreateRefusesIncompleteInfo: every required basic-info field is
// checked at create, reported as missing at its own name, and a request
// without an info object says so, instead of storing a verification that
// the document-data check would later reject.
func TestCreateRefusesIncompleteInfo(t *testing.T) {
	fx := newFixture(t)
	for _, tc := range []struct {
		name        string
		edit        func(m map[string]any)
		code, field string
		message     string
	}{
		{"no info", func(m map[string]any) { delete(m, "info") }, "invalid_field", "info", "info is required"},
		{"info null", func(m map[string]any) { m["info"] = nil }, "invalid_field", "info", "info is required"},
		{"empty info", func(m map[string]any) { m["info"] = map[string]any{} }, "invalid_field", "info", "info is required"},
		{"no date of birth", func(m map[string]any) { delete(info(m), "date_of_birth") }, "invalid_field", "date_of_birth", "date_of_birth is required"},
		{"empty date of birth", func(m map[string]any) { info(m)["date_of_birth"] = "" }, "invalid_field", "date_of_birth", "date_of_birth is required"},
		{"no full name", func(m map[string]any) { delete(info(m), "full_name") }, "invalid_field", "full_name", "full_name is required"},
		{"no country", func(m map[string]any) { delete(info(m), "country") }, "invalid_field", "country", "country is required"},
		{"no nationality", func(m map[string]any) { delete(info(m), "nationality") }, "invalid_field", "nationality", "nationality is required"},
		{"no id type", func(m map[string]any) { delete(info(m), "id_type") }, "invalid_field", "id_type", "id_type is required"},
		{"no id number", func(m map[string]any) { delete(info(m), "id_number") }, "invalid_field", "id_number", "id_number is required"},
		{"size as a string", func(m map[string]any) { upload(m, "doc_front")["size"] = "1000" }, "malformed_json", "uploads.doc_front.size", "uploads.doc_front.size has the wrong type"},
		{"selfie size as a fraction", func(m map[string]any) { upload(m, "selfie")["size"] = 10.5 }, "malformed_json", "uploads.selfie.size", "uploads.selfie.size has the wrong type"},
		{"content type as a number", func(m map[string]any) { upload(m, "selfie")["content_type"] = 4 }, "malformed_json", "uploads.selfie.content_type", "has the wrong type"},
		{"an upload as a string", func(m map[string]any) { m["uploads"].(map[string]any)["selfie"] = "x" }, "malformed_json", "uploads.selfie", "must be an object"},
		{"uploads as a list", func(m map[string]any) { m["uploads"] = []int{1} }, "malformed_json", "uploads", "must be an object"},
		{"unknown field in an upload", func(m map[string]any) { upload(m, "selfie")["url"] = "x" }, "malformed_json", "uploads.selfie", `unknown field "url"`},
		{"name as a number", func(m map[string]any) { info(m)["full_name"] = 7 }, "malformed_json", "info.full_name", "has the wrong type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, q := fx.state.Count(), fx.queue.Count()
			r := fx.serve("POST", "/v1/verifications", "application/json", nil, createBody(t, "acct-info", tc.edit))
			fx.checkAnswer(t, r, w, q)
			if r.status != http.StatusBadRequest || r.err.Code != tc.code || r.err.Field != tc.field {
				t.Fatalf("%d %s field %q; want 400 %s field %q (%s)", r.status, r.err.Code, r.err.Field, tc.code, tc.field, r.body)
			}
			if !strings.Contains(r.err.Message, tc.message) {
				t.Errorf("message %q; want it to contain %q", r.err.Message, tc.message)
			}
		})
	}
	// The same request with everything there is accepted.
	r := fx.serve("POST", "/v1/verifications", "application/json", nil, createBody(t, "acct-info", nil))
	if r.status != http.StatusCreated {
		t.Fatalf("complete request: %d %s", r.status, r.body)
	}
}

// TestCreateAcceptsNumbersAsPrinted: a Hong Kong ID typed as printed, with
// its check digit in parentheses, and full-width digits are accepted, and
// both name the same document as the plain form (the retried create with
// the same key is the same verification).
func TestCreateAcceptsNumbersAsPrinted(t *testing.T) {
	fx := newFixture(t)
	for i, number := range []string{"A123456(3)", "Ａ１２３４５６（３）", "a123456 3"} {
		body := createBody(t, "acct-hk-"+string(rune('a'+i)), func(m map[string]any) {
			in := info(m)
			in["country"], in["nationality"], in["issuing_country"] = "HK", "CN", "HK"
			in["id_type"], in["id_number"] = "hk_id", number
			delete(in, "expiry_date")
			m["uploads"].(map[string]any)["doc_back"] = map[string]any{"content_type": "image/jpeg", "size": 900}
		})
		r := fx.serve("POST", "/v1/verifications", "application/json", nil, body)
		if r.status != http.StatusCreated {
			t.Errorf("id_number %q: %d %s", number, r.status, r.body)
		}
	}
}

// TestOtherMethodsAre405: a route that exists for other methods answers
// 405 with an Allow header listing them, not 404; a path no route has is
// still 404.
func TestOtherMethodsAre405(t *testing.T) {
	fx := newFixture(t)
	v := "/v1/verifications/v_" + strings.Repeat("a", 26)
	for _, tc := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"DELETE", v, 405, "GET, HEAD"},
		{"PUT", v, 405, "GET, HEAD"},
		{"PATCH", v, 405, "GET, HEAD"},
		{"PUT", "/v1/verifications", 405, "GET, HEAD, POST"}, // GET lists (reconciliation)
		{"DELETE", "/v1/verifications", 405, "GET, HEAD, POST"},
		{"GET", v + "/submit", 405, "POST"},
		{"DELETE", "/v1/accounts/acct-1", 405, "GET, HEAD"},
		{"POST", "/v1/accounts/acct-1/holdings", 405, "PUT"},
		{"GET", "/v1/hooks/s3", 405, "POST"},
		{"DELETE", "/v1/migrations/m_abcdef", 405, "GET, HEAD"},
		{"DELETE", "/v1/admin", 404, ""},
		{"GET", "/v1/verifications/", 404, ""},
	} {
		w, q := fx.state.Count(), fx.queue.Count()
		r := fx.serve(tc.method, tc.path, "", nil, nil)
		fx.checkAnswer(t, r, w, q)
		if r.status != tc.status {
			t.Errorf("%s %s: %d %s; want %d", tc.method, tc.path, r.status, r.body, tc.status)
			continue
		}
		if got := r.header.Get("Allow"); got != tc.allow {
			t.Errorf("%s %s: Allow %q; want %q", tc.method, tc.path, got, tc.allow)
		}
		if tc.status == 405 && r.err.Code != "method_not_allowed" {
			t.Errorf("%s %s: code %q; want method_not_allowed", tc.method, tc.path, r.err.Code)
		}
	}
}

// TestRetriedCreateLoggedOnce: a create retried with its Idempotency-Key
// answers the same verification and is logged as a repeat, not as a
// second creation.
func TestRetriedCreateLoggedOnce(t *testing.T) {
	fx := newFixture(t)
	key := http.Header{"Idempotency-Key": {"signup-7"}}
	var ids []string
	for range 3 {
		r := fx.serve("POST", "/v1/verifications", "application/json", key, createBody(t, "acct-retry", nil))
		if r.status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		var cr struct{ ID string }
		if err := json.Unmarshal(r.body, &cr); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, cr.ID)
	}
	if ids[0] != ids[1] || ids[1] != ids[2] {
		t.Fatalf("retries answered %v", ids)
	}
	fx.logsMu.Lock()
	logs := fx.logs.String()
	fx.logsMu.Unlock()
	if n := strings.Count(logs, `"msg":"verification created"`); n != 1 {
		t.Errorf("%d \"verification created\" lines for one verification:\n%s", n, logs)
	}
	if n := strings.Count(logs, `"msg":"verification create repeated"`); n != 2 {
		t.Errorf("%d \"verification create repeated\" lines for two retries:\n%s", n, logs)
	}
}

// TestMigrationContactsHaveNoBoundAt: a contact shown without a binding
// time (a migration's) has no bound_at, not the zero time.
func TestMigrationContactsHaveNoBoundAt(t *testing.T) {
	b, err := json.Marshal(api.ContactView{Kind: "email", Masked: "e***@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "bound_at") {
		t.Errorf("%s", b)
	}
}

// TestAnswerAgainAfterRefusedMigration: a holder check answered "mine"
// whose occupancy migration was refused answers a repeated "mine" with
// 409 migration_refused, naming the refusal, its occupancy remedy and the
// way on, and changes nothing; the migration shows the occupancy remedy.
func TestAnswerAgainAfterRefusedMigration(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	now := time.Now().UTC()
	st := fx.state.State
	hcID := "h_" + strings.Repeat("b", 26)
	vID := "v_" + strings.Repeat("c", 26)
	if _, _, err := st.CreateHolderCheck(ctx, &storage.HolderCheck{ID: hcID, VerificationID: vID, AccountID: "acct-new",
		HolderAccount: "acct-holder", SelfieKey: "h/" + hcID + "/selfie", SelfieType: "video/mp4",
		State: storage.HolderCheckPending, CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CompleteHolderCheck(ctx, hcID, true, 0.9, nil, now); err != nil {
		t.Fatal(err)
	}
	mID := kyc.OccupancyMigrationID(hcID)
	if _, err := st.ResolveHolderCheck(ctx, hcID, kyc.AnswerMine, mID, "", now); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.CreateMigration(ctx, &storage.Migration{ID: mID, Kind: storage.MigrationOccupancy,
		SourceAccount: "acct-new", TargetAccount: "acct-holder", VerificationID: vID,
		Contacts: []storage.ContactRef{{Kind: storage.ContactEmail, Hash: "hash-1", Masked: "e***@example.org"}},
		Proofs:   storage.Proofs{NewContactCode: true}, State: storage.MigrationRequested, CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.TransitionMigration(ctx, mID, storage.MigrationRequested, storage.MigrationRefused,
		reason.MigrationSourceNotEmpty, string(reason.MigrationSourceNotEmpty), now); err != nil {
		t.Fatal(err)
	}

	w, q := fx.state.Count(), fx.queue.Count()
	r := fx.serve("POST", "/v1/holder-checks/"+hcID+"/answer", "application/json", nil,
		[]byte(`{"answer":"mine","proofs":{"new_contact_code":true}}`))
	fx.checkAnswer(t, r, w, q)
	if r.status != http.StatusConflict || r.err.Code != "migration_refused" {
		t.Fatalf("answer again: %d %s", r.status, r.body)
	}
	for _, want := range []string{mID, "migration_source_not_empty", reason.OccupancyRemedy(reason.MigrationSourceNotEmpty), "new holder check"} {
		if !strings.Contains(r.err.Message, want) {
			t.Errorf("message %q lacks %q", r.err.Message, want)
		}
	}

	r = fx.serve("GET", "/v1/migrations/"+mID, "", nil, nil)
	var m api.MigrationView
	if err := json.Unmarshal(r.body, &m); err != nil || r.status != http.StatusOK {
		t.Fatalf("get migration: %d %s", r.status, r.body)
	}
	if m.Refusal == nil || m.Refusal.Remedy != reason.OccupancyRemedy(reason.MigrationSourceNotEmpty) {
		t.Errorf("refusal %+v; want the occupancy remedy", m.Refusal)
	}
	if strings.Contains(string(r.body), "bound_at") {
		t.Errorf("migration view shows bound_at: %s", r.body)
	}
}

package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

const (
	occVerification = "v_aaaaaaaaaaaaaaaaaaaaaaaaaa"
	occCheck        = "h_bbbbbbbbbbbbbbbbbbbbbbbbbb"
)

// occupied stores what the holder flow starts from: the verification of
// account "new" ended as doc_already_used, "holder" holds the document, and
// a holder check of "new" completed (matched or not, with reasons).
func occupied(t *testing.T, f *fixture, matched bool, reasons ...reason.Code) {
	t.Helper()
	ctx := context.Background()
	st := f.state.State
	now := time.Now().UTC()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.CreateVerification(ctx, &storage.Verification{ID: occVerification, AccountID: "new", Country: "CN", DocType: "id_card", DocKey: "dk", CreatedAt: now}))
	_, err := st.MarkSubmitted(ctx, occVerification, []string{"face"}, nil, now)
	must(err)
	_, _, err = st.SaveDecision(ctx, storage.Decision{VerificationID: occVerification, Outcome: storage.Rejected, Reasons: []reason.Code{reason.DocAlreadyUsed}, DecidedAt: now})
	must(err)
	_, _, err = st.ClaimDocument(ctx, storage.Claim{DocKey: "dk", AccountID: "holder", VerificationID: "v_holder", ClaimedAt: now})
	must(err)
	_, _, err = st.BindContact(ctx, storage.Contact{Kind: storage.ContactEmail, Hash: "h-new", Masked: "n***@example.com", AccountID: "new", BoundAt: now})
	must(err)
	_, _, err = st.CreateHolderCheck(ctx, &storage.HolderCheck{ID: occCheck, VerificationID: occVerification, AccountID: "new", HolderAccount: "holder",
		SelfieKey: "h/" + occCheck + "/selfie", SelfieType: "video/mp4", CreatedAt: now})
	must(err)
	_, err = st.CompleteHolderCheck(ctx, occCheck, matched, 0.5, reasons, now)
	must(err)
}

// Scenario A: "mine" with holder_accessible is answered, not a 503, and
// moves nothing (item 1).
func TestHolderAnswerScenarioA(t *testing.T) {
	f := newFixture(t)
	occupied(t, f, true)
	body := []byte(`{"answer":"mine","holder_accessible":true}`)
	r := f.serve(http.MethodPost, "/v1/holder-checks/"+occCheck+"/answer", "application/json", nil, body)
	if r.status != http.StatusOK {
		t.Fatalf("scenario A: %d %s", r.status, r.body)
	}
	var v api.HolderCheckView
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatal(err)
	}
	if v.State != storage.HolderCheckResolved || v.Answer != api.AnswerMineAccessible || v.MigrationID != "" || v.CaseID != "" {
		t.Fatalf("scenario A resolved as %+v", v)
	}
	// Repeating it is safe; answering otherwise afterwards is refused.
	if r := f.serve(http.MethodPost, "/v1/holder-checks/"+occCheck+"/answer", "application/json", nil, body); r.status != http.StatusOK {
		t.Fatalf("repeat: %d %s", r.status, r.body)
	}
	n, q := f.state.Count(), f.queue.Count()
	r = f.serve(http.MethodPost, "/v1/holder-checks/"+occCheck+"/answer", "application/json", nil, []byte(`{"answer":"mine","proofs":{"new_contact_code":true}}`))
	f.checkAnswer(t, r, n, q)
	if r.err.Code != "already_answered" {
		t.Fatalf("scenario B after A: %d %s", r.status, r.body)
	}
	if cs, _ := f.state.State.Contacts(context.Background(), "new"); len(cs) != 1 {
		t.Fatalf("scenario A moved contacts: %+v", cs)
	}
}

// A mismatch says why, with remedies (item 8).
func TestHolderMismatchHasReasons(t *testing.T) {
	f := newFixture(t)
	occupied(t, f, false, reason.FacePoorQuality, reason.LivenessFailed)
	r := f.serve(http.MethodGet, "/v1/holder-checks/"+occCheck, "", nil, nil)
	if r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.body)
	}
	var v api.HolderCheckView
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatal(err)
	}
	want := reason.Details([]reason.Code{reason.FacePoorQuality, reason.LivenessFailed})
	if v.State != storage.HolderCheckMismatch || fmt.Sprint(v.Reasons) != fmt.Sprint(want) || v.Holder != nil {
		t.Fatalf("mismatch view %+v, want reasons %+v", v, want)
	}
}

// Holder checks are limited per verification in the window; past the
// limit the request is refused, nothing is created, and one support case
// is opened (item 7).
func TestHolderCheckAttemptsAreLimited(t *testing.T) {
	f := newFixture(t)
	occupied(t, f, false, reason.FaceMismatch)
	create := func(key string) result {
		return f.serve(http.MethodPost, "/v1/verifications/"+occVerification+"/holder-checks", "application/json",
			http.Header{"Idempotency-Key": {key}}, []byte(`{"selfie":{"content_type":"video/mp4","size":1000}}`))
	}
	// occupied made one check; the default limit is 3 per verification.
	for i := range 2 {
		if r := create(fmt.Sprintf("k%d", i)); r.status != http.StatusCreated {
			t.Fatalf("attempt %d: %d %s", i+2, r.status, r.body)
		}
	}
	if r := create("k0"); r.status != http.StatusOK && r.status != http.StatusCreated {
		t.Fatalf("a repeat is not an attempt: %d %s", r.status, r.body)
	}
	for i := range 2 {
		r := create(fmt.Sprintf("over%d", i))
		if r.status != http.StatusTooManyRequests || r.err.Code != string(reason.HolderAttemptsExceeded) || r.err.Message == "" {
			t.Fatalf("attempt over the limit: %d %s", r.status, r.body)
		}
	}
	c, err := f.state.State.GetCase(context.Background(), api.AttemptsCaseID(occVerification))
	if err != nil {
		t.Fatalf("no support case after the limit: %v", err)
	}
	if c.Kind != api.CaseHolderAttempts || c.AccountID != "new" || c.VerificationID != occVerification {
		t.Fatalf("case %+v", c)
	}
}

// A frozen account binds no contact (item 3); holdings never reported are
// shown as unknown (null), not as empty (item 6).
func TestFrozenAccountAndUnknownHoldings(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.state.State.SetAccountStatus(ctx, "frozen", storage.AccountFrozen, time.Now()); err != nil {
		t.Fatal(err)
	}
	n, q := f.state.Count(), f.queue.Count()
	r := f.serve(http.MethodPost, "/v1/accounts/frozen/contacts", "application/json", nil, []byte(`{"kind":"email","value":"a@example.com"}`))
	f.checkAnswer(t, r, n, q)
	if r.status != http.StatusConflict || r.err.Code != "account_inactive" {
		t.Fatalf("bind to a frozen account: %d %s", r.status, r.body)
	}
	r = f.serve(http.MethodGet, "/v1/accounts/never", "", nil, nil)
	var a map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &a); err != nil || r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if string(a["holdings"]) != "null" {
		t.Fatalf("holdings never reported shown as %s, want null", a["holdings"])
	}
	if r := f.serve(http.MethodPut, "/v1/accounts/never/holdings", "application/json", nil,
		[]byte(`{"assets":false,"pending_withdrawals":false,"open_orders":false}`)); r.status != http.StatusOK {
		t.Fatalf("report holdings: %d %s", r.status, r.body)
	}
	r = f.serve(http.MethodGet, "/v1/accounts/never", "", nil, nil)
	_ = json.Unmarshal(r.body, &a)
	if string(a["holdings"]) != `{"assets":false,"pending_withdrawals":false,"open_orders":false}` {
		t.Fatalf("reported holdings shown as %s", a["holdings"])
	}
}

// /v1 takes the bearer token only, JSON bodies only, and no cross-site
// request: a forged cross-site write with the Basic credentials a browser
// cached for the dashboard changes nothing (item 10).
func TestV1RefusesCrossSiteAndBasic(t *testing.T) {
	f := newFixture(t)
	holdings := `{"assets":false,"pending_withdrawals":false,"open_orders":false}`
	for _, tc := range []struct {
		name   string
		method string
		path   string
		body   string
		set    func(r *http.Request)
		status int
		code   string
	}{
		{"basic credentials, cross-site", "PUT", "/v1/accounts/victim/holdings", holdings, func(r *http.Request) {
			r.SetBasicAuth("x", token)
			r.Header.Set("Origin", "https://evil.example")
			r.Header.Set("Sec-Fetch-Site", "cross-site")
		}, http.StatusForbidden, "cross_origin"},
		{"basic credentials, same origin", "PUT", "/v1/accounts/victim/holdings", holdings, func(r *http.Request) {
			r.SetBasicAuth("x", token)
			r.Header.Set("Content-Type", "application/json")
		}, http.StatusUnauthorized, "unauthorized"},
		{"bearer, cross-site fetch", "POST", "/v1/accounts/victim/contacts", `{"kind":"email","value":"e@example.org"}`, func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+token)
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Sec-Fetch-Site", "cross-site")
		}, http.StatusForbidden, "cross_origin"},
		{"bearer, same-site fetch", "GET", "/v1/accounts/victim", "", func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+token)
			r.Header.Set("Sec-Fetch-Site", "same-site")
		}, http.StatusForbidden, "cross_origin"},
		{"bearer, foreign Origin", "PUT", "/v1/accounts/victim/holdings", holdings, func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+token)
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Origin", "https://evil.example")
		}, http.StatusForbidden, "cross_origin"},
		{"bearer, null Origin", "PUT", "/v1/accounts/victim/holdings", holdings, func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+token)
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Origin", "null")
		}, http.StatusForbidden, "cross_origin"},
		{"bearer, no content type", "PUT", "/v1/accounts/victim/holdings", holdings, func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+token)
		}, http.StatusUnsupportedMediaType, "unsupported_media_type"},
		{"bearer, text/plain", "POST", "/v1/accounts/victim/contacts", `{"kind":"email","value":"e@example.org"}`, func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+token)
			r.Header.Set("Content-Type", "text/plain")
		}, http.StatusUnsupportedMediaType, "unsupported_media_type"},
		{"token in the query", "GET", "/v1/id-types?token=" + token, "", func(r *http.Request) {}, http.StatusUnauthorized, "unauthorized"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body *strings.Reader
			body = strings.NewReader(tc.body)
			req := httptest.NewRequest(tc.method, tc.path, body)
			tc.set(req)
			n, q := f.state.Count(), f.queue.Count()
			rec := httptest.NewRecorder()
			f.srv.ServeHTTP(rec, req)
			var e struct{ Error api.Error }
			_ = json.Unmarshal(rec.Body.Bytes(), &e)
			if rec.Code != tc.status || e.Error.Code != tc.code {
				t.Fatalf("%d %s, want %d %s", rec.Code, rec.Body, tc.status, tc.code)
			}
			if f.state.Count() != n || f.queue.Count() != q {
				t.Fatal("the refused request changed something")
			}
			if strings.Contains(rec.Header().Get("WWW-Authenticate"), "Basic") {
				t.Fatalf("/v1 invites Basic credentials: %q", rec.Header().Get("WWW-Authenticate"))
			}
		})
	}
	// The same request from the exchange's backend goes through.
	req := httptest.NewRequest("PUT", "/v1/accounts/victim/holdings", strings.NewReader(holdings))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("backend request: %d %s", rec.Code, rec.Body)
	}
}

// The webhook token is read from a header, never from the query string
// (item 11).
func TestWebhookTokenOnlyInAHeader(t *testing.T) {
	f := newFixture(t)
	ev := []byte(`{"Records":[]}`)
	for _, tc := range []struct {
		name   string
		path   string
		header http.Header
		status int
	}{
		{"query string", "/v1/hooks/s3?token=hook", nil, http.StatusUnauthorized},
		{"bearer", "/v1/hooks/s3", http.Header{"Authorization": {"Bearer hook"}}, http.StatusOK},
		{"webhook header", "/v1/hooks/s3", http.Header{api.WebhookTokenHeader: {"hook"}}, http.StatusOK},
		{"API token", "/v1/hooks/s3", http.Header{"Authorization": {"Bearer " + token}}, http.StatusUnauthorized},
	} {
		req := httptest.NewRequest(http.MethodPost, tc.path, strings.NewReader(string(ev)))
		for k, v := range tc.header {
			req.Header[k] = v
		}
		rec := httptest.NewRecorder()
		f.srv.ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.name, rec.Code, rec.Body, tc.status)
		}
	}
}

package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/internal/systest/reviewtest"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// reviewAPI serves the API with the reviewer routes over a review rig.
func reviewAPI(t *testing.T) (*reviewtest.Rig, *httptest.Server) {
	t.Helper()
	r := reviewtest.New(t, "")
	srv := httptest.NewServer(api.New(api.Config{Token: token, State: r.State, Blobs: r.Blobs, Keys: r.Keys,
		Enqueuer: r.Client, Review: r.Service, Now: r.Clock.Now, Log: slog.New(slog.NewJSONHandler(io.Discard, nil))}))
	t.Cleanup(srv.Close)
	return r, srv
}

// call sends a request with a bearer token and decodes the JSON answer.
func call(t *testing.T, srv *httptest.Server, method, path, bearer string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, srv.URL+path, rd)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
	}
	return resp.StatusCode, out
}

func staffLogin(t *testing.T, r *reviewtest.Rig, srv *httptest.Server, user string, role storage.StaffRole) string {
	t.Helper()
	r.Staff(t, user, role)
	code, out := call(t, srv, "POST", "/v1/review/sessions", "", map[string]string{"username": user, "password": reviewtest.Password(user)})
	if code != http.StatusCreated {
		t.Fatalf("login %s: %d %v", user, code, out)
	}
	return out["token"].(string)
}

func errCode(out map[string]any) string {
	e, _ := out["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

// Verification IDs as the API makes them.
var (
	v1 = "v_" + strings.Repeat("a", 25) + "2"
	v2 = "v_" + strings.Repeat("a", 25) + "3"
)

func TestReviewAPI(t *testing.T) {
	r, srv := reviewAPI(t)
	r.ManualReview(t, reviewtest.Case{ID: v1, Account: "acc-1", FaceReasons: []reason.Code{reason.FacePoorQuality}, Borderline: true})
	r.ManualReview(t, reviewtest.Case{ID: v2, Account: "acc-2", FaceReasons: []reason.Code{reason.FaceMismatch}})

	// Staff only: no token, the service token, a bad password.
	for _, bearer := range []string{"", token, "nonsense"} {
		if code, out := call(t, srv, "GET", "/v1/review/queue", bearer, nil); code != http.StatusUnauthorized || errCode(out) != "unauthorized" {
			t.Errorf("queue with %q: %d %v", bearer, code, out)
		}
	}
	r.Staff(t, "rita", storage.RoleReviewer)
	if code, _ := call(t, srv, "POST", "/v1/review/sessions", "", map[string]string{"username": "rita", "password": "wrong-password!"}); code != http.StatusUnauthorized {
		t.Errorf("wrong password: %d", code)
	}
	if code, out := call(t, srv, "POST", "/v1/review/sessions", "", `{"username":"rita","password":"x","otp":1}`); code != http.StatusBadRequest {
		t.Errorf("unknown field: %d %v", code, out)
	}
	code, out := call(t, srv, "POST", "/v1/review/sessions", "", map[string]string{"username": "rita", "password": reviewtest.Password("rita")})
	if code != http.StatusCreated {
		t.Fatalf("login: %d %v", code, out)
	}
	rita := out["token"].(string)
	otto := staffLogin(t, r, srv, "otto", storage.RoleReviewer)
	audrey := staffLogin(t, r, srv, "audrey", storage.RoleAuditor)

	// The queue, oldest first, with filters.
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", []string{v1, v2}},
		{"?reason=face_mismatch", []string{v2}},
		{"?country=de", []string{v1, v2}},
		{"?country=FR", []string{}},
		{"?doc_type=passport", []string{}},
		{"?older_than=2h", []string{}},
		{"?older_than=30m&limit=1", []string{v1}},
	} {
		code, out := call(t, srv, "GET", "/v1/review/queue"+tc.query, rita, nil)
		if code != http.StatusOK {
			t.Fatalf("queue%s: %d %v", tc.query, code, out)
		}
		got := []string{}
		for _, it := range out["items"].([]any) {
			got = append(got, it.(map[string]any)["verification_id"].(string))
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("queue%s = %v, want %v", tc.query, got, tc.want)
		}
		if tc.query == "?older_than=30m&limit=1" {
			next, _ := out["next"].(string)
			_, page2 := call(t, srv, "GET", "/v1/review/queue?limit=1&after="+next, rita, nil)
			if items := page2["items"].([]any); len(items) != 1 || items[0].(map[string]any)["verification_id"] != v2 {
				t.Errorf("second page %v", page2)
			}
		}
	}
	for _, q := range []string{"?reason=bogus", "?country=Germany", "?older_than=soon", "?limit=0", "?after=!!"} {
		if code, out := call(t, srv, "GET", "/v1/review/queue"+q, rita, nil); code != http.StatusBadRequest {
			t.Errorf("queue%s: %d %v", q, code, out)
		}
	}

	// Claims: one reviewer at a time; an auditor may not.
	if code, out := call(t, srv, "POST", "/v1/review/cases/"+v1+"/claim", rita, nil); code != http.StatusOK || out["claimed_by"] == "" {
		t.Fatalf("claim: %d %v", code, out)
	}
	if code, out := call(t, srv, "POST", "/v1/review/cases/"+v1+"/claim", otto, nil); code != http.StatusConflict {
		t.Errorf("second claim: %d %v", code, out)
	}
	if code, out := call(t, srv, "POST", "/v1/review/cases/"+v1+"/claim", audrey, nil); code != http.StatusForbidden || errCode(out) != "forbidden" {
		t.Errorf("auditor claim: %d %v", code, out)
	}
	if code, _ := call(t, srv, "POST", "/v1/review/cases/nope/claim", rita, nil); code != http.StatusNotFound {
		t.Errorf("claim missing: %d", code)
	}

	// The case view has the typed data, the checks and the audit trail.
	code, cv := call(t, srv, "GET", "/v1/review/cases/"+v1, audrey, nil)
	if code != http.StatusOK {
		t.Fatalf("case: %d %v", code, cv)
	}
	if typed := cv["typed"].(map[string]any); typed["full_name"] == "" || typed["id_number"] == "" {
		t.Errorf("typed %v", typed)
	}
	if n := len(cv["checks"].([]any)); n != 3 {
		t.Errorf("%d checks", n)
	}
	audit := cv["audit"].([]any)
	if last := audit[len(audit)-1].(map[string]any); last["action"] != "verification.view" || last["staff"] != "audrey" {
		t.Errorf("last audit %v", last)
	}

	// Bad decisions change nothing.
	for _, body := range []any{`{"outcome":"rejected"}`, `{"outcome":"maybe"}`, `{"outcome":"rejected","reasons":["nope"]}`, `not json`} {
		if code, out := call(t, srv, "POST", "/v1/review/cases/"+v1+"/decision", rita, body); code != http.StatusBadRequest {
			t.Errorf("decision %v: %d %v", body, code, out)
		}
	}
	code, out = call(t, srv, "POST", "/v1/review/cases/"+v1+"/decision", rita,
		map[string]any{"outcome": "rejected", "reasons": []string{"face_poor_quality"}, "note": "blurred beyond use"})
	if code != http.StatusOK || out["state"] != "decided" || out["outcome"] != "rejected" {
		t.Fatalf("decision: %d %v", code, out)
	}
	// The applicant's app sees the reviewer's decision through the API.
	code, out = call(t, srv, "GET", "/v1/verifications/"+v1, token, nil)
	if d, _ := out["decision"].(map[string]any); code != http.StatusOK || d["outcome"] != "rejected" {
		t.Fatalf("verification after review: %d %v", code, out)
	}

	// An appeal of the rejection opens a support case, once; an
	// undecided verification cannot be appealed.
	for i := 0; i < 2; i++ {
		code, out := call(t, srv, "POST", "/v1/verifications/"+v1+"/appeals", token, nil)
		if code != http.StatusCreated || out["case_id"] != "case_appeal_"+v1 || out["state"] != "open" {
			t.Fatalf("appeal: %d %v", code, out)
		}
	}
	if code, out := call(t, srv, "POST", "/v1/verifications/"+v2+"/appeals", token, nil); code != http.StatusConflict || errCode(out) != "not_appealable" {
		t.Fatalf("appeal of a case in review: %d %v", code, out)
	}
	code, out = call(t, srv, "GET", "/v1/review/support-cases?kind=appeal", audrey, nil)
	if items := out["items"].([]any); code != http.StatusOK || len(items) != 1 {
		t.Fatalf("appeals: %d %v", code, out)
	}

	// Support cases.
	if err := r.State.OpenCase(t.Context(), storage.SupportCase{ID: "case_1", Kind: storage.CaseIdentityMisuse, AccountID: "new",
		HolderAccount: "old", CreatedAt: r.Clock.Now()}); err != nil {
		t.Fatal(err)
	}
	sam := staffLogin(t, r, srv, "sam", storage.RoleSupport)
	if code, out := call(t, srv, "POST", "/v1/review/support-cases/case_1/transition", rita, map[string]string{"to": "in_progress"}); code != http.StatusForbidden {
		t.Errorf("reviewer moves case: %d %v", code, out)
	}
	for _, step := range []string{"in_progress", "resolved"} {
		if code, out := call(t, srv, "POST", "/v1/review/support-cases/case_1/transition", sam, map[string]string{"to": step}); code != http.StatusOK || out["state"] != step {
			t.Fatalf("case → %s: %d %v", step, code, out)
		}
	}
	if code, _ := call(t, srv, "POST", "/v1/review/support-cases/case_1/notes", sam, map[string]string{"text": "closed after a call"}); code != http.StatusNoContent {
		t.Errorf("note: %d", code)
	}
	code, out = call(t, srv, "GET", "/v1/review/support-cases/case_1", audrey, nil)
	if code != http.StatusOK || out["state"] != "resolved" || len(out["notes"].([]any)) != 1 {
		t.Errorf("case: %d %v", code, out)
	}
	// Unknown routes and methods, for staff.
	if code, out := call(t, srv, "GET", "/v1/review/nothing", audrey, nil); code != http.StatusNotFound || errCode(out) != "not_found" {
		t.Errorf("unknown review route: %d %v", code, out)
	}
	if code, out := call(t, srv, "GET", "/v1/review/cases/"+v1+"/claim", audrey, nil); code != http.StatusMethodNotAllowed || errCode(out) != "method_not_allowed" {
		t.Errorf("GET on the claim route: %d %v", code, out)
	}
	// Logging out ends the token.
	if code, _ := call(t, srv, "DELETE", "/v1/review/sessions/current", otto, nil); code != http.StatusNoContent {
		t.Errorf("logout: %d", code)
	}
	if code, _ := call(t, srv, "GET", "/v1/review/queue", otto, nil); code != http.StatusUnauthorized {
		t.Errorf("after logout: %d", code)
	}
}

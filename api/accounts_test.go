package api_test

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestHoldingsAnswerInTheRequestsShape: what PUT .../holdings takes is
// what it and GET /v1/accounts/{account} answer, field names included.
func TestHoldingsAnswerInTheRequestsShape(t *testing.T) {
	fx := newFixture(t)
	in := map[string]bool{"assets": true, "pending_withdrawals": false, "open_orders": true}
	body, _ := json.Marshal(in)
	r := fx.serve("PUT", "/v1/accounts/acct-1/holdings", "application/json", nil, body)
	var put map[string]bool
	if r.status != 200 || json.Unmarshal(r.body, &put) != nil || !reflect.DeepEqual(put, in) {
		t.Fatalf("PUT holdings: %d %s, want %v", r.status, r.body, in)
	}
	r = fx.serve("GET", "/v1/accounts/acct-1", "", nil, nil)
	var acct struct{ Holdings map[string]bool }
	if r.status != 200 || json.Unmarshal(r.body, &acct) != nil || !reflect.DeepEqual(acct.Holdings, in) {
		t.Fatalf("GET account: %d %s, want holdings %v", r.status, r.body, in)
	}
}

// TestUncleanPathsAreRefused: paths with empty, "." or ".." segments get a
// 400, not net/http's redirect to the cleaned path; clean paths, with or
// without a trailing slash, are routed.
func TestUncleanPathsAreRefused(t *testing.T) {
	fx := newFixture(t)
	for _, tc := range []struct {
		path   string
		status int
		code   string
	}{
		{"/v1/verifications/../..", 400, "invalid_path"},
		{"/v1/verifications/..", 400, "invalid_path"},
		{"/v1/./id-types", 400, "invalid_path"},
		{"/v1//id-types", 400, "invalid_path"},
		{"//v1/id-types", 400, "invalid_path"},
		{"/v1/verifications/%2e%2e/x", 400, "invalid_path"},
		{"/v1/id-types", 200, ""},
		{"/v1/id-types/", 404, "not_found"},
		{"/v1/verifications/v_a..b", 400, "invalid_id"},
	} {
		r := fx.serve("GET", tc.path, "", nil, nil)
		if r.status != tc.status || r.err.Code != tc.code {
			t.Errorf("GET %s: %d %s, want %d %s", tc.path, r.status, r.body, tc.status, tc.code)
		}
	}
}

package badinput

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// badCase is one bad request and the answer it must get.
type badCase struct {
	name   string
	req    request
	status int
	code   string // the error code; "" when the answer is not kycq's JSON (e.g. 431 from net/http)
	field  string // the offending field, when the answer names one
}

// TestBadRequestsChangeNothing sends every kind of bad request to every
// route and asserts a 4xx with its stable code, and that the database, the
// queues and the bucket are exactly as before.
func TestBadRequestsChangeNothing(t *testing.T) {
	t.Parallel()
	s := start(t, nil)
	f := setUp(t, s)
	cases := badCases(f, s)
	before := s.snapshot()
	for _, tc := range cases {
		r := s.do(tc.req)
		switch {
		case r.status != tc.status:
			t.Errorf("%s: %s %s → %v, want %d %s", tc.name, tc.req.method, tc.req.path, r, tc.status, tc.code)
		case tc.code != "" && r.err.Code != tc.code:
			t.Errorf("%s: code %q (%v), want %q", tc.name, r.err.Code, r, tc.code)
		case tc.code != "" && r.err.Message == "":
			t.Errorf("%s: no message: %v", tc.name, r)
		case tc.field != "" && r.err.Field != tc.field:
			t.Errorf("%s: field %q, want %q", tc.name, r.err.Field, tc.field)
		case tc.code != "" && !strings.HasPrefix(r.header.Get("Content-Type"), "application/json"):
			t.Errorf("%s: Content-Type %q", tc.name, r.header.Get("Content-Type"))
		}
		if r.status >= 500 {
			t.Errorf("%s: server error %v", tc.name, r)
		}
		if strings.Contains(string(r.body), "MUSTERMANN") || strings.Contains(string(r.body), "taken@example.org") {
			t.Errorf("%s: the answer echoes personal data: %v", tc.name, r)
		}
		if d := before.diff(s.snapshot()); d != "" {
			t.Errorf("%s: changed state: %s", tc.name, d)
			before = s.snapshot()
		}
	}
	t.Logf("%d bad requests, each answered 4xx with nothing changed", len(cases))

	// Retried holder checks: another selfie type under the same key is a
	// conflict; a retry after the face match gets no upload URL.
	hc := func(key, contentType string) response {
		return s.do(request{method: "POST", path: "/v1/verifications/" + f.occupied + "/holder-checks",
			body: `{"selfie":{"content_type":"` + contentType + `","size":2000}}`, header: map[string]string{"Idempotency-Key": key}})
	}
	if r := hc("pending", "image/jpeg"); r.status != 409 || r.err.Code != "idempotency_conflict" {
		t.Errorf("holder check retried with another type: %v", r)
	}
	if r := hc("matched", "video/mp4"); r.status != 200 || strings.Contains(string(r.body), `"upload"`) || !strings.Contains(string(r.body), f.matchedHC) {
		t.Errorf("holder check retried after the match: %v, want 200 without an upload URL", r)
	}
	if r := hc("pending", "video/mp4"); r.status != 201 || !strings.Contains(string(r.body), `"upload"`) {
		t.Errorf("holder check retried while pending: %v, want 201 with an upload URL", r)
	}
	if d := before.diff(s.snapshot()); d != "" {
		t.Errorf("retried holder checks changed state: %s", d)
	}

	// The snapshot sees changes: good requests change it.
	for _, good := range []request{
		{method: "POST", path: "/v1/verifications", body: createBody("acct-new", nil)},
		{method: "POST", path: "/v1/accounts/acct-new/contacts", body: `{"kind":"phone","value":"+49 151 2345 6789"}`},
		{method: "PUT", path: "/v1/accounts/acct-new/holdings", body: `{"assets":true,"pending_withdrawals":false,"open_orders":false}`},
	} {
		if r := s.do(good); r.status/100 != 2 {
			t.Fatalf("good request %s %s: %v", good.method, good.path, r)
		}
		after := s.snapshot()
		if before.diff(after) == "" {
			t.Errorf("good request %s %s: the snapshot saw no change", good.method, good.path)
		}
		before = after
	}
}

func badCases(f fixtures, s *service) []badCase {
	v := "/v1/verifications"
	unknownV := "v_" + strings.Repeat("a", 26)
	unknownH := "h_" + strings.Repeat("a", 26)
	post := func(path, body string) request { return request{method: "POST", path: path, body: body} }
	create := func(edit func(map[string]any)) request { return post(v, createBody("acct-new", edit)) }
	migrate := func(edit func(map[string]any)) request { return post("/v1/migrations", migrationBody(edit)) }
	big := strings.Repeat("A", 70<<10)

	cases := []badCase{
		// Request decoding.
		{"malformed JSON", post(v, `{"account_id": "acct-new", `), 400, "malformed_json", ""},
		{"not JSON at all", post(v, `account_id=acct-new`), 400, "malformed_json", ""},
		{"empty body", post(v, ``), 400, "malformed_json", ""},
		{"trailing garbage", post(v, createBody("acct-new", nil)+" garbage"), 400, "malformed_json", ""},
		{"two JSON values", post(v, createBody("acct-new", nil)+createBody("acct-new", nil)), 400, "malformed_json", ""},
		{"JSON null", post(v, `null`), 400, "invalid_field", "account_id"},
		{"JSON array", post(v, `[]`), 400, "malformed_json", ""},
		{"JSON string", post(v, `"acct-new"`), 400, "malformed_json", ""},
		{"unknown top-level field", create(func(m map[string]any) { m["admin"] = true }), 400, "malformed_json", ""},
		{"unknown info field", create(func(m map[string]any) { info(m)["ssn"] = "123" }), 400, "malformed_json", ""},
		{"unknown upload field", create(func(m map[string]any) { upload(m, "doc_front")["url"] = "http://x" }), 400, "malformed_json", ""},
		{"size as a string", create(func(m map[string]any) { upload(m, "doc_front")["size"] = "1000" }), 400, "malformed_json", "uploads.doc_front.size"},
		{"size as a fraction", create(func(m map[string]any) { upload(m, "doc_front")["size"] = 10.5 }), 400, "malformed_json", "uploads.doc_front.size"},
		{"size over int64", post(v, strings.Replace(createBody("acct-new", nil), `"size":1000`, `"size":99999999999999999999`, 1)), 400, "malformed_json", ""},
		{"info as a string", create(func(m map[string]any) { m["info"] = "ERIKA" }), 400, "malformed_json", "info"},
		{"no info", create(func(m map[string]any) { delete(m, "info") }), 400, "invalid_field", "info"},
		{"flags as an object", create(func(m map[string]any) { m["flags"] = map[string]any{"pep": true} }), 400, "malformed_json", ""},
		{"text/plain body", request{method: "POST", path: v, body: createBody("acct-new", nil), contentType: "text/plain"}, 415, "unsupported_media_type", ""},
		{"form body", request{method: "POST", path: v, body: "account_id=x", contentType: "application/x-www-form-urlencoded"}, 415, "unsupported_media_type", ""},
		{"multipart body", request{method: "POST", path: v, body: "--x--", contentType: "multipart/form-data; boundary=x"}, 415, "unsupported_media_type", ""},
		{"huge field in a huge body", create(func(m map[string]any) { info(m)["address"] = big }), 413, "body_too_large", ""},
		{"huge unknown field", create(func(m map[string]any) { m["padding"] = big }), 413, "body_too_large", ""},
		{"a megabyte of whitespace", post(v, strings.Repeat(" ", 1<<20)+createBody("acct-new", nil)), 413, "body_too_large", ""},
		{"deeply nested", post(v, strings.Repeat("[", 20000)+strings.Repeat("]", 20000)), 400, "malformed_json", ""},
		{"huge header", request{method: "POST", path: v, body: createBody("acct-new", nil), header: map[string]string{"X-Pad": strings.Repeat("a", 40<<10)}}, 431, "", ""},

		// Field validation.
		{"full name over 200 characters", create(func(m map[string]any) { info(m)["full_name"] = strings.Repeat("É", 201) }), 400, "invalid_field", "full_name"},
		{"address over 500 characters", create(func(m map[string]any) { info(m)["address"] = strings.Repeat("a", 501) }), 400, "invalid_field", "address"},
		{"empty full name", create(func(m map[string]any) { info(m)["full_name"] = "" }), 400, "invalid_field", "full_name"},
		{"control character in name", create(func(m map[string]any) { info(m)["full_name"] = "ERIKA\x00MUSTERMANN" }), 400, "invalid_field", "full_name"},
		{"missing account", create(func(m map[string]any) { delete(m, "account_id") }), 400, "invalid_field", "account_id"},
		{"account with a slash", create(func(m map[string]any) { m["account_id"] = "acct/../x" }), 400, "invalid_field", "account_id"},
		{"account over 64 characters", create(func(m map[string]any) { m["account_id"] = strings.Repeat("a", 65) }), 400, "invalid_field", "account_id"},
		{"lower-case country", create(func(m map[string]any) { info(m)["country"] = "de" }), 400, "invalid_field", "country"},
		{"three-letter nationality", create(func(m map[string]any) { info(m)["nationality"] = "DEU" }), 400, "invalid_field", "nationality"},
		{"unknown id type", create(func(m map[string]any) { info(m)["id_type"] = "library_card" }), 400, "invalid_field", "id_type"},
		{"id number with a slash", create(func(m map[string]any) { info(m)["id_number"] = "L01/X00" }), 400, "invalid_field", "id_number"},
		{"id number of filler only", create(func(m map[string]any) { info(m)["id_number"] = "<<<" }), 400, "invalid_field", "id_number"},
		{"id number over 40 characters", create(func(m map[string]any) { info(m)["id_number"] = strings.Repeat("1", 41) }), 400, "invalid_field", "id_number"},
		{"no date of birth", create(func(m map[string]any) { delete(info(m), "date_of_birth") }), 400, "invalid_field", "date_of_birth"},
		{"impossible date of birth", create(func(m map[string]any) { info(m)["date_of_birth"] = "1983-13-45" }), 400, "invalid_field", "date_of_birth"},
		{"date of birth in the future", create(func(m map[string]any) { info(m)["date_of_birth"] = "2999-01-01" }), 400, "invalid_field", "date_of_birth"},
		{"expiry not a date", create(func(m map[string]any) { info(m)["expiry_date"] = "soon" }), 400, "invalid_field", "expiry_date"},
		{"MRZ with lower case", create(func(m map[string]any) { info(m)["mrz"] = strings.Repeat("a", 60) }), 400, "invalid_field", "mrz"},
		{"upper-case flag", create(func(m map[string]any) { m["flags"] = []string{"PEP"} }), 400, "invalid_field", "flags"},
		{"nine flags", create(func(m map[string]any) {
			m["flags"] = []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"}
		}), 400, "invalid_field", "flags"},
		{"Idempotency-Key over 128 characters", request{method: "POST", path: v, body: createBody("acct-new", nil),
			header: map[string]string{"Idempotency-Key": strings.Repeat("k", 129)}}, 400, "invalid_header", ""},

		// Uploads declared at create.
		{"no selfie", create(func(m map[string]any) { delete(uploads(m), "selfie") }), 400, "invalid_field", "uploads.selfie"},
		{"no back of an id card", create(func(m map[string]any) { delete(uploads(m), "doc_back") }), 400, "invalid_field", "uploads.doc_back"},
		{"a back for a passport", create(func(m map[string]any) { info(m)["id_type"] = "passport" }), 400, "invalid_field", "uploads.doc_back"},
		{"unknown slot", create(func(m map[string]any) {
			uploads(m)["doc_side"] = map[string]any{"content_type": "image/jpeg", "size": 10}
		}), 400, "invalid_field", "uploads.doc_side"},
		{"GIF document", create(func(m map[string]any) { upload(m, "doc_front")["content_type"] = "image/gif" }), 400, "invalid_field", "uploads.doc_front.content_type"},
		{"PDF document", create(func(m map[string]any) { upload(m, "doc_back")["content_type"] = "application/pdf" }), 400, "invalid_field", "uploads.doc_back.content_type"},
		{"video as a document", create(func(m map[string]any) { upload(m, "doc_front")["content_type"] = "video/mp4" }), 400, "invalid_field", "uploads.doc_front.content_type"},
		{"AVI selfie", create(func(m map[string]any) { upload(m, "selfie")["content_type"] = "video/x-msvideo" }), 400, "invalid_field", "uploads.selfie.content_type"},
		{"type with parameters", create(func(m map[string]any) { upload(m, "doc_front")["content_type"] = "image/jpeg; charset=binary" }), 400, "invalid_field", "uploads.doc_front.content_type"},
		{"zero-byte document", create(func(m map[string]any) { upload(m, "doc_front")["size"] = 0 }), 400, "invalid_field", "uploads.doc_front.size"},
		{"zero-byte selfie", create(func(m map[string]any) { upload(m, "selfie")["size"] = 0 }), 400, "invalid_field", "uploads.selfie.size"},
		{"negative size", create(func(m map[string]any) { upload(m, "doc_back")["size"] = -1 }), 400, "invalid_field", "uploads.doc_back.size"},
		{"no size", create(func(m map[string]any) { delete(upload(m, "doc_back"), "size") }), 400, "invalid_field", "uploads.doc_back.size"},
		{"document over the limit", create(func(m map[string]any) { upload(m, "doc_front")["size"] = 15<<20 + 1 }), 413, "upload_too_large", "uploads.doc_front.size"},
		{"video over the limit", create(func(m map[string]any) { upload(m, "selfie")["size"] = 50<<20 + 1 }), 413, "upload_too_large", "uploads.selfie.size"},
		{"still selfie over the image limit", create(func(m map[string]any) {
			uploads(m)["selfie"] = map[string]any{"content_type": "image/jpeg", "size": 20 << 20}
		}), 413, "upload_too_large", "uploads.selfie.size"},
		{"absurd size", create(func(m map[string]any) { upload(m, "selfie")["size"] = int64(1) << 62 }), 413, "upload_too_large", "uploads.selfie.size"},

		// Accounts that may not verify.
		{"verified account", post(v, createBody("acct-verified", nil)), 409, "identity_locked", ""},
		{"frozen account", post(v, createBody("acct-frozen", nil)), 409, "account_inactive", ""},
		{"closed account", post(v, createBody("acct-closed", nil)), 409, "account_inactive", ""},

		// IDs and paths.
		{"short id", request{method: "GET", path: v + "/v_abc"}, 400, "invalid_id", ""},
		{"upper-case id", request{method: "GET", path: v + "/" + strings.ToUpper(unknownV)}, 400, "invalid_id", ""},
		{"id with a quote", request{method: "GET", path: v + "/v_%27%20OR%201=1--"}, 400, "invalid_id", ""},
		{"id of another kind", request{method: "GET", path: v + "/" + f.pendingHC}, 400, "invalid_id", ""},
		{"unknown id", request{method: "GET", path: v + "/" + unknownV}, 404, "not_found", ""},
		{"submit unknown id", request{method: "POST", path: v + "/" + unknownV + "/submit"}, 404, "not_found", ""},
		{"submit invalid id", request{method: "POST", path: v + "/x/submit"}, 400, "invalid_id", ""},
		{"dot-dot path", request{method: "GET", path: v + "/../.."}, 400, "invalid_path", ""},
		{"dot-dot to another route", request{method: "GET", path: v + "/" + f.created + "/../../id-types"}, 400, "invalid_path", ""},
		{"dot-dot submit", request{method: "POST", path: v + "/" + unknownV + "/../" + f.created + "/submit"}, 400, "invalid_path", ""},
		{"encoded dot-dot", request{method: "GET", path: v + "/%2e%2e/%2e%2e/id-types"}, 400, "invalid_path", ""},
		{"encoded dot-dot segments", request{method: "GET", path: v + "/" + f.created + "%2F..%2F..%2Fid-types"}, 400, "invalid_path", ""},
		{"encoded slash in an id", request{method: "GET", path: v + "/" + f.created + "%2Fsubmit"}, 400, "invalid_id", ""},
		{"encoded slash in an account", request{method: "POST", path: "/v1/accounts/acct-holder%2Fcontacts/contacts", body: `{"kind":"email","value":"x@example.org"}`}, 400, "invalid_id", ""},
		{"double slash", request{method: "GET", path: "/v1//verifications/" + f.created}, 400, "invalid_path", ""},
		{"dot segment", request{method: "POST", path: v + "/./" + f.created + "/submit"}, 400, "invalid_path", ""},
		{"trailing slash", request{method: "GET", path: v + "/"}, 404, "not_found", ""},
		{"unknown route", request{method: "GET", path: "/v1/admin"}, 404, "not_found", ""},
		{"wrong method", request{method: "DELETE", path: v + "/" + f.created}, 405, "method_not_allowed", ""},
		{"PUT a verification", request{method: "PUT", path: v + "/" + f.created, body: `{"status":"decided"}`}, 405, "method_not_allowed", ""},
		{"DELETE an account", request{method: "DELETE", path: "/v1/accounts/acct-holder"}, 405, "method_not_allowed", ""},

		// Submit before the uploads.
		{"submit with nothing uploaded", request{method: "POST", path: v + "/" + f.created + "/submit"}, 409, "upload_missing", ""},

		// Holder checks.
		{"holder check of an undecided verification", post(v+"/"+f.created+"/holder-checks", `{"selfie":{"content_type":"video/mp4","size":10}}`), 409, "holder_not_viewable", ""},
		{"holder check of an unknown verification", post(v+"/"+unknownV+"/holder-checks", `{"selfie":{"content_type":"video/mp4","size":10}}`), 404, "not_found", ""},
		{"holder check malformed", post(v+"/"+f.occupied+"/holder-checks", `{"selfie":`), 400, "malformed_json", ""},
		{"holder check unknown field", post(v+"/"+f.occupied+"/holder-checks", `{"selfie":{"content_type":"video/mp4","size":10},"holder":"acct-holder"}`), 400, "malformed_json", ""},
		{"holder check GIF selfie", post(v+"/"+f.occupied+"/holder-checks", `{"selfie":{"content_type":"image/gif","size":10}}`), 400, "invalid_field", "selfie.content_type"},
		{"holder check empty selfie", post(v+"/"+f.occupied+"/holder-checks", `{"selfie":{"content_type":"video/mp4","size":0}}`), 400, "invalid_field", "selfie.size"},
		{"holder check no selfie", post(v+"/"+f.occupied+"/holder-checks", `{}`), 400, "invalid_field", "selfie.content_type"},
		{"holder check selfie over the limit", post(v+"/"+f.occupied+"/holder-checks", `{"selfie":{"content_type":"video/mp4","size":52428801}}`), 413, "upload_too_large", "selfie.size"},
		{"holder check long Idempotency-Key", request{method: "POST", path: v + "/" + f.occupied + "/holder-checks",
			body: `{"selfie":{"content_type":"video/mp4","size":10}}`, header: map[string]string{"Idempotency-Key": strings.Repeat("k", 129)}}, 400, "invalid_header", ""},
		{"get holder check invalid id", request{method: "GET", path: "/v1/holder-checks/h_x"}, 400, "invalid_id", ""},
		{"get holder check unknown", request{method: "GET", path: "/v1/holder-checks/" + unknownH}, 404, "not_found", ""},
		{"submit holder check without the selfie", request{method: "POST", path: "/v1/holder-checks/" + f.pendingHC + "/submit"}, 409, "upload_missing", ""},
		{"submit holder check invalid id", request{method: "POST", path: "/v1/holder-checks/" + f.created + "/submit"}, 400, "invalid_id", ""},
		{"answer a pending check", post("/v1/holder-checks/"+f.pendingHC+"/answer", `{"answer":"mine","proofs":{"new_contact_code":true}}`), 409, "holder_not_matched", ""},
		{"answer maybe", post("/v1/holder-checks/"+f.matchedHC+"/answer", `{"answer":"maybe"}`), 400, "invalid_answer", ""},
		{"answer empty", post("/v1/holder-checks/"+f.matchedHC+"/answer", `{}`), 400, "invalid_answer", ""},
		{"answer unknown proof", post("/v1/holder-checks/"+f.matchedHC+"/answer", `{"answer":"mine","proofs":{"sms":true}}`), 400, "malformed_json", ""},
		{"answer proof as a string", post("/v1/holder-checks/"+f.matchedHC+"/answer", `{"answer":"mine","proofs":{"new_contact_code":"yes"}}`), 400, "malformed_json", ""},
		{"answer as a number", post("/v1/holder-checks/"+f.matchedHC+"/answer", `{"answer":1}`), 400, "malformed_json", ""},
		{"answer trailing garbage", post("/v1/holder-checks/"+f.matchedHC+"/answer", `{"answer":"not_mine"}}`), 400, "malformed_json", ""},

		// Accounts, contacts, holdings.
		{"account id with a dot", request{method: "GET", path: "/v1/accounts/acct.x"}, 400, "invalid_id", ""},
		{"account id with an encoded slash", request{method: "GET", path: "/v1/accounts/acct%2Fx"}, 400, "invalid_id", ""},
		{"account id over 64 characters", request{method: "GET", path: "/v1/accounts/" + strings.Repeat("a", 65)}, 400, "invalid_id", ""},
		{"contact of unknown kind", post("/v1/accounts/acct-new/contacts", `{"kind":"fax","value":"123"}`), 400, "invalid_field", "kind"},
		{"invalid email", post("/v1/accounts/acct-new/contacts", `{"kind":"email","value":"not-an-email"}`), 400, "invalid_field", "value"},
		{"email with two @", post("/v1/accounts/acct-new/contacts", `{"kind":"email","value":"a@b@example.org"}`), 400, "invalid_field", "value"},
		{"invalid phone", post("/v1/accounts/acct-new/contacts", `{"kind":"phone","value":"12"}`), 400, "invalid_field", "value"},
		{"phone of letters", post("/v1/accounts/acct-new/contacts", `{"kind":"phone","value":"+49 CALL ME"}`), 400, "invalid_field", "value"},
		{"huge contact", post("/v1/accounts/acct-new/contacts", fmt.Sprintf(`{"kind":"email","value":"%s@example.org"}`, strings.Repeat("a", 400))), 400, "invalid_field", "value"},
		{"contact unknown field", post("/v1/accounts/acct-new/contacts", `{"kind":"email","value":"a@example.org","verified":true}`), 400, "malformed_json", ""},
		{"contact bound to another account", post("/v1/accounts/acct-new/contacts", `{"kind":"email","value":"TAKEN@example.org"}`), 409, "contact_in_use", ""},
		{"contact for a closed account", post("/v1/accounts/acct-closed/contacts", `{"kind":"email","value":"fresh@example.org"}`), 409, "account_inactive", ""},
		{"contact for an invalid account", post("/v1/accounts/acct%20x/contacts", `{"kind":"email","value":"fresh@example.org"}`), 400, "invalid_id", ""},
		{"holdings missing a field", request{method: "PUT", path: "/v1/accounts/acct-new/holdings", body: `{"assets":true}`}, 400, "invalid_field", ""},
		{"holdings as strings", request{method: "PUT", path: "/v1/accounts/acct-new/holdings", body: `{"assets":"no","pending_withdrawals":false,"open_orders":false}`}, 400, "malformed_json", ""},
		{"holdings unknown field", request{method: "PUT", path: "/v1/accounts/acct-new/holdings", body: `{"assets":false,"pending_withdrawals":false,"open_orders":false,"loans":true}`}, 400, "malformed_json", ""},
		{"holdings null", request{method: "PUT", path: "/v1/accounts/acct-new/holdings", body: `null`}, 400, "invalid_field", ""},
		{"holdings POST", post("/v1/accounts/acct-new/holdings", `{"assets":false,"pending_withdrawals":false,"open_orders":false}`), 405, "method_not_allowed", ""},

		// Migrations.
		{"migration malformed", post("/v1/migrations", `{"source_account":`), 400, "malformed_json", ""},
		{"migration same source and target", migrate(func(m map[string]any) { m["target_account"] = m["source_account"] }), 400, "invalid_migration", ""},
		{"migration invalid source", migrate(func(m map[string]any) { m["source_account"] = "../etc" }), 400, "invalid_field", "source_account"},
		{"migration no target", migrate(func(m map[string]any) { delete(m, "target_account") }), 400, "invalid_field", "target_account"},
		{"migration invalid contact", migrate(func(m map[string]any) { m["contact"] = map[string]any{"kind": "email", "value": "nope"} }), 400, "invalid_field", "contact.value"},
		{"migration contact of unknown kind", migrate(func(m map[string]any) { m["contact"] = map[string]any{"kind": "wechat", "value": "x"} }), 400, "invalid_field", "contact.kind"},
		{"migration unknown proof", migrate(func(m map[string]any) { m["proofs"].(map[string]any)["kyc_done"] = true }), 400, "malformed_json", ""},
		{"migration proofs as a list", migrate(func(m map[string]any) { m["proofs"] = []string{"target_2fa"} }), 400, "malformed_json", ""},
		{"migration unknown field", migrate(func(m map[string]any) { m["kind"] = "occupancy" }), 400, "malformed_json", ""},
		{"migration long Idempotency-Key", request{method: "POST", path: "/v1/migrations", body: migrationBody(nil),
			header: map[string]string{"Idempotency-Key": strings.Repeat("k", 129)}}, 400, "invalid_header", ""},
		{"get migration invalid id", request{method: "GET", path: "/v1/migrations/m_X"}, 400, "invalid_id", ""},
		{"get migration unknown", request{method: "GET", path: "/v1/migrations/m_unknown123"}, 404, "not_found", ""},

		// The S3 webhook.
		{"webhook without a token", request{method: "POST", path: "/v1/hooks/s3", body: s3Event(f.created + "/doc_front"), auth: "-"}, 401, "unauthorized", ""},
		{"webhook with a wrong token", request{method: "POST", path: "/v1/hooks/s3", body: s3Event("v/" + f.created + "/doc_front"), auth: "Bearer nope"}, 401, "unauthorized", ""},
		{"webhook with the API token", request{method: "POST", path: "/v1/hooks/s3", body: s3Event("v/" + f.created + "/doc_front"), auth: "Bearer " + s.Token}, 401, "unauthorized", ""},
		{"webhook token in the query string", request{method: "POST", path: "/v1/hooks/s3?token=" + url.QueryEscape(s.env["KYCQ_WEBHOOK_TOKEN"]), body: s3Event("v/" + f.created + "/doc_front"), auth: "-"}, 401, "unauthorized", ""},
		{"webhook with a wrong bearer", request{method: "POST", path: "/v1/hooks/s3", body: s3Event("v/" + f.created + "/doc_front"), auth: "Bearer " + s.Token}, 401, "unauthorized", ""},
		{"webhook malformed", webhook(s, `{"Records":[`), 400, "malformed_json", ""},
		{"webhook over a megabyte", webhook(s, `{"Records":[],"pad":"`+strings.Repeat("a", 1<<20)+`"}`), 413, "body_too_large", ""},
	}

	// Every /v1 route refuses a missing, wrong or misplaced token.
	routes := []struct{ method, path string }{
		{"POST", v}, {"GET", v + "/" + f.created}, {"POST", v + "/" + f.created + "/submit"},
		{"POST", v + "/" + f.occupied + "/holder-checks"}, {"GET", "/v1/holder-checks/" + f.matchedHC},
		{"POST", "/v1/holder-checks/" + f.pendingHC + "/submit"}, {"POST", "/v1/holder-checks/" + f.matchedHC + "/answer"},
		{"GET", "/v1/accounts/acct-holder"}, {"POST", "/v1/accounts/acct-new/contacts"}, {"PUT", "/v1/accounts/acct-new/holdings"},
		{"POST", "/v1/migrations"}, {"GET", "/v1/migrations/m_unknown123"}, {"GET", "/v1/id-types"}, {"GET", "/v1/nothing"},
		{"GET", "/metrics"}, {"GET", "/monitoring/"},
	}
	for _, rt := range routes {
		body := ""
		if rt.method != "GET" {
			body = `{}`
		}
		sep := "?"
		if strings.Contains(rt.path, "?") {
			sep = "&"
		}
		for _, a := range []struct{ name, auth, query string }{
			{"no token", "-", ""},
			{"wrong token", "Bearer wrong-" + s.Token[:8], ""},
			{"token with a suffix", "Bearer " + s.Token + "x", ""},
			{"token prefix", "Bearer " + s.Token[:len(s.Token)-1], ""},
			{"empty bearer", "Bearer ", ""},
			{"token without scheme", s.Token, ""},
			{"wrong Basic password", "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:"+s.Token+"x")), ""},
			{"token in the query", "-", "token=" + url.QueryEscape(s.Token)},
			{"access_token in the query", "-", "access_token=" + url.QueryEscape(s.Token)},
		} {
			path := rt.path
			if a.query != "" {
				path += sep + a.query
			}
			cases = append(cases, badCase{name: a.name + ": " + rt.method + " " + rt.path,
				req: request{method: rt.method, path: path, body: body, auth: a.auth}, status: 401, code: "unauthorized"})
		}
	}

	// Forged webhook events: the hook answers 200 (the event is
	// consumed) but a key that is not a complete, real upload submits
	// nothing.
	for _, key := range []string{
		"v/" + f.created + "/doc_front",                   // a real key, nothing uploaded
		"v%2F" + f.created + "%2Fselfie",                  // the same, URL-encoded as S3 sends keys
		"v/../v/" + f.created + "/doc_front",              // dot-dot
		"v/" + f.created + "/../../" + f.created + "/x",   // dot-dot inside
		"v/" + strings.ToUpper(f.created) + "/doc_front",  // not an ID
		"v/" + unknownV + "/doc_front",                    // unknown verification
		"h/" + f.pendingHC + "/selfie",                    // holder check, no selfie uploaded
		"h/" + f.pendingHC + "/../../v/" + f.created + "", // dot-dot from a holder key
		"%zz",                      // bad escaping
		"",                         // empty
		strings.Repeat("v/", 5000), // long
	} {
		cases = append(cases, badCase{name: "forged webhook key " + trim(key), req: webhook(s, s3Event(key)), status: 200})
	}
	cases = append(cases,
		badCase{name: "webhook of another event", req: webhook(s, strings.Replace(s3Event("v/"+f.created+"/doc_front"), "ObjectCreated:Put", "ObjectRemoved:Delete", 1)), status: 200},
		badCase{name: "webhook without records", req: webhook(s, `{}`), status: 200},
	)
	return cases
}

// s3Event is an object-created notification for key, as versitygw sends it.
func s3Event(key string) string {
	return fmt.Sprintf(`{"Records":[{"eventName":"s3:ObjectCreated:Put","s3":{"object":{"key":%q}}}]}`, key)
}

// webhook posts body to the S3 webhook with the right token, in a header
// (never the query string, which access logs keep).
func webhook(s *service, body string) request {
	return request{method: "POST", path: "/v1/hooks/s3", body: body, auth: "Bearer " + s.env["KYCQ_WEBHOOK_TOKEN"]}
}

func trim(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/webhooks"
)

func listCreateBody(account, number string) []byte {
	return []byte(fmt.Sprintf(`{"account_id":%q,"info":{"country":"DE","nationality":"DE","issuing_country":"DE","full_name":"ERIKA MUSTERMANN","date_of_birth":"1983-08-12","id_type":"passport","id_number":%q},"uploads":{"doc_front":{"content_type":"image/jpeg","size":10},"selfie":{"content_type":"video/mp4","size":20}}}`, account, number))
}

func decodeAs[T any](t *testing.T, r result) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("%d %s: %v", r.status, r.body, err)
	}
	return v
}

// An account's verifications page by cursor, oldest first; bad paging
// parameters are refused and change nothing.
func TestListAccountVerifications(t *testing.T) {
	f := newFixture(t)
	var ids []string
	for i := range 5 {
		r := f.serve("POST", "/v1/verifications", "application/json", nil, listCreateBody("acct-1", fmt.Sprintf("C01X00T4%d", i)))
		if r.status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		ids = append(ids, decodeAs[api.CreateResponse](t, r).ID)
		time.Sleep(2 * time.Millisecond) // distinct creation times; ties are ordered by id anyway
	}
	f.serve("POST", "/v1/verifications", "application/json", nil, listCreateBody("acct-2", "C01X00T49"))
	var got []string
	cursor, pages := "", 0
	for {
		r := f.serve("GET", "/v1/accounts/acct-1/verifications?limit=2&cursor="+cursor, "", nil, nil)
		if r.status != http.StatusOK {
			t.Fatalf("list: %d %s", r.status, r.body)
		}
		p := decodeAs[api.Page[api.VerificationSummary]](t, r)
		pages++
		for _, v := range p.Items {
			if v.AccountID != "acct-1" || v.Status != storage.StatusCreated || v.Decision != nil {
				t.Errorf("item %+v", v)
			}
			got = append(got, v.ID)
		}
		if p.NextCursor == "" {
			break
		}
		cursor = p.NextCursor
	}
	if fmt.Sprint(got) != fmt.Sprint(ids) || pages != 3 {
		t.Errorf("listed %v in %d pages, want %v in 3", got, pages, ids)
	}

	for _, tc := range []struct{ path, code string }{
		{"/v1/accounts/acct-1/verifications?limit=0", "invalid_limit"},
		{"/v1/accounts/acct-1/verifications?limit=201", "invalid_limit"},
		{"/v1/accounts/acct-1/verifications?limit=two", "invalid_limit"},
		{"/v1/accounts/acct-1/verifications?cursor=bm9wZQ", "invalid_cursor"},
		{"/v1/accounts/acct-1/verifications?cursor=!!!", "invalid_cursor"},
		{"/v1/accounts/a%20b/verifications", "invalid_id"},
		{"/v1/verifications?status=lost", "invalid_field"},
		{"/v1/verifications?status=decided&from=yesterday", "invalid_field"},
		{"/v1/verifications?status=decided&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "invalid_field"},
	} {
		w, q := f.state.Count(), f.queue.Count()
		r := f.serve("GET", tc.path, "", nil, nil)
		f.checkAnswer(t, r, w, q)
		if r.status != http.StatusBadRequest || r.err.Code != tc.code {
			t.Errorf("GET %s: %d %s, want 400 %s", tc.path, r.status, r.err.Code, tc.code)
		}
	}
}

// Reconciliation: decided verifications in a time range, with their
// decisions.
func TestListVerificationsByStatus(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 {
		id := fmt.Sprintf("v_%026d", i)
		must(t, f.state.CreateVerification(ctx, &storage.Verification{ID: id, AccountID: "acct-r", CreatedAt: base}))
		_, err := f.state.MarkSubmitted(ctx, id, []string{"doc_data"}, nil, base.Add(time.Hour))
		must(t, err)
		_, _, err = f.state.SaveDecision(ctx, storage.Decision{VerificationID: id, Outcome: storage.Rejected,
			Reasons: []reason.Code{"doc_blurry"}, DecidedAt: base.Add(time.Duration(24*i) * time.Hour)})
		must(t, err)
	}
	r := f.serve("GET", "/v1/verifications?status=decided&from=2026-01-02T00:00:00Z&to=2026-01-03T00:00:00Z", "", nil, nil)
	p := decodeAs[api.Page[api.VerificationSummary]](t, r)
	if len(p.Items) != 1 || p.Items[0].ID != fmt.Sprintf("v_%026d", 1) || p.Items[0].Decision == nil ||
		p.Items[0].Decision.Outcome != storage.Rejected || len(p.Items[0].Decision.Reasons) != 1 ||
		p.Items[0].Decision.Reasons[0].Remedy == "" || p.NextCursor != "" {
		t.Fatalf("decided on Jan 2: %s", r.body)
	}
	r = f.serve("GET", "/v1/verifications?status=decided&limit=2", "", nil, nil)
	if p = decodeAs[api.Page[api.VerificationSummary]](t, r); len(p.Items) != 2 || p.NextCursor == "" {
		t.Fatalf("first page of decided: %s", r.body)
	}
	r = f.serve("GET", "/v1/verifications?status=decided&limit=2&cursor="+p.NextCursor, "", nil, nil)
	if p = decodeAs[api.Page[api.VerificationSummary]](t, r); len(p.Items) != 1 || p.Items[0].ID != fmt.Sprintf("v_%026d", 2) {
		t.Fatalf("second page of decided: %s", r.body)
	}
}

// The early occupancy answer: free, held by another account, held by the
// asking one; the pre-check writes nothing.
func TestOccupancyEarlyAnswer(t *testing.T) {
	f := newFixture(t)
	check := func(account string) api.OccupancyView {
		t.Helper()
		w, q := f.state.Count(), f.queue.Count()
		r := f.serve("POST", "/v1/occupancy-checks", "application/json", nil,
			[]byte(fmt.Sprintf(`{"account_id":%q,"issuing_country":"DE","id_type":"passport","id_number":"c01x00t47"}`, account)))
		if r.status != http.StatusOK || f.state.Count() != w || f.queue.Count() != q {
			t.Fatalf("occupancy check: %d %s (or it wrote)", r.status, r.body)
		}
		return decodeAs[api.OccupancyView](t, r)
	}
	if o := check("acct-new"); o.Claimed {
		t.Fatalf("a free document: %+v", o)
	}
	r := f.serve("POST", "/v1/verifications", "application/json", nil, listCreateBody("acct-new", "C01X00T47"))
	if c := decodeAs[api.CreateResponse](t, r); c.Occupancy == nil || c.Occupancy.Claimed {
		t.Fatalf("create of a free document: %s", r.body)
	}
	// Another account's approval claims it.
	r = f.serve("POST", "/v1/verifications", "application/json", nil, listCreateBody("acct-holder", "C01X00T47"))
	hv := decodeAs[api.CreateResponse](t, r)
	v, err := f.state.GetVerification(context.Background(), hv.ID)
	must(t, err)
	_, _, err = f.state.ClaimDocument(context.Background(), storage.Claim{DocKey: v.DocKey, AccountID: "acct-holder", VerificationID: v.ID})
	must(t, err)
	if o := check("acct-new"); !o.Claimed || o.ClaimedByThisAccount {
		t.Fatalf("held by another account: %+v", o)
	}
	if o := check("acct-holder"); !o.Claimed || !o.ClaimedByThisAccount {
		t.Fatalf("held by the asking account: %+v", o)
	}
	r = f.serve("POST", "/v1/verifications", "application/json", nil, listCreateBody("acct-other", "C01X00T47"))
	if c := decodeAs[api.CreateResponse](t, r); c.Occupancy == nil || !c.Occupancy.Claimed || c.Occupancy.ClaimedByThisAccount {
		t.Fatalf("create of a held document: %s", r.body)
	}
	for _, body := range []string{
		`{"account_id":"a","issuing_country":"DE","id_type":"passport"}`,
		`{"account_id":"a","issuing_country":"de","id_type":"passport","id_number":"C01X00T47"}`,
		`{"account_id":"a","issuing_country":"DE","id_type":"scroll","id_number":"C01X00T47"}`,
		`{"account_id":"a b","issuing_country":"DE","id_type":"passport","id_number":"C01X00T47"}`,
		`{"account_id":"a","issuing_country":"DE","id_type":"passport","id_number":"C01X00T47","name":"x"}`,
	} {
		w, q := f.state.Count(), f.queue.Count()
		r := f.serve("POST", "/v1/occupancy-checks", "application/json", nil, []byte(body))
		f.checkAnswer(t, r, w, q)
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", body, r.status)
		}
	}
}

// The dead-letter list and redelivery.
func TestDeadLetterAPI(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ep := webhooks.EndpointID("https://exchange.example/hooks")
	var evs []string
	for i := range 3 {
		id := fmt.Sprintf("evt_%032x", i+1)
		must(t, f.state.AppendEvent(ctx, storage.Event{ID: id, Type: webhooks.VerificationDecided, Subject: fmt.Sprintf("verification:v%d", i), Data: []byte(`{}`)}))
		evs = append(evs, id)
	}
	must(t, f.state.AddDeliveries(ctx, evs, []string{ep}, time.Time{}))
	for i, id := range evs[:2] {
		_, err := f.state.RecordAttempt(ctx, id, ep, 503, "status 503", storage.DeliveryDead, time.Now().Add(time.Duration(i)*time.Second))
		must(t, err)
	}
	_, err := f.state.RecordAttempt(ctx, evs[2], ep, 200, "", storage.DeliveryDelivered, time.Time{})
	must(t, err)

	r := f.serve("GET", "/v1/webhooks/dead?limit=1", "", nil, nil)
	p := decodeAs[api.Page[api.DeliveryView]](t, r)
	if len(p.Items) != 1 || p.Items[0].EventID != evs[0] || p.Items[0].EventType != webhooks.VerificationDecided ||
		p.Items[0].State != storage.DeliveryDead || p.Items[0].LastStatus != 503 || p.NextCursor == "" {
		t.Fatalf("first dead page: %s", r.body)
	}
	r = f.serve("GET", "/v1/webhooks/dead?limit=1&cursor="+p.NextCursor, "", nil, nil)
	if p = decodeAs[api.Page[api.DeliveryView]](t, r); len(p.Items) != 1 || p.Items[0].EventID != evs[1] || p.NextCursor != "" {
		t.Fatalf("second dead page: %s", r.body)
	}

	path := "/v1/webhooks/deliveries/" + ep + "/" + evs[0]
	q := f.queue.Count()
	r = f.serve("POST", path+"/redeliver", "", nil, nil)
	if d := decodeAs[api.DeliveryView](t, r); r.status != http.StatusAccepted || d.State != storage.DeliveryQueued || d.Redeliveries != 1 || f.queue.Count() != q+1 {
		t.Fatalf("redeliver: %d %s", r.status, r.body)
	}
	r = f.serve("GET", path, "", nil, nil)
	if d := decodeAs[api.DeliveryView](t, r); d.State != storage.DeliveryQueued {
		t.Fatalf("after redeliver: %s", r.body)
	}
	r = f.serve("POST", "/v1/webhooks/deliveries/"+ep+"/"+evs[2]+"/redeliver", "", nil, nil)
	if r.status != http.StatusConflict || r.err.Code != "already_delivered" {
		t.Fatalf("redeliver a delivered one: %d %s", r.status, r.body)
	}
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/v1/webhooks/deliveries/" + ep + "/evt_" + fmt.Sprintf("%032x", 99), 404},
		{"POST", "/v1/webhooks/deliveries/" + ep + "/evt_" + fmt.Sprintf("%032x", 99) + "/redeliver", 404},
		{"GET", "/v1/webhooks/deliveries/https:example/" + evs[0], 400},
		{"POST", "/v1/webhooks/deliveries/" + ep + "/evt_1/redeliver", 400},
	} {
		w, q := f.state.Count(), f.queue.Count()
		r := f.serve(tc.method, tc.path, "", nil, nil)
		f.checkAnswer(t, r, w, q)
		if r.status != tc.status {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, r.status, tc.status)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/storage"
)

// The seed corpora are in testdata/fuzz/<target>; `make fuzz-api` runs the
// targets for FUZZTIME each, and `go test` replays the corpora.

// FuzzCreateRequest feeds arbitrary bodies, content types and idempotency
// keys to POST /v1/verifications: the answer is JSON, never a 5xx, a
// refusal has a stable code and changes nothing, and a verification
// created is stored as answered.
func FuzzCreateRequest(f *testing.F) {
	f.Add([]byte(`{"account_id":"a1","info":{"country":"DE","nationality":"DE","issuing_country":"DE","full_name":"ERIKA MUSTERMANN","date_of_birth":"1983-08-12","id_type":"passport","id_number":"C01X00T47"},"uploads":{"doc_front":{"content_type":"image/jpeg","size":10},"selfie":{"content_type":"video/mp4","size":20}}}`), "application/json", "")
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, body []byte, contentType, ikey string) {
		w, n := fx.state.Count(), fx.queue.Count()
		h := http.Header{}
		if ikey != "" {
			h.Set("Idempotency-Key", ikey)
		}
		r := fx.serve("POST", "/v1/verifications", contentType, h, body)
		fx.checkAnswer(t, r, w, n, http.StatusCreated, http.StatusOK)
		if r.status >= 400 {
			return
		}
		var out api.CreateResponse
		if err := json.Unmarshal(r.body, &out); err != nil {
			t.Fatalf("%d %s: %v", r.status, r.body, err)
		}
		v, err := fx.state.GetVerification(context.Background(), out.ID)
		if err != nil {
			t.Fatalf("created %s is not stored: %v", out.ID, err)
		}
		if v.Status != out.Status || r.status == http.StatusCreated && len(out.Uploads) != len(v.Uploads) {
			t.Fatalf("answered %+v, stored %+v", out, v)
		}
		if fx.queue.Count() != n {
			t.Fatal("create enqueued a task")
		}
	})
}

// FuzzMigrationRequest does the same for POST /v1/migrations: a migration
// accepted is stored and its task enqueued.
func FuzzMigrationRequest(f *testing.F) {
	f.Add([]byte(`{"source_account":"dup","target_account":"main","contact":{"kind":"email","value":"a@example.org"},"proofs":{"new_contact_code":true,"original_contact_code":true,"target_2fa":true}}`), "application/json", "")
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, body []byte, contentType, ikey string) {
		w, n := fx.state.Count(), fx.queue.Count()
		h := http.Header{}
		if ikey != "" {
			h.Set("Idempotency-Key", ikey)
		}
		r := fx.serve("POST", "/v1/migrations", contentType, h, body)
		fx.checkAnswer(t, r, w, n, http.StatusAccepted)
		if r.status >= 400 {
			return
		}
		var out api.MigrationView
		if err := json.Unmarshal(r.body, &out); err != nil {
			t.Fatalf("%s: %v", r.body, err)
		}
		m, err := fx.state.GetMigration(context.Background(), out.ID)
		if err != nil {
			t.Fatalf("accepted %s is not stored: %v", out.ID, err)
		}
		if m.State != storage.MigrationRequested || m.SourceAccount == m.TargetAccount || len(m.Contacts) != 1 || m.Contacts[0].Hash == "" {
			t.Fatalf("stored %+v", m)
		}
		if fx.queue.Count() != n+1 {
			t.Fatalf("accepted migration enqueued %d tasks", fx.queue.Count()-n)
		}
	})
}

// Package e2e runs kycq end to end as an app developer uses it: create a
// verification through the HTTP API, upload real JPEGs and a selfie video
// through the presigned URLs with a plain HTTP client, submit, and wait for
// the decision; on real Redis, PostgreSQL and versitygw, and on the
// embedded defaults of `kycq run`.
package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// applicant is the sample applicant of o, shared by every test of the
// binary (harness.Applicant).
func applicant(t *testing.T, o sample.Options) *sample.Applicant {
	return harness.Applicant(t, o)
}

// apply runs one whole application and waits for its decision.
func apply(t *testing.T, c *client.Client, account string, a *sample.Applicant) *api.VerificationResponse {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	id, err := c.Apply(ctx, account, a.Info, a.Files)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	v, err := c.WaitDecision(ctx, id, 100*time.Millisecond)
	if err != nil {
		t.Fatalf("wait for the decision of %s: %v", id, err)
	}
	return v
}

func codes(ds []reason.Detail) []reason.Code {
	out := make([]reason.Code, len(ds))
	for i, d := range ds {
		out[i] = d.Code
		if d.Remedy == "" {
			panic(fmt.Sprintf("code %s without a remedy", d.Code))
		}
	}
	return out
}

func requireApproved(t *testing.T, v *api.VerificationResponse) {
	t.Helper()
	if v.Decision.Outcome != storage.Approved {
		t.Fatalf("decision %s %v, want approved; checks: %+v", v.Decision.Outcome, codes(v.Decision.Reasons), v.Checks)
	}
	want := []string{"doc_data", "doc_quality:doc_back", "doc_quality:doc_front", "doc_read", "doc_read:doc_back", "doc_read:doc_front", "face_match"}
	var got []string
	for _, c := range v.Checks {
		got = append(got, c.Check)
		if !c.OK {
			t.Errorf("check %s not ok: %v", c.Check, codes(c.Reasons))
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("checks %v, want %v", got, want)
	}
	if v.Status != storage.StatusDecided || v.DecidedAt == nil || v.SubmittedAt == nil || len(v.Pending) != 0 {
		t.Errorf("verification %+v is not fully decided", v)
	}
}

// TestVerificationOnRealServices: the whole flow on real Redis, PostgreSQL
// and versitygw; then the rules that span verifications: the same
// document for another account ends as doc_already_used, a verified
// account cannot start again, and another person's selfie is rejected.
func TestVerificationOnRealServices(t *testing.T) {
	svc := harness.Start(t, harness.RealEnv(t), false)
	c := svc.Client
	ctx := context.Background()

	alice := applicant(t, sample.Options{Seed: 11})
	v := apply(t, c, "acct-alice", alice)
	requireApproved(t, v)
	face := map[string]float64{}
	for _, ch := range v.Checks {
		if ch.Check == "face_match" {
			face = ch.Scores
		}
	}
	if face["similarity"] < 0.5 || face["liveness"] != 1 {
		t.Errorf("face scores %v: want a clear, live match", face)
	}
	// The occupancy follow-up marks the account verified soon after.
	acct := waitAccount(t, c, "acct-alice", func(a *api.AccountResponse) bool { return a.KYCVerified })
	if acct.VerificationID != v.ID {
		t.Errorf("account after approval: %+v", acct)
	}

	// One document verifies one account.
	bob := apply(t, c, "acct-bob", alice)
	if bob.Decision.Outcome != storage.Rejected || !hasCode(bob.Decision.Reasons, reason.DocAlreadyUsed) {
		t.Errorf("same document, other account: %s %v, want rejected doc_already_used", bob.Decision.Outcome, codes(bob.Decision.Reasons))
	}

	// A verified identity cannot be edited by the user.
	_, err := c.Create(ctx, "acct-alice", alice.Info, alice.Files, "")
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Status != 409 || ae.Body.Code != "identity_locked" {
		t.Errorf("new verification of a verified account: %v, want 409 identity_locked", err)
	}

	// Someone else's selfie.
	impostor := applicant(t, sample.Options{Seed: 12, Face: "collins", SelfieFace: "hopper"})
	iv := apply(t, c, "acct-carol", impostor)
	if iv.Decision.Outcome == storage.Approved || !hasCode(iv.Decision.Reasons, reason.FaceMismatch) && iv.Decision.Outcome != storage.ManualReview {
		t.Errorf("impostor: %s %v, want rejected face_mismatch", iv.Decision.Outcome, codes(iv.Decision.Reasons))
	}
}

// TestVerificationOnEmbeddedDefaults: the same flow on `kycq run`'s
// embedded Redis, S3 server and SQLite.
func TestVerificationOnEmbeddedDefaults(t *testing.T) {
	svc := harness.Start(t, harness.EmbeddedEnv(t), true)
	requireApproved(t, apply(t, svc.Client, "acct-embedded", applicant(t, sample.Options{Seed: 21})))
}

func hasCode(ds []reason.Detail, c reason.Code) bool {
	for _, d := range ds {
		if d.Code == c {
			return true
		}
	}
	return false
}

// waitAccount polls an account until cond holds (a follow-up task updates
// it shortly after the decision).
func waitAccount(t *testing.T, c *client.Client, id string, cond func(*api.AccountResponse) bool) *api.AccountResponse {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		a, err := c.Account(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if cond(a) {
			return a
		}
		if time.Now().After(deadline) {
			t.Fatalf("account %s never reached the expected state: %+v", id, a)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestUploadReplacedAfterSubmit: the presigned URLs stay valid after
// submit, so a client can PUT again; the checks read, and kycq keeps, the
// evidence copied at submit, never the replacement.
func TestUploadReplacedAfterSubmit(t *testing.T) {
	svc := harness.Start(t, harness.RealEnv(t), false)
	c := svc.Client
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a := applicant(t, sample.Options{Seed: 11})
	created, err := c.Create(ctx, "acct-swap", a.Info, a.Files, "")
	if err != nil {
		t.Fatal(err)
	}
	for slot, f := range a.Files {
		if err := c.Upload(ctx, created.Uploads[string(slot)], f.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Submit(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	// Right after submit: overwrite the front with same-sized noise.
	front := a.Files[storage.SlotFront]
	noise := make([]byte, len(front.Data))
	for i := range noise {
		noise[i] = byte(i * 7)
	}
	if err := c.Upload(ctx, created.Uploads[string(storage.SlotFront)], noise); err != nil {
		t.Fatalf("re-upload: %v", err)
	}
	v, err := c.WaitDecision(ctx, created.ID, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	requireApproved(t, v)
	sv, err := svc.App.State.GetVerification(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, up := range sv.Uploads {
		if up.Slot != storage.SlotFront {
			continue
		}
		rc, _, err := svc.App.Blobs.Get(ctx, up.Evidence, up.MaxBytes)
		if err != nil {
			t.Fatalf("evidence %s: %v", up.Evidence, err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(got, front.Data) {
			t.Errorf("the evidence of the front is not the photo submitted")
		}
	}
}

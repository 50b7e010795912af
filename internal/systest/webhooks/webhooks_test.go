package webhooks

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/webhooks"
)

// start runs kycq on real services, sending its events to a new receiver.
func start(t *testing.T) (*harness.Service, *receiver) {
	t.Helper()
	secret := "whsec-" + privacy.NewRandomKey()[:40]
	rcv := newReceiver(t, secret)
	env := harness.RealEnv(t)
	env["KYCQ_WEBHOOK_URL"] = rcv.srv.URL + "/kyc/events"
	env["KYCQ_WEBHOOK_SECRET"] = secret
	return harness.Start(t, env, false), rcv
}

// subject returns the ordering key of a received event.
func subject(e received) string {
	switch {
	case strings.HasPrefix(e.Type, "verification."):
		return "verification:" + e.Data.VerificationID
	case strings.HasPrefix(e.Type, "holder_check."):
		return "holder_check:" + e.Data.HolderCheckID
	case strings.HasPrefix(e.Type, "migration."):
		return "migration:" + e.Data.MigrationID
	case strings.HasPrefix(e.Type, "support_case."):
		return "support_case:" + e.Data.CaseID
	}
	return "?"
}

// bySubject groups received events by subject, each group in arrival
// order, as "type outcome" strings.
func bySubject(evs []received) map[string][]string {
	out := map[string][]string{}
	for _, e := range evs {
		s := subject(e)
		out[s] = append(out[s], strings.TrimSpace(e.Type+" "+e.Data.Outcome+" "+strings.Join(e.Data.Reasons, ",")))
	}
	return out
}

func migrationSteps(m *api.MigrationView) []string {
	var out []string
	for _, e := range m.Events {
		typ := webhooks.MigrationStep
		switch e.To {
		case storage.MigrationCompleted:
			typ = webhooks.MigrationCompleted
		case storage.MigrationRefused:
			typ = webhooks.MigrationRefused + " refused " + string(m.Refusal.Code)
			out = append(out, typ)
			continue
		case storage.MigrationFailed:
			typ = webhooks.MigrationFailed
		}
		out = append(out, typ+" "+string(e.To))
	}
	return out
}

// TestEventsOfAFullRun: a verification approved, the same document
// refused for another account, the holder check that follows and the
// migration it starts; every event arrives, signed, once after
// de-duplication, in order per subject, with ids and codes only.
func TestEventsOfAFullRun(t *testing.T) {
	svc, rcv := start(t)
	c := svc.Client
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	alice := harness.Applicant(t, sample.Options{Seed: 11})
	if _, err := c.BindContact(ctx, "holder-1", storage.ContactEmail, "erika.holder@example.org"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.BindContact(ctx, "new-1", storage.ContactPhone, "+49 170 1112223"); err != nil {
		t.Fatal(err)
	}
	v1 := apply(t, ctx, c, "holder-1", alice)
	if v1.Decision.Outcome != storage.Approved {
		t.Fatalf("first verification %s", v1.Decision.Outcome)
	}
	waitVerified(t, ctx, c, "holder-1")
	v2 := apply(t, ctx, c, "new-1", alice)
	hc, err := c.HolderCheck(ctx, v2.ID, alice.Files[storage.SlotSelfie])
	if err != nil {
		t.Fatal(err)
	}
	if hc, err = c.WaitHolderCheck(ctx, hc.ID, 50*time.Millisecond); err != nil || hc.State != storage.HolderCheckMatched {
		t.Fatalf("holder check: %+v, %v", hc, err)
	}
	if err := c.SetHoldings(ctx, "new-1", storage.Holdings{}); err != nil { // the migration source holds nothing
		t.Fatal(err)
	}
	hc, err = c.AnswerHolder(ctx, hc.ID, api.HolderAnswerRequest{Answer: "mine", Proofs: storage.Proofs{NewContactCode: true}})
	if err != nil || hc.MigrationID == "" || hc.CaseID == "" {
		t.Fatalf("answer: %+v, %v", hc, err)
	}
	// Scenario B is reviewed: support takes the case and resolves it,
	// which starts the migration.
	rs := svc.App.Review()
	if _, err := rs.AddStaff(ctx, nil, "sam", storage.RoleSupport, "sam-long-password"); err != nil {
		t.Fatal(err)
	}
	sess, err := rs.Login(ctx, "sam", "sam-long-password")
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []storage.CaseState{storage.CaseInProgress, storage.CaseResolved} {
		if _, err := rs.MoveCase(ctx, sess, hc.CaseID, to); err != nil {
			t.Fatalf("case to %s: %v", to, err)
		}
	}
	m, err := c.WaitMigration(ctx, hc.MigrationID, 50*time.Millisecond)
	if err != nil || m.State != storage.MigrationCompleted {
		t.Fatalf("migration: %+v, %v", m, err)
	}

	want := map[string][]string{
		"verification:" + v1.ID: {"verification.submitted", "verification.decided approved"},
		"verification:" + v2.ID: {"verification.submitted", "verification.decided rejected doc_already_used"},
		"holder_check:" + hc.ID: {"holder_check.completed matched", "holder_check.answered mine"},
		"migration:" + m.ID:     migrationSteps(m),
	}
	caseEvents := []string{"support_case.opened", "support_case.resolved"}
	total := len(caseEvents)
	for _, w := range want {
		total += len(w)
	}
	evs := rcv.waitFor(t, 30*time.Second, "every event of the run", func(evs []received) bool { return len(evs) >= total })
	time.Sleep(300 * time.Millisecond) // anything extra would arrive now
	evs = rcv.snapshot()
	got := bySubject(evs)
	var gotCase []string
	for _, e := range got["support_case:"+hc.CaseID] {
		typ, _, _ := strings.Cut(e, " ")
		gotCase = append(gotCase, typ)
	}
	if fmt.Sprint(gotCase) != fmt.Sprint(caseEvents) {
		t.Errorf("events of the review case: got %v, want %v", gotCase, caseEvents)
	}
	delete(got, "support_case:"+hc.CaseID)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("events by subject, in arrival order:\n got %v\nwant %v", got, want)
	}
	if v := v2.Decision.Reasons; len(v) != 1 || v[0].Code != "doc_already_used" {
		t.Logf("second decision reasons %v", v)
	}
	if rcv.badSigs != 0 || rcv.duplicates != 0 {
		t.Errorf("%d bad signatures, %d duplicates from a receiver that never failed", rcv.badSigs, rcv.duplicates)
	}

	// Ids and codes only: nothing of the applicant or her contacts.
	var info map[string]any
	b, _ := json.Marshal(alice.Info)
	json.Unmarshal(b, &info)
	personal := []string{"erika.holder", "example.org", "1112223", "+49"}
	for _, v := range info {
		if s, ok := v.(string); ok && len(s) >= 4 {
			personal = append(personal, s)
		}
	}
	for _, e := range evs {
		for _, p := range personal {
			if strings.Contains(e.Body, p) {
				t.Errorf("event %s carries personal data %q: %s", e.Type, p, e.Body)
			}
		}
		if e.CreatedAt.IsZero() || !strings.HasPrefix(e.ID, "evt_") {
			t.Errorf("event without id or time: %s", e.Body)
		}
	}
}

// TestReceiverOutage: the receiver answers 503 while the events of three
// migrations are produced, then recovers but loses the answers to its
// first three deliveries; it gets every event, in order per subject, and
// after de-duplication each once.
func TestReceiverOutage(t *testing.T) {
	svc, rcv := start(t)
	c := svc.Client
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rcv.setFailing(true)

	allProofs := storage.Proofs{NewContactCode: true, OriginalContactCode: true, Target2FA: true}
	want := map[string][]string{}
	for i := range 3 {
		src, phone := fmt.Sprintf("dup-%d", i), fmt.Sprintf("+49 151 200000%02d", i)
		if _, err := c.BindContact(ctx, src, storage.ContactPhone, phone); err != nil {
			t.Fatal(err)
		}
		if err := c.SetHoldings(ctx, src, storage.Holdings{}); err != nil {
			t.Fatal(err)
		}
		m, err := c.Migrate(ctx, api.MigrationRequest{SourceAccount: src, TargetAccount: "main-1",
			Contact: api.ContactRequest{Kind: storage.ContactPhone, Value: phone}, Proofs: allProofs}, "")
		if err != nil {
			t.Fatal(err)
		}
		if m, err = c.WaitMigration(ctx, m.ID, 50*time.Millisecond); err != nil || m.State != storage.MigrationCompleted {
			t.Fatalf("migration %d: %+v, %v", i, m, err)
		}
		want["migration:"+m.ID] = migrationSteps(m)
	}
	total := 0
	for _, w := range want {
		total += len(w)
	}
	// The outage: every attempt so far failed, nothing was kept.
	rcv.waitFor(t, 10*time.Second, "attempts during the outage", func([]received) bool {
		rcv.mu.Lock()
		defer rcv.mu.Unlock()
		return rcv.requests >= 3
	})
	time.Sleep(2 * time.Second)
	if n := len(rcv.snapshot()); n != 0 {
		t.Fatalf("%d events kept during the outage", n)
	}
	rcv.mu.Lock()
	rcv.failing, rcv.dropAfter = false, 3
	rcv.mu.Unlock()

	evs := rcv.waitFor(t, 90*time.Second, "every event after the outage", func(evs []received) bool { return len(evs) >= total })
	rcv.waitFor(t, 60*time.Second, "the deliveries whose answer was lost, again", func([]received) bool {
		rcv.mu.Lock()
		defer rcv.mu.Unlock()
		return rcv.duplicates >= 3
	})
	got := bySubject(evs)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("events by subject, in arrival order:\n got %v\nwant %v", got, want)
	}
	if rcv.badSigs != 0 {
		t.Errorf("%d bad signatures", rcv.badSigs)
	}
	// The store agrees: every delivery delivered; the first event of each
	// migration after failed attempts, the later ones held back until it
	// was delivered (per-subject order), so without a failed attempt.
	ep := webhooks.EndpointID(rcv.srv.URL + "/kyc/events")
	first := map[string]bool{}
	for _, e := range evs {
		d, err := svc.App.State.GetDelivery(ctx, e.ID, ep)
		if err != nil || d.State != storage.DeliveryDelivered {
			t.Errorf("delivery of %s: %+v, %v; want delivered", e.Type, d, err)
			continue
		}
		if s := subject(e); !first[s] {
			first[s] = true
			if d.Attempts < 2 || d.LastStatus < 200 || d.LastStatus > 299 {
				t.Errorf("first delivery of %s: %+v; want delivered after failed attempts", s, d)
			}
		}
	}
}

func apply(t *testing.T, ctx context.Context, c *client.Client, account string, a *sample.Applicant) *api.VerificationResponse {
	t.Helper()
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

func waitVerified(t *testing.T, ctx context.Context, c *client.Client, account string) {
	t.Helper()
	for {
		a, err := c.Account(ctx, account)
		if err == nil && a.KYCVerified {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("account %s never verified", account)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

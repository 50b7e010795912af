package webhooks

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
	"github.com/kycq/kycq/webhooks"
)

// TestDeadLetterAndRedelivery: with one retry, a receiver that is down
// for good sends the delivery to the dead-letter list (the API lists it,
// Asynqmon shows its task archived); once the receiver is back, a
// redelivery from the API delivers it, and the events after it in its
// subject arrive in their order.
func TestDeadLetterAndRedelivery(t *testing.T) {
	secret := "whsec-" + privacy.NewRandomKey()[:40]
	rcv := newReceiver(t, secret)
	env := harness.RealEnv(t)
	env["KYCQ_WEBHOOK_URL"] = rcv.srv.URL + "/kyc/events"
	env["KYCQ_WEBHOOK_SECRET"] = secret
	env["KYCQ_WEBHOOK_MAX_RETRY"] = "1"
	svc := harness.Start(t, env, false)
	c := svc.Client
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rcv.setFailing(true)

	if _, err := c.BindContact(ctx, "dup-9", storage.ContactPhone, "+49 151 29999999"); err != nil {
		t.Fatal(err)
	}
	if err := c.SetHoldings(ctx, "dup-9", storage.Holdings{}); err != nil {
		t.Fatal(err)
	}
	m, err := c.Migrate(ctx, api.MigrationRequest{SourceAccount: "dup-9", TargetAccount: "main-9",
		Contact: api.ContactRequest{Kind: storage.ContactPhone, Value: "+4915129999999"},
		Proofs:  storage.Proofs{NewContactCode: true, OriginalContactCode: true, Target2FA: true}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if m, err = c.WaitMigration(ctx, m.ID, 50*time.Millisecond); err != nil || m.State != storage.MigrationCompleted {
		t.Fatalf("migration: %+v, %v", m, err)
	}

	// The first event dies after its retry; the later ones stay queued.
	var dead []api.DeliveryView
	for {
		p, err := c.DeadDeliveries(ctx, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) > 0 {
			dead = p.Items
			break
		}
		if ctx.Err() != nil {
			t.Fatal("no dead delivery")
		}
		time.Sleep(100 * time.Millisecond)
	}
	d := dead[0]
	if len(dead) != 1 || d.EventType != webhooks.MigrationStep || d.State != storage.DeliveryDead || d.Attempts != 2 ||
		d.LastStatus != 503 || d.LastError != "status 503" {
		t.Fatalf("dead-letter list: %+v", dead)
	}
	ep := webhooks.EndpointID(rcv.srv.URL + "/kyc/events")
	if d.Endpoint != ep {
		t.Fatalf("endpoint %s, want %s", d.Endpoint, ep)
	}
	ins := asynq.NewInspector(svc.App.Redis)
	defer ins.Close()
	info, err := ins.GetTaskInfo(tasks.QueueWebhooks, tasks.WebhookID(d.EventID, ep, 0))
	if err != nil || info.State != asynq.TaskStateArchived {
		t.Fatalf("the dead delivery's task: %+v, %v; want archived", info, err)
	}

	// Back up; the redelivery delivers it and the rest of its subject follow.
	rcv.setFailing(false)
	again, err := c.Redeliver(ctx, ep, d.EventID)
	if err != nil || again.State != storage.DeliveryQueued || again.Redeliveries != 1 {
		t.Fatalf("redeliver: %+v, %v", again, err)
	}
	// A dead delivery does not hold back the later events of its subject
	// (a subject would stall until someone acted): they keep their own
	// retries and their order among themselves, and the dead one arrives
	// when it is redelivered, before or after them (docs/webhooks.md).
	want := migrationSteps(m)
	evs := rcv.waitFor(t, 30*time.Second, "every event after the redelivery", func(evs []received) bool { return len(evs) >= len(want) })
	var rest []received
	deadArrived := 0
	for _, e := range evs {
		if e.ID == d.EventID {
			deadArrived++
		} else {
			rest = append(rest, e)
		}
	}
	if deadArrived != 1 {
		t.Errorf("the redelivered event arrived %d times, want once", deadArrived)
	}
	if got := bySubject(rest)["migration:"+m.ID]; fmt.Sprint(got) != fmt.Sprint(want[1:]) {
		t.Errorf("the events after the dead one: %v, want %v in this order", got, want[1:])
	}
	got, err := c.Delivery(ctx, ep, d.EventID)
	if err != nil || got.State != storage.DeliveryDelivered || got.DeliveredAt == nil {
		t.Errorf("the redelivered delivery: %+v, %v", got, err)
	}
	_, err = c.Redeliver(ctx, ep, d.EventID)
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Status != 409 || ae.Body.Code != "already_delivered" {
		t.Errorf("redeliver a delivered event: %v", err)
	}
	if p, err := c.DeadDeliveries(ctx, "", 10); err != nil || len(p.Items) != 0 {
		t.Errorf("dead-letter list after the redelivery: %+v, %v", p, err)
	}
}

package faults

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
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

// hookReceiver is the exchange's webhook endpoint: it verifies every
// signature and keeps each event once, in arrival order; while stalled it
// holds requests without answering (a worker killed mid-delivery never
// sees an answer) and keeps nothing from them.
type hookReceiver struct {
	srv     *httptest.Server
	secret  string
	release chan struct{}

	mu      sync.Mutex
	stalled int
	badSigs int
	dups    int
	seen    map[string]bool
	order   []string // "type to" of each event kept
}

func newHookReceiver(t *testing.T, secret string) *hookReceiver {
	r := &hookReceiver{secret: secret, release: make(chan struct{}), seen: map[string]bool{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(func() { r.unstall(); r.srv.Close() })
	return r
}

func (r *hookReceiver) unstall() {
	r.mu.Lock()
	defer r.mu.Unlock()
	select {
	case <-r.release:
	default:
		close(r.release)
	}
}

func (r *hookReceiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	select {
	case <-r.release:
	default:
		r.mu.Lock()
		r.stalled++
		r.mu.Unlock()
		<-r.release
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	e, d, err := client.VerifyWebhook(r.secret, req.Header, body, time.Now(), 0)
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case err != nil:
		r.badSigs++
		w.WriteHeader(http.StatusUnauthorized)
		return
	case r.seen[e.ID]:
		r.dups++
	default:
		r.seen[e.ID] = true
		r.order = append(r.order, strings.TrimSpace(e.Type+" "+d.To))
	}
	w.WriteHeader(http.StatusNoContent)
}

// TestWebhookWorkerKilledMidDelivery kills `kycq work` with SIGKILL while
// it waits for the exchange's answer to an event, starts another worker,
// and checks that no event is lost: the delivery's task comes back when
// its asynq lease expires, and every event of the migration arrives,
// signed, once after de-duplication, in order.
func TestWebhookWorkerKilledMidDelivery(t *testing.T) {
	t.Parallel()
	secret := "whsec-" + privacy.NewRandomKey()[:40]
	rcv := newHookReceiver(t, secret)
	env := harness.RealEnv(t)
	env["KYCQ_WEBHOOK_URL"] = rcv.srv.URL + "/kyc/events"
	env["KYCQ_WEBHOOK_SECRET"] = secret
	c := newCluster(t, env)
	first := c.startWorker(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	if _, err := c.Client.BindContact(ctx, "dup-k", storage.ContactPhone, "+49 151 27777777"); err != nil {
		t.Fatal(err)
	}
	if err := c.Client.SetHoldings(ctx, "dup-k", storage.Holdings{}); err != nil {
		t.Fatal(err)
	}
	m, err := c.Client.Migrate(ctx, api.MigrationRequest{SourceAccount: "dup-k", TargetAccount: "main-k",
		Contact: api.ContactRequest{Kind: storage.ContactPhone, Value: "+4915127777777"},
		Proofs:  storage.Proofs{NewContactCode: true, OriginalContactCode: true, Target2FA: true}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if m, err = c.Client.WaitMigration(ctx, m.ID, 50*time.Millisecond); err != nil || m.State != storage.MigrationCompleted {
		t.Fatalf("migration: %+v, %v", m, err)
	}
	waitUntil(t, time.Minute, "a delivery waiting for the receiver", func() (bool, string) {
		rcv.mu.Lock()
		n := rcv.stalled
		rcv.mu.Unlock()
		return n >= 1 && len(activeTasks(t, c.Insp, tasks.QueueWebhooks)) >= 1, fmt.Sprintf("%d stalled", n)
	})
	orphans := activeTasks(t, c.Insp, tasks.QueueWebhooks)
	c.kill(first)
	killedAt := time.Now()
	rcv.unstall()
	c.startWorker(t, nil)

	var want []string
	for _, e := range m.Events {
		typ := webhooks.MigrationStep
		if e.To == storage.MigrationCompleted {
			typ = webhooks.MigrationCompleted
		}
		want = append(want, typ+" "+string(e.To))
	}
	waitUntil(t, 3*time.Minute, "every event after the kill", func() (bool, string) {
		rcv.mu.Lock()
		defer rcv.mu.Unlock()
		return len(rcv.order) >= len(want), fmt.Sprintf("%d of %d", len(rcv.order), len(want))
	})
	t.Logf("every event arrived %.0f s after the SIGKILL", time.Since(killedAt).Seconds())
	rcv.mu.Lock()
	got, bad := append([]string(nil), rcv.order...), rcv.badSigs
	rcv.mu.Unlock()
	if fmt.Sprint(got) != fmt.Sprint(want) || bad != 0 {
		t.Errorf("events %v (%d bad signatures), want %v", got, bad, want)
	}
	for _, o := range orphans {
		info, err := c.Insp.GetTaskInfo(o.Queue, o.ID)
		if err != nil || info.State != asynq.TaskStateCompleted || !strings.Contains(info.LastErr, "lease expired") {
			t.Errorf("the delivery held by the killed worker: %+v, %v; want completed after its lease expired", info, err)
		}
	}
}

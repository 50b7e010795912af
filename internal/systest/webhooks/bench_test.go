package webhooks

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/webhooks"
)

// BenchmarkDecisionToDelivered measures, on real Redis and PostgreSQL with
// the receiver on loopback, the time from a decision being stored (the
// decide task's write, made here by 8 concurrent producers at
// benchRate decisions a second in all, each after its verification.submitted)
// to its verification.decided event received, verified and kept. It
// reports the p50, p90, p99 and max of b.N decisions (the goal: p99 < 1 s).
// benchRate is the decisions a second of the benchmark: far above an
// exchange's KYC traffic, below what saturates 2 shared cores.
const benchRate = 50

func BenchmarkDecisionToDelivered(b *testing.B) {
	secret := "whsec-" + privacy.NewRandomKey()[:40]
	rcv := newReceiver(b, secret)
	env := harness.RealEnv(b)
	env["KYCQ_WEBHOOK_URL"] = rcv.srv.URL + "/kyc/events"
	env["KYCQ_WEBHOOK_SECRET"] = secret
	svc := harness.Start(b, env, false)
	st := svc.App.State
	ctx := context.Background()

	var mu sync.Mutex
	decided := map[string]time.Time{} // verification id → when SaveDecision returned... minus its duration
	latencies := make([]time.Duration, 0, b.N)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for len(latencies) < b.N {
			id := <-rcv.arrived
			rcv.mu.Lock()
			e := rcv.events[id]
			rcv.mu.Unlock()
			if e.Type != webhooks.VerificationDecided {
				continue
			}
			mu.Lock()
			latencies = append(latencies, e.Arrived.Sub(decided[e.Data.VerificationID]))
			mu.Unlock()
		}
	}()

	const producers = 8
	pace := time.NewTicker(time.Second / benchRate)
	defer pace.Stop()
	b.ResetTimer()
	var wg sync.WaitGroup
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := p; i < b.N; i += producers {
				id := fmt.Sprintf("v_bench_%d_%d", time.Now().UnixNano(), i)
				if err := st.CreateVerification(ctx, &storage.Verification{ID: id, AccountID: "acct-" + id}); err != nil {
					b.Error(err)
					return
				}
				if _, err := st.MarkSubmitted(ctx, id, []string{"doc_data"}, nil, time.Now()); err != nil {
					b.Error(err)
					return
				}
				<-pace.C
				start := time.Now()
				mu.Lock()
				decided[id] = start
				mu.Unlock()
				if _, _, err := st.SaveDecision(ctx, storage.Decision{VerificationID: id, Outcome: storage.Approved}); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		b.Fatalf("only %d of %d decided events arrived", len(latencies), b.N)
	}
	b.StopTimer()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	q := func(p float64) float64 {
		return float64(latencies[min(len(latencies)-1, int(p*float64(len(latencies))))].Microseconds()) / 1000
	}
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.90), "p90-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(latencies[len(latencies)-1].Microseconds())/1000, "max-ms")
	if rcv.badSigs != 0 {
		b.Errorf("%d bad signatures", rcv.badSigs)
	}
}

package sqlstore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kycq/kycq/internal/systest/testenv"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/storage/sqlstore"
)

// benchStores opens a fresh store per dialect.
func benchStores(b *testing.B) map[string]*sqlstore.Store {
	out := map[string]*sqlstore.Store{}
	for name, url := range map[string]string{
		"sqlite":   "sqlite:" + filepath.Join(b.TempDir(), "kycq.db"),
		"postgres": testenv.Postgres(b),
	} {
		s, err := sqlstore.Open(context.Background(), url)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		if err := s.Migrate(context.Background()); err != nil {
			b.Fatal(err)
		}
		out[name] = s
	}
	return out
}

// BenchmarkVerification is one verification's whole life in the store:
// create, submit, three check results, decision, claim (8 writes), from
// parallel goroutines (4 per GOMAXPROCS).
func BenchmarkVerification(b *testing.B) {
	for name, s := range benchStores(b) {
		b.Run(name, func(b *testing.B) {
			var n atomic.Int64
			ctx := context.Background()
			checks := []string{"doc_data", "face", "image"}
			b.SetParallelism(4) // 4 goroutines per core, like a worker pool
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					id, acc := fmt.Sprintf("v%d", i), fmt.Sprintf("a%d", i)
					now := time.Now()
					if err := s.CreateVerification(ctx, &storage.Verification{ID: id, AccountID: acc, DocKey: "d" + id, CreatedAt: now}); err != nil {
						b.Fatal(err)
					}
					if _, err := s.MarkSubmitted(ctx, id, checks, nil, now); err != nil {
						b.Fatal(err)
					}
					for _, c := range checks {
						if _, err := s.PutCheckResult(ctx, storage.CheckResult{VerificationID: id, Check: c, OK: true}); err != nil {
							b.Fatal(err)
						}
					}
					if _, _, err := s.SaveDecision(ctx, storage.Decision{VerificationID: id, Outcome: storage.Approved}); err != nil {
						b.Fatal(err)
					}
					if _, _, err := s.ClaimDocument(ctx, storage.Claim{DocKey: "d" + id, AccountID: acc, VerificationID: id}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkGetVerification is the API's hot read.
func BenchmarkGetVerification(b *testing.B) {
	for name, s := range benchStores(b) {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			for i := 0; i < 100; i++ {
				if err := s.CreateVerification(ctx, &storage.Verification{ID: fmt.Sprintf("v%d", i), AccountID: "a"}); err != nil {
					b.Fatal(err)
				}
			}
			var n atomic.Int64
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := s.GetVerification(ctx, fmt.Sprintf("v%d", n.Add(1)%100)); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

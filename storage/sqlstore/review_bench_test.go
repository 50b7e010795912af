package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/storage/sqlstore"
)

// queueSize is how many cases wait in review in BenchmarkReviewQueue.
const queueSize = 100_000

// seedQueue fills the review queue with n waiting cases in bulk SQL: 20
// countries, 3 document types, two reason codes each out of five, one
// submission a second.
func seedQueue(b *testing.B, s *sqlstore.Store, n int) {
	b.Helper()
	ctx := context.Background()
	series := fmt.Sprintf(`SELECT generate_series(1, %d) AS i`, n)
	ts := `to_timestamp(1700000000 + i)`
	if s.Dialect() == "sqlite" {
		series = fmt.Sprintf(`WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < %d) SELECT i FROM g`, n)
		ts = `(1700000000 + i) * 1000000`
	}
	country := `(ARRAY['CN','DE','FR','GB','US','JP','KR','SG','HK','TW','IN','BR','MX','ES','IT','NL','SE','PL','TR','AU'])[1 + i % 20]`
	docType := `(ARRAY['id_card','passport','driving_licence'])[1 + i % 3]`
	code := `(ARRAY['face_mismatch','liveness_failed','doc_glare','doc_blurry','doc_data_mismatch'])[1 + i % 5]`
	reasons := `('["manual_review","' || ` + code + ` || '"]')::jsonb`
	if s.Dialect() == "sqlite" {
		pick := func(list string, mod int) string {
			return fmt.Sprintf(`json_extract('[%s]', '$[' || (i %% %d) || ']')`, list, mod)
		}
		country = pick(`"CN","DE","FR","GB","US","JP","KR","SG","HK","TW","IN","BR","MX","ES","IT","NL","SE","PL","TR","AU"`, 20)
		docType = pick(`"id_card","passport","driving_licence"`, 3)
		code = pick(`"face_mismatch","liveness_failed","doc_glare","doc_blurry","doc_data_mismatch"`, 5)
		reasons = `'["manual_review","' || ` + code + ` || '"]'`
	}
	for _, q := range []string{
		`INSERT INTO verifications (id, account_id, status, country, doc_type, created_at, submitted_at, decided_at)
			SELECT 'v' || i, 'a' || i, 'decided', ` + country + `, ` + docType + `, ` + ts + `, ` + ts + `, ` + ts + ` FROM (` + series + `) AS g`,
		`INSERT INTO review_queue (verification_id, account_id, country, doc_type, reasons, submitted_at, queued_at)
			SELECT 'v' || i, 'a' || i, ` + country + `, ` + docType + `, ` + reasons + `, ` + ts + `, ` + ts + ` FROM (` + series + `) AS g`,
		`INSERT INTO review_queue_reasons (code, submitted_at, verification_id, country, doc_type)
			SELECT 'manual_review', ` + ts + `, 'v' || i, ` + country + `, ` + docType + ` FROM (` + series + `) AS g`,
		`INSERT INTO review_queue_reasons (code, submitted_at, verification_id, country, doc_type)
			SELECT ` + code + `, ` + ts + `, 'v' || i, ` + country + `, ` + docType + ` FROM (` + series + `) AS g`,
		`ANALYZE`,
	} {
		if err := s.ExecForTest(ctx, q); err != nil {
			b.Fatalf("seed: %v\n%s", err, q)
		}
	}
	waiting, _, err := s.ReviewWaiting(ctx)
	if err != nil || waiting != n {
		b.Fatalf("seeded %d waiting cases, want %d (%v)", waiting, n, err)
	}
}

// BenchmarkReviewQueue lists the first page (50) of a queue of 100,000
// waiting cases, whole and with each filter, and reports the latency
// percentiles of one listing (p50, p90, p99, max in ms).
func BenchmarkReviewQueue(b *testing.B) {
	for name, s := range benchStores(b) {
		seedQueue(b, s, queueSize)
		mid := time.Unix(1700000000+queueSize/2, 0)
		for _, tc := range []struct {
			name string
			f    storage.ReviewFilter
		}{
			{"all", storage.ReviewFilter{}},
			{"reason", storage.ReviewFilter{Reason: reason.DocDataMismatch}},
			{"country", storage.ReviewFilter{Country: "SG"}},
			{"doc_type", storage.ReviewFilter{DocType: "passport"}},
			{"age", storage.ReviewFilter{SubmittedBefore: mid}},
			{"page", storage.ReviewFilter{AfterSubmitted: mid, AfterID: "v50000"}},
			{"reason+country+type", storage.ReviewFilter{Reason: reason.FaceMismatch, Country: "CN", DocType: "id_card"}},
		} {
			b.Run(name+"/"+tc.name, func(b *testing.B) {
				ctx := context.Background()
				lat := make([]time.Duration, 0, b.N)
				for b.Loop() {
					t0 := time.Now()
					items, err := s.ReviewQueue(ctx, tc.f)
					lat = append(lat, time.Since(t0))
					if err != nil {
						b.Fatal(err)
					}
					if len(items) == 0 {
						b.Fatal("empty page")
					}
				}
				reportPercentiles(b, lat)
			})
		}
	}
}

// reportPercentiles reports p50, p90, p99 and max of lat in milliseconds.
func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	at := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	b.ReportMetric(ms(at(0.50)), "p50-ms")
	b.ReportMetric(ms(at(0.90)), "p90-ms")
	b.ReportMetric(ms(at(0.99)), "p99-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
}

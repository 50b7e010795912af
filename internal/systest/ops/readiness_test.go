package ops

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/internal/systest/testenv"
)

// TestReadinessFollowsDependencies takes each dependency away from a
// running kycq serve and kycq work in turn — Redis and PostgreSQL by
// cutting a TCP proxy kycq reaches them through, S3 by stopping a private
// versitygw — and checks that /readyz of both processes turns 503 naming
// exactly that dependency while /healthz stays 200 (a dependency outage
// must not make Kubernetes restart the pods), that /metrics still answers
// and counts the failed probes, and that /readyz returns to 200 once the
// dependency is back. Every log line written meanwhile is JSON.
func TestReadinessFollowsDependencies(t *testing.T) {
	t.Parallel()
	env := harness.RealEnv(t)
	redis, err := StartProxy(env["REDIS_ADDR"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(redis.Close)
	env["REDIS_ADDR"] = redis.Addr
	dbURL, err := url.Parse(env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	db, err := StartProxy(dbURL.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	dbURL.Host = db.Addr
	env["DATABASE_URL"] = dbURL.String()
	gw := testenv.StartVersityGW(t)
	s3 := gw.Config("kycq-ready")
	env["S3_ENDPOINT"], env["S3_ACCESS_KEY"], env["S3_SECRET_KEY"], env["S3_REGION"], env["S3_BUCKET"] =
		s3.Endpoint, s3.AccessKey, s3.SecretKey, s3.Region, s3.Bucket

	c := startCluster(t, env, true)
	bases := map[string]string{"serve": c.API, "work": c.WorkOps}
	for name, base := range bases {
		if st := readyz(t, base); st.code != http.StatusOK {
			t.Fatalf("kycq %s /readyz at start: %d %v", name, st.code, st.status)
		}
	}

	deps := []struct {
		name           string
		down, up       func()
		backend        string // label of kycq_storage_errors_total counting failed probes
		metricsWithout bool   // /metrics still answers while it is down
	}{
		{"redis", redis.Cut, func() { mustRestore(t, redis) }, "", true},
		{"database", db.Cut, func() { mustRestore(t, db) }, "db", true},
		{"s3", gw.Stop, func() {
			if err := gw.Start(); err != nil {
				t.Fatalf("restart versitygw: %v", err)
			}
		}, "s3", true},
	}
	for _, d := range deps {
		before := scrape(t, c.API+"/metrics", c.MetricsToken)
		d.down()
		for name, base := range bases {
			waitReadyz(t, name, base, http.StatusServiceUnavailable, func(st map[string]string) bool {
				for dep, s := range st {
					if (dep == d.name) != (s == "unavailable") {
						return false
					}
				}
				return st[d.name] == "unavailable" && len(st) == 3
			})
			if code, _, _ := httpDo(t, http.MethodGet, base+"/healthz", nil, nil); code != http.StatusOK {
				t.Errorf("kycq %s /healthz with %s down: %d, want 200", name, d.name, code)
			}
		}
		if d.metricsWithout {
			after := scrape(t, c.API+"/metrics", c.MetricsToken)
			if d.backend != "" {
				b := before.Values("kycq_storage_errors_total", "backend")[d.backend]
				a := after.Values("kycq_storage_errors_total", "backend")[d.backend]
				if a <= b {
					t.Errorf("%s down: kycq_storage_errors_total{backend=%s} %v → %v, want it to grow", d.name, d.backend, b, a)
				}
			}
			if d.name == "redis" && after.Has("kycq_worker_servers") {
				t.Error("Redis down: kycq_worker_servers still reported (KycqNoWorkers relies on its absence)")
			}
		}
		d.up()
		for name, base := range bases {
			waitReadyz(t, name, base, http.StatusOK, func(st map[string]string) bool {
				return st["redis"] == "ok" && st["database"] == "ok" && st["s3"] == "ok"
			})
		}
		t.Logf("%s: /readyz went 503 and back to 200 on both processes", d.name)
	}

	for name, p := range map[string]*harness.Process{"serve": c.Serve, "work": c.Work} {
		for i, l := range strings.Split(strings.TrimSpace(p.Logs.String()), "\n") {
			if !json.Valid([]byte(l)) {
				t.Errorf("kycq %s log line %d is not JSON: %.300q", name, i+1, l)
			}
		}
	}
}

func mustRestore(t *testing.T, p *Proxy) {
	t.Helper()
	if err := p.Restore(); err != nil {
		t.Fatalf("restore proxy: %v", err)
	}
}

type readyState struct {
	code   int
	status map[string]string
}

func readyz(t *testing.T, base string) readyState {
	t.Helper()
	code, _, body := httpDo(t, http.MethodGet, base+"/readyz", nil, nil)
	st := readyState{code: code}
	if err := json.Unmarshal([]byte(body), &st.status); err != nil {
		t.Fatalf("%s/readyz: %d, body not JSON: %.200q", base, code, body)
	}
	return st
}

// waitReadyz polls /readyz until it answers code with a body ok accepts.
func waitReadyz(t *testing.T, name, base string, code int, ok func(map[string]string) bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	waitFor(t, ctx, fmt.Sprintf("kycq %s /readyz %d", name, code), func() (bool, string) {
		st := readyz(t, base)
		return st.code == code && ok(st.status), fmt.Sprint(st.code, st.status)
	})
}

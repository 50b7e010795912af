package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/storage"
)

// accept says whether a decision is acceptable for a test; nil accepts
// approvals only.
type accept func(v *api.VerificationResponse) bool

// approvedOnly accepts approvals: the applicants are clean, so a fault
// must not change their outcome.
func approvedOnly(v *api.VerificationResponse) bool { return v.Decision.Outcome == storage.Approved }

// auditReport is what an audit counted.
type auditReport struct {
	Outcomes    map[storage.Outcome]int
	Rerun       int // checks that ran more than once (redeliveries, retries)
	Unlogged    int // decisions whose "decided" line a SIGKILL cut off
	DecidedLogs int
}

func (r auditReport) String() string {
	var outs []string
	for o, n := range r.Outcomes {
		outs = append(outs, fmt.Sprintf("%s %d", o, n))
	}
	sort.Strings(outs)
	return fmt.Sprintf("outcomes [%s], %d \"decided\" log lines, %d checks ran more than once, %d decisions without a log line",
		strings.Join(outs, ", "), r.DecidedLogs, r.Rerun, r.Unlogged)
}

// audit checks that every verification in ids was decided exactly once:
//   - the API shows each decided, with a decision, nothing pending, and an
//     outcome ok accepts;
//   - the database holds one decision row for each, and no verification
//     still submitted (undecided);
//   - across the logs of every process that ran (killed ones included) at
//     most one "decided" line exists per verification, and exactly one
//     unless a worker was killed with SIGKILL (which can cut the line off
//     after the decision committed);
//   - every approved applicant's account was marked verified (the
//     occupancy follow-up was not lost either).
func (c *cluster) audit(t *testing.T, ids []string, decided map[string]*api.VerificationResponse, ok accept) auditReport {
	t.Helper()
	if ok == nil {
		ok = approvedOnly
	}
	rep := auditReport{Outcomes: map[storage.Outcome]int{}}
	for _, id := range ids {
		v := decided[id]
		switch {
		case v == nil || v.Decision == nil:
			t.Errorf("%s: no decision", id)
			continue
		case v.Status != storage.StatusDecided || v.DecidedAt == nil || len(v.Pending) > 0:
			t.Errorf("%s: status %s, decided at %v, pending %v", id, v.Status, v.DecidedAt, v.Pending)
		case !ok(v):
			t.Errorf("%s: decision %s %v not accepted here; checks %+v", id, v.Decision.Outcome, v.Decision.Reasons, v.Checks)
		}
		rep.Outcomes[v.Decision.Outcome]++
	}

	// The database: one decision row per verification, none undecided.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := pgx.Connect(ctx, c.Env["DATABASE_URL"])
	if err != nil {
		t.Fatalf("audit: database: %v", err)
	}
	defer db.Close(context.Background())
	rows, err := db.Query(ctx, `SELECT v.id, v.status, count(d.verification_id)
		FROM verifications v LEFT JOIN decisions d ON d.verification_id = v.id GROUP BY v.id, v.status`)
	if err != nil {
		t.Fatalf("audit: %v", err)
	}
	inDB := map[string]int{}
	for rows.Next() {
		var id, status string
		var n int
		if err := rows.Scan(&id, &status, &n); err != nil {
			t.Fatal(err)
		}
		inDB[id] = n
		if status == string(storage.StatusSubmitted) {
			t.Errorf("audit: verification %s is still undecided in the database", id)
		}
		if (status == string(storage.StatusDecided)) != (n == 1) {
			t.Errorf("audit: verification %s: status %s with %d decision rows", id, status, n)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if inDB[id] != 1 {
			t.Errorf("audit: %s has %d decision rows, want 1", id, inDB[id])
		}
	}

	// The logs of every process.
	decidedLines := map[string]int{}
	checkRuns := map[string]int{}
	for _, p := range c.processes() {
		for _, line := range strings.Split(p.Logs.String(), "\n") {
			if !strings.Contains(line, `"verification_id"`) {
				continue
			}
			var m struct {
				Msg            string `json:"msg"`
				VerificationID string `json:"verification_id"`
				Check          string `json:"check"`
			}
			if json.Unmarshal([]byte(line), &m) != nil {
				continue
			}
			switch m.Msg {
			case "decided":
				decidedLines[m.VerificationID]++
				rep.DecidedLogs++
			case "check done":
				checkRuns[m.VerificationID+" "+m.Check]++
			}
		}
	}
	c.mu.Lock()
	killed := c.killed
	c.mu.Unlock()
	for _, id := range ids {
		switch n := decidedLines[id]; {
		case n > 1:
			t.Errorf("audit: %s decided %d times in the logs", id, n)
		case n == 0 && killed == 0:
			t.Errorf("audit: %s has a decision but no \"decided\" log line, and no worker was killed", id)
		case n == 0:
			rep.Unlogged++
		}
	}
	for _, n := range checkRuns {
		if n > 1 {
			rep.Rerun++
		}
	}

	// The follow-up of every approval.
	actx, acancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer acancel()
	for _, id := range ids {
		v := decided[id]
		if v == nil || v.Decision == nil || v.Decision.Outcome != storage.Approved {
			continue
		}
		for {
			a, err := c.Client.Account(actx, v.AccountID)
			if err == nil && a.KYCVerified && a.VerificationID == id {
				break
			}
			if actx.Err() != nil {
				t.Errorf("audit: account %s of approved %s never marked verified (%+v, %v)", v.AccountID, id, a, err)
				break
			}
			time.Sleep(250 * time.Millisecond)
		}
	}
	return rep
}

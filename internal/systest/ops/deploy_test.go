package ops

import (
	"regexp"
	"testing"
)

// TestAlertRulesAreOperable: every alert in deploy/prometheus/rules has a
// `for:` (one bad scrape never pages), a severity an on-call rota routes
// on, a summary and a runbook line; recording rules follow the
// level:metric:operations naming convention.
func TestAlertRulesAreOperable(t *testing.T) {
	f, err := LoadRules(repoPath("deploy", "prometheus", "rules", "kycq.rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	recordName := regexp.MustCompile(`^[a-z_]+:[a-z_]+:[a-z0-9_]+$`)
	alerts := 0
	for _, r := range f.Rules() {
		if r.Expr == "" {
			t.Errorf("rule %s%s has no expr", r.Alert, r.Record)
		}
		if r.Record != "" {
			if !recordName.MatchString(r.Record) {
				t.Errorf("recording rule %q does not follow level:metric:operations", r.Record)
			}
			continue
		}
		alerts++
		if r.For == "" {
			t.Errorf("alert %s has no for:", r.Alert)
		}
		if s := r.Labels["severity"]; s != "page" && s != "ticket" {
			t.Errorf("alert %s: severity %q, want page or ticket", r.Alert, s)
		}
		if r.Annotations["summary"] == "" || r.Annotations["runbook"] == "" {
			t.Errorf("alert %s needs a summary and a runbook annotation", r.Alert)
		}
	}
	// The list: review latency p95 > 2 h, undecided 24 h (page),
	// backlog growing, failure and archive rate, no workers (page).
	want := map[string]string{
		"KycqReviewLatencyP95Above2h":  "ticket",
		"KycqVerificationUndecided24h": "page",
		"KycqQueueBacklogGrowing":      "ticket",
		"KycqTaskFailureRateHigh":      "ticket",
		"KycqTasksArchived":            "ticket",
		"KycqNoWorkers":                "page",
		"KycqReviewWaiting2h":          "ticket", // issue 14: manual review
		"KycqReviewWaiting24h":         "page",
	}
	for _, r := range f.Rules() {
		if sev, ok := want[r.Alert]; ok {
			if r.Labels["severity"] != sev {
				t.Errorf("%s: severity %q, want %q", r.Alert, r.Labels["severity"], sev)
			}
			delete(want, r.Alert)
		}
	}
	for name := range want {
		t.Errorf("alert %s is missing", name)
	}
	if alerts == 0 {
		t.Fatal("no alerts")
	}
}

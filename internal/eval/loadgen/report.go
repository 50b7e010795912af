package loadgen

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"time"
)

// Report writes the summary for people.
func (r *Result) Report(w io.Writer) {
	fmt.Fprintf(w, "applicants %d (concurrency %d): decided %d, failed %d, in %s\n",
		r.Started, r.Concurrency, r.Decided, r.Failed, r.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "throughput       %.1f verifications/minute\n", r.PerMinute())
	fmt.Fprintf(w, "submission→decision  p50 %s  p90 %s  p99 %s  max %s\n",
		sec(r.Percentile(50)), sec(r.Percentile(90)), sec(r.Percentile(99)), sec(r.Percentile(100)))
	fmt.Fprintf(w, "create+upload+submit p50 %s  p99 %s\n", sec(percentile(r.Apply, 50)), sec(percentile(r.Apply, 99)))
	for _, k := range sortedKeys(r.Outcomes) {
		fmt.Fprintf(w, "  outcome %-16s %d\n", k, r.Outcomes[k])
	}
	r.ReportErrors(w)
}

// ReportErrors writes each kind of failure with its count and first
// message.
func (r *Result) ReportErrors(w io.Writer) {
	for _, k := range sortedKeys(r.Errors) {
		fmt.Fprintf(w, "  error   %-32s %d (first: %s)\n", k, r.Errors[k], r.ErrorExamples[k])
	}
}

func sec(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Summary is the machine-readable form of a Result (kycq loadgen -json).
type Summary struct {
	Concurrency    int            `json:"concurrency"`
	Started        int            `json:"started"`
	Decided        int            `json:"decided"`
	Failed         int            `json:"failed"`
	ElapsedSeconds float64        `json:"elapsed_seconds"`
	PerMinute      float64        `json:"verifications_per_minute"`
	P50            float64        `json:"p50_seconds"`
	P90            float64        `json:"p90_seconds"`
	P99            float64        `json:"p99_seconds"`
	Max            float64        `json:"max_seconds"`
	ApplyP50       float64        `json:"apply_p50_seconds"`
	Outcomes       map[string]int `json:"outcomes"`
	Errors         map[string]int `json:"errors"`
}

// Summary returns the figures of r.
func (r *Result) Summary() Summary {
	return Summary{
		Concurrency: r.Concurrency, Started: r.Started, Decided: r.Decided, Failed: r.Failed,
		ElapsedSeconds: r.Elapsed.Seconds(), PerMinute: r.PerMinute(),
		P50: r.Percentile(50).Seconds(), P90: r.Percentile(90).Seconds(),
		P99: r.Percentile(99).Seconds(), Max: r.Percentile(100).Seconds(),
		ApplyP50: percentile(r.Apply, 50).Seconds(), Outcomes: r.Outcomes, Errors: r.Errors,
	}
}

// JSON writes Summary as one line of JSON.
func (r *Result) JSON(w io.Writer) error {
	return json.NewEncoder(w).Encode(r.Summary())
}

// TSVHeader names the columns TSV writes.
const TSVHeader = "decided\tfailed\telapsed_s\tper_minute\tp50_s\tp90_s\tp99_s\tmax_s\tapproved\trejected\tmanual_review"

// TSV writes the main figures as one tab-separated line (kycq loadgen
// -tsv), for scripts that tabulate several runs.
func (r *Result) TSV(w io.Writer) error {
	_, err := fmt.Fprintf(w, "%d\t%d\t%.1f\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t%d\t%d\n", r.Decided, r.Failed, r.Elapsed.Seconds(),
		r.PerMinute(), r.Percentile(50).Seconds(), r.Percentile(90).Seconds(), r.Percentile(99).Seconds(),
		r.Percentile(100).Seconds(), r.Outcomes["approved"], r.Outcomes["rejected"], r.Outcomes["manual_review"])
	return err
}

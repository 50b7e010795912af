package ops

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Scrape is one parsed /metrics answer.
type Scrape struct {
	Families map[string]*dto.MetricFamily
	Raw      string // the exposition text as served
}

// ScrapeMetrics fetches url (a /metrics endpoint) with the bearer token
// ("" sends none) and parses the text exposition. A status other than 200
// is an error that carries the status code.
func ScrapeMetrics(ctx context.Context, url, token string) (*Scrape, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", string(expfmt.NewFormat(expfmt.TypeTextPlain)))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &StatusError{Code: resp.StatusCode, Body: string(body)}
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		return nil, fmt.Errorf("ops: parse %s: %w", url, err)
	}
	return &Scrape{Families: fams, Raw: string(body)}, nil
}

// StatusError is an HTTP answer with an unexpected status.
type StatusError struct {
	Code int
	Body string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d: %.200s", e.Code, e.Body)
}

// SeriesNames returns the names of every series the scrape holds, as
// PromQL sees them: a histogram family "x" gives x_bucket, x_sum and
// x_count; a summary gives x, x_sum and x_count.
func (s *Scrape) SeriesNames() map[string]bool {
	out := map[string]bool{}
	for name, f := range s.Families {
		switch f.GetType() {
		case dto.MetricType_HISTOGRAM, dto.MetricType_GAUGE_HISTOGRAM:
			out[name+"_bucket"], out[name+"_sum"], out[name+"_count"] = true, true, true
		case dto.MetricType_SUMMARY:
			out[name], out[name+"_sum"], out[name+"_count"] = true, true, true
		default:
			out[name] = true
		}
	}
	return out
}

// Has reports whether the family name is present with at least one series.
func (s *Scrape) Has(name string) bool {
	f := s.Families[name]
	return f != nil && len(f.GetMetric()) > 0
}

// HistogramCount returns the total sample count of histogram family name
// over its series whose labels include match (nil matches all), and the
// count per value of the label by ("" for none).
func (s *Scrape) HistogramCount(name string, match map[string]string, by string) (uint64, map[string]uint64) {
	per := map[string]uint64{}
	var total uint64
	f := s.Families[name]
	if f == nil {
		return 0, per
	}
	for _, m := range f.GetMetric() {
		if !hasLabels(m, match) {
			continue
		}
		n := m.GetHistogram().GetSampleCount()
		total += n
		if by != "" {
			per[label(m, by)] += n
		}
	}
	return total, per
}

// HistogramSum returns the sum of the observations of histogram family
// name, per value of the label by.
func (s *Scrape) HistogramSum(name, by string) map[string]float64 {
	out := map[string]float64{}
	if f := s.Families[name]; f != nil {
		for _, m := range f.GetMetric() {
			out[label(m, by)] += m.GetHistogram().GetSampleSum()
		}
	}
	return out
}

// Values returns the value of every series of the counter or gauge family
// name, keyed by the value of the label by ("" keys all under "").
func (s *Scrape) Values(name, by string) map[string]float64 {
	out := map[string]float64{}
	f := s.Families[name]
	if f == nil {
		return out
	}
	for _, m := range f.GetMetric() {
		v := m.GetCounter().GetValue() + m.GetGauge().GetValue() + m.GetUntyped().GetValue()
		out[label(m, by)] += v
	}
	return out
}

// LabelValues returns every label value of every series of the scrape, as
// "family{name}=value" strings, sorted: what a privacy check greps.
func (s *Scrape) LabelValues() []string {
	var out []string
	for name, f := range s.Families {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				out = append(out, name+"{"+l.GetName()+"}="+l.GetValue())
			}
		}
	}
	sort.Strings(out)
	return out
}

func hasLabels(m *dto.Metric, match map[string]string) bool {
	for k, v := range match {
		if label(m, k) != v {
			return false
		}
	}
	return true
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

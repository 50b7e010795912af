package metrics_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// gathered is a Gatherer returning one fixed scrape.
type gathered []*dto.MetricFamily

func (g gathered) Gather() ([]*dto.MetricFamily, error) { return g, nil }

// find returns the series of family name whose labels include want.
func find(t testing.TB, g prometheus.Gatherer, name string, want map[string]string) *dto.Metric {
	t.Helper()
	fams, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	m, ok := lookup(fams, name, want)
	if !ok {
		t.Fatalf("no series %s%v", name, want)
	}
	return m
}

// lookup returns the series of family name whose labels include want.
func lookup(fams []*dto.MetricFamily, name string, want map[string]string) (*dto.Metric, bool) {
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for k, v := range want {
				if have[k] != v {
					continue next
				}
			}
			return m, true
		}
	}
	return nil, false
}

func counterValue(t testing.TB, g prometheus.Gatherer, name string, labels map[string]string) float64 {
	t.Helper()
	return find(t, g, name, labels).GetCounter().GetValue()
}

func gaugeValue(t testing.TB, g prometheus.Gatherer, name string, labels map[string]string) float64 {
	t.Helper()
	return find(t, g, name, labels).GetGauge().GetValue()
}

func histogram(t testing.TB, g prometheus.Gatherer, name string, labels map[string]string) *dto.Histogram {
	t.Helper()
	return find(t, g, name, labels).GetHistogram()
}

// sampleCount is a counter's value or a histogram's sample count.
func sampleCount(t testing.TB, g prometheus.Gatherer, name string, labels map[string]string) float64 {
	t.Helper()
	m := find(t, g, name, labels)
	if h := m.GetHistogram(); h != nil {
		return float64(h.GetSampleCount())
	}
	return m.GetCounter().GetValue()
}

func uniq(s []string) map[string]bool {
	out := map[string]bool{}
	for _, v := range s {
		out[v] = true
	}
	return out
}

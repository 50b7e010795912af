package imagecheck

import (
	"slices"
	"testing"

	"github.com/kycq/kycq/internal/eval/docgen"
)

func TestOverBudget(t *testing.T) {
	budgets := map[string]float64{"decode": 40, "document": 10, "face": 60, "total": 100, "zextra": 1}
	cases := []struct {
		name    string
		timings map[string]float64
		want    []string
	}{
		{"all within", map[string]float64{"decode": 39.9, "document": 10, "total": 50}, nil},
		{"decode over", map[string]float64{"decode": 40.1, "document": 3, "total": 44}, []string{"decode"}},
		{"pipeline order", map[string]float64{"total": 190, "face": 120, "decode": 60}, []string{"decode", "face", "total"}},
		{"a stage without budget", map[string]float64{"blur": 500}, nil},
		{"other stages last", map[string]float64{"zextra": 2, "decode": 41}, []string{"decode", "zextra"}},
	}
	for _, c := range cases {
		if got := overBudget(c.timings, budgets); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestReportNamesStagesOverBudget(t *testing.T) {
	data, _ := photo(t, docgen.Spec{Seed: 5}, docgen.Encoding{Quality: 90})
	opts := DefaultOptions()
	opts.Budgets = map[string]float64{"decode": 0, "total": 1e9}
	rep := Check(data, opts)
	if !slices.Equal(rep.OverBudget, []string{"decode"}) {
		t.Errorf("over budget: %v (timings %v)", rep.OverBudget, rep.Timings)
	}
	opts.Budgets = map[string]float64{}
	if rep := Check(data, opts); rep.OverBudget != nil {
		t.Errorf("no budgets, yet over budget: %v", rep.OverBudget)
	}
}

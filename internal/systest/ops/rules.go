package ops

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"go.yaml.in/yaml/v3"
)

// RuleFile is a Prometheus rule file.
type RuleFile struct {
	Groups []RuleGroup `yaml:"groups"`
}

// RuleGroup is one group of a rule file.
type RuleGroup struct {
	Name     string `yaml:"name"`
	Interval string `yaml:"interval"`
	Rules    []Rule `yaml:"rules"`
}

// Rule is a recording or an alerting rule.
type Rule struct {
	Record      string            `yaml:"record"`
	Alert       string            `yaml:"alert"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

// LoadRules reads a rule file.
func LoadRules(path string) (*RuleFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f RuleFile
	if err := yaml.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("ops: %s: %w", path, err)
	}
	if len(f.Groups) == 0 {
		return nil, fmt.Errorf("ops: %s: no rule groups", path)
	}
	return &f, nil
}

// Rules returns every rule of every group.
func (f *RuleFile) Rules() []Rule {
	var out []Rule
	for _, g := range f.Groups {
		out = append(out, g.Rules...)
	}
	return out
}

// Recorded returns the names the recording rules define.
func (f *RuleFile) Recorded() map[string]bool {
	out := map[string]bool{}
	for _, r := range f.Rules() {
		if r.Record != "" {
			out[r.Record] = true
		}
	}
	return out
}

// ShortenFor returns the rule file src with the `for:` of every alerting
// rule replaced by d, and nothing else changed: a test-only copy of the
// real rules whose alerts can fire within a test's time.
func ShortenFor(src []byte, d string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	n := 0
	var walk func(*yaml.Node)
	walk = func(node *yaml.Node) {
		if node.Kind == yaml.MappingNode && mappingValue(node, "alert") != nil {
			if v := mappingValue(node, "for"); v != nil {
				v.Value, v.Tag, v.Style = d, "!!str", 0
			} else {
				node.Content = append(node.Content,
					&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "for"},
					&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: d})
			}
			n++
			return
		}
		for _, c := range node.Content {
			walk(c)
		}
	}
	walk(&doc)
	if n == 0 {
		return nil, errors.New("ops: no alerting rules to shorten")
	}
	return yaml.Marshal(&doc)
}

func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// DashboardExprs returns every query expression ("expr" of a panel
// target, rows' nested panels included) of a Grafana dashboard JSON file.
func DashboardExprs(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var d any
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("ops: %s: %w", path, err)
	}
	var out []string
	var walk func(v any, inTargets bool)
	walk = func(v any, inTargets bool) {
		switch v := v.(type) {
		case map[string]any:
			if e, ok := v["expr"].(string); ok && inTargets && e != "" {
				out = append(out, e)
			}
			for k, c := range v {
				walk(c, k == "targets" || inTargets && k != "panels")
			}
		case []any:
			for _, c := range v {
				walk(c, inTargets)
			}
		}
	}
	walk(d, false)
	if len(out) == 0 {
		return nil, fmt.Errorf("ops: %s: no panel queries", path)
	}
	return out, nil
}

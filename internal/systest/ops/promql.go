package ops

import (
	"regexp"
	"sort"
	"strings"
)

var (
	// Pieces of an expression that never hold a metric name, removed in
	// this order: string literals, label matchers, range and subquery
	// brackets, and grouping clauses with their label lists.
	stringLit = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|` + "`[^`]*`")
	matchers  = regexp.MustCompile(`\{[^{}]*\}`)
	brackets  = regexp.MustCompile(`\[[^\[\]]*\]`)
	grouping  = regexp.MustCompile(`\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)`)
	token     = regexp.MustCompile(`\$?[0-9][0-9a-zA-Z_.]*|\$?[a-zA-Z_:][a-zA-Z0-9_:]*`)
)

// keywords are PromQL words that look like identifiers but are not metric
// names.
var keywords = map[string]bool{
	"and": true, "or": true, "unless": true, "atan2": true, "bool": true, "offset": true,
	"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
	"inf": true, "nan": true, "start": true, "end": true,
}

// MetricNames returns the metric names a PromQL expression selects, sorted
// and without duplicates. It is a tokenizer, not a parser: it drops
// strings, label matchers, ranges and grouping clauses, then keeps the
// identifiers that are neither keywords nor followed by "(" (functions and
// aggregations). Grafana variables ($__rate_interval, $job) are ignored.
// Selectors written only as {__name__="..."} are not seen.
func MetricNames(expr string) []string {
	s := stringLit.ReplaceAllString(expr, " ")
	s = matchers.ReplaceAllString(s, " ")
	s = brackets.ReplaceAllString(s, " ")
	for {
		t := grouping.ReplaceAllString(s, " ")
		if t == s {
			break
		}
		s = t
	}
	seen := map[string]bool{}
	for _, loc := range token.FindAllStringIndex(s, -1) {
		w := s[loc[0]:loc[1]]
		if w[0] == '$' || w[0] >= '0' && w[0] <= '9' || keywords[strings.ToLower(w)] {
			continue
		}
		if rest := strings.TrimLeft(s[loc[1]:], " \t\r\n"); strings.HasPrefix(rest, "(") {
			continue // a function or an aggregation
		}
		seen[w] = true
	}
	out := make([]string, 0, len(seen))
	for w := range seen {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

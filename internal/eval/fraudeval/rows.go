package fraudeval

import (
	"fmt"
	"slices"
	"strings"
)

// splitList splits a comma-separated flag value into its non-empty,
// trimmed names.
func splitList(v string) []string {
	var out []string
	for _, n := range strings.Split(v, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// keepRows returns the rows of all (in all's order) that only names; an
// empty only keeps every row.
func keepRows(all []Attack, only []string) []Attack {
	if len(only) == 0 {
		return all
	}
	var out []Attack
	for _, a := range all {
		if slices.Contains(only, string(a)) {
			out = append(out, a)
		}
	}
	return out
}

// docRows returns the in-house set's rows in report order: the genuine
// controls, then the attacks.
func docRows() []Attack {
	return append([]Attack{Genuine, GenuineResaved, GenuineResized, GenuineLowQ}, DocAttacks()...)
}

// checkRows reports the first name of only that is a row of neither
// the in-house set nor, when other is set, the other-tools set.
func checkRows(only []string, other bool) error {
	for _, n := range only {
		if slices.Contains(docRows(), Attack(n)) || other && slices.Contains(OtherToolsAttacks(), Attack(n)) {
			continue
		}
		if slices.Contains(OtherToolsAttacks(), Attack(n)) {
			return fmt.Errorf("fraudeval: document row %q is made by other tools only (add -other-tools)", n)
		}
		return fmt.Errorf("fraudeval: no document row %q", n)
	}
	return nil
}

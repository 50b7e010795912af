// Package docs tests the repository's own documentation: it must be
// self-contained, so that a user of the repository can follow every link.
package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// mdLink matches a markdown link's target.
var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// heading matches a markdown heading.
var heading = regexp.MustCompile(`(?m)^#{1,6} +(.+)$`)

// anchor is GitHub's anchor for a heading's text.
func anchor(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestDocsAreSelfContained: the README and docs/ cite the rules in the
// repository's own docs/rules.md (never a file outside the repository, nor
// "rules §N" of one), and every relative link, anchors included, resolves.
func TestDocsAreSelfContained(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	files = append(files, filepath.Join(root, "README.md"))
	if len(files) < 5 {
		t.Fatalf("found only %v", files)
	}
	anchors := map[string]map[string]bool{}
	anchorsOf := func(path string) map[string]bool {
		if a, ok := anchors[path]; ok {
			return a
		}
		a := map[string]bool{}
		b, err := os.ReadFile(path)
		if err == nil {
			for _, m := range heading.FindAllStringSubmatch(string(b), -1) {
				a[anchor(m[1])] = true
			}
		}
		anchors[path] = a
		return a
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		rel, _ := filepath.Rel(root, f)
		for _, bad := range []string{"../shared", "shared/rules.md", "rules §", "rules.md §"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s cites %q, which a user of the repository does not have; link docs/rules.md", rel, bad)
			}
		}
		for _, m := range mdLink.FindAllStringSubmatch(text, -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path, frag, _ := strings.Cut(target, "#")
			full := f
			if path != "" {
				full = filepath.Join(filepath.Dir(f), path)
				if _, err := os.Stat(full); err != nil {
					t.Errorf("%s links %s, which does not exist", rel, target)
					continue
				}
			}
			if frag != "" && strings.HasSuffix(full, ".md") && !anchorsOf(full)[frag] {
				t.Errorf("%s links %s: no such heading", rel, target)
			}
		}
	}
	// The rules the rest of the documentation cites are all there.
	rules := anchorsOf(filepath.Join(root, "docs", "rules.md"))
	for _, a := range []string{"rule-1-what-a-verification-collects", "rule-2-document-photos", "rule-3-document-data",
		"rule-4-face", "rule-5-decision", "rule-6-id-occupancy", "rule-7-email-and-phone-binding-and-migration",
		"rule-8-reading-the-document", "rule-9-people-in-the-loop", "rule-10-fraud-signals"} {
		if !rules[a] {
			t.Errorf("docs/rules.md has no heading #%s", a)
		}
	}
}

package fraudeval

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestKeepRows: -rows keeps the named rows of a set in the set's report
// order, whatever the flag's order; a name the set lacks keeps nothing
// of it; no names keep every row.
func TestKeepRows(t *testing.T) {
	tests := []struct {
		all  []Attack
		only []string
		want []Attack
	}{
		{docRows(), nil, docRows()},
		{docRows(), []string{"genuine_lowq"}, []Attack{GenuineLowQ}},
		{docRows(), []string{"painted_lowq", "genuine_lowq"}, []Attack{GenuineLowQ, PaintedLowQ}},
		{docRows(), []string{"genuine_app_lowq"}, nil},
		{OtherToolsAttacks(), []string{"genuine_lowq", "genuine_app_lowq", "painted_lowq"}, []Attack{OTGenuineLowQ, OTPaintedLowQ}},
		{OtherToolsAttacks(), []string{"pasted_portrait", "painted_field"}, []Attack{OTPainted, OTPasted}},
		{OtherToolsAttacks(), []string{"painted_field", "painted_field"}, []Attack{OTPainted}},
	}
	for _, tt := range tests {
		if got := keepRows(tt.all, tt.only); !slices.Equal(got, tt.want) {
			t.Errorf("keepRows(%v) = %v, want %v", tt.only, got, tt.want)
		}
	}
}

// TestCheckRows: a row of neither set is refused; an other-tools row
// only without -other-tools.
func TestCheckRows(t *testing.T) {
	tests := []struct {
		only  []string
		other bool
		ok    bool
	}{
		{nil, false, true},
		{[]string{"genuine_lowq", "painted_lowq"}, false, true},
		{[]string{"genuine_app_lowq"}, false, false},
		{[]string{"genuine_app_lowq", "genuine_lowq"}, true, true},
		{[]string{"genuine_low"}, true, false},
		{[]string{"screen_photo", "editor_tables"}, true, true},
	}
	for _, tt := range tests {
		if err := checkRows(tt.only, tt.other); (err == nil) != tt.ok {
			t.Errorf("checkRows(%v, %v) = %v, want ok %v", tt.only, tt.other, err, tt.ok)
		}
	}
}

// TestSplitList: names are trimmed, empty ones dropped.
func TestSplitList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"genuine_lowq", []string{"genuine_lowq"}},
		{" genuine_lowq, ,painted_lowq,", []string{"genuine_lowq", "painted_lowq"}},
	}
	for _, tt := range tests {
		if got := splitList(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("splitList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRowsSameScores runs one photo of genuine_lowq alone and beside
// genuine and painted_lowq: its score line is the same byte for byte,
// and only the rows named are reported.
func TestRowsSameScores(t *testing.T) {
	dir := t.TempDir()
	lines := func(name string, rows ...string) [][]byte {
		path := filepath.Join(dir, name)
		rep, err := Run(context.Background(), Config{Seed: 4, Docs: 1, DocsOnly: true, Rows: rows, Scores: path})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Docs) != len(rows) || len(rep.Other) != 0 {
			t.Fatalf("rows %v: report has %d and %d rows", rows, len(rep.Docs), len(rep.Other))
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var out [][]byte
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			out = append(out, slices.Clone(sc.Bytes()))
		}
		return out
	}
	alone := lines("alone.jsonl", "genuine_lowq")
	among := lines("among.jsonl", "genuine", "genuine_lowq", "painted_lowq")
	if len(alone) != 1 || len(among) != 3 {
		t.Fatalf("%d and %d lines, want 1 and 3", len(alone), len(among))
	}
	if !bytes.Equal(alone[0], among[1]) {
		t.Errorf("genuine_lowq alone:\n%s\nbeside other rows:\n%s", alone[0], among[1])
	}
	if !bytes.Contains(alone[0], []byte(`"attack":"genuine_lowq","seed":4000`)) {
		t.Errorf("line %s", alone[0])
	}
}

// TestWriteRows: one markdown row per attack row, the located count only on
// the attacks named as located.
func TestWriteRows(t *testing.T) {
	var b bytes.Buffer
	writeRows(&b, "document photos", []AttackRow{
		{Attack: "genuine", N: 20, Flagged: 1, Rate: 0.05},
		{Attack: "painted_field", N: 20, Flagged: 19, Rate: 0.95, Located: 18},
	}, Painted)
	want := "| document photos | n | flagged | rate | region located |\n" +
		"|---|---|---|---|---|\n" +
		"| genuine | 20 | 1 | 0.050 |  |\n" +
		"| painted_field | 20 | 19 | 0.950 | 18/20 |\n"
	if got := b.String(); got != want {
		t.Errorf("writeRows:\n%s\nwant:\n%s", got, want)
	}
}

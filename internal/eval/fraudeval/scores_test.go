package fraudeval

import (
	"bufio"
	"encoding/json"
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/kycq/kycq/authenticity"
)

// TestScoreLines writes two reports with the -scores writer and reads
// them back: one JSON line each, with the set, attack, seed and the
// report's verdict, findings, scores and regions. No file: nothing.
func TestScoreLines(t *testing.T) {
	if w, err := openScores(""); w != nil || err != nil {
		t.Fatalf("no path: %v, %v", w, err)
	}
	var none *scoreWriter
	if err := none.write("docs", Genuine, 1, &authenticity.Report{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "scores.jsonl")
	w, err := openScores(path)
	if err != nil {
		t.Fatal(err)
	}
	reps := []*authenticity.Report{
		{Verdict: authenticity.Clean, Scores: map[string]float64{authenticity.SignalColourSeam: 0.0123}},
		{Verdict: authenticity.Review, Findings: []string{authenticity.SignalLocal}, Scores: map[string]float64{authenticity.SignalLocal: 0.5},
			Regions: []image.Rectangle{image.Rect(1, 2, 30, 40)}},
	}
	if err := w.write("docs", Genuine, 7, reps[0]); err != nil {
		t.Fatal(err)
	}
	if err := w.write("other", OTPainted, 8, reps[1]); err != nil {
		t.Fatal(err)
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []struct {
		set    string
		attack Attack
		seed   int64
	}{{"docs", Genuine, 7}, {"other", OTPainted, 8}}
	sc := bufio.NewScanner(f)
	n := 0
	for ; sc.Scan(); n++ {
		if n >= len(want) {
			t.Fatalf("extra line %q", sc.Text())
		}
		var got PhotoScores
		if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		w, r := want[n], reps[n]
		if got.Set != w.set || got.Attack != string(w.attack) || got.Seed != w.seed || got.Report == nil ||
			got.Verdict != r.Verdict || len(got.Findings) != len(r.Findings) || len(got.Regions) != len(r.Regions) {
			t.Fatalf("line %d: %+v", n, got)
		}
		for k, v := range r.Scores {
			if got.Scores[k] != v {
				t.Errorf("line %d: %s = %v, want %v", n, k, got.Scores[k], v)
			}
		}
		for i, b := range r.Regions {
			if got.Regions[i] != b {
				t.Errorf("line %d: region %v, want %v", n, got.Regions[i], b)
			}
		}
	}
	if n != len(want) {
		t.Fatalf("%d lines, want %d", n, len(want))
	}
}

package doceval

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/kyc/reason"
)

// TestRunSmallSet generates a tiny labelled set and evaluates it: every
// photo is accounted for in its split, the dump has one line per photo,
// and the clean photos' false-reject rate is a rate.
func TestRunSmallSet(t *testing.T) {
	dir := t.TempDir()
	dump := filepath.Join(t.TempDir(), "dump.jsonl")
	var out bytes.Buffer
	cfg := Config{Dir: dir, Generate: true, Workers: 2, Dump: dump,
		Spec: docgen.DatasetSpec{Seed: 3, PerCell: 1, Clean: 6, Unreadable: 2, Size: docgen.SizeTest, Workers: 2}}
	cfg.JSON = true
	if err := Run(context.Background(), cfg, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	m, err := docgen.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	var res []struct {
		Split       string  `json:"split"`
		Photos      int     `json:"photos"`
		Clean       int     `json:"clean"`
		FalseReject float64 `json:"false_reject_rate"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if len(res) != 2 || res[0].Split != docgen.SplitCalibrate || res[1].Split != docgen.SplitTest {
		t.Fatalf("splits %+v", res)
	}
	if n := res[0].Photos + res[1].Photos; n != len(m.Items) {
		t.Errorf("%d photos evaluated, manifest has %d", n, len(m.Items))
	}
	if c := res[0].Clean + res[1].Clean; c != 6 {
		t.Errorf("%d clean photos, want 6", c)
	}
	for _, r := range res {
		if r.FalseReject < 0 || r.FalseReject > 1 {
			t.Errorf("split %s: false-reject rate %v", r.Split, r.FalseReject)
		}
	}

	// The tables and the dump, on the same set without generating again.
	out.Reset()
	cfg.Generate, cfg.JSON = false, false
	if err := Run(context.Background(), cfg, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "split calibrate:") || !strings.Contains(out.String(), "split test by background") {
		t.Errorf("tables missing:\n%s", out.String())
	}
	data, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "\n"); n != len(m.Items) {
		t.Errorf("dump has %d lines, want %d", n, len(m.Items))
	}
}

// TestRunNoDataset is a clear error, not an empty report.
func TestRunNoDataset(t *testing.T) {
	err := Run(context.Background(), Config{Dir: t.TempDir()}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "-generate") {
		t.Fatalf("err = %v, want one pointing to -generate", err)
	}
}

func TestRatioAndCodeList(t *testing.T) {
	if r := ratio(1, 4); float64(r) != 0.25 {
		t.Errorf("ratio(1, 4) = %v", r)
	}
	if r := ratio(0, 0); !math.IsNaN(float64(r)) {
		t.Errorf("ratio(0, 0) = %v, want NaN", r)
	}
	if b, _ := ratio(0, 0).MarshalJSON(); string(b) != "null" {
		t.Errorf("NaN marshals as %s, want null", b)
	}
	tests := []struct {
		in   map[reason.Code]bool
		want string
	}{
		{nil, "ok"},
		{map[reason.Code]bool{reason.DocGlare: true}, "doc_glare"},
		{map[reason.Code]bool{reason.DocGlare: true, reason.DocBlurry: true}, "doc_blurry,doc_glare"},
	}
	for _, tc := range tests {
		if got := codeList(tc.in); got != tc.want {
			t.Errorf("codeList(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

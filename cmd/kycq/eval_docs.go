package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/docgen"
	"github.com/kycq/kycq/kyc/reason"
)

// docsFaceDetector, when set (by the face engine's adapter), lets
// "kycq eval docs" evaluate doc_no_face; without it that code is left out.
var docsFaceDetector func() (imagecheck.FaceDetector, error)

func init() {
	registerEval(evaluation{name: "docs", summary: "document photo checks: precision/recall per reason code on a labelled synthetic set", run: runEvalDocs})
}

// docCodes are the codes of rules §2, in the catalogue's order.
var docCodes = []reason.Code{
	reason.DocUnreadable, reason.DocLowResolution, reason.DocBlurry, reason.DocGlare, reason.DocCutOff,
	reason.DocNotColour, reason.DocTooDark, reason.DocOverexposed, reason.DocNotOriginal, reason.DocNoFace,
}

type docOutcome struct {
	item docgen.Item
	rep  imagecheck.Report
	err  error
}

func runEvalDocs(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval docs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	generate := fs.Bool("generate", false, "generate the labelled dataset into DIR first (files already there are kept)")
	seed := fs.Int64("seed", 1, "dataset seed (with -generate)")
	perCell := fs.Int("per-cell", 12, "photos per defect and strength (with -generate)")
	clean := fs.Int("clean", 160, "clean photos (with -generate)")
	bad := fs.Int("unreadable", 20, "broken files (with -generate)")
	share := fs.Float64("share-12mp", 0.2, "share of 12 MP photos (with -generate)")
	split := fs.String("split", "", "evaluate one split only: calibrate or test (default: both, separately)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "concurrent checks")
	scores := fs.Bool("scores", false, "also print score quantiles per check for clean photos and each defect/strength (for calibration)")
	confusion := fs.Bool("confusion", false, "also list every wrong verdict")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: kycq eval docs [flags] DIR\n\nRuns imagecheck on every photo of a labelled dataset (DIR/manifest.json, as\nwritten by -generate) and prints precision and recall per reason code, recall\nby defect strength, and the false-reject rate on clean photos, for the\ncalibration and the held-out test split.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	dir := fs.Arg(0)
	if *generate {
		start := time.Now()
		last := time.Now()
		_, err := docgen.WriteDataset(dir, docgen.DatasetSpec{
			Seed: *seed, PerCell: *perCell, Clean: *clean, Unreadable: *bad, Share12MP: *share, Workers: *workers,
			Progress: func(done, total int) {
				if time.Since(last) > 5*time.Second || done == total {
					last = time.Now()
					fmt.Fprintf(stderr, "generated %d/%d (%s)\n", done, total, time.Since(start).Round(time.Second))
				}
			},
		})
		if err != nil {
			fmt.Fprintf(stderr, "kycq eval docs: %v\n", err)
			return 1
		}
	}
	m, err := docgen.ReadManifest(dir)
	if err != nil {
		fmt.Fprintf(stderr, "kycq eval docs: %v (generate one with -generate)\n", err)
		return 1
	}
	var fd imagecheck.FaceDetector
	if docsFaceDetector != nil {
		if fd, err = docsFaceDetector(); err != nil {
			fmt.Fprintf(stderr, "kycq eval docs: face detector: %v\n", err)
			return 1
		}
	}
	outs := evalDocsRun(ctx, dir, m.Items, fd, max(1, *workers))
	splits := []string{docgen.SplitCalibrate, docgen.SplitTest}
	if *split != "" {
		splits = []string{*split}
	}
	var all []docEvalResult
	for _, s := range splits {
		var sel []docOutcome
		for _, o := range outs {
			if o.item.Split == s {
				sel = append(sel, o)
			}
		}
		all = append(all, scoreDocs(s, sel, fd != nil))
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		if err := enc.Encode(all); err != nil {
			fmt.Fprintf(stderr, "kycq eval docs: %v\n", err)
			return 1
		}
		return 0
	}
	for _, r := range all {
		printDocEval(stdout, r)
	}
	if *scores {
		printScoreQuantiles(stdout, outs)
	}
	if *confusion {
		printConfusion(stdout, outs, fd != nil)
	}
	return 0
}

func evalDocsRun(ctx context.Context, dir string, items []docgen.Item, fd imagecheck.FaceDetector, workers int) []docOutcome {
	outs := make([]docOutcome, len(items))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				it := items[i]
				outs[i].item = it
				data, err := os.ReadFile(filepath.Join(dir, it.File))
				if err != nil {
					outs[i].err = err
					continue
				}
				opts := imagecheck.DefaultOptions()
				opts.Side = imagecheck.Back
				if it.Side == docgen.Front {
					opts.Side = imagecheck.Front
				}
				opts.FaceDetector = fd
				outs[i].rep = imagecheck.Check(data, opts)
			}
		}()
	}
	for i := range items {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return outs
}

type docCodeStats struct {
	Code      reason.Code `json:"code"`
	TP        int         `json:"tp"`
	FP        int         `json:"fp"`
	FN        int         `json:"fn"`
	Precision metric      `json:"precision"`
	Recall    metric      `json:"recall"`
	// RecallBy is the recall per strength (1 subtle, 2 moderate, 3 clear).
	RecallBy [4]metric `json:"recall_by_strength"`
	NBy      [4]int    `json:"n_by_strength"`
}

type docEvalResult struct {
	Split       string         `json:"split"`
	Photos      int            `json:"photos"`
	Clean       int            `json:"clean"`
	FalseReject float64        `json:"false_reject_rate"`
	Codes       []docCodeStats `json:"codes"`
	Errors      int            `json:"read_errors"`
	FaceEval    bool           `json:"face_evaluated"`
}

func expectedCodes(it docgen.Item, face bool) map[reason.Code]bool {
	e := map[reason.Code]bool{}
	for _, c := range it.Codes {
		if c == reason.DocNoFace && !face {
			continue
		}
		e[c] = true
	}
	return e
}

func predictedCodes(r imagecheck.Report, face bool) map[reason.Code]bool {
	p := map[reason.Code]bool{}
	for _, c := range r.Reasons {
		if c == reason.DocNoFace && !face {
			continue
		}
		p[c] = true
	}
	return p
}

func scoreDocs(split string, outs []docOutcome, face bool) docEvalResult {
	res := docEvalResult{Split: split, Photos: len(outs), FaceEval: face}
	stats := map[reason.Code]*docCodeStats{}
	hit := make([][4]int, len(docCodes))
	for _, c := range docCodes {
		stats[c] = &docCodeStats{Code: c}
	}
	rejected := 0
	for _, o := range outs {
		if o.err != nil {
			res.Errors++
			continue
		}
		e, p := expectedCodes(o.item, face), predictedCodes(o.rep, face)
		if o.item.Defect == docgen.Clean {
			res.Clean++
			if len(p) > 0 {
				rejected++
			}
		}
		for k, c := range docCodes {
			s := stats[c]
			switch {
			case e[c] && p[c]:
				s.TP++
			case e[c]:
				s.FN++
			case p[c]:
				s.FP++
			}
			if e[c] {
				st := int(o.item.Strength)
				s.NBy[st]++
				if p[c] {
					hit[k][st]++
				}
			}
		}
	}
	if res.Clean > 0 {
		res.FalseReject = float64(rejected) / float64(res.Clean)
	}
	for k, c := range docCodes {
		if c == reason.DocNoFace && !face {
			continue
		}
		s := stats[c]
		s.Precision = ratio(s.TP, s.TP+s.FP)
		s.Recall = ratio(s.TP, s.TP+s.FN)
		for st := 0; st < 4; st++ {
			s.RecallBy[st] = ratio(hit[k][st], s.NBy[st])
		}
		res.Codes = append(res.Codes, *s)
	}
	return res
}

// metric is a ratio that is NaN (JSON null) when it has no samples.
type metric float64

func (m metric) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(m)) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(m))
}

func ratio(a, b int) metric {
	if b == 0 {
		return metric(math.NaN())
	}
	return metric(float64(a) / float64(b))
}

func pct(v metric) string {
	if math.IsNaN(float64(v)) {
		return "–"
	}
	return fmt.Sprintf("%.3f", v)
}

func printDocEval(w io.Writer, r docEvalResult) {
	fmt.Fprintf(w, "split %s: %d photos, %d clean; false rejects of clean photos: %s (%d read errors)\n",
		r.Split, r.Photos, r.Clean, pct(metric(r.FalseReject)), r.Errors)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "code\tTP\tFP\tFN\tprecision\trecall\trecall subtle\trecall moderate\trecall clear\t")
	for _, s := range r.Codes {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t\n", s.Code, s.TP, s.FP, s.FN,
			pct(s.Precision), pct(s.Recall), pct(s.RecallBy[1]), pct(s.RecallBy[2]), pct(s.RecallBy[3]))
	}
	tw.Flush()
	if !r.FaceEval {
		fmt.Fprintln(w, "(doc_no_face not evaluated: no face detector in this build)")
	}
	fmt.Fprintln(w)
}

// printScoreQuantiles prints, per check, the 5/50/95% quantiles of its
// score for clean photos and for each defect and strength.
func printScoreQuantiles(w io.Writer, outs []docOutcome) {
	groups := map[string]map[string][]float64{}
	var keys []string
	for _, o := range outs {
		if o.err != nil || o.rep.Error != "" {
			continue
		}
		g := string(o.item.Defect)
		if o.item.Strength > 0 {
			g += fmt.Sprintf("/s%d", o.item.Strength)
		}
		if groups[g] == nil {
			groups[g] = map[string][]float64{}
			keys = append(keys, g)
		}
		for name, v := range o.rep.Scores {
			groups[g][name] = append(groups[g][name], v)
		}
	}
	sort.Strings(keys)
	checks := []string{imagecheck.CheckResolution, imagecheck.CheckBlur, imagecheck.CheckGlare, imagecheck.CheckCorners,
		imagecheck.CheckColour, imagecheck.CheckBrightness, imagecheck.CheckClipped, imagecheck.CheckRecapture, imagecheck.CheckFace}
	fmt.Fprintln(w, "score quantiles (min / 5% / 50% / 95% / max) by defect and strength:")
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprint(tw, "group\tn")
	for _, c := range checks {
		fmt.Fprintf(tw, "\t%s", c)
	}
	fmt.Fprintln(tw)
	for _, g := range keys {
		n := 0
		for _, v := range groups[g] {
			n = len(v)
			break
		}
		fmt.Fprintf(tw, "%s\t%d", g, n)
		for _, c := range checks {
			v := groups[g][c]
			if len(v) == 0 {
				fmt.Fprint(tw, "\t-")
				continue
			}
			sort.Float64s(v)
			q := func(p float64) float64 { return v[int(math.Round(p*float64(len(v)-1)))] }
			fmt.Fprintf(tw, "\t%s/%s/%s/%s/%s", g3(q(0)), g3(q(0.05)), g3(q(0.5)), g3(q(0.95)), g3(q(1)))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	fmt.Fprintln(w)
}

func g3(v float64) string { return strings.TrimSuffix(fmt.Sprintf("%.3g", v), ".0") }

func printConfusion(w io.Writer, outs []docOutcome, face bool) {
	fmt.Fprintln(w, "wrong verdicts (file, split, expected → reported):")
	for _, o := range outs {
		if o.err != nil {
			fmt.Fprintf(w, "  %s: %v\n", o.item.File, o.err)
			continue
		}
		e, p := expectedCodes(o.item, face), predictedCodes(o.rep, face)
		same := len(e) == len(p)
		for c := range e {
			if !p[c] {
				same = false
			}
		}
		if same {
			continue
		}
		fmt.Fprintf(w, "  %s %s %s → %s\n", o.item.File, o.item.Split, codeList(e), codeList(p))
	}
	fmt.Fprintln(w)
}

func codeList(m map[reason.Code]bool) string {
	var s []string
	for c := range m {
		s = append(s, string(c))
	}
	sort.Strings(s)
	if len(s) == 0 {
		return "ok"
	}
	return strings.Join(s, ",")
}
